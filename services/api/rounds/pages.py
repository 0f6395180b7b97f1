"""The round table on the pages: every item of a round on one screen, plain inputs in a
table, one save; the implementation rate with its national colour and what the round still
lacks."""

from __future__ import annotations

import uuid

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency as Dep
from litestar.params import FromPath
from litestar.response import Redirect, Template

from domain.reporting.entries import CannotReason, RoundStatus, baht
from domain.shared.access import Action, Forbidden, may
from domain.shared.errors import DomainError, NotFound
from infra.auth.orgs import Org
from infra.auth.sessions import Session
from infra.documents.docx import DOCX_MEDIA_TYPE
from infra.documents.workbook import XLSX_MEDIA_TYPE
from services.api.edge import actor_of_session
from services.api.pages.common import AnyRequest, lao_of, not_found, page, posted
from services.api.reports.api import attachment
from services.api.rounds.forms import parse_entries
from services.api.state import Services
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


class RoundPages(Controller):
    path = "/t/{org_code:str}/rounds"
    include_in_schema = False

    @get("/")
    async def index(
        self, org_code: FromPath[str], viewer: Dep[Session], services: Dep[Services]
    ) -> Template:
        org = await lao_of(services, org_code)
        if org is None:
            return not_found()
        plans = await usecase.round_index(services, actor_of_session(viewer))
        return page(
            "rounds_index.html", session=viewer, org=org, title="รายงานผลรายรอบ", plans=plans
        )

    async def _sheet(
        self,
        services: Services,
        org: Org,
        viewer: Session,
        plan_id: uuid.UUID,
        round_code: str,
        status: int = 200,
        errors: dict[str, str] | None = None,
        typed: dict[str, str] | None = None,
        saved: bool = False,
    ) -> Template:
        actor = actor_of_session(viewer)
        try:
            view = await usecase.round_view(services, actor, plan_id, round_code)
        except (NotFound, InvalidRound):
            return not_found()
        return page(
            "rounds_sheet.html",
            status,
            session=viewer,
            org=org,
            title=f"รายงานผล {view.round}",
            view=view,
            typed=typed if typed is not None else typed_of(view),
            errors=errors or {},
            statuses=list(RoundStatus),
            reasons=list(CannotReason),
            can_write=may(actor, Action.WRITE_REPORTS),
            saved=saved,
        )

    @get("/{plan_id:uuid}/{round_code:str}")
    async def show(
        self,
        org_code: FromPath[str],
        plan_id: FromPath[uuid.UUID],
        round_code: FromPath[str],
        request: AnyRequest,
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Template:
        org = await lao_of(services, org_code)
        if org is None:
            return not_found()
        saved = request.query_params.get("saved") == "1"
        return await self._sheet(services, org, viewer, plan_id, round_code, saved=saved)

    @post("/{plan_id:uuid}/{round_code:str}", status_code=200)
    async def save(
        self,
        org_code: FromPath[str],
        plan_id: FromPath[uuid.UUID],
        round_code: FromPath[str],
        request: AnyRequest,
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Template | Redirect:
        org = await lao_of(services, org_code)
        if org is None:
            return not_found()
        actor = actor_of_session(viewer)
        form = await posted(request, viewer)
        try:
            view = await usecase.round_view(services, actor, plan_id, round_code)
        except (NotFound, InvalidRound):
            return not_found()
        entries, errors, typed = parse_entries(form, [r.item_id for r in view.rows])
        if errors:
            return await self._sheet(services, org, viewer, plan_id, round_code, 400, errors, typed)
        version = form.get("version", "")
        call = Call(
            if_match=int(version) if isinstance(version, str) and version.isdigit() else None
        )
        try:
            await usecase.record_round(services, actor, call, plan_id, round_code, entries)
        except Forbidden:
            return page(
                "message.html",
                403,
                session=viewer,
                org=org,
                title="ทำรายการนี้ไม่ได้",
                message=REFUSED,
                link=f"/t/{org.code}/rounds/{plan_id}/{round_code}",
                link_text="กลับไปหน้ารายงานรายรอบ",
            )
        except DomainError as e:
            status = 409 if e.status in (409, 412) else 400
            return await self._sheet(
                services, org, viewer, plan_id, round_code, status, {"sheet": e.message}, typed
            )
        return Redirect(f"/t/{org.code}/rounds/{plan_id}/{round_code}?saved=1", status_code=303)

    @get("/{plan_id:uuid}/{round_code:str}/{filename:str}")
    async def export(
        self,
        org_code: FromPath[str],
        plan_id: FromPath[uuid.UUID],
        round_code: FromPath[str],
        filename: FromPath[str],
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Response[bytes] | Template:
        org = await lao_of(services, org_code)
        fmt = filename.removeprefix("eplannacc.")
        if org is None or filename not in ("eplannacc.xlsx", "eplannacc.csv"):
            return not_found()
        try:
            found = await usecase.eplannacc_export(
                services, actor_of_session(viewer), plan_id, round_code, fmt
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


class DocumentPages(Controller):
    """A plan's official documents: its summary table as PDF and .docx."""

    path = "/t/{org_code:str}/documents"
    include_in_schema = False

    @get("/{plan_id:uuid}/{filename:str}")
    async def plan_table(
        self,
        org_code: FromPath[str],
        plan_id: FromPath[uuid.UUID],
        filename: FromPath[str],
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Response[bytes] | Template:
        org = await lao_of(services, org_code)
        if org is None or filename not in ("summary-table.pdf", "summary-table.docx"):
            return not_found()
        try:
            found = await documents.plan_table_file(
                services, actor_of_session(viewer), plan_id, filename.rsplit(".", 1)[1]
            )
        except NotFound:
            return not_found()
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
