"""The plan page: the official summary table of the tenant's plan, drafting a plan, adding an
item, promulgating; and the same table "as of" the end of a past day (read-only)."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from litestar import Controller, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency as Dep
from litestar.params import FromPath
from litestar.response import Redirect, Template

from domain.plans import commands as c
from domain.plans.errors import (
    EmptyPlan,
    InvalidItemNumber,
    InvalidYears,
    ItemNumberTaken,
    PlanClosed,
    PlanNotDraft,
    UnknownSubItem,
)
from domain.plans.handlers import handle_draft_plan, handle_plan_command
from domain.plans.item import Item
from domain.plans.plan import ItemEntry, Plan
from domain.plans.values import MAX_EVIDENCE_BYTES, Evidence, ItemKind
from domain.plans.views import item_sheet, overview, plan_summary, sheet_of
from domain.shared.errors import ConcurrencyConflict, DomainError, NotFound
from domain.shared.fiscal import arabic_digits, fiscal_year
from domain.shared.ports import Context
from domain.shared.thai import grouped
from infra.auth.orgs import Org
from infra.auth.sessions import Session
from infra.evidence import file_name, keep_evidence
from infra.files import sniff_media_type
from infra.logs import request_id_var
from infra.repository import EventSourcedRepository
from services.api.pages.common import AnyRequest, lao_of, not_found, page, posted, text
from services.api.state import Services
from services.api.v1.auth import EXECUTIVE, WRITE_ROLES, Principal, principal_of
from services.api.v1.common import end_of_day, today_bangkok

KINDS = [(k.value, k.thai) for k in ItemKind]
STATUS_TH = {"draft": "ร่าง", "promulgated": "ประกาศใช้แล้ว", "closed": "ปิดแผนแล้ว"}
CONFLICT = (
    "มีผู้อื่นบันทึกการเปลี่ยนแปลงแผนนี้ก่อนคุณ ระบบจึงยังไม่ได้บันทึกสิ่งที่คุณกรอก "
    "ตารางด้านล่างเป็นข้อมูลล่าสุดแล้ว กรุณาตรวจสอบแล้วกดบันทึกอีกครั้ง"
)


class BadAsOf(Exception):
    """The ``as_of`` of the address is not a past or present day."""


def parse_as_of(raw: str | None, today: date) -> date | None:
    if raw is None or raw == "":
        return None
    try:
        on = date.fromisoformat(arabic_digits(raw.strip())[:10])
    except ValueError:
        raise BadAsOf("วันที่ที่ระบุไม่ถูกต้อง ต้องอยู่ในรูปแบบ ปี ค.ศ.-เดือน-วัน เช่น 2026-03-31") from None
    if on > today:
        raise BadAsOf("เลือกได้เฉพาะวันนี้หรือวันที่ผ่านมาแล้ว")
    if on.year < 1900:
        raise BadAsOf("วันที่ที่ระบุเก่าเกินไป")
    return on


def bad_as_of(org: Org, viewer: Session, message: str) -> Template:
    return page(
        "message.html",
        400,
        session=viewer,
        org=org,
        title="แสดงข้อมูลย้อนหลังไม่ได้",
        message=message,
        link=f"/t/{org.code}/plan",
        link_text="กลับไปดูแผนปัจจุบัน",
    )


# -- reading: the same queries and functions as GET /api/v1/plans/{plan} ----------------------


def _entry(row: Any) -> ItemEntry:
    return ItemEntry(row["item_id"], row["number"], ItemKind(row["kind"]), row["registered_name"])


async def list_plans(p: Principal, services: Services) -> list[dict[str, Any]]:
    async with p.reading(services) as conn:
        rows = await conn.fetch(
            "SELECT summary FROM plan_views ORDER BY summary->>'first_year' DESC"
        )
    return [dict(r["summary"]) for r in rows]


async def plans_as_of(p: Principal, services: Services, as_of: date) -> list[dict[str, Any]]:
    repo = EventSourcedRepository(services.store)
    out = []
    for s in await list_plans(p, services):
        plan = await repo.load(Plan, p.tenant_id, uuid.UUID(s["plan_id"]), as_of=end_of_day(as_of))
        if plan.exists:
            out.append(plan_summary(plan))
    return sorted(out, key=lambda s: s["first_year"], reverse=True)


def current_of(plans: list[dict[str, Any]], on: date) -> dict[str, Any] | None:
    """The plan whose fiscal years cover ``on``; else the latest."""
    fy = fiscal_year(on)
    for s in plans:
        if s["first_year"] <= fy <= s["last_year"]:
            return s
    return plans[0] if plans else None


async def plan_overview(
    p: Principal, services: Services, plan_id: uuid.UUID, as_of: date | None
) -> tuple[dict[str, Any], int] | None:
    """The overview (as the API gives it) and the plan's version; None: no such plan."""
    if as_of is not None:
        repo = EventSourcedRepository(services.store)
        plan = await repo.load(Plan, p.tenant_id, plan_id, as_of=end_of_day(as_of))
        if not plan.exists:
            return None
        items = []
        for entry in plan.items.values():
            item = await repo.load(Item, p.tenant_id, entry.item_id, as_of=end_of_day(as_of))
            items.append(sheet_of(entry, item_sheet(item)))
        return overview(plan_summary(plan), items, as_of), plan.version
    async with p.reading(services) as conn:
        row = await conn.fetchrow(
            "SELECT version, summary FROM plan_views WHERE plan_id = $1", plan_id
        )
        if row is None:
            return None
        rows = await conn.fetch(
            "SELECT item_id, number, kind, registered_name, sheet FROM item_views "
            "WHERE plan_id = $1",
            plan_id,
        )
    body = overview(
        row["summary"], [sheet_of(_entry(r), r["sheet"]) for r in rows], today_bangkok()
    )
    return body, row["version"]


async def promulgation_document(
    p: Principal, services: Services, plan_id: uuid.UUID, as_of: date | None
) -> dict[str, Any] | None:
    async with p.reading(services) as conn:
        data = await conn.fetchval(
            "SELECT data->'document' FROM events WHERE stream_id = $1 "
            "AND event_type = 'PlanPromulgated' AND ($2::timestamptz IS NULL OR recorded_at <= $2)"
            " ORDER BY sequence DESC LIMIT 1",
            plan_id,
            end_of_day(as_of) if as_of else None,
        )
    return data if isinstance(data, dict) and data.get("sha256") else None


def amount_text(value: Decimal | str | None) -> str:
    """An amount in the summary table's baht columns: '20,000', '1,234.50', '-' for none
    (None: a fiscal year the item does not run)."""
    if value is None:
        return "-"
    amount = Decimal(value)
    if amount == 0:
        return "-"
    return grouped(amount, places=0 if amount == amount.to_integral_value() else 2)


def with_texts(body: dict[str, Any]) -> tuple[dict[int, dict[str, str]], dict[str, str]]:
    """Each row's amounts as shown; the totals per dimension and overall."""
    per_dim: dict[int, dict[str, str]] = {}
    for dim in body["dimensions"]:
        sums = {str(y): Decimal(0) for y in body["fiscal_years"]}
        for sub in dim["sub_items"]:
            for row in sub["items"]:
                row["budget_text"] = {y: amount_text(a) for y, a in row["budget"].items()}
                for y in sums:
                    sums[y] += Decimal(row["budget"][y] or 0)
        per_dim[dim["number"]] = {y: amount_text(a) for y, a in sums.items()}
    grand = {y: amount_text(a) for y, a in body["budget_totals"].items()}
    return per_dim, grand


# -- the page ---------------------------------------------------------------------------------


class PlanPages(Controller):
    path = "/t/{org_code:str}"
    include_in_schema = False

    async def _org(self, services: Services, code: str) -> Org | None:
        return await lao_of(services, code)

    async def _page(
        self,
        services: Services,
        org: Org,
        viewer: Session,
        *,
        status: int = 200,
        plan_id: uuid.UUID | None = None,
        as_of: date | None = None,
        **extra: Any,
    ) -> Template:
        p = principal_of(viewer)
        today = today_bangkok()
        plans = await plans_as_of(p, services, as_of) if as_of else await list_plans(p, services)
        if plan_id is not None:
            chosen = next((s for s in plans if s["plan_id"] == str(plan_id)), None)
            if chosen is None:
                return not_found("ไม่พบแผนนี้")
        else:
            chosen = current_of(plans, as_of or today)
        body, version, document = None, 0, None
        if chosen is not None:
            found = await plan_overview(p, services, uuid.UUID(chosen["plan_id"]), as_of)
            if found is None:
                return not_found("ไม่พบแผนนี้")
            body, version = found
            document = await promulgation_document(p, services, uuid.UUID(body["plan_id"]), as_of)
        totals_text, grand_text = with_texts(body) if body else ({}, {})
        current = current_of(plans, as_of or today)
        can_write = as_of is None and viewer.role in WRITE_ROLES
        title = body["title"] if body else "แผนปฏิบัติการป้องกันการทุจริต"
        return page(
            "plan.html",
            status,
            session=viewer,
            org=org,
            title=title,
            plans=plans,
            current_id=current["plan_id"] if current else None,
            plan=body,
            version=extra.pop("version", version),
            document=document,
            totals_text=totals_text,
            grand_text=grand_text,
            kind_th={k: t for k, t in KINDS},
            form_key=secrets.token_urlsafe(16),
            open_form=extra.pop("open_form", ""),
            as_of=as_of,
            today=today,
            current_fy=fiscal_year(today),
            can_write=can_write,
            can_promulgate=as_of is None and viewer.role in EXECUTIVE,
            offer_draft=can_write and not any(s["last_year"] >= fiscal_year(today) for s in plans),
            kinds=KINDS,
            status_th=STATUS_TH,
            form=extra.pop("form", {}),
            notice=extra.pop("notice", ""),
            **extra,
        )

    @get("/plan")
    async def plan_page(
        self,
        org_code: FromPath[str],
        request: AnyRequest,
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Template:
        org = await self._org(services, org_code)
        if org is None:
            return not_found()
        q = request.query_params
        try:
            as_of = parse_as_of(q.get("as_of"), today_bangkok())
        except BadAsOf as e:
            return bad_as_of(org, viewer, str(e))
        plan_id = None
        if q.get("plan"):
            try:
                plan_id = uuid.UUID(str(q.get("plan"))[:40])
            except ValueError:
                return not_found("ไม่พบแผนนี้")
        notice = {
            "added": "เพิ่มรายการในแผนแล้ว",
            "drafted": "สร้างร่างแผนแล้ว เพิ่มรายการของแผนได้ที่แบบฟอร์มด้านล่าง",
            "promulgated": "บันทึกการประกาศใช้แผนแล้ว",
        }.get(str(q.get("done", "")), "")
        return await self._page(services, org, viewer, plan_id=plan_id, as_of=as_of, notice=notice)

    # -- writing ------------------------------------------------------------------------------

    def _context(self, viewer: Session, form: Any, what: str) -> Context:
        """The command's context; the form's one-time key makes a double submit harmless."""
        key = text(form, "form_key", 80)
        p = principal_of(viewer)
        typed = "\n".join(
            f"{k}={text(form, k, 600)}" for k in sorted(form.keys()) if k != "csrf_token"
        )
        fingerprint = hashlib.sha256(f"{what}\n{typed}".encode()).digest() if key else None
        return Context(
            p.tenant_id,
            p.actor,
            f"page:{what}:{key}" if key else None,
            request_id_var.get(),
            fingerprint,
        )

    @post("/plan", status_code=200)
    async def draft_plan(
        self,
        org_code: FromPath[str],
        request: AnyRequest,
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Template | Redirect:
        org = await self._org(services, org_code)
        if org is None:
            return not_found()
        form = await posted(request, viewer)
        if viewer.role not in WRITE_ROLES:
            return refused(org, viewer)
        typed = {k: text(form, k, 500) for k in ("title", "first_year", "last_year")}
        errors: dict[str, str] = {}
        years: dict[str, int] = {}
        if not typed["title"]:
            errors["title"] = "กรุณากรอกชื่อแผน"
        for k, what in (("first_year", "ปีงบประมาณแรก"), ("last_year", "ปีงบประมาณสุดท้าย")):
            raw = arabic_digits(typed[k])
            if not raw.isdigit() or not (2400 <= int(raw) <= 2700):
                errors[k] = f"กรุณากรอก{what}เป็นปี พ.ศ. 4 หลัก เช่น {fiscal_year(today_bangkok())}"
            else:
                years[k] = int(raw)
        if not errors and years["last_year"] < years["first_year"]:
            errors["last_year"] = "ปีงบประมาณสุดท้ายต้องไม่ก่อนปีงบประมาณแรก"
        if not errors:
            ctx = self._context(viewer, form, "draft")
            plan_id = (
                uuid.uuid5(uuid.NAMESPACE_URL, f"{ctx.tenant_id}:{ctx.idempotency_key}")
                if ctx.idempotency_key
                else uuid.uuid4()
            )
            cmd = c.DraftPlan(plan_id, typed["title"], years["first_year"], years["last_year"])
            try:
                await handle_draft_plan(EventSourcedRepository(services.store), ctx, cmd)
            except InvalidYears as e:
                errors["last_year"] = e.message
            except DomainError as e:
                errors[str(e.details.get("field", "title"))] = e.message
            else:
                return Redirect(f"/t/{org.code}/plan?plan={plan_id}&done=drafted", status_code=303)
        return await self._page(services, org, viewer, status=400, errors=errors, form=typed)

    @post("/plan/{plan_id:uuid}/items", status_code=200)
    async def add_item(
        self,
        org_code: FromPath[str],
        plan_id: FromPath[uuid.UUID],
        request: AnyRequest,
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Template | Redirect:
        org = await self._org(services, org_code)
        if org is None:
            return not_found()
        form = await posted(request, viewer)
        if viewer.role not in WRITE_ROLES:
            return refused(org, viewer)
        typed = {k: text(form, k, 500) for k in ("number", "kind", "name")}
        typed["number"] = arabic_digits(typed["number"]).replace(" ", "")
        errors: dict[str, str] = {}
        if not typed["number"]:
            errors["number"] = "กรุณากรอกเลขที่รายการ เช่น 2.1.2"
        if typed["kind"] not in {k for k, _ in KINDS}:
            errors["kind"] = "กรุณาเลือกประเภท: โครงการ กิจกรรม หรือมาตรการ"
        if not typed["name"]:
            errors["name"] = "กรุณากรอกชื่อโครงการ/กิจกรรม/มาตรการ"
        status = 400
        if not errors:
            ctx = self._context(viewer, form, "item")
            item_id = (
                uuid.uuid5(uuid.NAMESPACE_URL, f"{ctx.tenant_id}:{ctx.idempotency_key}")
                if ctx.idempotency_key
                else uuid.uuid4()
            )
            cmd = c.AddItem(
                plan_id, item_id, typed["number"], ItemKind(typed["kind"]), typed["name"]
            )
            try:
                await handle_plan_command(
                    EventSourcedRepository(services.store),
                    ctx,
                    cmd,
                    if_match=version_of(form),
                )
            except NotFound:
                return not_found("ไม่พบแผนนี้")
            except ConcurrencyConflict:
                errors["add-item"], status = CONFLICT, 409
            except (ItemNumberTaken, UnknownSubItem, InvalidItemNumber) as e:
                errors["number"] = e.message
                status = 409 if isinstance(e, ItemNumberTaken) else 400
            except (PlanClosed, PlanNotDraft) as e:
                errors["add-item"], status = e.message, 409
            except DomainError as e:
                errors[str(e.details.get("field", "add-item"))] = e.message
            else:
                return Redirect(
                    f"/t/{org.code}/plan?plan={plan_id}&done=added#item-{item_id}",
                    status_code=303,
                )
        return await self._page(
            services,
            org,
            viewer,
            status=status,
            plan_id=plan_id,
            errors=errors,
            form=typed,
            open_form="add-item",
        )

    @post(
        "/plan/{plan_id:uuid}/promulgation",
        status_code=200,
        request_max_body_size=MAX_EVIDENCE_BYTES + 1024 * 1024,
    )
    async def promulgate(
        self,
        org_code: FromPath[str],
        plan_id: FromPath[uuid.UUID],
        request: AnyRequest,
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Template | Redirect:
        org = await self._org(services, org_code)
        if org is None:
            return not_found()
        form = await posted(request, viewer)
        if viewer.role not in EXECUTIVE:
            return refused(org, viewer)
        typed = {k: text(form, k, 500) for k in ("on", "executive")}
        errors: dict[str, str] = {}
        on: date | None = None
        try:
            on = date.fromisoformat(arabic_digits(typed["on"]))
        except ValueError:
            errors["on"] = "กรุณาระบุวันที่ประกาศใช้แผน"
        if on is not None and on > today_bangkok():
            errors["on"] = "วันที่ประกาศใช้ต้องไม่เลยวันนี้"
        if not typed["executive"]:
            errors["executive"] = "กรุณากรอกชื่อหรือตำแหน่งผู้บริหารที่ลงนามประกาศใช้"
        upload = form.get("document")
        document: Evidence | None = None
        if isinstance(upload, UploadFile) and upload.filename:
            content = await upload.read()
            if content:
                media_type = sniff_media_type(content)
                if media_type is None:
                    errors["document"] = "ไฟล์ประกาศต้องเป็น PDF, JPEG, PNG, DOCX หรือ XLSX"
                elif not errors:
                    document = await store_file(
                        services, viewer, upload.filename, content, media_type
                    )
        status = 400
        if not errors and on is not None:
            cmd = c.PromulgatePlan(plan_id, on, typed["executive"], document)
            try:
                await handle_plan_command(
                    EventSourcedRepository(services.store),
                    self._context(viewer, form, "promulgate"),
                    cmd,
                    if_match=version_of(form),
                )
            except NotFound:
                return not_found("ไม่พบแผนนี้")
            except ConcurrencyConflict:
                errors["promulgate"], status = CONFLICT, 409
            except (EmptyPlan, PlanNotDraft, PlanClosed) as e:
                errors["promulgate"], status = e.message, 409
            except DomainError as e:
                errors[str(e.details.get("field", "promulgate"))] = e.message
            else:
                return Redirect(
                    f"/t/{org.code}/plan?plan={plan_id}&done=promulgated", status_code=303
                )
        return await self._page(
            services,
            org,
            viewer,
            status=status,
            plan_id=plan_id,
            errors=errors,
            form=typed,
            open_form="promulgate",
        )


def version_of(form: Any) -> int | None:
    raw = text(form, "version", 12)
    return int(raw) if raw.isdigit() else None


async def store_file(
    services: Services, viewer: Session, filename: str, content: bytes, media_type: str
) -> Evidence:
    """Keep an uploaded file as the API's evidence upload does (content-addressed)."""
    return await keep_evidence(
        services.db,
        services.files,
        uuid.UUID(viewer.tenant_id),
        file_name(filename, "ประกาศ"),
        content,
        media_type,
        viewer.email,
    )


def refused(org: Org, viewer: Session) -> Template:
    return page(
        "message.html",
        403,
        session=viewer,
        org=org,
        title="ทำรายการนี้ไม่ได้",
        message="บทบาทของคุณทำรายการนี้ไม่ได้ หากต้องการแก้ไขแผน กรุณาติดต่อเจ้าหน้าที่ผู้รับผิดชอบแผนหรือผู้บริหาร",
        link=f"/t/{org.code}/plan",
        link_text="กลับไปหน้าแผน",
    )


PAGES = (PlanPages,)
