"""Reports on the pages: the LAO's reports per round, "generate now" (a job the page follows
every 2 seconds with HTMX until it is done, then the download links), submit to the
provincial office."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, get, post
from litestar.di import NamedDependency as Dep
from litestar.exceptions import ValidationException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from domain.reporting.rounds import ReportingRound, current_round, last_closed_round
from domain.shared.errors import DomainError
from domain.shared.fiscal import fiscal_year
from infra.auth.orgs import Org
from infra.auth.sessions import Session
from infra.db.pool import tenant_transaction
from services.api.pages.common import AnyRequest, lao_of, not_found, page, posted, text
from services.api.state import Services
from services.api.v1.auth import WRITE_ROLES, principal_of
from services.api.v1.common import today_bangkok
from services.api.v1.reports import (
    REPORT_COLUMNS,
    parse_round,
    read_job,
    request_report,
    submit_report,
)


def round_choices() -> list[ReportingRound]:
    """The rounds that have begun, of this fiscal year and the four before, latest first."""
    today = today_bangkok()
    fy = fiscal_year(today)
    rounds = [
        r
        for year in range(fy, fy - 5, -1)
        for r in (ReportingRound.parse(f"{year}-12"), ReportingRound.parse(f"{year}-6"))
        if r.start <= today
    ]
    return rounds


def grouped(rows: list[Any]) -> list[dict[str, Any]]:
    """Rows (one per file) as generations per round: {round, label, generations: [...]}."""
    rounds: dict[str, dict[str, Any]] = {}
    for r in rows:
        rnd = rounds.setdefault(
            r["round"],
            {"round": r["round"], "label": str(ReportingRound.parse(r["round"])), "gens": {}},
        )
        gen = rnd["gens"].setdefault(
            r["content_hash"],
            {
                "content_hash": r["content_hash"],
                "as_of": r["as_of"],
                "generated_at": r["generated_at"],
                "submitted_at": r["submitted_at"],
                "files": [],
            },
        )
        gen["files"].append(r)
    out = []
    for code in sorted(rounds, key=lambda c: ReportingRound.parse(c).sort_key, reverse=True):
        rnd = rounds[code]
        gens = sorted(rnd["gens"].values(), key=lambda g: g["generated_at"], reverse=True)
        out.append({**rnd, "generations": gens})
    return out


class ReportPages(Controller):
    path = "/t/{org_code:str}/reports"
    include_in_schema = False

    async def _org(self, services: Services, code: str) -> Org | None:
        return await lao_of(services, code)

    async def _list(
        self, services: Services, org: Org, viewer: Session, status: int = 200, **extra: Any
    ) -> Template:
        assert org.tenant_id is not None
        async with tenant_transaction(services.db, org.tenant_id, readonly=True) as conn:
            rows = await conn.fetch(
                f"SELECT {REPORT_COLUMNS} FROM reports ORDER BY round, generated_at, format"
            )
            pending = await conn.fetch(
                "SELECT id FROM report_jobs WHERE status IN ('queued', 'running') "
                "AND created_at > now() - interval '1 hour' ORDER BY created_at DESC LIMIT 5"
            )
            jobs = [await read_job(conn, j["id"]) for j in pending]
        today = today_bangkok()
        extra.setdefault("form", {"round": last_closed_round(today).code})
        return page(
            "reports.html",
            status,
            session=viewer,
            org=org,
            title="รายงานผลการดำเนินงาน",
            rounds=grouped(list(rows)),
            choices=round_choices(),
            current=current_round(today),
            jobs=[j for j in jobs if j],
            can_write=viewer.role in WRITE_ROLES,
            **extra,
        )

    @get("/")
    async def show(
        self, org_code: FromPath[str], viewer: Dep[Session], services: Dep[Services]
    ) -> Template:
        org = await self._org(services, org_code)
        if org is None:
            return not_found()
        return await self._list(services, org, viewer)

    @post("/", status_code=200)
    async def generate(
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
        code = text(form, "round", 20)
        try:
            rnd = parse_round(code)
        except ValidationException as e:
            return await self._list(
                services, org, viewer, 400, errors={"round": str(e.detail)}, form={"round": code}
            )
        job = await request_report(services, principal_of(viewer), rnd, uuid.uuid4())
        return Redirect(f"/t/{org.code}/reports/jobs/{job['id']}", status_code=303)

    @get("/jobs/{job_id:uuid}")
    async def job(
        self,
        org_code: FromPath[str],
        job_id: FromPath[uuid.UUID],
        request: AnyRequest,
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Template:
        org = await self._org(services, org_code)
        if org is None or org.tenant_id is None:
            return not_found()
        async with tenant_transaction(services.db, org.tenant_id, readonly=True) as conn:
            found = await read_job(conn, job_id)
        if found is None:
            return not_found()
        context: dict[str, Any] = {
            "job": found,
            "label": str(ReportingRound.parse(found["round"])),
            "can_write": viewer.role in WRITE_ROLES,
        }
        if request.headers.get("hx-request"):
            return page("reports_job_status.html", session=viewer, org=org, **context)
        return page("reports_job.html", session=viewer, org=org, title="สร้างรายงาน", **context)

    @post("/{report_id:uuid}/submission", status_code=200)
    async def submit(
        self,
        org_code: FromPath[str],
        report_id: FromPath[uuid.UUID],
        request: AnyRequest,
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Template | Redirect:
        org = await self._org(services, org_code)
        if org is None:
            return not_found()
        await posted(request, viewer)
        if viewer.role not in WRITE_ROLES:
            return refused(org, viewer)
        try:
            await submit_report(services, principal_of(viewer), request, report_id)
        except DomainError as e:
            if e.status == 404:
                return not_found()
            return await self._list(services, org, viewer, 409, errors={"reports": e.message})
        return Redirect(f"/t/{org.code}/reports?submitted=1", status_code=303)


def refused(org: Org, viewer: Session) -> Template:
    return page(
        "message.html",
        403,
        session=viewer,
        org=org,
        title="ทำรายการนี้ไม่ได้",
        message="บทบาทของคุณสร้างหรือส่งรายงานไม่ได้ กรุณาติดต่อผู้บริหารหรือเจ้าหน้าที่ผู้รับผิดชอบแผน",
        link=f"/t/{org.code}/reports",
        link_text="กลับไปหน้ารายงาน",
    )


PAGES = (ReportPages,)
