"""The item page (/t/<org>/plan/<plan>/items/<item>): the ten-heading detail sheet laid out as
the official document, printable; a small form per heading for the plan officer and the
executive; "as of" the end of a past day (read-only). The step forms are in item_steps.py."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from litestar import Controller, get, post
from litestar.di import NamedDependency as Dep
from litestar.exceptions import PermissionDeniedException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from domain.plans import commands as c
from domain.plans.events import ItemHeadingsEdited
from domain.plans.handlers import handle_item_command
from domain.plans.item import Item
from domain.plans.plan import Plan
from domain.plans.values import ItemKind
from domain.plans.views import item_sheet, plan_summary, sheet_of, with_attainment
from domain.shared.errors import ConcurrencyConflict, DomainError, NotFound
from domain.shared.fiscal import arabic_digits
from domain.shared.ports import Context
from domain.shared.thai import plain_number
from infra.auth.orgs import Org
from infra.auth.sessions import Session
from infra.logs import request_id_var
from infra.repository import EventSourcedRepository
from services.api.pages.common import AnyRequest, not_found, org_of, page, posted, text
from services.api.pages.home import names_me
from services.api.state import Services
from services.api.v1.auth import PROGRESS_ROLES, WRITE_ROLES, principal_of
from services.api.v1.common import counted, end_of_day, today_bangkok
from services.api.v1.items import _assigned_to
from services.api.v1.plans import _entry

CONFLICT = (
    "มีผู้อื่นบันทึกรายการนี้ก่อนคุณ ระบบจึงยังไม่ได้บันทึกสิ่งที่คุณกรอก และไม่ได้เขียนทับของผู้อื่น "
    "ข้อมูลบนหน้านี้เป็นข้อมูลล่าสุดแล้ว สิ่งที่คุณกรอกยังอยู่ในแบบฟอร์ม กรุณาตรวจสอบแล้วกดบันทึกอีกครั้ง"
)
NOTICES = {
    "saved": "บันทึกการแก้ไขแล้ว",
    "started": "บันทึกการเริ่มดำเนินการแล้ว",
    "completed": "บันทึกว่าขั้นตอนเสร็จแล้ว",
    "rescheduled": "เลื่อนกำหนดเสร็จแล้ว",
    "reopened": "เปิดขั้นตอนใหม่แล้ว",
    "step": "เพิ่มขั้นตอนแล้ว",
    "result": "บันทึกผลตัวชี้วัดแล้ว",
    "indicator": "เพิ่มตัวชี้วัดแล้ว",
}
STATUS_TH = {"scheduled": "ยังไม่เริ่ม", "started": "กำลังดำเนินการ", "completed": "เสร็จแล้ว"}
ATTAINMENT_TH = {"met": "บรรลุ", "missed": "ไม่บรรลุ", "not_yet": "ยังไม่สิ้นปี"}
COMPARATOR_TH = {"at_least": "อย่างน้อย", "exactly": "จำนวน", "at_most": "ไม่เกิน"}
TEXT_HEADINGS = {
    "name": (1, 500),
    "rationale": (2, 20_000),
    "objectives": (3, 20_000),
    "targets": (4, 20_000),
    "area": (5, 500),
    "responsible_unit": (9, 500),
}
LIST_HEADINGS = ("objectives", "targets")


@dataclass
class Loaded:
    sheet: dict[str, Any]
    version: int
    plan: dict[str, Any]  # the plan's summary
    count: dict[str, dict[int, int]]


async def load_item(
    viewer: Session, services: Services, plan_id: uuid.UUID, item_id: uuid.UUID, as_of: date | None
) -> Loaded | None:
    """The detail sheet as GET /api/v1/plans/{plan}/items/{item} gives it (the same read
    model, or the same replay up to the end of ``as_of``); None: no such item for this tenant."""
    p = principal_of(viewer)
    if as_of is not None:
        repo = EventSourcedRepository(services.store)
        at = end_of_day(as_of)
        plan = await repo.load(Plan, p.tenant_id, plan_id, as_of=at)
        entry = plan.items.get(item_id) if plan.exists else None
        if entry is None:
            return None
        item = await repo.load(Item, p.tenant_id, item_id, as_of=at)
        async with p.reading(services) as conn:
            count = await counted(conn, as_of)
        summary = plan_summary(plan)
        sheet, version = sheet_of(entry, item_sheet(item)), item.version
    else:
        async with p.reading(services) as conn:
            row = await conn.fetchrow(
                "SELECT i.item_id, i.number, i.kind, i.registered_name, i.sheet, i.version, "
                "p.summary FROM item_views i JOIN plan_views p USING (tenant_id, plan_id) "
                "WHERE i.plan_id = $1 AND i.item_id = $2",
                plan_id,
                item_id,
            )
            if row is None:
                return None
            count = await counted(conn)
        summary = dict(row["summary"])
        sheet, version = sheet_of(_entry(row), row["sheet"]), row["version"]
    years = list(range(int(summary["first_year"]), int(summary["last_year"]) + 1))
    body = with_attainment(sheet, years, count, as_of or today_bangkok())
    return Loaded(body, version, summary, count)


def parse_day(raw: str) -> date | None:
    try:
        return date.fromisoformat(arabic_digits(raw.strip())[:10])
    except ValueError:
        return None


def parse_as_of(raw: str | None, today: date) -> tuple[date | None, str]:
    if not raw:
        return None, ""
    on = parse_day(raw)
    if on is None or on.year < 1900:
        return None, "วันที่ที่ระบุไม่ถูกต้อง ต้องอยู่ในรูปแบบ ปี ค.ศ.-เดือน-วัน เช่น 2026-03-31"
    if on > today:
        return None, "เลือกได้เฉพาะวันนี้หรือวันที่ผ่านมาแล้ว"
    return on, ""


def version_of(form: Any) -> int | None:
    raw = text(form, "version", 12)
    return int(raw) if raw.isdigit() else None


def lines(value: str) -> tuple[str, ...]:
    return tuple(ln.strip() for ln in value.splitlines() if ln.strip())


def refused(org: Org, viewer: Session, back: str, message: str = "") -> Template:
    return page(
        "message.html",
        403,
        session=viewer,
        org=org,
        title="ทำรายการนี้ไม่ได้",
        message=message
        or "บทบาทของคุณทำรายการนี้ไม่ได้ หากต้องการแก้ไข กรุณาติดต่อเจ้าหน้าที่ผู้รับผิดชอบแผนหรือผู้บริหาร",
        link=back,
        link_text="กลับไปหน้ารายการ",
    )


def form_context(viewer: Session, form: Any, what: str) -> Context:
    """The command's context; the form's one-time key makes a double submit harmless."""
    p = principal_of(viewer)
    key = text(form, "form_key", 80)
    typed = "\n".join(f"{k}={form.getall(k)}" for k in sorted(form.keys()) if k != "csrf_token")
    fingerprint = hashlib.sha256(f"{what}\n{typed}".encode()).digest() if key else None
    return Context(
        p.tenant_id,
        p.actor,
        f"page:item:{what}:{key}" if key else None,
        request_id_var.get(),
        fingerprint,
    )


class ItemPage:
    """What every item route shares: the org, the sheet, rendering, running a command."""

    def __init__(
        self, services: Services, org: Org, viewer: Session, plan_id: uuid.UUID, item_id: uuid.UUID
    ) -> None:
        self.services, self.org, self.viewer = services, org, viewer
        self.plan_id, self.item_id = plan_id, item_id
        self.url = f"/t/{org.code}/plan/{plan_id}/items/{item_id}"

    async def render(
        self,
        *,
        status: int = 200,
        as_of: date | None = None,
        errors: dict[str, str] | None = None,
        typed: dict[str, Any] | None = None,
        open_form: str = "",
        notice: str = "",
        kept_files: list[Any] | None = None,
    ) -> Template:
        loaded = await load_item(self.viewer, self.services, self.plan_id, self.item_id, as_of)
        if loaded is None:
            return not_found("ไม่พบรายการนี้")
        today = today_bangkok()
        role = self.viewer.role
        writable = as_of is None and loaded.plan.get("status") != "closed"
        sheet = loaded.sheet
        for st in sheet["steps"]:
            due = date.fromisoformat(st["due"]) if st["due"] else None
            st["overdue"] = st["status"] != "completed" and due is not None and due < today
            st["anchor"] = "s" + st["number"].replace(".", "-")
            st["mine"] = names_me(st["responsible"], self.viewer)
            st["can_progress"] = writable and (
                role in WRITE_ROLES or (role in PROGRESS_ROLES and st["mine"])
            )
            st["can_manage"] = writable and role in WRITE_ROLES
        years = list(range(int(loaded.plan["first_year"]), int(loaded.plan["last_year"]) + 1))
        outcome_counts = {
            o["indicator_id"]: [(y, loaded.count.get(o["measure"], {}).get(y, 0)) for y in years]
            for o in sheet["outcomes"]
            if o.get("measure")
        }
        return page(
            "item.html",
            status,
            session=self.viewer,
            org=self.org,
            title=f"{sheet['number']} {sheet['name']}",
            sheet=sheet,
            kind_th=ItemKind(sheet["kind"]).thai,
            plan=loaded.plan,
            years=years,
            version=loaded.version,
            url=self.url,
            plan_url=f"/t/{self.org.code}/plan?plan={self.plan_id}",
            as_of=as_of,
            today=today,
            can_edit=writable and role in WRITE_ROLES,
            can_record=writable and role in PROGRESS_ROLES,
            staff=role == "staff",
            errors=errors or {},
            typed=typed or {},
            open_form=open_form,
            notice=notice,
            kept_files=kept_files or [],
            form_key=uuid.uuid4().hex,
            status_th=STATUS_TH,
            attainment_th=ATTAINMENT_TH,
            comparator_th=COMPARATOR_TH,
            outcome_counts=outcome_counts,
            number=lambda v: plain_number(Decimal(str(v))),
        )

    async def run(
        self,
        form: Any,
        cmd: Any,
        what: str,
        *,
        roles: frozenset[str],
        anchor: str,
        fields: dict[str, str],
        typed: dict[str, Any],
        done: str,
        kept_files: list[Any] | None = None,
    ) -> Template | Redirect:
        """Run an item command as the API does; a rule's message goes beside its field
        (``fields`` maps the rule's ``field=`` to the form's id), a conflict is explained;
        what was typed stays in the form."""
        back = f"{self.url}#{anchor}"
        if self.viewer.role not in roles:
            return refused(self.org, self.viewer, back)
        p = principal_of(self.viewer)
        errors: dict[str, str] = {}
        status = 400
        try:
            if self.viewer.role == "staff":
                await _assigned_to(p, self.services, cmd)
            await handle_item_command(
                EventSourcedRepository(self.services.store),
                form_context(self.viewer, form, what),
                cmd,
                if_match=version_of(form),
            )
        except PermissionDeniedException as e:
            return refused(self.org, self.viewer, back, str(e.detail))
        except NotFound:
            return not_found("ไม่พบรายการนี้")
        except ConcurrencyConflict:
            errors[anchor], status = CONFLICT, 409
        except DomainError as e:
            field = fields.get(str(e.details.get("field", "")), anchor)
            if "due" in e.details and "due" in fields:
                field = fields["due"]
            errors[field], status = e.message, e.status if e.status in (409, 413, 415) else 400
        else:
            return Redirect(f"{self.url}?done={done}#{anchor}", status_code=303)
        return await self.render(
            status=status,
            errors=errors,
            typed=typed,
            open_form=anchor,
            kept_files=kept_files,
        )


async def item_page(
    services: Services, org_code: str, viewer: Session, plan_id: uuid.UUID, item_id: uuid.UUID
) -> ItemPage | None:
    org = await org_of(services, org_code)
    if org is None or org.tenant_id is None:
        return None
    return ItemPage(services, org, viewer, plan_id, item_id)


ITEM_PATH = "/plan/{plan_id:uuid}/items/{item_id:uuid}"


class ItemPages(Controller):
    path = "/t/{org_code:str}"
    include_in_schema = False

    @get(ITEM_PATH)
    async def item(
        self,
        org_code: FromPath[str],
        plan_id: FromPath[uuid.UUID],
        item_id: FromPath[uuid.UUID],
        request: AnyRequest,
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Template:
        ip = await item_page(services, org_code, viewer, plan_id, item_id)
        if ip is None:
            return not_found()
        as_of, problem = parse_as_of(request.query_params.get("as_of"), today_bangkok())
        if problem:
            return page(
                "message.html",
                400,
                session=viewer,
                org=ip.org,
                title="แสดงข้อมูลย้อนหลังไม่ได้",
                message=problem,
                link=ip.url,
                link_text="กลับไปดูข้อมูลปัจจุบัน",
            )
        notice = NOTICES.get(str(request.query_params.get("done", "")), "")
        return await ip.render(as_of=as_of, notice=notice)

    @post(ITEM_PATH + "/headings/{which:str}", status_code=200)
    async def edit_heading(
        self,
        org_code: FromPath[str],
        plan_id: FromPath[uuid.UUID],
        item_id: FromPath[uuid.UUID],
        which: FromPath[str],
        request: AnyRequest,
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Template | Redirect:
        ip = await item_page(services, org_code, viewer, plan_id, item_id)
        if ip is None or which not in (*TEXT_HEADINGS, "years", "budget"):
            return not_found()
        form = await posted(request, viewer)
        anchor = f"edit-{which}"
        if which in TEXT_HEADINGS:
            raw = text(form, which, TEXT_HEADINGS[which][1])
            typed: dict[str, Any] = {which: raw}
            if which == "name" and not raw:
                return await ip.render(
                    status=400,
                    errors={which: "กรุณากรอกชื่อโครงการ/กิจกรรม/มาตรการ"},
                    typed=typed,
                    open_form=anchor,
                )
            value: Any = lines(raw) if which in LIST_HEADINGS else raw
            edit = ItemHeadingsEdited(**{which: value})
            cmd: Any = c.EditItemHeadings(plan_id, item_id, edit)
        elif which == "years":
            raw_years = [arabic_digits(str(y))[:6] for y in form.getall("fiscal_years", [])]
            typed = {"fiscal_years": raw_years}
            if not raw_years or not all(y.isdigit() for y in raw_years):
                return await ip.render(
                    status=400,
                    errors={"fiscal_years": "กรุณาเลือกปีงบประมาณที่ดำเนินการอย่างน้อย 1 ปี"},
                    typed=typed,
                    open_form=anchor,
                )
            years = tuple(sorted({int(y) for y in raw_years}))
            cmd = c.EditItemHeadings(plan_id, item_id, ItemHeadingsEdited(fiscal_years=years))
        else:
            typed = {k: text(form, k, 40) for k in form if k.startswith("amount-")}
            typed["budget_mode"] = text(form, "budget_mode", 20)
            amounts: dict[int, Decimal] | None = None
            errors: dict[str, str] = {}
            if typed["budget_mode"] == "amounts":
                amounts = {}
                for key, raw in typed.items():
                    if not key.startswith("amount-") or not key[7:].isdigit():
                        continue
                    cleaned = arabic_digits(raw).replace(",", "").replace(" ", "") or "0"
                    try:
                        amount = Decimal(cleaned)
                        if not amount.is_finite():
                            raise InvalidOperation
                        amounts[int(key[7:])] = amount
                    except InvalidOperation:
                        errors[key] = "กรุณากรอกจำนวนเงินเป็นตัวเลข เช่น 20000 หรือ 1,500.50"
            elif typed["budget_mode"] != "none":
                errors["budget_mode"] = "กรุณาเลือก ไม่ใช้งบประมาณ หรือ ใช้งบประมาณ"
            if errors:
                return await ip.render(status=400, errors=errors, typed=typed, open_form=anchor)
            cmd = c.SetBudget(plan_id, item_id, amounts)
        return await ip.run(
            form,
            cmd,
            f"heading-{which}",
            roles=WRITE_ROLES,
            anchor=anchor,
            fields={"name": "name", "reason": anchor},
            typed=typed,
            done="saved",
        )


PAGES = (ItemPages,)
