"""Report tasks: an LAO's progress report of a round, a province's summary, and the daily
scheduler that finds which are due.

Database roles:
- an LAO's report is read and recorded as the web role inside that tenant (row-level
  security): ``load_progress_report``, the job row, the ReportGenerated event and the
  ``reports`` rows (the inline projection, in the append transaction);
- a province's summary is read as the web role under the reviewer's province scope, one LAO
  at a time (``load_provincial_summary``: the database refuses an LAO of another province);
  its rows (``province_reports``, which belong to no tenant) and the submission dates of the
  province's LAOs are written/read as the projector role, the worker's cross-tenant role;
- the scheduler reads across tenants and queues jobs as the projector role (it needs every
  tenant's "is there a report of the round"); never the owner.

Every task is idempotent: the content hash of the report's data decides. A report whose
content hash is stored already is not rendered or stored again, and records no second event.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import Any

import asyncpg
from celery import Celery
from celery.exceptions import SoftTimeLimitExceeded

from domain.reporting.digest import content_hash
from domain.reporting.events import ReportFile
from domain.reporting.handlers import RecordReport, handle_report_command
from domain.reporting.rounds import ReportingRound, current_round, last_closed_round
from domain.shared.clock import BANGKOK
from domain.shared.ports import Context
from infra import jobs
from infra.db.pool import tenant_transaction
from infra.documents.pdf import RecordMark, progress_pdf, summary_pdf
from infra.documents.xlsx import progress_xlsx, summary_xlsx
from infra.eventstore.postgres import PostgresEventStore
from infra.files import FileStore, LocalFileStore
from infra.projections.registry import inline_projections
from infra.reporting import load_progress_report, load_provincial_summary
from infra.repository import EventSourcedRepository
from infra.settings import Settings, load_settings
from services.workers.celery_app import app, celery_config
from services.workers.runtime import run, shared_pool

log = logging.getLogger("sujarit.reports")
GENERATE = "sujarit.generate_report"
SUMMARY = "sujarit.generate_province_summary"
_JOBS = uuid.UUID("b3f0d6a2-91c4-4b7e-8e25-7d4a1c9f0e63")
STALE = timedelta(hours=6)  # a queued/running scheduled job older than this is queued again
_producers: dict[str, Celery] = {}


def report_files(settings: Settings) -> FileStore:
    """Reports live in the evidence file store (content-addressed): one store to back up."""
    return LocalFileStore(settings.evidence_dir)


def bangkok_today(now: datetime) -> date:
    return now.astimezone(BANGKOK).date()


def report_as_of(rnd: ReportingRound, today: date) -> date:
    """A closed round is reported as of its last day (so the same events give the same report
    whenever it is made); an open one as of today."""
    return min(today, rnd.end)


def producer(settings: Settings) -> Celery:
    """A Celery client sending to ``settings.redis_url`` (the API's, or a test's)."""
    if settings.redis_url not in _producers:
        client = Celery("sujarit-client", set_as_current=False)
        client.conf.update(celery_config(settings))
        _producers[settings.redis_url] = client
    return _producers[settings.redis_url]


def enqueue(settings: Settings, task: str, args: Sequence[Any]) -> None:
    producer(settings).send_task(task, args=list(args))


def _now(value: str | None) -> datetime:
    return datetime.fromisoformat(value) if value else datetime.now(UTC)


# ---------------------------------------------------------------- an LAO's report


async def _set_job(
    pool: asyncpg.Pool, tenant: uuid.UUID, job: uuid.UUID, status: str, **cols: Any
) -> None:
    sets = ", ".join(f"{k} = ${i}" for i, k in enumerate(cols, start=4))
    async with tenant_transaction(pool, tenant) as conn:
        await conn.execute(
            f"UPDATE report_jobs SET status = $3{', ' + sets if sets else ''} "
            "WHERE tenant_id = $1 AND id = $2",
            tenant,
            job,
            status,
            *cols.values(),
        )


async def generate_tenant_report(
    pool: asyncpg.Pool,
    files: FileStore,
    tenant: uuid.UUID,
    rnd: ReportingRound,
    job: uuid.UUID,
    actor: str,
    now: datetime,
    base_url: str = "",
    heartbeat: float = 5.0,
    stale: float = 30.0,
) -> dict[str, Any]:
    """Generate (or find) the LAO's report of ``rnd``; record ReportGenerated if it is new.
    The job is claimed first (a second delivery of a job done or alive elsewhere does nothing)
    and beats every ``heartbeat`` seconds while it runs (see ``infra.jobs.claim``).
    With ``base_url`` the PDF's footer carries its record mark (the log's sequence it reflects
    and a QR code to the LAO's verify page)."""
    connect = partial(tenant_transaction, pool, tenant)
    async with jobs.claimed(connect, job, heartbeat, stale) as mine:
        if not mine:  # done, failed, or running on a live worker
            return {"skipped": True}
        return await _render_tenant_report(pool, files, tenant, rnd, job, actor, now, base_url)


async def _render_tenant_report(
    pool: asyncpg.Pool,
    files: FileStore,
    tenant: uuid.UUID,
    rnd: ReportingRound,
    job: uuid.UUID,
    actor: str,
    now: datetime,
    base_url: str,
) -> dict[str, Any]:
    as_of = report_as_of(rnd, bangkok_today(now))
    report = await load_progress_report(pool, tenant, rnd, as_of)
    digest = content_hash(report)
    async with tenant_transaction(pool, tenant, readonly=True) as conn:
        rows = await conn.fetch(
            "SELECT format, sha256, size, generated_at FROM reports "
            "WHERE round = $1 AND content_hash = $2 ORDER BY format",
            rnd.code,
            digest,
        )
        sequence = await conn.fetchval("SELECT sequence FROM tenant_heads")
    if len(rows) == 2:  # the same content was stored before: the same files
        found = tuple(ReportFile(r["format"], r["sha256"], r["size"]) for r in rows)
        at, rendered = rows[0]["generated_at"], False
    else:
        code = report.organisation.code
        mark = RecordMark(sequence or 0, f"{base_url}/p/{code}/verify") if base_url else None
        # One thread after the other: both are CPU-bound Python, so two threads would only
        # take turns at the GIL (and cost its hand-overs) on the pool process's one core.
        pdf = await asyncio.to_thread(progress_pdf, report, now, mark, digest)
        xlsx = await asyncio.to_thread(progress_xlsx, report, now, digest)
        found = (
            ReportFile("pdf", await files.put(pdf), len(pdf)),
            ReportFile("xlsx", await files.put(xlsx), len(xlsx)),
        )
        at, rendered = now, True
    store = PostgresEventStore(pool, projections=inline_projections())
    saved = await handle_report_command(
        EventSourcedRepository(store),
        Context(tenant, actor, idempotency_key=f"report-job:{job}"),
        RecordReport(rnd, as_of, digest, found, at),
    )
    await _set_job(pool, tenant, job, "done", content_hash=digest, finished_at=datetime.now(UTC))
    return {"content_hash": digest, "rendered": rendered, "version": saved.version}


# Time limits: a report takes seconds; one that runs for minutes is stuck on its data (an
# absurd number laid out on thousands of pages took both processes for 16 minutes), so it
# stops at the soft limit, its job says why, and the worker goes on with the next LAO's.
REPORT_SOFT_SECONDS, REPORT_HARD_SECONDS = 120, 180
SUMMARY_SOFT_SECONDS, SUMMARY_HARD_SECONDS = 900, 960


@app.task(
    name="sujarit.generate_report",
    soft_time_limit=REPORT_SOFT_SECONDS,
    time_limit=REPORT_HARD_SECONDS,
)
def generate_report(
    tenant_id: str, round_code: str, job_id: str, actor: str = "scheduler", now: str | None = None
) -> dict[str, Any]:
    settings = load_settings()
    tenant, job, at = uuid.UUID(tenant_id), uuid.UUID(job_id), _now(now)
    rnd = ReportingRound.parse(round_code)

    async def _go() -> dict[str, Any]:
        pool = await shared_pool(settings.app_url)
        try:
            return await generate_tenant_report(
                pool,
                report_files(settings),
                tenant,
                rnd,
                job,
                actor,
                at,
                settings.base_url,
                settings.job_heartbeat_seconds,
                settings.job_stale_seconds,
            )
        except Exception as exc:
            log.exception("report %s of %s failed", round_code, tenant_id)
            error = f"{type(exc).__name__}: {exc}"[:500]
            if isinstance(exc, SoftTimeLimitExceeded):
                error = (
                    f"สร้างรายงานนานเกิน {REPORT_SOFT_SECONDS} วินาที จึงหยุดไว้ "
                    "กรุณาตรวจสอบตัวเลขในแผน (เช่น เป้าหมายหรือผลที่ใหญ่ผิดปกติ) แล้วสร้างใหม่"
                )
            await _set_job(pool, tenant, job, "failed", error=error, finished_at=datetime.now(UTC))
            raise

    return run(_go)


# ---------------------------------------------------------------- a province's summary


async def _submitted(
    conn: asyncpg.Connection, province: str, rnd: ReportingRound
) -> dict[str, date]:
    rows = await conn.fetch(
        "SELECT o.code, min(r.submitted_at) AS at FROM reports r "
        "JOIN organisations o ON o.id = r.tenant_id "
        "WHERE o.province_code = $1 AND r.round = $2 AND r.submitted_at IS NOT NULL "
        "GROUP BY o.code",
        province,
        rnd.code,
    )
    return {r["code"]: bangkok_today(r["at"]) for r in rows}


async def generate_province(
    app_pool: asyncpg.Pool,
    cross: asyncpg.Connection,
    files: FileStore,
    province: str,
    rnd: ReportingRound,
    job: uuid.UUID | None,
    now: datetime,
    cross_pool: asyncpg.Pool | None = None,
    heartbeat: float = 5.0,
    stale: float = 30.0,
) -> dict[str, Any]:
    """The province's summary of ``rnd``: one row per LAO; stored once per content hash.
    ``cross``: a projector-role connection (``cross_pool``, its pool, for the job's heartbeat).
    A job is claimed first and beats while it runs, like an LAO's."""
    if job is None or cross_pool is None:
        return await _render_province(app_pool, cross, files, province, rnd, job, now)
    async with jobs.claimed(cross_pool.acquire, job, heartbeat, stale) as mine:
        if not mine:
            return {"skipped": True}
        return await _render_province(app_pool, cross, files, province, rnd, job, now)


async def _render_province(
    app_pool: asyncpg.Pool,
    cross: asyncpg.Connection,
    files: FileStore,
    province: str,
    rnd: ReportingRound,
    job: uuid.UUID | None,
    now: datetime,
) -> dict[str, Any]:
    as_of = report_as_of(rnd, bangkok_today(now))
    submitted = await _submitted(cross, province, rnd)
    summary = await load_provincial_summary(app_pool, province, rnd, as_of, submitted)
    digest = content_hash(summary)
    exists = await cross.fetchval(
        "SELECT count(*) FROM province_reports WHERE province_code = $1 AND round = $2 "
        "AND content_hash = $3",
        province,
        rnd.code,
        digest,
    )
    if exists < 2:
        pdf, xlsx = await asyncio.gather(
            asyncio.to_thread(summary_pdf, summary, now),
            asyncio.to_thread(summary_xlsx, summary, now),
        )
        for fmt, data in (("pdf", pdf), ("xlsx", xlsx)):
            sha = await files.put(data)
            await cross.execute(
                "INSERT INTO province_reports (id, province_code, round, format, sha256, size, "
                "content_hash, as_of, lao_count, generated_at) "
                "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING",
                uuid.uuid5(_JOBS, f"province:{province}:{rnd.code}:{digest}:{fmt}"),
                province,
                rnd.code,
                fmt,
                sha,
                len(data),
                digest,
                as_of,
                len(summary.rows),
                now,
            )
    if job is not None:
        await cross.execute(
            "UPDATE report_jobs SET status = 'done', content_hash = $2, finished_at = $3 "
            "WHERE id = $1",
            job,
            digest,
            datetime.now(UTC),
        )
    return {"content_hash": digest, "rendered": exists < 2, "rows": len(summary.rows)}


@app.task(
    name="sujarit.generate_province_summary",
    soft_time_limit=SUMMARY_SOFT_SECONDS,
    time_limit=SUMMARY_HARD_SECONDS,
)
def generate_province_summary(
    province: str, round_code: str, job_id: str | None = None, now: str | None = None
) -> dict[str, Any]:
    settings = load_settings()
    rnd, at = ReportingRound.parse(round_code), _now(now)
    job = uuid.UUID(job_id) if job_id else None

    async def _go() -> dict[str, Any]:
        app_pool = await shared_pool(settings.app_url)
        cross = await shared_pool(settings.projector_url)
        async with cross.acquire() as conn:
            try:
                return await generate_province(
                    app_pool,
                    conn,
                    report_files(settings),
                    province,
                    rnd,
                    job,
                    at,
                    cross,
                    settings.job_heartbeat_seconds,
                    settings.job_stale_seconds,
                )
            except Exception as exc:
                log.exception("summary %s of province %s failed", round_code, province)
                if job is not None:
                    await conn.execute(
                        "UPDATE report_jobs SET status = 'failed', error = $2, finished_at = $3 "
                        "WHERE id = $1",
                        job,
                        f"{type(exc).__name__}: {exc}"[:500],
                        datetime.now(UTC),
                    )
                raise

    return run(_go)


# ---------------------------------------------------------------- the scheduler

_QUEUE = """
INSERT INTO report_jobs (id, tenant_id, province_code, scope, round, requested_by, created_at)
VALUES ($1, $2, $3, $4, $5, 'scheduler', $6)
ON CONFLICT (id) DO UPDATE SET status = 'queued', error = '', created_at = EXCLUDED.created_at,
       started_at = NULL, finished_at = NULL, heartbeat_at = NULL, attempts = 0
 WHERE report_jobs.status = 'failed'
    OR (report_jobs.status IN ('queued', 'running') AND report_jobs.created_at < $7)
RETURNING id
"""


async def due_reports(
    conn: asyncpg.Connection, now: datetime
) -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    """Queue (in ``report_jobs``) what is due on ``now``'s day in Bangkok; return the tenant
    jobs [(tenant, round, job)] and province jobs [(province, round, job)] to enqueue.

    - Every LAO without a report of the last closed round (as of its last day): from the day
      after 31 March / 30 September until it has one, so a missed day is caught up.
    - Every province with an office: its summary of the current round, once a month (on the
      first run of the month: the 1st, or the next day the scheduler runs); a province with
      no LAO on the service has nothing to summarise.
    A job queued already (and not failed or stale) is not queued again."""
    today = bangkok_today(now)
    closed, current = last_closed_round(today), current_round(today)
    stale = now - STALE
    tenants: list[tuple[str, str, str]] = []
    for t in await conn.fetch(
        "SELECT o.id FROM organisations o WHERE NOT EXISTS (SELECT 1 FROM reports r "
        "WHERE r.tenant_id = o.id AND r.round = $1 AND r.as_of >= $2) ORDER BY o.code",
        closed.code,
        closed.end,
    ):
        job = uuid.uuid5(_JOBS, f"scheduled:{t['id']}:{closed.code}")
        if await conn.fetchval(_QUEUE, job, t["id"], None, "tenant", closed.code, now, stale):
            tenants.append((str(t["id"]), closed.code, str(job)))
    provinces: list[tuple[str, str, str]] = []
    month = today.strftime("%Y-%m")
    for p in await conn.fetch(
        "SELECT province_code FROM provincial_offices f WHERE EXISTS "
        "(SELECT 1 FROM organisations o WHERE o.province_code = f.province_code) ORDER BY 1"
    ):
        code = p["province_code"]
        job = uuid.uuid5(_JOBS, f"scheduled:{code}:{current.code}:{month}")
        if await conn.fetchval(_QUEUE, job, None, code, "province", current.code, now, stale):
            provinces.append((code, current.code, str(job)))
    return tenants, provinces


@app.task(name="sujarit.scheduled_reports")
def scheduled_reports(now: str | None = None) -> dict[str, int]:
    """Beat, daily: queue the reports due today (see ``due_reports``)."""
    settings = load_settings()
    at = _now(now)

    async def _scan() -> tuple[int, int]:
        pool = await shared_pool(settings.projector_url)
        async with pool.acquire() as conn, conn.transaction():
            tenants, provinces = await due_reports(conn, at)
            # the jobs and their orders commit together (the job outbox): none can vanish
            for tenant, code, job in tenants:
                args = [tenant, code, job, "scheduler", now]
                key = f"report:{job}:{at.isoformat()}"
                await jobs.add(conn, key, uuid.UUID(tenant), GENERATE, args, at)
            for province, code, job in provinces:
                args = [province, code, job, now]
                await jobs.add(conn, f"province:{job}:{at.isoformat()}", None, SUMMARY, args, at)
        await jobs.relay(pool, jobs.Dispatcher(settings.redis_url), at, grace=timedelta(0))
        return len(tenants), len(provinces)

    tenants, provinces = run(_scan)
    log.info("scheduled reports: %d LAOs, %d provinces", tenants, provinces)
    return {"tenants": tenants, "provinces": provinces}


# ---------------------------------------------------------------- jobs of lost workers


async def sweep_lost_jobs(pool: asyncpg.Pool, settings: Settings, now: datetime) -> dict[str, int]:
    """Queue again every running job whose worker stopped beating (a worker killed as a
    whole), and hand the orders to the queue at once. ``pool``: the projector role's."""
    stale = timedelta(seconds=settings.job_stale_seconds)
    async with pool.acquire() as conn, conn.transaction():
        queued, failed = await jobs.sweep_lost(
            conn, now, stale, {"tenant": GENERATE, "province": SUMMARY}
        )
    if queued:
        await jobs.relay(pool, jobs.Dispatcher(settings.redis_url), now, grace=timedelta(0))
        log.warning("%d report jobs of a lost worker queued again", queued)
    if failed:
        log.error(
            "%d report jobs failed: their workers were lost %d times",
            failed,
            jobs.MAX_LOST_ATTEMPTS,
        )
    return {"queued": queued, "failed": failed}


@app.task(name="sujarit.sweep_lost_jobs", soft_time_limit=50, time_limit=60)
def sweep_lost_jobs_task() -> dict[str, int]:
    """Beat, every JOB_SWEEP_SECONDS: see ``sweep_lost_jobs``."""
    settings = load_settings()

    async def _go() -> dict[str, int]:
        pool = await shared_pool(settings.projector_url)
        return await sweep_lost_jobs(pool, settings, datetime.now(UTC))

    return run(_go)
