"""The plan page: the official summary table of the tenant's plan, drafting a plan, adding an
item, promulgating; and the same table "as of" the end of a past day (read-only)."""

from __future__ import annotations

import secrets
import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from litestar import get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency as Dep
from litestar.params import FromPath
from litestar.response import Redirect, Template

from domain.plans import commands as c
from domain.plans.errors import (
    EmptyPlan,
    IncompleteItems,
    InvalidItemNumber,
    InvalidYears,
    ItemNumberTaken,
    PlanClosed,
    PlanNotDraft,
    PlanYearsNotOver,
    UnknownSubItem,
)
from domain.plans.templates import NEWEST_TEMPLATE_ID, TEMPLATES
from domain.plans.values import Evidence, ItemKind
from domain.shared.access import Action, Forbidden, may
from domain.shared.errors import ConcurrencyConflict, DomainError, NotFound
from domain.shared.fiscal import arabic_digits, fiscal_year
from domain.shared.thai import grouped
from infra.evidence import file_name
from infra.files import sniff_media_type
from services.api.edge import form_call, new_aggregate_id
from services.api.pages.bedays import read_day, typed_day
from services.api.pages.common import ONE_FILE_FORM, not_found, text
from services.api.pages.visit import LaoPages, Refusal, Visit
from services.api.plans.forms import message_page, parse_as_of, refused, version_of
from services.usecases import plans as usecase
from services.usecases.items import keep_file
from services.usecases.plans import current_of
from services.usecases.scope import authorize

KINDS = [(k.value, k.thai) for k in ItemKind]
TOO_OLD = "วันที่ที่ระบุเก่าเกินไป"
STATUS_TH = {"draft": "ร่าง", "promulgated": "ประกาศใช้แล้ว", "closed": "ปิดแผนแล้ว"}
CONFLICT = (
    "มีผู้อื่นบันทึกการเปลี่ยนแปลงแผนนี้ก่อนคุณ ระบบจึงยังไม่ได้บันทึกสิ่งที่คุณกรอก "
    "ตารางด้านล่างเป็นข้อมูลล่าสุดแล้ว กรุณาตรวจสอบแล้วกดบันทึกอีกครั้ง"
)


def bad_as_of(visit: Visit, message: str) -> Template:
    link = visit.url("/plan")
    title = "แสดงข้อมูลย้อนหลังไม่ได้"
    return message_page(visit.org, visit.viewer, 400, title, message, link, "กลับไปดูแผนปัจจุบัน")


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


class PlanPages(LaoPages):
    async def _page(
        self,
        visit: Visit,
        *,
        status: int = 200,
        plan_id: uuid.UUID | None = None,
        as_of: date | None = None,
        **extra: Any,
    ) -> Template:
        services, actor, on = visit.services, visit.actor, visit.today
        if as_of:
            plans = await usecase.plans_as_of(services, actor, as_of)
        else:
            plans = await usecase.plans(services, actor)
        if plan_id is not None:
            chosen = next((s for s in plans if s["plan_id"] == str(plan_id)), None)
            if chosen is None:
                return not_found("ไม่พบแผนนี้")
        else:
            chosen = current_of(plans, as_of or on)
        body, version, document = None, 0, None
        if chosen is not None:
            try:
                found = await usecase.plan_overview(
                    services, actor, uuid.UUID(chosen["plan_id"]), as_of
                )
            except NotFound:
                return not_found("ไม่พบแผนนี้")
            body, version = found.data(), found.version
            document = await usecase.promulgation_document(
                services, actor, uuid.UUID(body["plan_id"]), as_of
            )
        totals_text, grand_text = with_texts(body) if body else ({}, {})
        current = current_of(plans, as_of or on)
        can_write = as_of is None and may(actor, Action.EDIT_PLAN)
        title = body["title"] if body else "แผนปฏิบัติการป้องกันการทุจริต"
        return visit.render(
            "plan.html",
            status,
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
            today=on,
            current_fy=fiscal_year(on),
            can_write=can_write,
            can_promulgate=as_of is None and may(actor, Action.PROMULGATE_PLAN),
            offer_draft=can_write and not any(s["last_year"] >= fiscal_year(on) for s in plans),
            kinds=KINDS,
            status_th=STATUS_TH,
            form=extra.pop("form", {}),
            templates=list(TEMPLATES.values()),
            newest_template=NEWEST_TEMPLATE_ID,
            notice=extra.pop("notice", ""),
            **extra,
        )

    @get("/plan")
    async def plan_page(self, visit: Dep[Visit]) -> Template:
        as_of, problem = parse_as_of(visit.request.query_params, visit.today, TOO_OLD)
        if problem:
            return bad_as_of(visit, problem)
        plan_id = None
        if visit.query("plan"):
            try:
                plan_id = uuid.UUID(visit.query("plan")[:40])
            except ValueError:
                return not_found("ไม่พบแผนนี้")
        notice = visit.notice(
            {
                "added": "เพิ่มรายการในแผนแล้ว",
                "drafted": "สร้างร่างแผนแล้ว เพิ่มรายการของแผนได้ที่แบบฟอร์มด้านล่าง",
                "promulgated": "บันทึกการประกาศใช้แผนแล้ว",
                "closed": "ปิดแผนแล้ว แผนนี้อ่านได้อย่างเดียว",
                "current": "ตั้งเป็นแผนที่ใช้อยู่ในปัจจุบันแล้ว",
            }
        )
        return await self._page(visit, plan_id=plan_id, as_of=as_of, notice=notice)

    # -- writing ------------------------------------------------------------------------------

    @post("/plan", status_code=200)
    async def draft_plan(self, visit: Dep[Visit]) -> Template | Redirect:
        form = await opened(visit, Action.EDIT_PLAN)
        actor = visit.actor
        keys = ("title", "first_year", "last_year", "template")
        typed = {k: text(form, k, 500) for k in keys}
        errors: dict[str, str] = {}
        years: dict[str, int] = {}
        if not typed["title"]:
            errors["title"] = "กรุณากรอกชื่อแผน"
        if typed["template"] and typed["template"] not in TEMPLATES:
            errors["template"] = "กรุณาเลือกแม่แบบแผน (รอบของแผน)"
        for k, what in (("first_year", "ปีงบประมาณแรก"), ("last_year", "ปีงบประมาณสุดท้าย")):
            raw = arabic_digits(typed[k])
            if not raw.isdigit() or not (2400 <= int(raw) <= 2700):
                errors[k] = f"กรุณากรอก{what}เป็นปี พ.ศ. 4 หลัก เช่น {fiscal_year(visit.today)}"
            else:
                years[k] = int(raw)
        if not errors and years["last_year"] < years["first_year"]:
            errors["last_year"] = "ปีงบประมาณสุดท้ายต้องไม่ก่อนปีงบประมาณแรก"
        if not errors:
            call = form_call(form, "draft")
            plan_id = new_aggregate_id(actor, call)
            cmd = c.DraftPlan(
                plan_id,
                typed["title"],
                years["first_year"],
                years["last_year"],
                template_id=typed["template"] or None,  # None: the round of the years
            )
            try:
                await usecase.draft_plan(visit.services, actor, call, cmd)
            except InvalidYears as e:
                errors["last_year"] = e.message
            except DomainError as e:
                errors[str(e.details.get("field", "title"))] = e.message
            else:
                return visit.see_other(f"/plan?plan={plan_id}&done=drafted")
        return await self._page(visit, status=400, errors=errors, form=typed)

    async def _run(
        self,
        visit: Visit,
        form: Any,
        plan_id: uuid.UUID,
        cmd: c.AddItem | c.PromulgatePlan | c.ClosePlan | c.MakePlanCurrent | None,
        errors: dict[str, str],
        typed: dict[str, str],
        anchor: str,
        done: str,
    ) -> Template | Redirect:
        """Run a command on the plan (None: what was typed is wrong); its rule's message goes
        beside its field; a conflict is explained; what was typed stays in the form."""
        status = 400
        if cmd is not None and not errors:
            status = await self._command(visit, form, cmd, errors, anchor)
            if not errors:
                if anchor == "add-item":  # on to the new item's page, to fill its headings
                    item = done.split("#item-")[-1]
                    return visit.see_other(f"/plan/{plan_id}/items/{item}?done=added")
                return visit.see_other(f"/plan?plan={plan_id}&done={done}")
            if status == 404:
                return not_found("ไม่พบแผนนี้")
        return await self._page(
            visit,
            status=status,
            plan_id=plan_id,
            errors=errors,
            form=typed,
            open_form=anchor,
        )

    async def _command(
        self,
        visit: Visit,
        form: Any,
        cmd: c.AddItem | c.PromulgatePlan | c.ClosePlan | c.MakePlanCurrent,
        errors: dict[str, str],
        anchor: str,
    ) -> int:
        """The status of the page to show again; ``errors`` says what is wrong (none: done)."""
        status = 400
        call = form_call(form, "item" if anchor == "add-item" else anchor, version_of(form))
        try:
            await usecase.plan_command(visit.services, visit.actor, call, cmd)
        except NotFound as e:
            errors[anchor], status = e.message, 404
        except ConcurrencyConflict:
            errors[anchor], status = CONFLICT, 409
        except (ItemNumberTaken, UnknownSubItem, InvalidItemNumber) as e:
            errors["number"] = e.message
            status = 409 if isinstance(e, ItemNumberTaken) else 400
        except (PlanClosed, PlanNotDraft, EmptyPlan, IncompleteItems, PlanYearsNotOver) as e:
            errors[anchor], status = e.message, 409
        except DomainError as e:
            errors[str(e.details.get("field", anchor))] = e.message
        return status

    @post("/plan/{plan_id:uuid}/items", status_code=200)
    async def add_item(
        self, visit: Dep[Visit], plan_id: FromPath[uuid.UUID]
    ) -> Template | Redirect:
        form = await opened(visit, Action.EDIT_PLAN)
        typed = {k: text(form, k, 500) for k in ("number", "kind", "name")}
        typed["number"] = arabic_digits(typed["number"]).replace(" ", "")
        errors: dict[str, str] = {}
        if not typed["number"]:
            errors["number"] = "กรุณากรอกเลขที่รายการ เช่น 2.1.2"
        if typed["kind"] not in {k for k, _ in KINDS}:
            errors["kind"] = "กรุณาเลือกประเภท: โครงการ กิจกรรม หรือมาตรการ"
        if not typed["name"]:
            errors["name"] = "กรุณากรอกชื่อโครงการ/กิจกรรม/มาตรการ"
        item_id = new_aggregate_id(visit.actor, form_call(form, "item"))
        cmd = None
        if not errors:
            kind = ItemKind(typed["kind"])
            cmd = c.AddItem(plan_id, item_id, typed["number"], kind, typed["name"])
        done = f"added#item-{item_id}"
        return await self._run(visit, form, plan_id, cmd, errors, typed, "add-item", done)

    @post("/plan/{plan_id:uuid}/promulgation", status_code=200, request_max_body_size=ONE_FILE_FORM)
    async def promulgate(
        self, visit: Dep[Visit], plan_id: FromPath[uuid.UUID]
    ) -> Template | Redirect:
        form = await opened(visit, Action.PROMULGATE_PLAN)
        typed: dict[str, Any] = {"executive": text(form, "executive", 500)}
        typed["on"] = typed_day(form, "on")
        errors: dict[str, str] = {}
        on, problem = read_day(typed["on"], "วันที่ประกาศใช้", visit.today, past_only=True)
        if problem:
            errors["on"] = problem
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
                    name = file_name(upload.filename, "ประกาศ")
                    document = await keep_file(
                        visit.services,
                        visit.actor,
                        name,
                        content,
                        media_type,
                        Action.PROMULGATE_PLAN,
                    )
        cmd = None
        if on is not None:
            cmd = c.PromulgatePlan(plan_id, on, typed["executive"], document, check_headings=True)
        return await self._run(
            visit, form, plan_id, cmd, errors, typed, "promulgate", "promulgated"
        )

    @post("/plan/{plan_id:uuid}/{act:str}", status_code=200)
    async def close_or_make_current(
        self, visit: Dep[Visit], plan_id: FromPath[uuid.UUID], act: FromPath[str]
    ) -> Template | Redirect:
        """Close a plan whose years have ended (the executive), or make a plan the current
        one (the plan officer or the executive), from the day typed (วัน / เดือน / ปี พ.ศ.)."""
        if act not in ("closure", "current"):
            return not_found()
        action = Action.PROMULGATE_PLAN if act == "closure" else Action.EDIT_PLAN
        form = await opened(visit, action)
        name = f"{act}-on"
        typed: dict[str, Any] = {name: typed_day(form, "on")}
        what = "วันที่ปิดแผน" if act == "closure" else "วันที่เริ่มใช้แผน"
        on, problem = read_day(typed[name], what, visit.today)
        errors: dict[str, str] = {name: problem} if problem else {}
        cmd: c.ClosePlan | c.MakePlanCurrent | None = None
        if on is not None:
            cmd = c.ClosePlan(plan_id, on) if act == "closure" else c.MakePlanCurrent(plan_id, on)
        done = "closed" if act == "closure" else "current"
        return await self._run(visit, form, plan_id, cmd, errors, typed, act, done)


async def opened(visit: Visit, action: Action) -> Any:
    """The form of a plan's POST; the refusal page instead when the role may not ``action``
    (before anything typed is looked at)."""
    form = await visit.form()
    try:
        authorize(visit.actor, action)
    except Forbidden as e:
        raise Refusal(refused(visit.org, visit.viewer, visit.url("/plan"), e, what="แผน")) from e
    return form
