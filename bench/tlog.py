"""tlog: the transparency log at 1,000,000 leaves: p95 of inclusion proofs, and what the log
costs an append (the tree's trigger) and a checkpoint.

- One LAO's tree of 1,000,000 leaves: random 32-byte leaf inputs, every complete subtree's
  hash computed in Python (``domain.ledger.merkle.all_nodes``, the same nodes the append
  trigger writes; tests/integration/test_tlog.py checks the trigger's nodes against it) and
  COPied into ``tlog_nodes``. No events rows: the proofs read only the tree.
- Inclusion proofs: ``services.usecases.ledger_public.inclusion`` (the endpoint's use case: a
  read-only transaction as ``sujarit_public``, the tree size, one query for the ~2 log2(n)
  nodes, the leaf) for random indexes in the tree of 1,000,000, one client, over the web role's
  pool; each proof is checked against the root (RFC 9162 verification) outside the timing.
  Consistency proofs likewise (random old size).
- Append cost: ``PostgresEventStore.append`` of one event per call, one client, with the tree
  trigger enabled (for a second LAO) and disabled (for a third), alternating blocks, same run.
- Checkpoint issue: ``services.usecases.ledger.issue_checkpoint`` (tree size, root, Ed25519
  signature, insert, records) for the 1,000,000-leaf tree, no witnesses.

ratio = 5 ms / inclusion p95 (target >= 1: p95 <= 5 ms).
"""

from __future__ import annotations

import asyncio
import os
import random
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from bench.common import Server, make_tenants, percentile
from domain.ledger import merkle
from domain.ledger.note import ED25519
from infra.db.pool import connect, create_pool
from infra.eventstore.postgres import PostgresEventStore
from infra.eventstore.records import NewEvent
from infra.projections.registry import inline_projections
from infra.settings import Settings
from infra.tlog.keys import generate
from services.usecases import ledger_public as lp
from services.usecases.ledger import issue_checkpoint

NAME = "tlog"
LEAVES = int(os.environ.get("BENCH_TLOG_LEAVES", "1000000"))
PROOFS = int(os.environ.get("BENCH_TLOG_PROOFS", "3000"))
APPENDS = int(os.environ.get("BENCH_TLOG_APPENDS", "400"))
TARGET_MS = 5.0


async def _load(owner_url: str, tenant: uuid.UUID) -> tuple[float, bytes]:
    rng = random.Random(20)
    leaves = [rng.randbytes(32) for _ in range(LEAVES)]
    started = time.perf_counter()
    nodes = merkle.all_nodes(leaves)
    build = time.perf_counter() - started
    conn = await connect(owner_url)
    try:
        await conn.copy_records_to_table(
            "tlog_nodes",
            records=(
                (tenant, lv, i, h, leaves[i] if lv == 0 else None) for (lv, i), h in nodes.items()
            ),
            columns=["tenant_id", "level", "idx", "hash", "leaf"],
        )
        await conn.execute("ANALYZE tlog_nodes")
    finally:
        await conn.close()
    return build, merkle.all_nodes_root(leaves)


async def _proofs(app_url: str, code: str, root: bytes) -> dict[str, Any]:
    pool = await create_pool(app_url, min_size=1, max_size=2)
    rng = random.Random(7)
    inc: list[float] = []
    cpu: list[float] = []
    con: list[float] = []
    try:
        for _ in range(200):  # warm-up
            await lp.inclusion(pool, code, rng.randrange(LEAVES), LEAVES)
        for _ in range(PROOFS):
            i = rng.randrange(LEAVES)
            t, c = time.perf_counter(), time.process_time()
            body = await lp.inclusion(pool, code, i, LEAVES)
            inc.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
            proof = [merkle_b64(p) for p in body["proof"]]
            assert merkle.verify_inclusion(i, LEAVES, merkle_b64(body["leaf"]), proof, root)
        for _ in range(PROOFS // 3):
            old = rng.randrange(1, LEAVES)
            t = time.perf_counter()
            await lp.consistency(pool, code, old, LEAVES)
            con.append((time.perf_counter() - t) * 1000)
        server = await _server_side(pool, code, rng)
    finally:
        await pool.close()
    inc.sort()
    cpu.sort()
    con.sort()
    return {
        "inclusion_ms": {q: round(percentile(inc, p), 3) for q, p in _QS},
        # CPU-side: this process's CPU per proof (the use case, asyncpg, JSON-ready base64),
        # and the server's execution time of the proof's one statement (EXPLAIN ANALYZE)
        "inclusion_client_cpu_ms": {q: round(percentile(cpu, p), 3) for q, p in _QS},
        "inclusion_server_exec_ms": server,
        "consistency_ms": {q: round(percentile(con, p), 3) for q, p in _QS},
        "proof_hashes": len(proof),
    }


_QS = (("p50", 50), ("p95", 95), ("p99", 99))


async def _server_side(pool: Any, code: str, rng: random.Random) -> dict[str, float]:
    """The server's own execution time of the proof statement (no network, no client), for
    ``PROOFS // 3`` random indexes: EXPLAIN (ANALYZE) of the same statement and arguments."""
    import json

    from infra.tlog.store import PROOF_NODES

    times: list[float] = []
    async with pool.acquire() as conn:
        for _ in range(PROOFS // 3):
            i = rng.randrange(LEAVES)
            ranges = merkle.inclusion_ranges(i, LEAVES)
            need = [*merkle.nodes_for(ranges), (0, i), (0, LEAVES - 1)]
            plan = await conn.fetchval(
                "EXPLAIN (ANALYZE, FORMAT JSON) " + PROOF_NODES,
                code,
                [n[0] for n in need],
                [n[1] for n in need],
            )
            found = json.loads(plan) if isinstance(plan, str) else plan
            times.append(float(found[0]["Execution Time"]))
    times.sort()
    return {q: round(percentile(times, p), 3) for q, p in _QS}


def merkle_b64(s: str) -> bytes:
    import base64

    return base64.b64decode(s)


async def _appends(
    app_url: str, owner_url: str, tenant: uuid.UUID, untreed: uuid.UUID
) -> dict[str, Any]:
    """Blocks with the trigger on append to ``tenant``; blocks with it off to ``untreed`` (a
    tree missing leaves could not grow again)."""
    pool = await create_pool(app_url, min_size=1, max_size=2)
    owner = await connect(owner_url)
    store = PostgresEventStore(pool, projections=inline_projections())
    times: dict[bool, list[float]] = {True: [], False: []}
    streams = {True: (tenant, uuid.uuid4()), False: (untreed, uuid.uuid4())}
    versions = {True: 0, False: 0}
    try:
        for block in range(8):
            on = block % 2 == 0
            await owner.execute(
                f"ALTER TABLE events {'ENABLE' if on else 'DISABLE'} TRIGGER tlog_add_leaf"
            )
            for _ in range(APPENDS // 8):
                who, stream = streams[on]
                t = time.perf_counter()
                await store.append(who, stream, "Bench", versions[on], [NewEvent("Ticked", {})])
                times[on].append((time.perf_counter() - t) * 1000)
                versions[on] += 1
        await owner.execute("ALTER TABLE events ENABLE TRIGGER tlog_add_leaf")
    finally:
        await owner.close()
        await pool.close()
    on, off = sorted(times[True]), sorted(times[False])
    return {
        "append_with_tree_ms": {q: round(percentile(on, p), 3) for q, p in _QS},
        "append_without_tree_ms": {q: round(percentile(off, p), 3) for q, p in _QS},
        "tree_cost_per_append_ms_p50": round(percentile(on, 50) - percentile(off, 50), 3),
    }


async def _checkpoint(projector_url: str, tenant: uuid.UUID, code: str) -> dict[str, Any]:
    pool = await create_pool(projector_url, min_size=1, max_size=2)
    signer = generate("bench.sujarit.local", ED25519)
    try:
        t = time.perf_counter()
        issued = await issue_checkpoint(pool, signer, [], tenant, code, now=datetime.now(UTC))
        ms = (time.perf_counter() - t) * 1000
        assert issued.new and issued.size == LEAVES
    finally:
        await pool.close()
    return {"checkpoint_issue_ms": round(ms, 2)}


def run(srv: Server) -> dict[str, Any]:
    db = srv.fresh_database()
    try:
        settings = Settings(database_url=db.owner_url)

        async def _all() -> dict[str, Any]:
            conn = await connect(db.owner_url)
            try:
                orgs = await make_tenants(conn, 3)
            finally:
                await conn.close()
            big, small, untreed = orgs
            started = time.perf_counter()
            build, root = await _load(db.owner_url, big.id)
            load = time.perf_counter() - started
            proofs = await _proofs(db.app_url, big.code, root)
            appends = await _appends(db.app_url, db.owner_url, small.id, untreed.id)
            cp = await _checkpoint(settings.projector_url, big.id, big.code)
            return {
                "leaves": LEAVES,
                "tree_build_s": round(build, 2),
                "tree_build_and_copy_s": round(load, 2),
                **proofs,
                **appends,
                **cp,
            }

        figures = asyncio.run(_all())
    finally:
        srv.drop_database()
    p95 = figures["inclusion_ms"]["p95"]
    figures["load_average"] = [round(x, 2) for x in os.getloadavg()]
    print(
        f"tlog: {LEAVES:,} leaves; inclusion p50 {figures['inclusion_ms']['p50']} ms, "
        f"p95 {p95} ms (client CPU p95 {figures['inclusion_client_cpu_ms']['p95']} ms, "
        f"server execution p95 {figures['inclusion_server_exec_ms']['p95']} ms); "
        f"consistency p95 {figures['consistency_ms']['p95']} ms; append "
        f"p50 {figures['append_with_tree_ms']['p50']} ms with the tree, "
        f"{figures['append_without_tree_ms']['p50']} ms without; checkpoint "
        f"{figures['checkpoint_issue_ms']} ms; load average {figures['load_average']}",
        flush=True,
    )
    return {
        **figures,
        "baseline": "none: the target is absolute (inclusion p95 <= 5 ms)",
        "ratio": round(TARGET_MS / p95, 3),
        "target": 1.0,
        "met": p95 <= TARGET_MS,
    }
