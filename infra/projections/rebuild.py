"""Drop a read model's rows and rebuild them from the events (run as the owner)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence

import asyncpg

from infra.eventstore.postgres import COLUMNS, row_to_event
from infra.eventstore.records import StoredEvent
from infra.projections.base import Projection
from infra.projections.projector import lock_checkpoint, save_checkpoint
from infra.projections.registry import async_projections

_BATCH = 20_000


async def _batches(
    conn: asyncpg.Connection, query: str, *args: object, last: list[StoredEvent] | None = None
) -> AsyncIterator[Sequence[StoredEvent]]:
    cursor = await conn.cursor(query, *args)
    while rows := await cursor.fetch(_BATCH):
        events = [row_to_event(r) for r in rows]
        if last is not None:
            last[:] = events[-1:]
        yield events


async def rebuild(conn: asyncpg.Connection, projection: Projection) -> None:
    """Rebuild one projection in one transaction.

    Inline projections: writers are held (SHARE lock on events) while the rows are rebuilt, so
    no append is lost or applied twice. Async projections: the projector's checkpoint is locked,
    events are read gap-safely (below the snapshot's xmin) and the checkpoint is set to the last
    one read; the live projector continues from there.
    """
    is_async = projection.name in {p.name for p in async_projections()}
    async with conn.transaction():
        if is_async:
            await lock_checkpoint(conn, projection.name)
        else:
            await conn.execute("LOCK TABLE events IN SHARE MODE")
        for table in projection.tables:
            await conn.execute(f"TRUNCATE {table}")
        if is_async:
            last: list[StoredEvent] = []
            query = (
                f"SELECT {COLUMNS} FROM events "
                "WHERE xid < pg_snapshot_xmin(pg_current_snapshot()) "
                "ORDER BY xid, tenant_id, sequence"
            )
            await projection.rebuild(conn, _batches(conn, query, last=last))
            if last:
                e = last[0]
                await save_checkpoint(conn, projection.name, e.xid, e.tenant_id, e.sequence)
            else:
                await save_checkpoint(conn, projection.name, 0, _ZERO, 0)
        else:
            query = f"SELECT {COLUMNS} FROM events ORDER BY tenant_id, sequence"
            await projection.rebuild(conn, _batches(conn, query))


_ZERO = "00000000-0000-0000-0000-000000000000"
