"""/api/v1: progress reports of a round and a reviewer's provincial summaries."""

from __future__ import annotations

import uuid
from typing import Annotated, Any
from urllib.parse import quote

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency as Dep
from litestar.params import FromPath, JSONBody, Parameter
from msgspec import Meta, Struct

from services.api.edge import Asked
from services.api.v1.common import LIMITED, PROBLEMS, written
from services.api.v1.schemas import ROUND
from services.usecases import reports as usecase

MEDIA = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


RoundQuery = Annotated[str | None, Parameter(pattern=ROUND)]


class ReportIn(Struct, forbid_unknown_fields=True, kw_only=True):
    # "2568-6" (October-March) or "2568-12" (the fiscal year)
    round: Annotated[str, Meta(pattern=ROUND)]


def attachment(name_th: str, ascii_name: str, fmt: str) -> str:
    """Content-Disposition with an ASCII fallback and the Thai name (RFC 6266 / 5987)."""
    return (
        f'attachment; filename="{ascii_name}.{fmt}"; '
        f"filename*=UTF-8''{quote(f'{name_th}.{fmt}', safe='')}"
    )


def download(found: usecase.ReportFile) -> Response[bytes]:
    return Response(
        found.data,
        media_type=MEDIA[found.format],
        headers={
            "Content-Disposition": attachment(found.name_th, found.ascii_name, found.format),
            "Cache-Control": "private, no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


class ReportsController(Controller):
    path = "/api/v1"
    tags = ["reports"]  # noqa: RUF012

    @post("/reports", status_code=202, responses=LIMITED)
    async def generate(self, data: JSONBody[ReportIn], asked: Dep[Asked]) -> Response[Any]:
        job = await asked.write(usecase.request_report, data.round)
        return Response(
            job, status_code=202, headers={"Location": f"/api/v1/report-jobs/{job['id']}"}
        )

    @get("/report-jobs/{job_id:uuid}", responses=PROBLEMS)
    async def job(self, job_id: FromPath[uuid.UUID], asked: Dep[Asked]) -> dict[str, Any]:
        return await asked.read(usecase.report_job, job_id)

    @get("/reports", responses=PROBLEMS)
    async def list_reports(
        self, asked: Dep[Asked], round: RoundQuery = None
    ) -> list[dict[str, Any]]:
        return await asked.read(usecase.list_reports, round)

    @get("/reports/{report_id:uuid}/download", responses=PROBLEMS)
    async def download(self, report_id: FromPath[uuid.UUID], asked: Dep[Asked]) -> Response[bytes]:
        return download(await asked.read(usecase.report_file, report_id))

    @post("/reports/{report_id:uuid}/submission", status_code=200, responses=PROBLEMS)
    async def submit(self, report_id: FromPath[uuid.UUID], asked: Dep[Asked]) -> Response[Any]:
        stream, saved = await asked.write(usecase.submit_report, report_id)
        return written(stream, saved)

    @get("/province/reports", responses=PROBLEMS)
    async def province_reports(
        self, asked: Dep[Asked], round: RoundQuery = None
    ) -> list[dict[str, Any]]:
        rows = await asked.read(usecase.province_reports, round)
        base = "/api/v1/province/reports"
        return [usecase.report_view(r, base) | {"laos": r["lao_count"]} for r in rows]

    @get("/province/reports/{report_id:uuid}/download", responses=PROBLEMS)
    async def province_download(
        self, report_id: FromPath[uuid.UUID], asked: Dep[Asked]
    ) -> Response[bytes]:
        found = await asked.read(usecase.province_report_file, report_id)
        return download(found)
