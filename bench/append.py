"""append: events/s of the event store under 16 concurrent clients over 1,000 tenants.

Each command appends one event (a Thai ``StepCompleted``-like payload) to a stream of its client
for a random tenant, with the right expected version, through ``PostgresEventStore`` (web role,
RLS on, the inline projections in the same transaction). The stream type is a neutral "bench":
the domain's read models (plans, items) are not written; this measures the store itself.
Measured in the same run, on the same database, at the same concurrency:

- baseline (``raw``): a raw asyncpg loop per client: a transaction that sets the tenant and
  INSERTs one row into a plain table ``raw_events`` (no index, no RLS), as the web role;
- ``eventsourcing`` 9.5: its PostgreSQL application recorder (the one an eventsourcing
  Application uses: a global notification log, serialised by a table lock) inserting one
  StoredEvent per command from 16 threads; its aggregate recorder (no log, no lock) is reported
  beside it.

Measured as interleaved pairs (bench.common.interleaved): store, then raw and eventsourcing,
again and again, the first pair dropped as a warm-up. ratio = median over the pairs of
store / raw (target >= 0.5); vs_eventsourcing = store / eventsourcing application
recorder (target >= 1.5). Latency percentiles are per command (store: one ``append`` call).
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import threading
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import asyncpg

from bench.common import (
    BenchDatabase,
    Server,
    interleaved,
    make_tenants,
    percentile,
    postgres_cpu_seconds,
    spread,
    url_parts,
)
from infra.db.pool import connect, create_pool
from infra.eventstore.postgres import PostgresEventStore
from infra.eventstore.records import NewEvent
from infra.projections.registry import inline_projections
from infra.settings import APP_ROLE

NAME = "append"
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "16"))
TENANTS = 1000
WARMUP = float(os.environ.get("BENCH_WARMUP", "1"))  # per run, not counted
DURATION = float(os.environ.get("BENCH_DURATION", "5"))  # per run of a pair
TARGET_RATIO = 0.5
TARGET_VS_EVENTSOURCING = 1.5
STREAM_NS = uuid.UUID("7d1c3a90-51e2-4c77-9b0e-3f6a2d8c4b15")

STEPS = (
    "จัดประชุมชี้แจงแผนปฏิบัติการป้องกันการทุจริตแก่บุคลากร",
    "เผยแพร่ประกาศเจตจำนงสุจริตของผู้บริหารทางเว็บไซต์",
    "ตรวจสอบการจัดซื้อจัดจ้างตามระเบียบกระทรวงการคลัง",
    "รับฟังความคิดเห็นของประชาชนต่อร่างข้อบัญญัติงบประมาณ",
    "อบรมประมวลจริยธรรมสำหรับพนักงานส่วนตำบล",
)
PEOPLE = ("นางสาวสมศรี ใจดี", "นายสมชาย รักชาติ", "นางมาลี ศรีสุข", "นายประเสริฐ มั่นคง")
NOTES = (
    "ดำเนินการแล้วเสร็จ มีผู้เข้าร่วม {n} คน",
    "แนบรายงานการประชุมและภาพถ่ายกิจกรรม {n} ภาพ",
    "ไม่พบข้อร้องเรียนในไตรมาสนี้ ตรวจสอบเอกสาร {n} ฉบับ",
)


def payload(rng: random.Random, step: int) -> dict[str, Any]:
    """A small, realistic StepCompleted body (about 400 bytes of UTF-8)."""
    return {
        "step": step,
        "title": rng.choice(STEPS),
        "completed_on": f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "completed_by": rng.choice(PEOPLE),
        "note": rng.choice(NOTES).format(n=rng.randint(3, 120)),
        "budget_used": Decimal(rng.randint(0, 5_000_000)) / 100,
        "attachments": rng.randint(0, 5),
    }


def plain(data: dict[str, Any]) -> dict[str, Any]:
    """The same payload, JSON-native (what the raw loop and eventsourcing store)."""
    return {k: str(v) if isinstance(v, Decimal) else v for k, v in data.items()}


@dataclass
class Phase:
    """One measured workload: completions inside [start, end] count."""

    name: str
    count: int = 0
    errors: int = 0
    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0
    client_cpu: float | None = None
    server_cpu: float | None = None

    def record(self, t0: float, t1: float, start: float, end: float) -> None:
        if start <= t1 <= end:
            self.count += 1
            self.latencies.append(t1 - t0)

    def summary(self) -> dict[str, Any]:
        lat = sorted(self.latencies)
        ms = 1000.0
        out: dict[str, Any] = {
            "events": self.count,
            "seconds": self.seconds,
            "events_per_s": round(self.count / self.seconds, 1),
            "latency_ms": {
                "p50": round(percentile(lat, 50) * ms, 2),
                "p95": round(percentile(lat, 95) * ms, 2),
                "p99": round(percentile(lat, 99) * ms, 2),
                "max": round(lat[-1] * ms, 2) if lat else None,
            },
            "errors": self.errors,
        }
        if self.count and self.client_cpu is not None:
            out["client_cpu_us_per_event"] = round(self.client_cpu / self.count * 1e6, 1)
        if self.count and self.server_cpu is not None:
            out["server_cpu_us_per_event"] = round(self.server_cpu / self.count * 1e6, 1)
        return out


def _cpu() -> tuple[float, float | None]:
    return time.process_time(), postgres_cpu_seconds()


def _cpu_delta(phase: Phase, before: tuple[float, float | None]) -> None:
    after = _cpu()
    phase.client_cpu = after[0] - before[0]
    if before[1] is not None and after[1] is not None:
        phase.server_cpu = after[1] - before[1]


Op = Callable[[], Awaitable[None]]


async def drive_async(phase: Phase, make_ops: list[Op]) -> Phase:
    """Run one op loop per client for WARMUP + DURATION seconds; count the window."""
    begin = time.perf_counter()
    start, end = begin + WARMUP, begin + WARMUP + DURATION
    phase.seconds = DURATION

    async def client(op: Op) -> None:
        while (t0 := time.perf_counter()) < end:
            await op()
            phase.record(t0, time.perf_counter(), start, end)

    async def sampler() -> None:
        await asyncio.sleep(max(0.0, start - time.perf_counter()))
        before = _cpu()
        await asyncio.sleep(max(0.0, end - time.perf_counter()))
        _cpu_delta(phase, before)

    await asyncio.gather(sampler(), *(client(op) for op in make_ops))
    return phase


def drive_threads(phase: Phase, ops: list[Callable[[], None]]) -> Phase:
    begin = time.perf_counter()
    start, end = begin + WARMUP, begin + WARMUP + DURATION
    phase.seconds = DURATION
    lock = threading.Lock()
    failures: list[BaseException] = []

    def client(op: Callable[[], None]) -> None:
        try:
            while (t0 := time.perf_counter()) < end:
                op()
                t1 = time.perf_counter()
                with lock:
                    phase.record(t0, t1, start, end)
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=client, args=(op,), daemon=True) for op in ops]
    for t in threads:
        t.start()
    time.sleep(max(0.0, start - time.perf_counter()))
    before = _cpu()
    time.sleep(max(0.0, end - time.perf_counter()))
    _cpu_delta(phase, before)
    for t in threads:
        t.join()
    if failures:
        raise failures[0]
    return phase


RUNS = [0]  # each run of a phase appends to streams of its own (pairs repeat the phases)


def stream_of(client: int, tenant: uuid.UUID) -> uuid.UUID:
    return uuid.uuid5(STREAM_NS, f"{RUNS[0]}:{client}:{tenant}")


async def checkpoint(owner_url: str) -> None:
    """Start each phase from a clean checkpoint, so one does not pay for another's WAL."""
    conn = await asyncpg.connect(owner_url)
    try:
        await conn.execute("CHECKPOINT")
    finally:
        await conn.close()


async def setup(db: BenchDatabase) -> list[uuid.UUID]:
    conn = await connect(db.owner_url)
    try:
        orgs = await make_tenants(conn, TENANTS)
        await conn.execute("""
            CREATE TABLE raw_events (
                tenant_id uuid NOT NULL,
                seq bigserial,
                data jsonb NOT NULL,
                recorded_at timestamptz NOT NULL
            )""")
        await conn.execute(f"GRANT INSERT ON raw_events TO {APP_ROLE}")
        await conn.execute(f"GRANT USAGE ON SEQUENCE raw_events_seq_seq TO {APP_ROLE}")
    finally:
        await conn.close()
    return [o.id for o in orgs]


async def run_store(db: BenchDatabase, tenants: list[uuid.UUID]) -> Phase:
    pool = await create_pool(db.app_url, min_size=CLIENTS, max_size=CLIENTS)
    store = PostgresEventStore(pool, projections=inline_projections())

    def make(c: int) -> Op:
        rng = random.Random(1000 + c)
        versions: dict[uuid.UUID, int] = {}
        actor = f"bench:client-{c}"

        async def op() -> None:
            t = rng.choice(tenants)
            v = versions.get(t, 0)
            event = NewEvent("StepCompleted", payload(rng, v + 1))
            await store.append(t, stream_of(c, t), "bench", v, [event], metadata={"actor": actor})
            versions[t] = v + 1

        return op

    try:
        return await drive_async(Phase("store"), [make(c) for c in range(CLIENTS)])
    finally:
        await pool.close()


async def run_raw(db: BenchDatabase, tenants: list[uuid.UUID]) -> Phase:
    pool = await create_pool(db.app_url, min_size=CLIENTS, max_size=CLIENTS)
    conns = [await pool.acquire() for _ in range(CLIENTS)]

    def make(c: int) -> Op:
        rng = random.Random(1000 + c)
        conn = conns[c]

        async def op() -> None:
            t = rng.choice(tenants)
            data = plain(payload(rng, 1))
            async with conn.transaction():
                await conn.execute("SELECT set_config('app.tenant_id', $1, true)", str(t))
                await conn.execute(
                    "INSERT INTO raw_events (tenant_id, data, recorded_at) VALUES ($1, $2, $3)",
                    t,
                    data,
                    datetime.now(UTC),
                )

        return op

    try:
        return await drive_async(Phase("raw"), [make(c) for c in range(CLIENTS)])
    finally:
        for conn in conns:
            await pool.release(conn)
        await pool.close()


def run_eventsourcing(db: BenchDatabase, tenants: list[uuid.UUID], *, recorder: str) -> Phase:
    """16 threads appending through eventsourcing's PostgreSQL recorder (owner connection)."""
    from eventsourcing.persistence import StoredEvent
    from eventsourcing.postgres import PostgresFactory

    p = url_parts(db.owner_url)
    factory = PostgresFactory(
        {
            "POSTGRES_DBNAME": p["dbname"],
            "POSTGRES_HOST": p["host"],
            "POSTGRES_PORT": p["port"],
            "POSTGRES_USER": p["user"],
            "POSTGRES_PASSWORD": p["password"],
            "POSTGRES_POOL_SIZE": str(CLIENTS),
            "POSTGRES_MAX_OVERFLOW": "0",
        }
    )
    if recorder == "application":
        rec: Any = factory.application_recorder()  # table "stored_events"
    else:
        rec = factory.aggregate_recorder("aggregate_events")  # "stored_aggregate_events"

    def make(c: int) -> Callable[[], None]:
        rng = random.Random(1000 + c)
        versions: dict[uuid.UUID, int] = {}

        def op() -> None:
            t = rng.choice(tenants)
            v = versions.get(t, 0) + 1
            state = json.dumps(plain(payload(rng, v)), ensure_ascii=False).encode()
            rec.insert_events(
                [StoredEvent(stream_of(c, t), v, "bench.append:StepCompleted", state)]
            )
            versions[t] = v

        return op

    try:
        factory.datastore.pool.open(wait=True)
        return drive_threads(Phase(f"eventsourcing_{recorder}"), [make(c) for c in range(CLIENTS)])
    finally:
        factory.close()


def _phase(db: BenchDatabase, tenants: list[uuid.UUID], name: str) -> dict[str, Any]:
    runs: dict[str, Callable[[], Phase]] = {
        "raw": lambda: asyncio.run(run_raw(db, tenants)),
        "store": lambda: asyncio.run(run_store(db, tenants)),
        "eventsourcing_application": lambda: run_eventsourcing(db, tenants, recorder="application"),
        "eventsourcing_aggregate": lambda: run_eventsourcing(db, tenants, recorder="aggregate"),
    }
    asyncio.run(checkpoint(db.owner_url))
    RUNS[0] += 1
    s = runs[name]().summary()
    print(
        f"  {name}: {s['events_per_s']:,.0f} events/s, "
        f"p50 {s['latency_ms']['p50']} ms, p95 {s['latency_ms']['p95']} ms",
        flush=True,
    )
    return s


def run(srv: Server) -> dict[str, Any]:
    db = srv.fresh_database()
    try:
        tenants = asyncio.run(setup(db))

        def baselines() -> dict[str, Any]:
            return {
                "raw": _phase(db, tenants, "raw"),
                "eventsourcing_application": _phase(db, tenants, "eventsourcing_application"),
            }

        pairs = interleaved(
            lambda: _phase(db, tenants, "store"),
            baselines,
            lambda st, b: st["events_per_s"] / b["raw"]["events_per_s"],
            label="store/raw ",
        )
        aggregate = _phase(db, tenants, "eventsourcing_aggregate")
        stored = asyncio.run(_count_events(db))
    finally:
        srv.drop_database(db.name)

    runs = [x for x in pairs["runs"] if not x["warmup_dropped"]]
    store_s = spread([x["a"]["events_per_s"] for x in runs], 1)
    raw_s = spread([x["b"]["raw"]["events_per_s"] for x in runs], 1)
    es_s = spread([x["b"]["eventsourcing_application"]["events_per_s"] for x in runs], 1)
    vs = [
        x["a"]["events_per_s"] / x["b"]["eventsourcing_application"]["events_per_s"] for x in runs
    ]
    vs_es = spread(vs, 3)
    ratio = pairs["ratio_median"]
    return {
        "events_per_s": store_s["median"],
        "events_per_s_spread": store_s,
        "raw_events_per_s": raw_s["median"],
        "raw_events_per_s_spread": raw_s,
        "eventsourcing_events_per_s": es_s["median"],
        "eventsourcing_events_per_s_spread": es_s,
        "eventsourcing_aggregate_events_per_s": aggregate["events_per_s"],
        "p95_ms": spread([x["a"]["latency_ms"]["p95"] for x in runs]),
        "ratio": ratio,
        "ratio_min": pairs["ratio_min"],
        "ratio_max": pairs["ratio_max"],
        "target": TARGET_RATIO,
        "vs_eventsourcing": vs_es["median"],
        "vs_eventsourcing_spread": vs_es,
        "vs_eventsourcing_target": TARGET_VS_EVENTSOURCING,
        "met": ratio >= TARGET_RATIO and vs_es["median"] >= TARGET_VS_EVENTSOURCING,
        "met_ratio": ratio >= TARGET_RATIO,
        "met_vs_eventsourcing": vs_es["median"] >= TARGET_VS_EVENTSOURCING,
        "pairs": pairs,
        "eventsourcing_aggregate": aggregate,
        "events_in_store_after": stored,
        "workload": {
            "clients": CLIENTS,
            "tenants": TENANTS,
            "warmup_s_per_run": WARMUP,
            "duration_s_per_run": DURATION,
            "method": f"interleaved pairs (store; raw then eventsourcing application recorder) "
            f"x {pairs['pairs']}, a first pair dropped as warm-up; ratio = median of the "
            "pairs' store/raw; vs_eventsourcing = median of store/eventsourcing per pair; a "
            "CHECKPOINT before each run",
            "events_per_command": 1,
            "store": "PostgresEventStore.append as the web role (RLS), inline projections "
            "registered (none applies to the neutral 'bench' stream type); one stream per "
            "(client, tenant), correct expected version",
            "raw": "asyncpg, own connection per client, web role: BEGIN; set_config "
            "app.tenant_id; INSERT one row into raw_events (no index, no RLS); COMMIT",
            "eventsourcing": "eventsourcing 9.5 PostgresFactory, 16 threads, pool 16, owner "
            "connection; insert_events([StoredEvent]) one event per call",
        },
    }


async def _count_events(db: BenchDatabase) -> int:
    conn = await asyncpg.connect(db.owner_url)
    try:
        return int(await conn.fetchval("SELECT count(*) FROM events"))
    finally:
        await conn.close()
