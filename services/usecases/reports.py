"""Progress reports of a round: generate (a job the worker runs, ordered through the job
outbox), list, download, submit to the provincial office; a reviewer's provincial summaries."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

import asyncpg

from domain.reporting.digest import content_hash
from domain.reporting.entries import report_lacks
from domain.reporting.handlers import SubmitReport, handle_report_command, stream_of
from domain.reporting.rounds import ReportingRound, current_round, last_closed_round
from domain.shared.access import Action, Actor, Target
from domain.shared.errors import DomainError, NotFound
from domain.shared.fiscal import fiscal_year
from domain.shared.ports import Saved
from infra import jobs
from infra.queries import reports as q
from infra.reporting import read_progress_report
from infra.repository import EventSourcedRepository
from services.usecases.bootstrap import Services
from services.usecases.scope import (
    Call,
    authorize,
    context,
    new_id_for,
    reading,
    today,
    writing,
)

GENERATE = "sujarit.generate_report"


MAX_RUNNING_JOBS = 3  # per LAO: one LAO's requests cannot fill the workers' queue


class TooManyJobs(DomainError):
    """The LAO has MAX_RUNNING_JOBS reports being made already: it waits for one (429)."""

    code = "too-many-report-jobs"
    status = 429


class InvalidRound(DomainError):
    """A round code that is not one (400, as the request is)."""

    code = "invalid-request"
    status = 400


class RoundNotBegun(InvalidRound):
    """A round that has not begun yet: the day it is says no, not the request (409)."""

    code = "round-not-begun"
    status = 409


def round_of_code(code: str) -> ReportingRound:
    """The round a code names ("2568-6", "2568-12"); InvalidRound when it names none."""
    try:
        return ReportingRound.parse(code)
    except ValueError as exc:
        raise InvalidRound(
            f"รอบรายงาน '{code[:20]}' ไม่ถูกต้อง ใช้ปีงบประมาณ พ.ศ. และรอบ เช่น 2568-6 หรือ 2568-12"
        ) from exc


def parse_round(code: str, on: date) -> ReportingRound:
    rnd = round_of_code(code)
    if on < rnd.start:
        raise RoundNotBegun(f"รอบรายงาน {rnd.code} ยังไม่เริ่ม (เริ่ม {rnd.start.isoformat()})")
    return rnd


def round_choices(on: date) -> list[ReportingRound]:
    """The rounds that have begun, of this fiscal year and the four before, latest first."""
    fy = fiscal_year(on)
    return [
        r
        for year in range(fy, fy - 5, -1)
        for r in (ReportingRound.parse(f"{year}-12"), ReportingRound.parse(f"{year}-6"))
        if r.start <= on
    ]


def job_view(job: asyncpg.Record, files: list[Any]) -> dict[str, Any]:
    return {
        "id": str(job["id"]),
        "round": job["round"],
        "status": job["status"],
        "error": job["error"],
        "requested_by": job["requested_by"],
        "created_at": job["created_at"].isoformat(),
        "finished_at": job["finished_at"].isoformat() if job["finished_at"] else None,
        "content_hash": job["content_hash"],
        "reports": [report_view(r) for r in files],
    }


def report_view(r: Any, base: str = "/api/v1/reports") -> dict[str, Any]:
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


async def _job(conn: asyncpg.Connection, job_id: uuid.UUID) -> dict[str, Any] | None:
    found = await q.job(conn, job_id)
    return None if found is None else job_view(found, await q.job_files(conn, found))


async def request_report(
    services: Services, actor: Actor, call: Call, round_code: str
) -> dict[str, Any]:
    """Order the generation of the LAO's report of a round: the job and its order to run
    commit together (the job outbox); a retry with the same idempotency key orders nothing
    more, but hands on an order that never reached the queue."""
    authorize(actor, Action.WRITE_REPORTS)
    rnd = parse_round(round_code, today(services.clock))
    job_id = new_id_for(actor, call)
    key = f"report:{job_id}"
    now = services.clock.now()
    async with writing(services, actor, Action.WRITE_REPORTS) as conn:
        running = await q.running_jobs(conn, job_id)
        if running >= MAX_RUNNING_JOBS:
            raise TooManyJobs(
                f"มีรายงานที่กำลังสร้างอยู่ {running} ฉบับแล้ว กรุณารอให้เสร็จก่อนแล้วจึงสร้างใหม่",
                running=running,
            )
        inserted = await conn.fetchval(
            "INSERT INTO report_jobs (id, tenant_id, scope, round, requested_by, created_at) "
            "VALUES ($1, $2, 'tenant', $3, $4, $5) ON CONFLICT (id) DO NOTHING RETURNING id",
            job_id,
            actor.tenant_id,
            rnd.code,
            actor.email,
            now,
        )
        if inserted:
            args = [str(actor.tenant_id), rnd.code, str(job_id), actor.email]
            await jobs.add(conn, key, actor.tenant_id, GENERATE, args, now)
        found = await q.job(conn, job_id)
        if found is None:  # the id is another tenant's
            raise NotFound("ไม่พบงานสร้างรายงานนี้")
        view = job_view(found, [])
    async with writing(services, actor, Action.WRITE_REPORTS) as conn:
        await jobs.hand_off(conn, services.jobs, key, services.clock.now())
    return view


async def report_job(services: Services, actor: Actor, job_id: uuid.UUID) -> dict[str, Any]:
    authorize(actor, Action.READ)
    async with reading(services, actor) as conn:
        found = await _job(conn, job_id)
    if found is None:
        raise NotFound("ไม่พบงานสร้างรายงานนี้")
    return found


async def list_reports(
    services: Services, actor: Actor, round_code: str | None = None
) -> list[dict[str, Any]]:
    authorize(actor, Action.READ)
    code = parse_round(round_code, today(services.clock)).code if round_code else None
    async with reading(services, actor) as conn:
        return [report_view(r) for r in await q.reports(conn, code)]


@dataclass(frozen=True)
class ReportsPage:
    rows: list[Any]  # every file, oldest round first
    jobs: list[dict[str, Any]]  # the jobs still running
    choices: list[ReportingRound]
    current: ReportingRound
    last_closed: ReportingRound


async def reports_page(services: Services, actor: Actor) -> ReportsPage:
    authorize(actor, Action.READ)
    on = today(services.clock)
    async with reading(services, actor) as conn:
        rows = sorted(
            await q.reports(conn),
            key=lambda r: (r["round"], r["generated_at"], r["format"]),
        )
        found = [await _job(conn, j) for j in await q.pending_jobs(conn)]
    return ReportsPage(
        rows,
        [j for j in found if j],
        round_choices(on),
        current_round(on),
        last_closed_round(on),
    )


@dataclass(frozen=True)
class ReportFile:
    data: bytes
    format: str
    name_th: str
    ascii_name: str


async def _file(services: Services, row: Any, name_th: str, ascii_name: str) -> ReportFile:
    data = await services.files.get(row["sha256"])
    if data is None:
        raise NotFound("ไม่พบไฟล์ของรายงานนี้")
    return ReportFile(data, row["format"], name_th, ascii_name)


async def report_file(services: Services, actor: Actor, report_id: uuid.UUID) -> ReportFile:
    authorize(actor, Action.READ)
    async with reading(services, actor) as conn:
        row = await q.report(conn, report_id)
    if row is None:
        raise NotFound("ไม่พบรายงานนี้")
    code, rnd = actor.tenant_code, row["round"]
    return await _file(
        services, row, f"รายงานผลการดำเนินงาน-{code}-{rnd}", f"sujarit-report-{code}-{rnd}"
    )


async def submit_report(
    services: Services, actor: Actor, call: Call, report_id: uuid.UUID
) -> tuple[uuid.UUID, Saved]:
    """ReportSubmitted: only the latest generation of a closed round, once unless regenerated
    with new data, and only when the round's data is complete by the rules (the domain's)."""
    authorize(actor, Action.WRITE_REPORTS)
    async with reading(services, actor) as conn:
        row = await conn.fetchrow(
            "SELECT round, sha256, as_of, content_hash FROM reports WHERE id = $1", report_id
        )
        if row is None:
            raise NotFound("ไม่พบรายงานนี้")
        rnd = ReportingRound.parse(row["round"])
        current = await read_progress_report(conn, actor.tenant_id, rnd, row["as_of"])
    lacking = report_lacks(current)
    if content_hash(current) != row["content_hash"]:
        lacking.append("ข้อมูลเปลี่ยนไปหลังสร้างรายงานฉบับนี้: สร้างรายงานใหม่แล้วส่งฉบับใหม่")
    saved = await handle_report_command(
        EventSourcedRepository(services.store),
        context(actor, call),
        SubmitReport(rnd, row["sha256"], today(services.clock), tuple(lacking)),
    )
    return stream_of(actor.tenant_id, rnd), saved


async def province_reports(
    services: Services, actor: Actor, round_code: str | None, report_id: uuid.UUID | None = None
) -> list[Any]:
    """The summaries of the reviewer's province (the database checks the province too)."""
    authorize(actor, Action.READ_PROVINCE, Target(province=actor.province))
    code = parse_round(round_code, today(services.clock)).code if round_code else None
    async with services.db.acquire() as conn, conn.transaction(readonly=True):
        await conn.execute("SELECT set_config('app.province', $1, true)", actor.province)
        return await q.province_reports(conn, code, report_id)


async def province_report_file(
    services: Services, actor: Actor, report_id: uuid.UUID
) -> ReportFile:
    rows = await province_reports(services, actor, None, report_id)
    if not rows:
        raise NotFound("ไม่พบรายงานนี้")
    row, province = rows[0], actor.province
    return await _file(
        services,
        row,
        f"สรุปผลการดำเนินงานระดับจังหวัด-{province}-{row['round']}",
        f"sujarit-province-{province}-{row['round']}",
    )
