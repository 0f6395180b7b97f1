"""rebuild: rebuilding every projection from 1,000,000 events, against a plain COPY of them.

Setup (not measured): 1,000 tenants x 1,000 domain events (each LAO's plan of 80 items, each
item with its headings, budget and 8 scheduled steps, then completed steps), in the
store's exact format (valid per-tenant sequences and hash chains, computed with
``infra.eventstore.canonical.chain_hash`` over ``StoredEvent.hash_body()``), loaded with COPY
into ``events`` as the owner, ``tenant_heads`` set to each chain's end, then VACUUM ANALYZE and
a CHECKPOINT (as a live table would be).

Measured as interleaved pairs (COPY, rebuild, COPY, rebuild, ...; bench.common.interleaved),
the first pair dropped as a warm-up; the ratio is the median of the pairs' ratios.
Each: ``infra.projections.rebuild.rebuild(conn, *all_projections(), reader=...)``, as
``sujarit projections rebuild`` runs it (one pass per kind; owner connections: one writes the
rows, a second reads the events on the first's snapshot). Baseline, same run:
COPY of the same 1,000,000 rows (same columns) into a plain unindexed ``events_copy``.
ratio = baseline_seconds / rebuild_seconds (target >= 0.2; and the rebuild under 60 s).
Extra: ``verify_log`` over the whole log (what ``sujarit log verify`` runs); it must be ok.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import random
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import asyncpg

from bench.common import (
    BenchDatabase,
    Server,
    interleaved,
    kept,
    make_tenants,
    organisations,
    spread,
)
from domain.plans.events import (
    BudgetSet,
    ItemAdded,
    ItemHeadingsEdited,
    NoBudgetDeclared,
    PlanDrafted,
    StepCompleted,
    StepScheduled,
)
from domain.plans.rounds import TEMPLATE_2561
from domain.plans.values import ItemKind
from domain.registry import event_data
from domain.shared.messages import Event
from infra.db.pool import connect
from infra.eventstore.canonical import GENESIS, chain_hash, dumps, normalise
from infra.eventstore.records import StoredEvent
from infra.eventstore.verify import verify_log
from infra.projections.rebuild import rebuild
from infra.projections.registry import all_projections

NAME = "rebuild"
TENANTS = int(os.environ.get("BENCH_REBUILD_TENANTS", "1000"))
EVENTS_PER_TENANT = 1000
ITEMS = 80
TENANTS_PER_CHUNK = 25
TARGET_RATIO = 0.2
TARGET_SECONDS = 60.0
COLUMNS = (
    "tenant_id",
    "sequence",
    "stream_type",
    "stream_id",
    "version",
    "event_id",
    "event_type",
    "schema_version",
    "data",
    "metadata",
    "recorded_at",
    "prev_hash",
    "hash",
)
EPOCH = datetime(2025, 10, 1, 1, 30, tzinfo=UTC)
ACTORS = tuple(f"user:{i:04d}" for i in range(40))
CATEGORIES = ("การจัดซื้อจัดจ้าง", "ความโปร่งใส", "การมีส่วนร่วมของประชาชน", "จริยธรรม")

Row = tuple[Any, ...]


def _plan_events(rng: random.Random) -> list[tuple[str, uuid.UUID, int, Event]]:
    """One LAO's plan as the domain writes it: (stream type, stream id, version, event).

    A plan of 80 items (project, activity, measure) over the 2566-2570 catalogue, each item
    with its headings, budget and 8 scheduled steps, then steps completed until the tenant has
    EVENTS_PER_TENANT events.
    """
    plan_id = uuid.UUID(int=rng.getrandbits(128), version=4)
    subs = [s.number for d in TEMPLATE_2561.dimensions for s in d.sub_items]
    out: list[tuple[str, uuid.UUID, int, Event]] = [
        (
            "plan",
            plan_id,
            1,
            PlanDrafted("แผนปฏิบัติการป้องกันการทุจริต (พ.ศ. 2566-2570)", 2566, 2570, TEMPLATE_2561),
        )
    ]
    items = []
    for k in range(ITEMS):
        item_id = uuid.UUID(int=rng.getrandbits(128), version=4)
        number = f"{subs[k % len(subs)]}.{k // len(subs) + 1}"
        kind = (ItemKind.PROJECT, ItemKind.ACTIVITY, ItemKind.MEASURE)[k % 3]
        name = f"{kind.thai}{rng.choice(CATEGORIES)} ที่ {k + 1}"
        out.append(("plan", plan_id, k + 2, ItemAdded(item_id, number, kind, name)))
        items.append(item_id)
    for k, item_id in enumerate(items):
        evs: list[Event] = [
            ItemHeadingsEdited(
                rationale="เพื่อป้องกันการทุจริตและส่งเสริมความโปร่งใสในการบริหารราชการ",
                objectives=("เพื่อให้บุคลากรมีจิตสำนึกที่ดี",),
                targets=("บุคลากรทุกคน",),
                area="องค์การบริหารส่วนตำบล",
                fiscal_years=(2566, 2567, 2568, 2569, 2570),
                responsible_unit="สำนักงานปลัด",
            ),
            NoBudgetDeclared()
            if k % 4 == 0
            else BudgetSet({y: Decimal(rng.randint(10, 500) * 100) for y in (2566, 2567, 2568)}),
        ]
        for j in range(1, 9):
            evs.append(
                StepScheduled(
                    f"6.{j}", f"ขั้นตอนที่ {j}", date(2023 + j // 2, 9, 30), None, ("เจ้าหน้าที่",)
                )
            )
        out += [("item", item_id, v, e) for v, e in enumerate(evs, start=1)]
    done = 0
    while len(out) < EVENTS_PER_TENANT:
        k, j = done % ITEMS, done // ITEMS + 1
        out.append(
            ("item", items[k], 10 + j, StepCompleted(f"6.{j}", date(2023 + j // 2, 9, 1), "", ()))
        )
        done += 1
    return out


_METADATA = [(normalise({"actor": a}), dumps(normalise({"actor": a}))) for a in ACTORS]


def tenant_events(tenant_id: uuid.UUID, seed: int) -> tuple[list[Row], int, bytes]:
    """One tenant's log in the store's format: rows for COPY, its last sequence and hash."""
    rng = random.Random(seed)
    tenant_s = str(tenant_id)
    prev = GENESIS
    rows: list[Row] = []
    at = EPOCH + timedelta(seconds=rng.randint(0, 86_400))
    for i, (stream_type, stream, version, event) in enumerate(_plan_events(rng)):
        data = normalise(event_data(event))
        metadata, metadata_json = rng.choice(_METADATA)
        at += timedelta(seconds=rng.randint(60, 3_600), microseconds=rng.randint(0, 999_999))
        ev = StoredEvent(
            tenant_id=tenant_id,
            sequence=i + 1,
            stream_type=stream_type,
            stream_id=stream,
            version=version,
            event_id=uuid.UUID(int=rng.getrandbits(128), version=4),
            event_type=event.event_type(),
            schema_version=event.schema_version,
            data=data,
            metadata=metadata,
            recorded_at=at,
            prev_hash=prev,
            hash=b"",
        )
        h = chain_hash(prev, ev.hash_body())
        rows.append(
            (
                tenant_s,
                ev.sequence,
                ev.stream_type,
                str(ev.stream_id),
                ev.version,
                str(ev.event_id),
                ev.event_type,
                ev.schema_version,
                dumps(data),
                metadata_json,
                ev.recorded_at,
                prev,
                h,
            )
        )
        prev = h
    return rows, EVENTS_PER_TENANT, prev


def generate_chunk(tenants: list[tuple[uuid.UUID, int]]) -> tuple[list[Row], list[Row]]:
    """Rows of several tenants, and their heads (tenant, sequence, last hash)."""
    rows: list[Row] = []
    heads: list[Row] = []
    for tenant_id, seed in tenants:
        r, seq, last = tenant_events(tenant_id, seed)
        rows.extend(r)
        heads.append((tenant_id, seq, last))
    return rows, heads


async def load(db: BenchDatabase) -> tuple[list[list[Row]], dict[str, float]]:
    """Make the tenants, generate their logs (in processes) and COPY them into ``events``."""
    timings: dict[str, float] = {}
    started = time.perf_counter()
    conn = await connect(db.owner_url)
    try:
        await make_tenants(conn, TENANTS)
    finally:
        await conn.close()
    tenant_ids = [o.id for o in organisations(TENANTS)]
    jobs = [
        [(t, n) for n, t in enumerate(tenant_ids[i : i + TENANTS_PER_CHUNK], start=i)]
        for i in range(0, TENANTS, TENANTS_PER_CHUNK)
    ]
    chunks: list[list[Row]] = []
    heads: list[Row] = []
    copy_seconds = 0.0
    raw = await asyncpg.connect(db.owner_url)  # default codecs: JSONB as canonical text
    ctx = multiprocessing.get_context("spawn")
    try:
        with ctx.Pool(max(1, os.cpu_count() or 1)) as pool:
            results = pool.imap_unordered(generate_chunk, jobs)
            while True:
                item = await asyncio.to_thread(next, results, None)
                if item is None:
                    break
                rows, chunk_heads = item
                t0 = time.perf_counter()
                # one transaction per chunk (several writing xids, as a live log has)
                await raw.copy_records_to_table("events", records=rows, columns=COLUMNS)
                copy_seconds += time.perf_counter() - t0
                chunks.append(rows)
                heads.extend(chunk_heads)
        timings["generate_and_load_s"] = round(time.perf_counter() - started, 1)
        timings["load_copy_s"] = round(copy_seconds, 1)
        await raw.executemany(
            "UPDATE tenant_heads SET sequence = $2, last_hash = $3 WHERE tenant_id = $1", heads
        )
        t0 = time.perf_counter()
        await raw.execute("VACUUM (ANALYZE) events")
        timings["vacuum_analyze_s"] = round(time.perf_counter() - t0, 1)
    finally:
        await raw.close()
    return chunks, timings


async def checkpoint(url: str) -> None:
    conn = await asyncpg.connect(url)
    try:
        await conn.execute("CHECKPOINT")
    finally:
        await conn.close()


async def baseline_copy(db: BenchDatabase, rows: list[Row]) -> float:
    """COPY of the same rows (same columns) into a plain unindexed table (made anew)."""
    conn = await asyncpg.connect(db.owner_url)
    try:
        await conn.execute("DROP TABLE IF EXISTS events_copy")
        await conn.execute("CREATE TABLE events_copy (LIKE events INCLUDING DEFAULTS)")
        await checkpoint(db.owner_url)
        t0 = time.perf_counter()
        await conn.copy_records_to_table("events_copy", records=rows, columns=COLUMNS)
        return time.perf_counter() - t0
    finally:
        await conn.close()


async def measure_rebuilds(db: BenchDatabase, events: int) -> dict[str, dict[str, Any]]:
    """All projections, as `sujarit projections rebuild` does it: one pass per kind."""
    await checkpoint(db.owner_url)
    conn = await connect(db.owner_url)
    reader = await connect(db.owner_url)  # as the CLI: events read on a second connection
    try:
        t0 = time.perf_counter()
        await rebuild(conn, *all_projections().values(), reader=reader)
        seconds = time.perf_counter() - t0
    finally:
        await reader.close()
        await conn.close()
    print(f"  rebuild all: {seconds:.2f} s ({events / seconds:,.0f} events/s)", flush=True)
    return {
        "all": {
            "seconds": round(seconds, 2),
            "events_per_s": round(events / seconds),
            "projections": sorted(all_projections()),
        }
    }


async def check_read_models(db: BenchDatabase) -> dict[str, Any]:
    """The rebuilt rows are what the events say (a sanity check, not measured)."""
    conn = await asyncpg.connect(db.owner_url)
    try:
        items = await conn.fetchval("SELECT count(*) FROM item_views")
        steps = await conn.fetchrow(
            "SELECT count(*) AS total, count(*) FILTER (WHERE status = 'completed') AS done "
            "FROM step_deadlines"
        )
        plans = await conn.fetchval("SELECT count(*) FROM plan_views")
        activity = await conn.fetchrow(
            "SELECT count(*) AS tenants, min(event_count) AS min_events, "
            "max(event_count) AS max_events, min(last_sequence) AS min_last FROM tenant_activity"
        )
    finally:
        await conn.close()
    ok = (
        plans == TENANTS
        and items == TENANTS * ITEMS
        and steps["total"] == TENANTS * ITEMS * 8
        and steps["done"] == TENANTS * (EVENTS_PER_TENANT - 1 - ITEMS - ITEMS * 10)
        and activity["tenants"] == TENANTS
        and activity["min_events"] == activity["max_events"] == EVENTS_PER_TENANT
        and activity["min_last"] == EVENTS_PER_TENANT
    )
    return {
        "ok": ok,
        "plans": plans,
        "items": items,
        "steps": dict(steps),
        "activity": dict(activity),
    }


async def measure_verify(db: BenchDatabase) -> dict[str, Any]:
    conn = await connect(db.owner_url)
    try:
        t0 = time.perf_counter()
        report = await verify_log(conn)
        seconds = time.perf_counter() - t0
    finally:
        await conn.close()
    print(
        f"  verify_log: {seconds:.2f} s, {report.events:,} events, ok={report.ok}",
        flush=True,
    )
    return {
        "seconds": round(seconds, 2),
        "events": report.events,
        "tenants": report.tenants,
        "events_per_s": round(report.events / seconds),
        "ok": report.ok,
        "broken": [str(b) for b in report.broken[:5]],
    }


async def _measure(db: BenchDatabase) -> dict[str, Any]:
    print(f"  generating and loading {TENANTS * EVENTS_PER_TENANT:,} events ...", flush=True)
    chunks, setup = await load(db)
    events = sum(len(c) for c in chunks)
    rows = [r for chunk in chunks for r in chunk]
    del chunks
    print(f"  loaded in {setup['generate_and_load_s']} s", flush=True)
    loop = asyncio.get_running_loop()

    def copy_once() -> dict[str, Any]:
        seconds = asyncio.run_coroutine_threadsafe(baseline_copy(db, rows), loop).result()
        print(f"  COPY into events_copy: {seconds:.2f} s", flush=True)
        return {"seconds": round(seconds, 2)}

    def rebuild_once() -> dict[str, Any]:
        figures = asyncio.run_coroutine_threadsafe(measure_rebuilds(db, events), loop).result()
        return dict(figures["all"])

    # interleaved() is synchronous: run it in a thread while this loop serves its coroutines.
    pairs = await asyncio.to_thread(
        interleaved,
        copy_once,
        rebuild_once,
        lambda cp, rb: cp["seconds"] / rb["seconds"],
        label="COPY/rebuild ",
    )
    read_models = await check_read_models(db)
    verify = await measure_verify(db)
    rebuild_s = spread(kept(pairs, "b", "seconds"))
    copy_s = spread(kept(pairs, "a", "seconds"))
    ratio = pairs["ratio_median"]
    return {
        "events": events,
        "rebuild_seconds": rebuild_s["median"],
        "rebuild_seconds_spread": rebuild_s,
        "events_per_s": round(events / rebuild_s["median"]),
        "baseline_copy_seconds": copy_s["median"],
        "baseline_copy_seconds_spread": copy_s,
        "baseline_rows_per_s": round(events / copy_s["median"]),
        "ratio": ratio,
        "ratio_min": pairs["ratio_min"],
        "ratio_max": pairs["ratio_max"],
        "target": TARGET_RATIO,
        "target_rebuild_seconds": TARGET_SECONDS,
        "met": ratio >= TARGET_RATIO
        and rebuild_s["median"] < TARGET_SECONDS
        and verify["ok"]
        and read_models["ok"],
        "pairs": pairs,
        "verify": verify,
        "read_models_check": read_models,
        "setup": setup,
        "workload": {
            "tenants": TENANTS,
            "events_per_tenant": EVENTS_PER_TENANT,
            "items_per_tenant": ITEMS,
            "events": "per LAO a plan of 80 items: headings, budget, 8 steps; steps completed",
            "events_per_s_means": "events in the log / seconds to rebuild all projections",
            "baseline": "asyncpg copy_records_to_table of the same rows into "
            "events_copy (LIKE events INCLUDING DEFAULTS), no index",
            "method": f"interleaved pairs (COPY, rebuild) x {pairs['pairs']}, a first pair "
            "dropped as warm-up; ratio = median of COPY s / rebuild s per pair; a CHECKPOINT "
            "before each",
        },
    }


def run(srv: Server) -> dict[str, Any]:
    db = srv.fresh_database()
    try:
        return asyncio.run(_measure(db))
    finally:
        srv.drop_database(db.name)
