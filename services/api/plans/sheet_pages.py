"""The one-page sheet editor (/t/<org>/plan/<plan>/items/<item>/sheet): every heading of the
item's layout (ten or nine, the plan's template) on one page with one save (EditItemHeadings);
the length limits shown; what was typed kept on errors. After promulgation the same save is a
proposal (ProposeItemRevision) that the executive approves or returns on the item page."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date
from functools import partial
from typing import Any

from litestar import get, post
from litestar.di import NamedDependency as Dep
from litestar.params import FromPath
from litestar.response import Redirect, Template

from domain.plans import commands as c
from domain.plans.errors import UnknownItem
from domain.plans.events import ItemHeadingsEdited
from domain.plans.templates import MAX_LENGTHS
from domain.plans.views import changed_by_revision, sheet_headings
from domain.shared.access import REFUSED, Action, Forbidden, may
from domain.shared.errors import ConcurrencyConflict, DomainError, NotFound
from domain.shared.fiscal import arabic_digits
from services.api.edge import form_call
from services.api.pages.bedays import read_day, typed_day
from services.api.pages.common import not_found, text
from services.api.plans.forms import lines, version_of
from services.api.plans.item_pages import CONFLICT, ItemController, ItemPage, item_form
from services.usecases import items as usecase
from services.usecases.scope import today

TEXTS = ("name", "rationale", "objectives", "targets", "area", "responsible_unit")
LISTS = ("objectives", "targets")
# Headings written elsewhere on the item page (its own forms): where to go for them.
ELSEWHERE = {f: f"heading-{f}" for f in ("steps", "budget", "indicators")}


def only_changes(edit: ItemHeadingsEdited, sheet: dict[str, Any]) -> ItemHeadingsEdited:
    """``edit`` with the headings the sheet already holds left out (None: unchanged)."""
    same = {
        k: None
        for k in (*TEXTS, "fiscal_years")
        if (v := getattr(edit, k)) is not None
        and (tuple(v) if isinstance(v, tuple) else v)
        == (tuple(sheet.get(k) or ()) if isinstance(v, tuple) else (sheet.get(k) or ""))
    }
    return replace(edit, **same)


def returned_proposal(revisions: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The item's last revision when the executive returned it and nothing waits since: its
    proposed text goes back into the sheet editor."""
    if revisions and revisions[-1]["status"] == "returned":
        return revisions[-1]
    return None


async def render_sheet(
    ip: ItemPage,
    *,
    status: int = 200,
    typed: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
) -> Template:
    try:
        loaded = await usecase.item_sheet_of(ip.services, ip.actor, ip.plan_id, ip.item_id, None)
    except (NotFound, UnknownItem):
        return not_found("ไม่พบรายการนี้")
    sheet, plan = loaded.sheet, loaded.plan
    values: dict[str, Any] = {
        k: "\n".join(sheet[k]) if k in LISTS else sheet[k] or "" for k in TEXTS
    }
    values["fiscal_years"] = [str(y) for y in sheet["fiscal_years"]]
    returned = returned_proposal(sheet["revisions"]) if typed is None else None
    if returned is not None:  # the clerk edits what was proposed, not a blank form
        for k, v in returned["changes"].items():
            values[k] = (
                [str(y) for y in v] if k == "fiscal_years" else ("\n".join(v) if k in LISTS else v)
            )
        values["reason"] = returned["reason"]
    values |= typed or {}
    return ip.visit.render(
        "item_sheet.html",
        status,
        title=f"แก้ไขรายละเอียดโครงการ {sheet['number']}",
        sheet=sheet,
        plan=plan,
        headings=sheet_headings(plan.get("template_id") or "2561-2564"),
        elsewhere=ELSEWHERE,
        years=loaded.years,
        values=values,
        limits=MAX_LENGTHS,
        errors=errors or {},
        version=loaded.version,
        url=ip.url,
        proposal=changed_by_revision(plan, ip.item_id),
        returned=returned,
        can_edit=plan.get("status") != "closed" and may(ip.actor, Action.EDIT_PLAN),
        form_key=uuid.uuid4().hex,
    )


class SheetPages(ItemController):
    @get("/sheet")
    async def sheet(self, ip: Dep[ItemPage]) -> Template:
        return await render_sheet(ip)

    @post("/sheet", status_code=200)
    async def save_sheet(self, ip: Dep[ItemPage]) -> Template | Redirect:
        form = await ip.visit.form()
        if not may(ip.actor, Action.EDIT_PLAN):
            return ip.refused("sheet", Forbidden(REFUSED))
        # Read generously (the limits are the domain's, its message names them).
        typed: dict[str, Any] = {k: text(form, k, 50_000) for k in TEXTS}
        typed["reason"] = text(form, "reason", 2000)
        raw_years = [arabic_digits(str(y))[:6] for y in form.getall("fiscal_years", [])]
        typed["fiscal_years"] = raw_years
        errors: dict[str, str] = {}
        if not typed["name"]:
            errors["name"] = "กรุณากรอกชื่อโครงการ/กิจกรรม/มาตรการ"
        if not raw_years or not all(y.isdigit() for y in raw_years):
            errors["fiscal_years"] = "กรุณาเลือกปีงบประมาณที่ดำเนินการอย่างน้อย 1 ปี"
        loaded = await usecase.item_sheet_of(ip.services, ip.actor, ip.plan_id, ip.item_id, None)
        proposal = changed_by_revision(loaded.plan, ip.item_id)
        if proposal and not typed["reason"]:
            errors["reason"] = "กรุณาระบุเหตุผลที่ขอแก้ไข (ผู้บริหารจะพิจารณาอนุมัติ)"
        if errors:
            return await render_sheet(ip, status=400, typed=typed, errors=errors)
        edit = ItemHeadingsEdited(
            name=typed["name"],
            rationale=typed["rationale"],
            objectives=lines(typed["objectives"]),
            targets=lines(typed["targets"]),
            area=typed["area"],
            fiscal_years=tuple(sorted({int(y) for y in raw_years})),
            responsible_unit=typed["responsible_unit"],
        )
        cmd: c.EditItemHeadings | c.ProposeItemRevision
        if proposal:  # the executive is asked about what changes only
            edit = only_changes(edit, loaded.sheet)
            actor = ip.actor
            cmd = c.ProposeItemRevision(
                ip.plan_id,
                ip.item_id,
                uuid.uuid4(),
                edit,
                typed["reason"],
                actor.role,
                actor.email,
            )
        else:
            cmd = c.EditItemHeadings(ip.plan_id, ip.item_id, edit)
        call = form_call(form, "item:sheet", version_of(form))
        status = 400
        try:
            await usecase.item_command(ip.services, ip.actor, call, cmd)
        except Forbidden as e:
            return ip.refused("sheet", e)
        except NotFound:
            return not_found("ไม่พบรายการนี้")
        except ConcurrencyConflict:
            errors["sheet"], status = CONFLICT, 409
        except DomainError as e:
            field = str(e.details.get("field", "sheet"))
            errors[field if field in (*TEXTS, "fiscal_years", "reason") else "sheet"] = e.message
            status = e.status if e.status in (409,) else 400
        else:
            done = "proposed" if proposal else "saved"
            return Redirect(f"{ip.url}?done={done}", status_code=303)
        return await render_sheet(ip, status=status, typed=typed, errors=errors)


REVISION_ACTIONS = ("approve", "return")


class RevisionPages(ItemController):
    @post("/revisions/{revision_id:uuid}/{act:str}")
    async def decide(
        self, ip: Dep[ItemPage], revision_id: FromPath[uuid.UUID], act: FromPath[str]
    ) -> Template | Redirect:
        """The executive approves a proposed revision (from the day typed) or returns it with
        the reason; the sheet changes only on approval."""
        a = f"rev-{revision_id}-{act}"
        known = act in REVISION_ACTIONS
        probe = partial(c.ReturnItemRevision, revision_id=revision_id, reason="", role="", by="")
        form, _ = await item_form(ip, probe, a, known=known)
        actor = ip.actor
        typed: dict[str, Any] = {f"{a}-reason": text(form, "reason", 2000)}
        typed[f"{a}-on"] = typed_day(form, "on")
        errors: dict[str, str] = {}
        cmd: c.ApproveItemRevision | c.ReturnItemRevision
        if act == "approve":
            on, problem = read_day(
                typed[f"{a}-on"], "วันที่อนุมัติ", today(ip.services.clock), past_only=True
            )
            if problem:
                errors[f"{a}-on"] = problem
            cmd = c.ApproveItemRevision(
                ip.plan_id, ip.item_id, revision_id, on or date.min, actor.role, actor.email
            )
        else:
            if not typed[f"{a}-reason"]:
                errors[f"{a}-reason"] = "กรุณาระบุเหตุผลที่ส่งคืน เพื่อให้เจ้าหน้าที่แก้ไขได้ตรงจุด"
            cmd = c.ReturnItemRevision(
                ip.plan_id, ip.item_id, revision_id, typed[f"{a}-reason"], actor.role, actor.email
            )
        if errors:
            return await ip.render(status=400, errors=errors, typed=typed, open_form=a)
        return await ip.run(
            form,
            cmd,
            f"revision-{act}",
            anchor=a,
            fields={"reason": f"{a}-reason"},
            typed=typed,
            done="approved" if act == "approve" else "returned",
        )
