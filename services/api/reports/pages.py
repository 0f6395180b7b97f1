"""Reports on the pages: the LAO's reports per round, "generate now" (a job the page follows
every 2 seconds with HTMX until it is done, then the download links), submit to the
provincial office."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import get, post
from litestar.di import NamedDependency as Dep
from litestar.params import FromPath
from litestar.response import Redirect, Template

from domain.reporting.rounds import ReportingRound
from domain.shared.access import Action, Forbidden, may
from domain.shared.errors import DomainError, NotFound
from services.api.pages.common import not_found, text
from services.api.pages.visit import LaoPages, Visit
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


def refusal(visit: Visit) -> Template:
    return visit.refused(REFUSED, visit.url("/reports"), "กลับไปหน้ารายงาน")


class ReportPages(LaoPages):
    path = "/t/{org_code:str}/reports"

    async def _list(self, visit: Visit, status: int = 200, **extra: Any) -> Template:
        found = await usecase.reports_page(visit.services, visit.actor)
        extra.setdefault("form", {"round": found.last_closed.code})
        return visit.render(
            "reports.html",
            status,
            title="รายงานผลการดำเนินงาน",
            rounds=grouped(found.rows),
            choices=found.choices,
            current=found.current,
            jobs=found.jobs,
            can_write=may(visit.actor, Action.WRITE_REPORTS),
            **extra,
        )

    @get("/")
    async def show(self, visit: Dep[Visit]) -> Template:
        return await self._list(visit)

    @post("/", status_code=200)
    async def generate(self, visit: Dep[Visit]) -> Template | Redirect:
        form = await visit.form()
        code = text(form, "round", 20)
        try:
            job = await usecase.request_report(visit.services, visit.actor, Call(), code)
        except Forbidden:
            return refusal(visit)
        except usecase.InvalidRound as e:
            problem = {"round": e.message}
            return await self._list(visit, 400, errors=problem, form={"round": code})
        return visit.see_other(f"/reports/jobs/{job['id']}")

    @get("/jobs/{job_id:uuid}")
    async def job(self, visit: Dep[Visit], job_id: FromPath[uuid.UUID]) -> Template:
        try:
            found = await usecase.report_job(visit.services, visit.actor, job_id)
        except NotFound:
            return not_found()
        context: dict[str, Any] = {
            "job": found,
            "label": str(ReportingRound.parse(found["round"])),
            "can_write": may(visit.actor, Action.WRITE_REPORTS),
        }
        if visit.request.headers.get("hx-request"):
            return visit.render("reports_job_status.html", **context)
        return visit.render("reports_job.html", title="สร้างรายงาน", **context)

    @post("/{report_id:uuid}/submission", status_code=200)
    async def submit(
        self, visit: Dep[Visit], report_id: FromPath[uuid.UUID]
    ) -> Template | Redirect:
        await visit.form()
        try:
            await usecase.submit_report(visit.services, visit.actor, Call(), report_id)
        except Forbidden:
            return refusal(visit)
        except DomainError as e:
            if e.status == 404:
                return not_found()
            return await self._list(visit, 409, errors={"reports": e.message})
        return visit.see_other("/reports?submitted=1")
