"""/api/v1: progress reports of a round: generate (a job the worker runs), list, download,
submit to the provincial office; a reviewer's provincial summaries."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import asyncpg
from litestar import Controller, Response, get, post
from litestar.di import NamedDependency as Dep
from litestar.exceptions import PermissionDeniedException, ValidationException
from litestar.params import FromPath, FromQuery, JSONBody
from msgspec import Struct

from domain.reporting.handlers import SubmitReport, handle_report_command, stream_of
from domain.reporting.rounds import ReportingRound
from domain.shared.errors import NotFound
from domain.shared.ports import Saved
from infra.db.pool import tenant_transaction
from infra.repository import EventSourcedRepository
from services.api.state import Services
from services.api.v1.auth import WRITE_ROLES, AnyRequest, Principal
from services.api.v1.common import PROBLEMS, today_bangkok, written
from services.workers.reports import enqueue

MEDIA = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
REPORT_COLUMNS = (
    "id, round, format, sha256, size, content_hash, as_of, generated_at, submitted_at, submitted_by"
)


class ReportIn(Struct, forbid_unknown_fields=True, kw_only=True):
    round: str  # "2568-6" (October-March) or "2568-12" (the fiscal year)


def parse_round(code: str, today: Any = None) -> ReportingRound:
    """The round named, or 400: not a round, or one that has not begun."""
    try:
        rnd = ReportingRound.parse(code)
    except ValueError as exc:
        raise ValidationException(
            f"รอบรายงาน '{code[:20]}' ไม่ถูกต้อง ใช้ปีงบประมาณ พ.ศ. และรอบ เช่น 2568-6 หรือ 2568-12"
        ) from exc
    if (today or today_bangkok()) < rnd.start:
        raise ValidationException(f"รอบรายงาน {rnd.code} ยังไม่เริ่ม (เริ่ม {rnd.start.isoformat()})")
    return rnd


def job_json(job: asyncpg.Record, reports: list[asyncpg.Record]) -> dict[str, Any]:
    return {
        "id": str(job["id"]),
        "round": job["round"],
        "status": job["status"],
        "error": job["error"],
        "requested_by": job["requested_by"],
        "created_at": job["created_at"].isoformat(),
        "finished_at": job["finished_at"].isoformat() if job["finished_at"] else None,
        "content_hash": job["content_hash"],
        "reports": [report_json(r) for r in reports],
    }


def report_json(r: asyncpg.Record, base: str = "/api/v1/reports") -> dict[str, Any]:
    out = {
        "id": str(r["id"]),
        "round": r["round"],
        "format": r["format"],
        "sha256": r["sha256"],
        "size": r["size"],
        "content_hash": r["content_hash"],
        "as_of": r["as_of"].isoformat(),
        "generated_at": r["generated_at"].isoformat(),
        "download": f"{base}/{r['id']}/download",
    }
    if "submitted_at" in r:
        out["submitted_at"] = r["submitted_at"].isoformat() if r["submitted_at"] else None
        out["submitted_by"] = r["submitted_by"]
    return out


async def request_report(
    services: Services, principal: Principal, rnd: ReportingRound, job_id: uuid.UUID
) -> asyncpg.Record:
    """Queue the generation of the tenant's report of ``rnd`` (a retry with the same job id
    queues nothing more); return the job row."""
    async with tenant_transaction(services.db, principal.tenant_id) as conn:
        inserted = await conn.fetchval(
            "INSERT INTO report_jobs (id, tenant_id, scope, round, requested_by, created_at) "
            "VALUES ($1, $2, 'tenant', $3, $4, $5) ON CONFLICT (id) DO NOTHING RETURNING id",
            job_id,
            principal.tenant_id,
            rnd.code,
            principal.actor,
            datetime.now(UTC),
        )
        job = await conn.fetchrow("SELECT * FROM report_jobs WHERE id = $1", job_id)
    if job is None:  # the id is another tenant's
        raise NotFound("ไม่พบงานสร้างรายงานนี้")
    if inserted:
        args = [str(principal.tenant_id), rnd.code, str(job_id), principal.actor]
        await asyncio.to_thread(enqueue, services.settings, "sujarit.generate_report", args)
    return job


async def read_job(conn: asyncpg.Connection, job_id: uuid.UUID) -> dict[str, Any] | None:
    job = await conn.fetchrow(
        "SELECT * FROM report_jobs WHERE id = $1 AND scope = 'tenant'", job_id
    )
    if job is None:
        return None
    reports = []
    if job["content_hash"]:
        reports = await conn.fetch(
            f"SELECT {REPORT_COLUMNS} FROM reports WHERE round = $1 AND content_hash = $2 "
            "ORDER BY format",
            job["round"],
            job["content_hash"],
        )
    return job_json(job, reports)


def attachment(name_th: str, ascii_name: str, fmt: str) -> str:
    """Content-Disposition with an ASCII fallback and the Thai name (RFC 6266 / 5987)."""
    return (
        f'attachment; filename="{ascii_name}.{fmt}"; '
        f"filename*=UTF-8''{quote(f'{name_th}.{fmt}', safe='')}"
    )


async def file_response(
    services: Services, row: asyncpg.Record, name_th: str, ascii_name: str
) -> Response[bytes]:
    data = await services.files.get(row["sha256"])
    if data is None:
        raise NotFound("ไม่พบไฟล์ของรายงานนี้")
    return Response(
        data,
        media_type=MEDIA[row["format"]],
        headers={
            "Content-Disposition": attachment(name_th, ascii_name, row["format"]),
            "Cache-Control": "private, no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


def report_names(code: str, round_code: str) -> tuple[str, str]:
    return f"รายงานผลการดำเนินงาน-{code}-{round_code}", f"sujarit-report-{code}-{round_code}"


async def submit_report(
    services: Services, principal: Principal, request: AnyRequest, report_id: uuid.UUID
) -> tuple[uuid.UUID, Saved]:
    principal.require(WRITE_ROLES)
    async with principal.reading(services) as conn:
        row = await conn.fetchrow("SELECT round, sha256 FROM reports WHERE id = $1", report_id)
    if row is None:
        raise NotFound("ไม่พบรายงานนี้")
    rnd = ReportingRound.parse(row["round"])
    saved = await handle_report_command(
        EventSourcedRepository(services.store),
        await principal.context(request),
        SubmitReport(rnd, row["sha256"], today_bangkok()),
    )
    return stream_of(principal.tenant_id, rnd), saved


class ReportsController(Controller):
    path = "/api/v1"
    tags = ["reports"]  # noqa: RUF012

    @post("/reports", status_code=202, responses=PROBLEMS)
    async def generate(
        self,
        data: JSONBody[ReportIn],
        request: AnyRequest,
        principal: Dep[Principal],
        services: Dep[Services],
    ) -> Response[Any]:
        principal.require(WRITE_ROLES)
        rnd = parse_round(data.round)
        job = await request_report(services, principal, rnd, principal.new_id(request))
        return Response(
            job_json(job, []),
            status_code=202,
            headers={"Location": f"/api/v1/report-jobs/{job['id']}"},
        )

    @get("/report-jobs/{job_id:uuid}", responses=PROBLEMS)
    async def job(
        self, job_id: FromPath[uuid.UUID], principal: Dep[Principal], services: Dep[Services]
    ) -> dict[str, Any]:
        async with principal.reading(services) as conn:
            found = await read_job(conn, job_id)
        if found is None:
            raise NotFound("ไม่พบงานสร้างรายงานนี้")
        return found

    @get("/reports", responses=PROBLEMS)
    async def list_reports(
        self,
        principal: Dep[Principal],
        services: Dep[Services],
        round: FromQuery[str | None] = None,
    ) -> list[dict[str, Any]]:
        if round is not None:
            round = parse_round(round).code
        async with principal.reading(services) as conn:
            rows = await conn.fetch(
                f"SELECT {REPORT_COLUMNS} FROM reports WHERE ($1::text IS NULL OR round = $1) "
                "ORDER BY round DESC, generated_at DESC, format",
                round,
            )
        return [report_json(r) for r in rows]

    @get("/reports/{report_id:uuid}/download", responses=PROBLEMS)
    async def download(
        self, report_id: FromPath[uuid.UUID], principal: Dep[Principal], services: Dep[Services]
    ) -> Response[bytes]:
        async with principal.reading(services) as conn:
            row = await conn.fetchrow(
                "SELECT round, format, sha256 FROM reports WHERE id = $1", report_id
            )
        if row is None:
            raise NotFound("ไม่พบรายงานนี้")
        return await file_response(
            services, row, *report_names(principal.tenant_code, row["round"])
        )

    @post("/reports/{report_id:uuid}/submission", status_code=200, responses=PROBLEMS)
    async def submit(
        self,
        report_id: FromPath[uuid.UUID],
        request: AnyRequest,
        principal: Dep[Principal],
        services: Dep[Services],
    ) -> Response[Any]:
        stream, saved = await submit_report(services, principal, request, report_id)
        return written(stream, saved)

    @get("/province/reports", responses=PROBLEMS)
    async def province_reports(
        self,
        principal: Dep[Principal],
        services: Dep[Services],
        round: FromQuery[str | None] = None,
    ) -> list[dict[str, Any]]:
        rows = await province_rows(services, principal, round)
        return [report_json(r, "/api/v1/province/reports") | {"laos": r["lao_count"]} for r in rows]

    @get("/province/reports/{report_id:uuid}/download", responses=PROBLEMS)
    async def province_download(
        self, report_id: FromPath[uuid.UUID], principal: Dep[Principal], services: Dep[Services]
    ) -> Response[bytes]:
        rows = await province_rows(services, principal, None, report_id)
        if not rows:
            raise NotFound("ไม่พบรายงานนี้")
        row = rows[0]
        return await file_response(
            services,
            row,
            f"สรุปผลการดำเนินงานระดับจังหวัด-{principal.province}-{row['round']}",
            f"sujarit-province-{principal.province}-{row['round']}",
        )


async def province_rows(
    services: Services,
    principal: Principal,
    round_code: str | None,
    report_id: uuid.UUID | None = None,
) -> list[asyncpg.Record]:
    """The provincial summaries of the reviewer's province (the database checks the province:
    ``province_reports`` shows a row only to a transaction scoped to its province)."""
    if principal.scope != "office" or principal.role != "reviewer":
        raise PermissionDeniedException("เฉพาะผู้ตรวจสอบของสำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัด")
    code = parse_round(round_code).code if round_code else None
    async with services.db.acquire() as conn, conn.transaction(readonly=True):
        await conn.execute("SELECT set_config('app.province', $1, true)", principal.province)
        rows: list[asyncpg.Record] = await conn.fetch(
            "SELECT id, round, format, sha256, size, content_hash, as_of, generated_at, "
            "lao_count FROM province_reports WHERE ($1::text IS NULL OR round = $1) "
            "AND ($2::uuid IS NULL OR id = $2) ORDER BY round DESC, generated_at DESC, format",
            code,
            report_id,
        )
    return rows
