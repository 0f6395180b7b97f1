"""province: the province dashboard (334 LAOs) and the national view (7,852 LAOs, 76 provinces)
with 8 concurrent readers, through the real app and as the same SQL run directly.

Setup (not measured): 7,852 LAOs in 76 provinces, 334 of them in Nakhon Ratchasima (30).
Events for the 334 LAOs of that province: each a plan of 80 items x 8 steps (1,000 events per
LAO, bench.rebuild's generator: the store's exact format, hash chains included), loaded with
COPY; then every projection is rebuilt from them (``rebuild``: the inline read models and the
async ``lao_overview``, the same statement the projector runs). The ``lao_overview`` rows of the
other 7,518 LAOs are COPIES of those projected rows (tenant and province replaced): generating
and projecting 7.85 M events does not fit this 2-core machine's time budget. Both reads are
the same size as with real data (one row per LAO, the same arrays of open due dates).

Measured: wrk (one thread, 8 connections, a session cookie of the office, or of the operator)
against uvicorn (one process) serving /t/po-30/province and /t/operator/national; baseline in
the same run: the same statements over 8 asyncpg connections of the web role in the same
overview transactions. ratio = SQL p95 / page p95. Targets: p95 <= 100 ms (dashboard) and
<= 300 ms (national).
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date, datetime
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from bench.api import wrk_path
from bench.common import BenchDatabase, Server, interleaved, kept, percentile, spread
from bench.rebuild import COLUMNS as EVENT_COLUMNS
from bench.rebuild import generate_chunk
from domain.shared.clock import BANGKOK
from domain.tenancy.organisations import Kind, Organisation, organisation_id
from domain.tenancy.provinces import PROVINCES, PROVINCES_BY_CODE
from infra.auth.orgs import find_org, overview_transaction
from infra.db.pool import connect, create_pool
from infra.embedded import free_port, port_open
from infra.projections.rebuild import rebuild
from infra.projections.registry import all_projections
from infra.queries.province import (
    Filters,
    late_round,
    national_rows,
    province_sql,
)
from infra.tenancy import upsert_organisations

NAME = "province"
LARGEST, LARGEST_N, TOTAL = "30", 334, 7852
READERS = 8
DURATION = float(os.environ.get("BENCH_DURATION", "5"))
WARMUP = float(os.environ.get("BENCH_WARMUP", "0.5"))
TARGET_DASHBOARD_MS, TARGET_NATIONAL_MS = 100.0, 300.0
PASSWORD = "bench-password-2569"
KINDS = (Kind.SAO, Kind.SAO, Kind.SUBDISTRICT_MUNICIPALITY, Kind.TOWN_MUNICIPALITY)


def _orgs() -> list[Organisation]:
    others = [p for p in PROVINCES if p.code != LARGEST]
    out = []
    for i in range(TOTAL):
        prov = (
            PROVINCES_BY_CODE[LARGEST] if i < LARGEST_N else others[(i - LARGEST_N) % len(others)]
        )
        code = f"P{i + 1:05d}"
        kind = KINDS[i % len(KINDS)]
        out.append(
            Organisation(
                organisation_id(code),
                code,
                f"{kind.thai}ทดสอบที่ {i + 1}",
                f"Bench LAO {i + 1}",
                kind,
                prov,
                f"อำเภอที่ {i % 32 + 1}",
            )
        )
    return out


async def _setup(db: BenchDatabase) -> dict[str, float]:
    timings: dict[str, float] = {}
    orgs = _orgs()
    owner = await connect(db.owner_url)
    raw = await asyncpg.connect(db.owner_url)
    try:
        await upsert_organisations(owner, orgs)
        t0 = time.perf_counter()
        largest = [(o.id, n) for n, o in enumerate(orgs[:LARGEST_N])]
        for i in range(0, LARGEST_N, 25):
            rows, heads = await asyncio.to_thread(generate_chunk, largest[i : i + 25])
            await raw.copy_records_to_table("events", records=rows, columns=EVENT_COLUMNS)
            await raw.executemany(
                "UPDATE tenant_heads SET sequence = $2, last_hash = $3 WHERE tenant_id = $1",
                heads,
            )
        timings["generate_and_copy_s"] = round(time.perf_counter() - t0, 1)
        await raw.execute("VACUUM (ANALYZE) events")
        t0 = time.perf_counter()
        await rebuild(owner, *all_projections().values())
        timings["rebuild_all_projections_s"] = round(time.perf_counter() - t0, 1)
        # The other LAOs: copies of the projected rows (see the module's docstring).
        t0 = time.perf_counter()
        await owner.execute(
            """
            INSERT INTO lao_overview
            SELECT o.id, o.province_code, (s.r).declarations_published,
                   (s.r).declaration_first_published, (s.r).announcements,
                   (s.r).declaration_last_announced, (s.r).plan_id, (s.r).plan_title,
                   (s.r).plan_status, (s.r).plan_first_year, (s.r).plan_last_year,
                   (s.r).plan_promulgated_on, (s.r).items, (s.r).steps_total, (s.r).steps_done,
                   (s.r).open_due, (s.r).indicators_total, (s.r).indicators_met, (s.r).reports,
                   (s.r).revisions_open, (s.r).last_activity_at, (s.r).last_event_type
            FROM (SELECT id, province_code, row_number() OVER (ORDER BY code) AS n
                  FROM organisations WHERE province_code <> $1) o
            JOIN (SELECT v AS r, row_number() OVER (ORDER BY tenant_id) - 1 AS k
                  FROM lao_overview v) s ON s.k = o.n % $2
            """,
            LARGEST,
            LARGEST_N,
        )
        await owner.execute("VACUUM (ANALYZE) lao_overview")
        await owner.execute("ANALYZE organisations")
        timings["copy_other_rows_s"] = round(time.perf_counter() - t0, 1)
        counts = await owner.fetchrow(
            "SELECT count(*) AS rows, count(DISTINCT province_code) AS provinces, "
            "avg(cardinality(open_due))::int AS open_due_avg FROM lao_overview"
        )
        timings.update({k: counts[k] for k in counts.keys()})  # noqa: SIM118
        timings["events"] = await owner.fetchval("SELECT count(*) FROM events")
    finally:
        await raw.close()
        await owner.close()
    return timings


async def _member(db: BenchDatabase, org_code: str, role: str) -> str:
    from domain.shared.clock import SystemClock
    from infra.auth.accounts import Accounts
    from infra.eventstore.postgres import PostgresEventStore
    from infra.projections.registry import inline_projections

    pool = await create_pool(db.app_url, min_size=1, max_size=2)
    try:
        async with pool.acquire() as conn:
            org = await find_org(conn, org_code)
        assert org is not None
        store = PostgresEventStore(pool, projections=inline_projections())
        accounts = Accounts(pool, store, SystemClock())
        email = f"{role}-{uuid.uuid4().hex[:6]}@bench.example"
        account, _ = await accounts.invite(org, email, "bench", role, "bench")
        await accounts.set_password(org, account, PASSWORD, "bench")
        return email
    finally:
        await pool.close()


def _cookie(base: str, org_code: str, email: str) -> str:
    import re

    with httpx.Client(base_url=base, timeout=30) as c:
        form = c.get(f"/t/{org_code}/signin")
        m = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
        assert m, form.text[:300]
        r = c.post(
            f"/t/{org_code}/signin",
            data={"email": email, "password": PASSWORD, "csrf_token": m[1]},
        )
        assert r.status_code in (200, 303), r.text[:300]
        return "; ".join(f"{k}={v}" for k, v in c.cookies.items())


WRK_SCRIPT = """
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRK {\\"requests\\": %d, \\"duration_us\\": %d, \\"errors\\": %d, \\"p50_us\\": %d, "
    .. "\\"p95_us\\": %d, \\"p99_us\\": %d}\\n",
    summary.requests, summary.duration, e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


def _wrk(url: str, cookie: str, seconds: float, script: str) -> dict[str, Any]:
    out = subprocess.run(
        [
            wrk_path(),
            "-t1",
            f"-c{READERS}",
            f"-d{seconds:g}s",
            "--timeout",
            "10s",
            "-s",
            script,
            url,
        ],
        env={**os.environ, "BENCH_COOKIE": cookie},
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=True,
    )
    line = next((x for x in out.stdout.splitlines() if x.startswith("WRK ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no summary: {out.stdout}{out.stderr}")
    w = json.loads(line[4:])
    return {
        "requests": w["requests"],
        "req_per_s": round(w["requests"] / (w["duration_us"] / 1e6), 1),
        "p50_ms": round(w["p50_us"] / 1000, 2),
        "p95_ms": round(w["p95_us"] / 1000, 2),
        "p99_ms": round(w["p99_us"] / 1000, 2),
        "errors": w["errors"],
    }


def _page(url: str, cookie: str, script: str) -> dict[str, Any]:
    return _wrk(url, cookie, DURATION, script)


async def _sql(db: BenchDatabase, org_code: str, today: date) -> dict[str, Any]:
    """The page's statement over READERS connections of the web role, for DURATION seconds."""
    pool = await create_pool(db.app_url, min_size=READERS, max_size=READERS)
    try:
        async with pool.acquire() as conn:
            org = await find_org(conn, org_code)
        assert org is not None
        sql, args = province_sql(Filters())
        late = late_round(today)

        async def once() -> None:
            async with overview_transaction(pool, org) as conn:
                if org.province:
                    await conn.fetch(sql, org.province, today, late, *args)
                else:
                    await national_rows(conn, today)

        async def reader(until: float, out: list[float]) -> None:
            while time.perf_counter() < until:
                t0 = time.perf_counter()
                await once()
                out.append(time.perf_counter() - t0)

        for seconds in (WARMUP, DURATION):  # a short warm-up of the pool, then the run
            lat: list[list[float]] = [[] for _ in range(READERS)]
            t0 = time.perf_counter()
            until = t0 + seconds
            await asyncio.gather(*(reader(until, lat[i]) for i in range(READERS)))
            elapsed = time.perf_counter() - t0
        all_ = sorted(x for xs in lat for x in xs)
        return {
            "requests": len(all_),
            "req_per_s": round(len(all_) / elapsed, 1),
            "p50_ms": round(percentile(all_, 50) * 1000, 2),
            "p95_ms": round(percentile(all_, 95) * 1000, 2),
            "p99_ms": round(percentile(all_, 99) * 1000, 2),
        }
    finally:
        await pool.close()


def _serve(db: BenchDatabase, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": db.owner_url,
        "LOG_LEVEL": "WARNING",
        "COOKIE_SECURE": "0",
        "BENCH_API_BODY": "/dev/null",
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"),
    }
    cmd = [sys.executable, "-m", "uvicorn", "--factory", "bench.apiapp:make_app"]
    cmd += ["--port", str(port), "--no-access-log", "--log-level", "warning"]
    proc = subprocess.Popen(cmd, env=env)
    for _ in range(300):
        if port_open(port):
            return proc
        time.sleep(0.05)
    proc.kill()
    raise RuntimeError("the API did not start")


def run(srv: Server) -> dict[str, Any]:
    wrk_path()
    db = srv.fresh_database()
    try:
        print("  setting up 7,852 LAOs ...", flush=True)
        setup = asyncio.run(_setup(db))
        print(f"  setup: {setup}", flush=True)
        office = asyncio.run(_member(db, f"po-{LARGEST}", "reviewer"))
        operator = asyncio.run(_member(db, "operator", "operator"))
        today = datetime.now(BANGKOK).date()
        port = free_port()
        proc = _serve(db, port)
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
            lua.write(WRK_SCRIPT)
        try:
            base = f"http://127.0.0.1:{port}"
            office_cookie = _cookie(base, f"po-{LARGEST}", office)
            operator_cookie = _cookie(base, "operator", operator)
            probe = httpx.get(
                f"{base}/t/po-{LARGEST}/province", headers={"Cookie": office_cookie}, timeout=30
            )
            assert probe.status_code == 200 and probe.text.count("lao-meta") == LARGEST_N
            dash = interleaved(
                lambda: _page(f"{base}/t/po-{LARGEST}/province", office_cookie, lua.name),
                lambda: asyncio.run(_sql(db, f"po-{LARGEST}", today)),
                lambda page, sql: sql["p95_ms"] / page["p95_ms"],
                label="dashboard SQL/page p95 ",
            )
            nat = interleaved(
                lambda: _page(f"{base}/t/operator/national", operator_cookie, lua.name),
                lambda: asyncio.run(_sql(db, "operator", today)),
                lambda page, sql: sql["p95_ms"] / page["p95_ms"],
                label="national SQL/page p95 ",
            )
        finally:
            proc.terminate()
            proc.wait(10)
            Path(lua.name).unlink(missing_ok=True)
        dashboard = {k: spread(kept(dash, "a", k)) for k in ("req_per_s", "p95_ms")}
        sql_dashboard = {k: spread(kept(dash, "b", k)) for k in ("req_per_s", "p95_ms")}
        national = {k: spread(kept(nat, "a", k)) for k in ("req_per_s", "p95_ms")}
        sql_national = {k: spread(kept(nat, "b", k)) for k in ("req_per_s", "p95_ms")}
        errors = sum(kept(dash, "a", "errors")) + sum(kept(nat, "a", "errors"))
        print(f"  dashboard page {dashboard} sql {sql_dashboard}", flush=True)
        print(f"  national page {national} sql {sql_national}", flush=True)
        return {
            "dashboard": dashboard,
            "dashboard_sql": sql_dashboard,
            "dashboard_ratio_sql_over_page_p95": dash["ratio_median"],
            "national": national,
            "national_sql": sql_national,
            "national_ratio_sql_over_page_p95": nat["ratio_median"],
            "ratio": dash["ratio_median"],
            "ratio_min": dash["ratio_min"],
            "ratio_max": dash["ratio_max"],
            "national_ratio_min": nat["ratio_min"],
            "national_ratio_max": nat["ratio_max"],
            "target": f"p95 <= {TARGET_DASHBOARD_MS} ms (dashboard), "
            f"<= {TARGET_NATIONAL_MS} ms (national)",
            "met": dashboard["p95_ms"]["median"] <= TARGET_DASHBOARD_MS
            and national["p95_ms"]["median"] <= TARGET_NATIONAL_MS
            and errors == 0,
            "errors": errors,
            "pairs": {"dashboard": dash, "national": nat},
            "setup": setup,
            "workload": {
                "laos": TOTAL,
                "provinces": 76,
                "largest_province": f"{LARGEST} with {LARGEST_N} LAOs",
                "events": f"{LARGEST_N} LAOs x 1,000 events (80 items x 8 steps), COPY; "
                "projected by rebuild(); the other LAOs' lao_overview rows copied from those",
                "readers": READERS,
                "server": "uvicorn, one process",
                "client": f"wrk, one thread, {READERS} connections",
                "method": "interleaved pairs (page, SQL) per view, a first pair dropped as "
                "warm-up; p95s are the medians over the pairs; ratio = median of SQL p95 / "
                "page p95",
                "baseline": f"the same SQL in the same overview transaction, {READERS} asyncpg "
                "connections of the web role",
            },
        }
    finally:
        srv.drop_database(db.name)
