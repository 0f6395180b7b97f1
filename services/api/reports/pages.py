"""Reports on the pages: the LAO's reports per round, "generate now" (a job the page follows
every 2 seconds with HTMX until it is done, then the download links), submit to the
provincial office."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, get, post
from litestar.di import NamedDependency as Dep
from litestar.di import Provide
from litestar.params import FromPath
from litestar.response import Redirect, Template

from domain.reporting.rounds import ReportingRound
from domain.shared.access import Action, Forbidden, may
from domain.shared.errors import DomainError, NotFound
from infra.auth.orgs import Org
from infra.auth.sessions import Session
from services.api.edge import actor_of_session
from services.api.pages.common import (
    AnyRequest,
    not_found,
    page,
    posted,
    provide_page_lao,
    refused,
    text,
)
from services.api.state import Services
from services.usecases import reports as usecase
from services.usecases.scope import Call

REFUSED = "บทบาทของคุณสร้างหรือส่งรายงานไม่ได้ กรุณาติดต่อผู้บริหารหรือเจ้าหน้าที่ผู้รับผิดชอบแผน"


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


def refusal(org: Org, viewer: Session) -> Template:
    return refused(org, viewer, REFUSED, f"/t/{org.code}/reports", "กลับไปหน้ารายงาน")


class ReportPages(Controller):
    path = "/t/{org_code:str}/reports"
    include_in_schema = False
    dependencies = {"org": Provide(provide_page_lao)}  # noqa: RUF012

    async def _list(
        self, services: Services, org: Org, viewer: Session, status: int = 200, **extra: Any
    ) -> Template:
        actor = actor_of_session(viewer)
        found = await usecase.reports_page(services, actor)
        extra.setdefault("form", {"round": found.last_closed.code})
        return page(
            "reports.html",
            status,
            session=viewer,
            org=org,
            title="รายงานผลการดำเนินงาน",
            rounds=grouped(found.rows),
            choices=found.choices,
            current=found.current,
            jobs=found.jobs,
            can_write=may(actor, Action.WRITE_REPORTS),
            **extra,
        )

    @get("/")
    async def show(self, org: Dep[Org], viewer: Dep[Session], services: Dep[Services]) -> Template:
        return await self._list(services, org, viewer)

    @post("/", status_code=200)
    async def generate(
        self,
        org: Dep[Org],
        request: AnyRequest,
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Template | Redirect:
        form = await posted(request, viewer)
        code = text(form, "round", 20)
        try:
            job = await usecase.request_report(services, actor_of_session(viewer), Call(), code)
        except Forbidden:
            return refusal(org, viewer)
        except usecase.InvalidRound as e:
            return await self._list(
                services, org, viewer, 400, errors={"round": e.message}, form={"round": code}
            )
        return Redirect(f"/t/{org.code}/reports/jobs/{job['id']}", status_code=303)

    @get("/jobs/{job_id:uuid}")
    async def job(
        self,
        org: Dep[Org],
        job_id: FromPath[uuid.UUID],
        request: AnyRequest,
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Template:
        actor = actor_of_session(viewer)
        try:
            found = await usecase.report_job(services, actor, job_id)
        except NotFound:
            return not_found()
        context: dict[str, Any] = {
            "job": found,
            "label": str(ReportingRound.parse(found["round"])),
            "can_write": may(actor, Action.WRITE_REPORTS),
        }
        if request.headers.get("hx-request"):
            return page("reports_job_status.html", session=viewer, org=org, **context)
        return page("reports_job.html", session=viewer, org=org, title="สร้างรายงาน", **context)

    @post("/{report_id:uuid}/submission", status_code=200)
    async def submit(
        self,
        org: Dep[Org],
        report_id: FromPath[uuid.UUID],
        request: AnyRequest,
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Template | Redirect:
        await posted(request, viewer)
        try:
            await usecase.submit_report(services, actor_of_session(viewer), Call(), report_id)
        except Forbidden:
            return refusal(org, viewer)
        except DomainError as e:
            if e.status == 404:
                return not_found()
            return await self._list(services, org, viewer, 409, errors={"reports": e.message})
        return Redirect(f"/t/{org.code}/reports?submitted=1", status_code=303)
