"""The item page (/t/<org>/plan/<plan>/items/<item>): the ten-heading detail sheet laid out as
the official document, printable; a small form per heading for the plan officer and the
executive; "as of" the end of a past day (read-only). The step forms are in item_steps.py."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any

from litestar import get, post
from litestar.di import NamedDependency as Dep
from litestar.di import Provide
from litestar.params import FromPath
from litestar.response import Redirect, Template

from domain.plans import commands as c
from domain.plans.errors import UnknownItem
from domain.plans.events import ItemHeadingsEdited
from domain.plans.handlers import ItemCommand
from domain.plans.item import Item
from domain.plans.templates import LEGACY_TEMPLATE_ID
from domain.plans.values import Evidence, ItemKind
from domain.plans.views import ATTAINMENTS, sheet_headings
from domain.shared.access import Action, Forbidden, assigned, may
from domain.shared.errors import ConcurrencyConflict, DomainError, NotFound
from domain.shared.fiscal import arabic_digits
from domain.shared.thai import plain_number
from services.api.edge import form_call
from services.api.pages.common import PageNotFound, not_found, number_of, text
from services.api.pages.visit import LaoPages, Refusal, Visit
from services.api.plans.forms import (
    lines,
    message_page,
    parse_as_of,
    refused,
    version_of,
)
from services.usecases import items as usecase
from services.usecases.scope import today

CONFLICT = (
    "มีผู้อื่นบันทึกรายการนี้ก่อนคุณ ระบบจึงยังไม่ได้บันทึกสิ่งที่คุณกรอก และไม่ได้เขียนทับของผู้อื่น "
    "ข้อมูลบนหน้านี้เป็นข้อมูลล่าสุดแล้ว สิ่งที่คุณกรอกยังอยู่ในแบบฟอร์ม กรุณาตรวจสอบแล้วกดบันทึกอีกครั้ง"
)
NOTICES = {
    "saved": "บันทึกการแก้ไขแล้ว",
    "approved": "อนุมัติคำขอแก้ไขแล้ว รายละเอียดโครงการเปลี่ยนตามคำขอ",
    "returned": "ส่งคืนคำขอแก้ไขแล้ว รายละเอียดโครงการยังเป็นฉบับเดิม",
    "addition-approved": "อนุมัติรายการที่เพิ่มหลังประกาศใช้แล้ว รายการนี้เป็นส่วนหนึ่งของแผนแล้ว",
    "addition-returned": "ส่งคืนรายการที่เพิ่มหลังประกาศใช้แล้ว",
    "proposed": "ส่งคำขอแก้ไขให้ผู้บริหารพิจารณาแล้ว รายละเอียดจะเปลี่ยนเมื่อผู้บริหารอนุมัติ",
    "added": "เพิ่มรายการในแผนแล้ว กรอกหัวข้อของรายการได้ที่หน้านี้",
    "started": "บันทึกการเริ่มดำเนินการแล้ว",
    "completed": "บันทึกว่าขั้นตอนเสร็จแล้ว",
    "rescheduled": "เลื่อนกำหนดเสร็จแล้ว",
    "due": "กำหนดวันเสร็จแล้ว",
    "override": "บันทึกค่าที่เจ้าหน้าที่แผนแก้ไขแล้ว",
    "reopened": "เปิดขั้นตอนใหม่แล้ว",
    "step": "เพิ่มขั้นตอนแล้ว",
    "result": "บันทึกผลตัวชี้วัดแล้ว",
    "indicator": "เพิ่มตัวชี้วัดแล้ว",
}
HEADING_TH = {
    "name": "ชื่อโครงการ",
    "rationale": "หลักการและเหตุผล",
    "objectives": "วัตถุประสงค์",
    "targets": "เป้าหมาย",
    "area": "พื้นที่ดำเนินการ",
    "fiscal_years": "ระยะเวลาดำเนินการ",
    "responsible_unit": "ผู้รับผิดชอบโครงการ",
}
REVISION_TH = {"proposed": "รอผู้บริหารพิจารณา", "approved": "อนุมัติแล้ว", "returned": "ส่งคืนแล้ว"}
STATUS_TH = {"scheduled": "ยังไม่เริ่ม", "started": "กำลังดำเนินการ", "completed": "เสร็จแล้ว"}
ATTAINMENT_TH = ATTAINMENTS
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


def headings_of(plan: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The plan's sheet headings by the item's field they show (number, title): ten in
    2561-2564's layout, nine in 2566-2570's (no area)."""
    layout = sheet_headings(plan.get("template_id") or LEGACY_TEMPLATE_ID)
    return {h["field"]: h for h in layout}


class ItemPage:
    """What every item route shares: the org, the actor, the sheet, rendering, refusing,
    running a command."""

    def __init__(self, visit: Visit, plan_id: uuid.UUID, item_id: uuid.UUID) -> None:
        self.visit = visit
        self.services, self.org, self.viewer = visit.services, visit.org, visit.viewer
        self.actor = visit.actor
        self.plan_id, self.item_id = plan_id, item_id
        self.url = visit.url(f"/plan/{plan_id}/items/{item_id}")

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
        try:
            loaded = await usecase.item_sheet_of(
                self.services, self.actor, self.plan_id, self.item_id, as_of
            )
        except (NotFound, UnknownItem):
            return not_found("ไม่พบรายการนี้")
        on = today(self.services.clock)
        writable = as_of is None and loaded.plan.get("status") != "closed"
        can_edit = writable and may(self.actor, Action.EDIT_PLAN)
        can_record = writable and may(self.actor, Action.RECORD_PROGRESS)
        sheet = loaded.sheet
        for st in sheet["steps"]:
            due = date.fromisoformat(st["due"]) if st["due"] else None
            st["overdue"] = st["status"] != "completed" and due is not None and due < on
            st["anchor"] = "s" + st["number"].replace(".", "-")
            st["mine"] = assigned(self.actor, tuple(st["responsible"]))
            st["can_progress"] = can_edit or (can_record and st["mine"])
            st["can_manage"] = can_edit
        outcome_counts = {
            o["indicator_id"]: [
                (y, loaded.count.get(o["measure"], {}).get(y, 0)) for y in loaded.years
            ]
            for o in sheet["outcomes"]
            if o.get("measure")
        }
        return self.visit.render(
            "item.html",
            status,
            title=f"{sheet['number']} {sheet['name']}",
            sheet=sheet,
            kind_th=ItemKind(sheet["kind"]).thai,
            plan=loaded.plan,
            years=loaded.years,
            version=loaded.version,
            url=self.url,
            plan_url=f"/t/{self.org.code}/plan?plan={self.plan_id}",
            as_of=as_of,
            today=on,
            can_edit=can_edit,
            can_record=can_record,
            staff=self.viewer.role == "staff",
            executive=self.viewer.role == "executive",
            heading_th=HEADING_TH,
            hd=headings_of(loaded.plan),
            errors=errors or {},
            typed=typed or {},
            open_form=open_form,
            notice=notice,
            kept_files=kept_files or [],
            form_key=uuid.uuid4().hex,
            status_th=STATUS_TH,
            revision_th=REVISION_TH,
            attainment_th=ATTAINMENT_TH,
            comparator_th=COMPARATOR_TH,
            outcome_counts=outcome_counts,
            number=lambda v: plain_number(Decimal(str(v))),
        )

    def refused(self, anchor: str, error: Forbidden) -> Template:
        return refused(self.org, self.viewer, f"{self.url}#{anchor}", error)

    async def authorized(self, cmd: ItemCommand, anchor: str) -> Item | Template | None:
        """Ask the access rules with the step's people (staff); the item loaded for it, for
        ``run``; the refusal page when they say no."""
        try:
            return await usecase.authorize_item(self.services, self.actor, cmd)
        except Forbidden as e:
            return self.refused(anchor, e)

    async def run(
        self,
        form: Any,
        cmd: ItemCommand,
        what: str,
        *,
        anchor: str,
        fields: dict[str, str],
        typed: dict[str, Any],
        done: str,
        kept_files: list[Evidence] | None = None,
        authorized: Item | None = None,
    ) -> Template | Redirect:
        """Run an item command as the API does; a rule's message goes beside its field
        (``fields`` maps the rule's ``field=`` to the form's id), a conflict is explained;
        what was typed stays in the form."""
        errors: dict[str, str] = {}
        status = 400
        call = form_call(form, f"item:{what}", version_of(form))
        try:
            await usecase.item_command(self.services, self.actor, call, cmd, authorized=authorized)
        except Forbidden as e:
            return self.refused(anchor, e)
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
            kept_files=list(kept_files or []),
        )


async def provide_item_page(
    visit: Dep[Visit], plan_id: FromPath[uuid.UUID], item_id: FromPath[uuid.UUID]
) -> ItemPage:
    """The item page of the address (the LAO's: another is 'not found')."""
    return ItemPage(visit, plan_id, item_id)


async def item_form(
    ip: ItemPage,
    probe: Callable[[uuid.UUID, uuid.UUID], ItemCommand],
    anchor: str,
    *,
    known: bool = True,
) -> tuple[Any, Item | None]:
    """The form posted and the item loaded for the access check (``probe``: the command as
    far as the address tells it); 'not found' instead when the address is wrong (``known``),
    the refusal page when the access rules say no, before anything typed is looked at."""
    if not known:
        raise PageNotFound
    form = await ip.visit.form()
    item = await ip.authorized(probe(ip.plan_id, ip.item_id), anchor)
    if isinstance(item, Template):
        raise Refusal(item)
    return form, item


class ItemController(LaoPages):
    """The item page's routes: the item's address and its page (``ip``) for every handler."""

    path = "/t/{org_code:str}/plan/{plan_id:uuid}/items/{item_id:uuid}"
    dependencies = {**LaoPages.dependencies, "ip": Provide(provide_item_page)}  # noqa: RUF012


class ItemPages(ItemController):
    @get("/")
    async def item(self, ip: Dep[ItemPage]) -> Template:
        viewer = ip.viewer
        as_of, problem = parse_as_of(ip.visit.request.query_params, ip.visit.today)
        if problem:
            return message_page(
                ip.org, viewer, 400, "แสดงข้อมูลย้อนหลังไม่ได้", problem, ip.url, "กลับไปดูข้อมูลปัจจุบัน"
            )
        notice = ip.visit.notice(NOTICES)
        return await ip.render(as_of=as_of, notice=notice)

    @post("/headings/{which:str}", status_code=200)
    async def edit_heading(self, ip: Dep[ItemPage], which: FromPath[str]) -> Template | Redirect:
        anchor = f"edit-{which}"
        known = which in (*TEXT_HEADINGS, "years", "budget")
        probe = partial(c.SetBudget, amounts=None)
        form, _ = await item_form(ip, probe, anchor, known=known)
        plan_id, item_id = ip.plan_id, ip.item_id
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
            cmd: ItemCommand = c.EditItemHeadings(plan_id, item_id, edit)
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
                    amount = number_of(raw.replace(" ", "") or "0")
                    if amount is None:
                        errors[key] = "กรุณากรอกจำนวนเงินเป็นตัวเลข เช่น 20000 หรือ 1,500.50"
                    else:
                        amounts[int(key[7:])] = amount
            elif typed["budget_mode"] != "none":
                errors["budget_mode"] = "กรุณาเลือก ไม่ใช้งบประมาณ หรือ ใช้งบประมาณ"
            if errors:
                return await ip.render(status=400, errors=errors, typed=typed, open_form=anchor)
            cmd = c.SetBudget(plan_id, item_id, amounts)
        return await ip.run(
            form,
            cmd,
            f"heading-{which}",
            anchor=anchor,
            fields={"name": "name", "reason": anchor},
            typed=typed,
            done="saved",
        )
