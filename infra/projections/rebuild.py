"""Drop read models' rows and rebuild them from the events, in one pass (run as the owner)."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Sequence

import asyncpg

from infra.eventstore.records import StoredEvent
from infra.projections.base import Projection
from infra.projections.projector import lock_checkpoint, save_checkpoint
from infra.projections.registry import async_projections

_BATCH = 20_000
_ZERO = "00000000-0000-0000-0000-000000000000"


def _query(
    projections: Sequence[Projection], order: str, where: str = "", *, all_streams: bool = False
) -> str:
    """Only what the projections use: data when one needs it, streams of their types."""
    needs_data = any(p.needs_data for p in projections)
    types = [None if all_streams else p.stream_types for p in projections]
    conds = [where] if where else []
    if all(t is not None for t in types):
        wanted = sorted(set().union(*[t for t in types if t is not None]))
        conds.append("stream_type IN (" + ", ".join(f"'{t}'" for t in wanted) + ")")
    # Data as text: the projection decodes it where it folds it.
    data = "data::text AS data" if needs_data else "NULL::text AS data"
    return (
        "SELECT tenant_id, sequence, stream_type, stream_id, version, event_id, event_type, "
        f"schema_version, {data}, recorded_at, "
        "xid::text::bigint AS xid FROM events"
        + (" WHERE " + " AND ".join(conds) if conds else "")
        + f" ORDER BY {order}"
    )


_FIELDS = (
    "tenant_id",
    "sequence",
    "stream_type",
    "stream_id",
    "version",
    "event_id",
    "event_type",
    "schema_version",
    "data",
    "recorded_at",
    "xid",
)


def _event(r: asyncpg.Record) -> StoredEvent:
    # The hot path of a rebuild (a million rows): fill the frozen dataclass directly rather
    # than through its __init__ (same fields, same values; hashes and metadata left empty).
    ev = object.__new__(StoredEvent)
    ev.__dict__.update(zip(_FIELDS, r.values(), strict=True), metadata={}, prev_hash=b"", hash=b"")
    if ev.data is None:
        ev.__dict__["data"] = {}
    return ev


async def _batches(conn: asyncpg.Connection, query: str) -> AsyncIterator[list[StoredEvent]]:
    cursor = await conn.cursor(query)
    while rows := await cursor.fetch(_BATCH):
        yield [_event(r) for r in rows]


async def _replay(
    conn: asyncpg.Connection, projections: Sequence[Projection], query: str
) -> StoredEvent | None:
    # A rebuild makes millions of short-lived objects and keeps many: without this, the
    # cyclic collector walks them over and over (none of them form cycles it must free).
    gc_was_on = gc.isenabled()
    gc.disable()
    try:
        return await _replay_all(conn, projections, query)
    finally:
        if gc_was_on:
            gc.enable()


async def _replay_all(
    conn: asyncpg.Connection, projections: Sequence[Projection], query: str
) -> StoredEvent | None:
    rebuilders = [(p, p.rebuilder()) for p in projections]
    last = None
    async for batch in _batches(conn, query):
        for p, r in rebuilders:
            wanted = (
                batch
                if p.stream_types is None
                else [e for e in batch if e.stream_type in p.stream_types]
            )
            if wanted:
                await r.add(conn, wanted)
        last = batch[-1]
    for _, r in rebuilders:
        await r.finish(conn)
    return last


async def _rebuild_in_sql(conn: asyncpg.Connection, projections: Sequence[Projection]) -> None:
    """One statement, so one snapshot: every projection's rows and the checkpoint they share."""
    ctes = ", ".join(
        f"p{i} AS ({p.rebuild_sql.format(bound='bound.x')})".replace(  # type: ignore[attr-defined]
            "FROM events WHERE", "FROM events, bound WHERE"
        )
        for i, p in enumerate(projections)
    )
    last = await conn.fetchrow(
        "WITH bound AS (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS x), "
        + ctes
        + " SELECT e.xid::text::bigint AS xid, e.tenant_id, e.sequence FROM events e, bound "
        "WHERE e.xid < bound.x ORDER BY e.xid DESC, e.tenant_id DESC, e.sequence DESC LIMIT 1"
    )
    for p in projections:
        if last is None:
            await save_checkpoint(conn, p.name, 0, _ZERO, 0)
        else:
            await save_checkpoint(conn, p.name, last["xid"], last["tenant_id"], last["sequence"])


async def rebuild(conn: asyncpg.Connection, *projections: Projection) -> None:
    """Rebuild ``projections`` in one transaction, reading the log once per kind.

    Inline projections: writers are held (SHARE lock on events) while the rows are rebuilt, so
    no append is lost or applied twice. Async projections: their checkpoints are locked, events
    are read gap-safely (below the snapshot's xmin) in (xid, tenant, sequence) order and each
    checkpoint is set to the last one read; the live projector continues from there.
    """
    async_names = {p.name for p in async_projections()}
    inline = [p for p in projections if p.name not in async_names]
    later = [p for p in projections if p.name in async_names]
    async with conn.transaction():
        for p in later:
            await lock_checkpoint(conn, p.name)
        if inline:
            await conn.execute("LOCK TABLE events IN SHARE MODE")
        for p in projections:
            for table in p.tables:
                await conn.execute(f"TRUNCATE {table}")
        if inline:
            await _replay(conn, inline, _query(inline, "tenant_id, sequence"))
        if later and all(getattr(p, "rebuild_sql", None) for p in later):
            await _rebuild_in_sql(conn, later)
        elif later:
            # Every async projection reads every event (their checkpoints follow the whole log).
            query = _query(
                later,
                "xid, tenant_id, sequence",
                "xid < pg_snapshot_xmin(pg_current_snapshot())",
                all_streams=True,
            )
            last = await _replay(conn, later, query)
            for p in later:
                if last is not None:
                    await save_checkpoint(conn, p.name, last.xid, last.tenant_id, last.sequence)
                else:
                    await save_checkpoint(conn, p.name, 0, _ZERO, 0)
