"""The round table on the pages: every item of a round on one screen, plain inputs in a
table, one save; the implementation rate with its national colour and what the round still
lacks."""

from __future__ import annotations

import uuid

from litestar import Response, get, post
from litestar.di import NamedDependency as Dep
from litestar.params import FromPath
from litestar.response import Redirect, Template

from domain.reporting.entries import CannotReason, RoundStatus, baht
from domain.shared.access import Action, Forbidden, may
from domain.shared.errors import DomainError, NotFound
from infra.documents.docx import DOCX_MEDIA_TYPE
from infra.documents.workbook import XLSX_MEDIA_TYPE
from services.api.pages.common import not_found
from services.api.pages.visit import LaoPages, Visit
from services.api.reports.api import attachment
from services.api.rounds.forms import parse_entries
from services.usecases import documents
from services.usecases import rounds as usecase
from services.usecases.reports import InvalidRound
from services.usecases.scope import Call

REFUSED = "บทบาทของคุณบันทึกรายงานรายรอบไม่ได้ กรุณาติดต่อผู้บริหารหรือเจ้าหน้าที่ผู้รับผิดชอบแผน"


def typed_of(view: usecase.RoundView) -> dict[str, str]:
    """The inputs' values from what is recorded (the plan's budget when nothing is yet)."""
    out: dict[str, str] = {}
    for r in view.rows:
        e, i = r.entry, r.item_id
        out[f"budget_plan-{i}"] = baht(e.budget_plan if e else r.planned)
        out[f"budget_ordinance-{i}"] = baht(e.budget_ordinance) if e else ""
        out[f"disbursed-{i}"] = baht(e.disbursed) if e else ""
        out[f"in_ordinance-{i}"] = "1" if e and e.in_ordinance else ""
        out[f"in_operating_plan-{i}"] = "1" if e and e.in_operating_plan else ""
        out[f"status-{i}"] = e.status.value if e and e.status else ""
        out[f"reason-{i}"] = e.reason.value if e and e.reason else ""
        out[f"remark-{i}"] = e.remark if e else ""
    return out


class RoundPages(LaoPages):
    path = "/t/{org_code:str}/rounds"

    @get("/")
    async def index(self, visit: Dep[Visit]) -> Template:
        plans = await usecase.round_index(visit.services, visit.actor)
        return visit.render("rounds_index.html", title="รายงานผลรายรอบ", plans=plans)

    async def _sheet(
        self,
        visit: Visit,
        plan_id: uuid.UUID,
        round_code: str,
        status: int = 200,
        errors: dict[str, str] | None = None,
        typed: dict[str, str] | None = None,
        saved: bool = False,
    ) -> Template:
        try:
            view = await usecase.round_view(visit.services, visit.actor, plan_id, round_code)
        except (NotFound, InvalidRound):
            return not_found()
        return visit.render(
            "rounds_sheet.html",
            status,
            title=f"รายงานผล {view.round}",
            view=view,
            typed=typed if typed is not None else typed_of(view),
            errors=errors or {},
            statuses=list(RoundStatus),
            reasons=list(CannotReason),
            can_write=may(visit.actor, Action.WRITE_REPORTS),
            saved=saved,
        )

    @get("/{plan_id:uuid}/{round_code:str}")
    async def show(
        self, visit: Dep[Visit], plan_id: FromPath[uuid.UUID], round_code: FromPath[str]
    ) -> Template:
        saved = visit.query("saved") == "1"
        return await self._sheet(visit, plan_id, round_code, saved=saved)

    @post("/{plan_id:uuid}/{round_code:str}", status_code=200)
    async def save(
        self, visit: Dep[Visit], plan_id: FromPath[uuid.UUID], round_code: FromPath[str]
    ) -> Template | Redirect:
        actor = visit.actor
        form = await visit.form()
        try:
            view = await usecase.round_view(visit.services, actor, plan_id, round_code)
        except (NotFound, InvalidRound):
            return not_found()
        entries, errors, typed = parse_entries(form, [r.item_id for r in view.rows])
        if errors:
            return await self._sheet(visit, plan_id, round_code, 400, errors, typed)
        version = form.get("version", "")
        call = Call(
            if_match=int(version) if isinstance(version, str) and version.isdigit() else None
        )
        here = f"/rounds/{plan_id}/{round_code}"
        try:
            await usecase.record_round(visit.services, actor, call, plan_id, round_code, entries)
        except Forbidden:
            return visit.refused(REFUSED, visit.url(here), "กลับไปหน้ารายงานรายรอบ")
        except DomainError as e:
            status = 409 if e.status in (409, 412) else 400
            return await self._sheet(
                visit, plan_id, round_code, status, {"sheet": e.message}, typed
            )
        return visit.see_other(f"{here}?saved=1")

    @get("/{plan_id:uuid}/{round_code:str}/{filename:str}")
    async def export(
        self,
        visit: Dep[Visit],
        plan_id: FromPath[uuid.UUID],
        round_code: FromPath[str],
        filename: FromPath[str],
    ) -> Response[bytes] | Template:
        fmt = filename.removeprefix("eplannacc.")
        if filename not in ("eplannacc.xlsx", "eplannacc.csv"):
            return not_found()
        try:
            found = await usecase.eplannacc_export(
                visit.services, visit.actor, plan_id, round_code, fmt
            )
        except (NotFound, InvalidRound):
            return not_found()
        return export_response(found)


MEDIA = {
    "xlsx": XLSX_MEDIA_TYPE,
    "csv": "text/csv; charset=utf-8",
    "pdf": "application/pdf",
    "docx": DOCX_MEDIA_TYPE,
}


class DocumentPages(LaoPages):
    """A plan's official documents: its summary table as PDF and .docx."""

    path = "/t/{org_code:str}/documents"

    @get("/{plan_id:uuid}/{filename:str}")
    async def plan_table(
        self, visit: Dep[Visit], plan_id: FromPath[uuid.UUID], filename: FromPath[str]
    ) -> Response[bytes] | Template:
        if filename not in ("summary-table.pdf", "summary-table.docx"):
            return not_found()
        year = visit.query("year")  # the year's plan (แผนประจำปี) of one fiscal year
        try:
            found = await documents.plan_table_file(
                visit.services,
                visit.actor,
                plan_id,
                filename.rsplit(".", 1)[1],
                int(year) if year.isdigit() and len(year) == 4 else None,
            )
        except NotFound as e:
            return not_found(e.message)
        return export_response(found)


def export_response(found: usecase.Export) -> Response[bytes]:
    media = MEDIA[found.format]
    return Response(
        found.data,
        media_type=media,
        headers={
            "Content-Disposition": attachment(found.name_th, found.ascii_name, found.format),
            "Cache-Control": "private, no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )
