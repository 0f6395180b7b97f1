"""reports: the scheduled burst after a round closes, through the real Celery worker.

Setup (not measured): N LAOs (``BENCH_REPORTS_LAOS``, 50 by default) each with a plan of 80
items x 8 steps (1,000 events, bench.rebuild's generator: the store's exact format), loaded
with COPY and projected by ``rebuild``; an embedded Redis of its own (a shared Redis would let
another engineer's worker take these tasks); one real worker process of the service's Celery
app (``--concurrency`` = the cores, as production runs it), ready before the clock starts.

Measured: ``sujarit.scheduled_reports`` is sent as beat sends it, with ``now`` the day after
the 2569 fiscal year closed (2026-10-01 03:30 Bangkok): it queues one ``generate_report`` per
LAO (PDF and XLSX each), which the worker runs. From the order (given to a scan process that
has already imported the service, as a warm worker's would have) to the last job done: the wall
time, reports per minute, the worker's CPU seconds (all its processes), and seconds per
report (wall x pool processes / reports: what one process spends on a report).

Extrapolated (said so in the results): all 7,852 LAOs at the measured rate on this machine,
against the goal of 60 minutes. ``ratio`` = 60 minutes / the extrapolated minutes (>= 1 meets
the goal). NOT interleaved: a burst has no baseline to pair with and each LAO gets its
report of a round once, so this is one burst; the spread given is over the reports of the
burst. The worker loads WeasyPrint and the fonts before it forks its pool (as in production),
so that warm-up falls before the clock starts and is not in the worker CPU measured.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg

from bench.common import (
    BenchDatabase,
    Server,
    loadavg,
    make_tenants,
    median,
    postgres_cpu_seconds,
    spread,
)
from bench.rebuild import COLUMNS, generate_chunk
from infra.db.pool import connect
from infra.embedded import EmbeddedRedis
from infra.projections.rebuild import rebuild
from infra.projections.registry import all_projections

NAME = "reports"
LAOS = int(os.environ.get("BENCH_REPORTS_LAOS", "50"))
ALL_LAOS = 7852
TARGET_MINUTES = 60.0
CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
# the worker's pool processes (--concurrency): the cores, as production runs it, unless told
PROCESSES = int(os.environ.get("BENCH_REPORTS_CONCURRENCY", "0")) or CORES
BANGKOK_0330 = datetime(2026, 9, 30, 20, 30, tzinfo=UTC)  # 2026-10-01 03:30 Asia/Bangkok


async def _setup(db: BenchDatabase, n: int) -> list[uuid.UUID]:
    owner = await connect(db.owner_url)
    raw = await asyncpg.connect(db.owner_url)
    try:
        orgs = await make_tenants(owner, n)
        ids = [(o.id, k) for k, o in enumerate(orgs)]
        for i in range(0, n, 25):
            rows, heads = await asyncio.to_thread(generate_chunk, ids[i : i + 25])
            await raw.copy_records_to_table("events", records=rows, columns=COLUMNS)
            await raw.executemany(
                "UPDATE tenant_heads SET sequence = $2, last_hash = $3 WHERE tenant_id = $1",
                heads,
            )
        await raw.execute("VACUUM (ANALYZE) events")
        await rebuild(owner, *all_projections().values())
        return [o.id for o in orgs]
    finally:
        await raw.close()
        await owner.close()


def _session_cpu(sid: int) -> float:
    """User+system CPU seconds of every live process of a session (the worker and its pool)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            stat = (proc / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[3]) == sid:  # session id
            total += int(fields[11]) + int(fields[12])
    return total / tick


def _worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "services.workers.celery_app:app",
            "worker",
            "--concurrency",
            str(PROCESSES),
            "--loglevel",
            "INFO",  # its " ready." line is INFO
            "--without-gossip",
            "--without-mingle",
            "-n",
            f"bench{uuid.uuid4().hex[:6]}@%h",
        ],
        env={**os.environ, **env},
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while " ready." not in log.read_text(errors="replace"):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError(f"the worker did not start: {log.read_text()[-2000:]}")
        time.sleep(0.2)
    # Ready is not idle: its projector catches up with the setup's events first. The clock
    # starts when the worker's processes have used under 20 ms of CPU in a second.
    sid, last = os.getsid(proc.pid), -1.0
    while time.monotonic() < deadline:
        now = _session_cpu(sid)
        if 0 <= now - last < 0.02:
            break
        last = now
        time.sleep(1.0)
    return proc


async def _jobs(db: BenchDatabase) -> list[asyncpg.Record]:
    """The burst's LAO jobs (the database holds no others; their created_at is the
    scheduler's ``now``, a day of 2026-10, not the wall clock)."""
    conn = await asyncpg.connect(db.owner_url)
    try:
        return list(
            await conn.fetch(
                "SELECT status, started_at, finished_at, error FROM report_jobs "
                "WHERE scope = 'tenant'"
            )
        )
    finally:
        await conn.close()


def _burst(
    db: BenchDatabase, settings_env: dict[str, str], worker_sid: int, n: int, day: int
) -> dict[str, Any]:
    """Send scheduled_reports as beat does; wait until its n jobs are done."""
    now = BANGKOK_0330 + timedelta(days=day)
    # The scheduler's scan, as the beat task runs it (its own process, the service's code):
    # it queues the jobs and hands their orders to the worker through Redis. The process
    # imports the service first and says so; the clock starts when it is told to go (in
    # production a warm worker process runs the scan: its imports are not the burst's).
    scan = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from services.workers.reports import scheduled_reports; "
            "print('ready', flush=True); sys.stdin.readline(); "
            "print(scheduled_reports.apply(args=[sys.argv[1]]).get(), flush=True)",
            now.isoformat(),
        ],
        env={**os.environ, **settings_env},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert scan.stdin is not None and scan.stdout is not None
    if scan.stdout.readline().strip() != "ready":
        scan.kill()
        raise RuntimeError("the scan process did not start")
    load0 = loadavg()
    cpu0 = _session_cpu(worker_sid)
    pg0 = postgres_cpu_seconds()
    t0 = time.perf_counter()
    scan.stdin.write("go\n")
    scan.stdin.close()
    if scan.wait(300) != 0:
        raise RuntimeError(f"the scan failed ({scan.returncode})")
    deadline = t0 + 60 * 60
    while True:
        rows = asyncio.run(_jobs(db))
        if len(rows) >= n and all(r["status"] in ("done", "failed") for r in rows):
            break
        if time.perf_counter() > deadline:
            raise RuntimeError(f"the burst did not finish: {len(rows)} jobs")
        time.sleep(0.1)
    wall = time.perf_counter() - t0
    cpu = _session_cpu(worker_sid) - cpu0
    pg1 = postgres_cpu_seconds()
    pg = None if pg0 is None or pg1 is None else pg1 - pg0
    failed = [r["error"] for r in rows if r["status"] != "done"]
    out = {
        "reports": len(rows),
        "failed": len(failed),
        "errors": failed[:3],
        "wall_s": round(wall, 2),
        "reports_per_min": round(len(rows) / wall * 60, 1),
        "worker_cpu_s": round(cpu, 2),
        "cpu_s_per_report": round(cpu / len(rows), 3) if rows else None,
        "reports_per_min_per_core": round(len(rows) / max(cpu, 1e-9) * 60, 1),
        # every live postgres process of the machine (the bench's server: quiet machine only)
        "postgres_cpu_s_per_report": round(pg / len(rows), 3) if rows and pg is not None else None,
        # a job's started_at is the scheduler's "now" (a day of 2026-10), so a report's own
        # time is taken as what a worker process spends on it: wall x processes / reports
        "seconds_per_report": round(wall * PROCESSES / len(rows), 3) if rows else None,
        "loadavg_before": load0,
        "loadavg_after": loadavg(),
    }
    print(f"  burst of {n}: {out}", flush=True)
    return out


def run(srv: Server) -> dict[str, Any]:
    db = srv.fresh_database()
    redis_dir = Path(tempfile.mkdtemp(prefix="bench-redis-"))
    rd = EmbeddedRedis(redis_dir, persist=False)
    worker = None
    try:
        print(f"  {LAOS} LAOs of generated plans (1,000 events each) ...", flush=True)
        tenants = asyncio.run(_setup(db, LAOS))
        redis_url = rd.start()
        data_dir = Path(tempfile.mkdtemp(prefix="bench-reports-"))
        env = {
            "DATABASE_URL": db.owner_url,
            "REDIS_URL": redis_url,
            "SUJARIT_DATA_DIR": str(data_dir),
            "LOG_JSON": "0",
            "LOG_LEVEL": "WARNING",
        }
        worker = _worker(env, data_dir / "worker.log")
        sid = os.getsid(worker.pid)
        runs = [_burst(db, env, sid, len(tenants), 0)]
        kept_runs = runs
    finally:
        if worker is not None:
            worker.terminate()
            try:
                worker.wait(30)
            except subprocess.TimeoutExpired:
                worker.kill()
        rd.stop()
        srv.drop_database(db.name)
    cpu_per = [r["cpu_s_per_report"] for r in kept_runs]
    per_core = [r["reports_per_min_per_core"] for r in kept_runs]
    per_min = [r["reports_per_min"] for r in kept_runs]
    minutes = [ALL_LAOS / r for r in per_min]
    ratios = [TARGET_MINUTES / m for m in minutes]
    ratio = median(ratios)
    failed = sum(r["failed"] for r in kept_runs)
    return {
        "reports_per_min": spread(per_min, 1),
        "reports_per_min_per_core": spread(per_core, 1),
        "worker_cpu_s_per_report": spread(cpu_per, 3),
        "seconds_per_report": spread([r["seconds_per_report"] for r in kept_runs], 3),
        "extrapolated_minutes_all_laos": spread(minutes, 1),
        "extrapolated": f"{ALL_LAOS:,} LAOs at each burst's measured reports/min with this "
        f"worker ({PROCESSES} processes) on this machine: an extrapolation from {LAOS} LAOs",
        "ratio": round(ratio, 3),
        "ratio_min": round(min(ratios), 3),
        "ratio_max": round(max(ratios), 3),
        "target": 1.0,
        "target_minutes": TARGET_MINUTES,
        "met": ratio >= 1.0 and failed == 0,
        "failed": failed,
        "bursts": runs,
        "workload": {
            "laos": LAOS,
            "bursts": "one burst of every LAO (not interleaved: no baseline to pair with)",
            "events_per_lao": 1000,
            "worker": f"celery worker of services.workers.celery_app, --concurrency {PROCESSES}, "
            "embedded Redis of its own",
            "trigger": "sujarit.scheduled_reports sent as beat sends it, now = a day after "
            "the 2569 fiscal year closed",
            "ratio": "60 minutes / extrapolated minutes for all LAOs (>= 1 meets the goal)",
        },
    }
