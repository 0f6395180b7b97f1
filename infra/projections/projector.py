"""The async projector: follows the whole log gap-safely, one checkpoint per projection.

It reads only events whose writing transaction is older than every transaction still running
(``xid < pg_snapshot_xmin(pg_current_snapshot())``), in (xid, tenant, sequence) order, so an
event that commits late is never skipped. Its rows and its checkpoint are written in the same
transaction: after a crash nothing is applied twice and nothing is missed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Sequence

import asyncpg

from infra.db.pool import create_pool
from infra.eventstore.postgres import COLUMNS, row_to_event
from infra.projections.base import Projection
from infra.projections.registry import async_projections
from infra.settings import Settings

log = logging.getLogger("sujarit.projector")

_CHECKPOINT = (
    "SELECT last_xid::text::bigint AS xid, last_tenant, last_sequence FROM projector_checkpoints "
    "WHERE name = $1 FOR UPDATE"
)
_BATCH = f"""
SELECT {COLUMNS} FROM events
WHERE xid < pg_snapshot_xmin(pg_current_snapshot())
  AND (xid, tenant_id, sequence) > ($1::text::xid8, $2, $3)
ORDER BY xid, tenant_id, sequence
LIMIT $4
"""


async def lock_checkpoint(conn: asyncpg.Connection, name: str) -> asyncpg.Record:
    row = await conn.fetchrow(_CHECKPOINT, name)
    if row is None:
        await conn.execute(
            "INSERT INTO projector_checkpoints (name) VALUES ($1) ON CONFLICT DO NOTHING", name
        )
        row = await conn.fetchrow(_CHECKPOINT, name)
    assert row is not None
    return row


async def save_checkpoint(
    conn: asyncpg.Connection, name: str, xid: int, tenant_id: object, sequence: int
) -> None:
    await conn.execute(
        "UPDATE projector_checkpoints SET last_xid = $2::text::xid8, last_tenant = $3, "
        "last_sequence = $4, "
        "updated_at = now() WHERE name = $1",
        name,
        str(xid),
        tenant_id,
        sequence,
    )


_FOREIGN = """
SELECT max(xid)::text::bigint FROM events
HAVING max(xid) >= pg_snapshot_xmax(pg_current_snapshot())
"""


async def foreign_position(conn: asyncpg.Connection) -> int | None:
    """The highest transaction id of the log when it is ahead of this server's (the events
    came from another server by a restore that did not rebase them: ``sujarit restore`` does);
    None when the log belongs here. New events would sort below those and never be read."""
    value = await conn.fetchval(_FOREIGN)
    return None if value is None else int(value)


class AsyncProjector:
    """Runs the async projections against a pool of the projector's database role."""

    def __init__(
        self, pool: asyncpg.Pool, projections: Sequence[Projection], *, batch: int = 500
    ) -> None:
        self.pool = pool
        self.projections = tuple(projections)
        self.batch = batch

    async def run_once(self, projection: Projection) -> int:
        """Apply the next batch to ``projection``; return how many events it took."""
        async with self.pool.acquire() as conn, conn.transaction():
            cp = await lock_checkpoint(conn, projection.name)
            rows = await conn.fetch(
                _BATCH, str(cp["xid"]), cp["last_tenant"], cp["last_sequence"], self.batch
            )
            if not rows:
                return 0
            events = [row_to_event(r) for r in rows]
            await projection.apply(conn, events)
            last = events[-1]
            await save_checkpoint(conn, projection.name, last.xid, last.tenant_id, last.sequence)
            return len(events)

    async def catch_up(self) -> int:
        """Run every projection until nothing committed is left; return events applied."""
        total = 0
        for projection in self.projections:
            while n := await self.run_once(projection):
                total += n
        return total

    async def check_position(self) -> None:
        async with self.pool.acquire() as conn:
            ahead = await foreign_position(conn)
        if ahead is not None:
            log.error(
                "projector: the log's transaction ids (up to %s) are ahead of this server's: "
                "the database was restored from another server by other means than `sujarit "
                "restore` (which rebases them); new events are not projected. Back it up and "
                "restore it with `sujarit backup` / `sujarit restore` (docs/deploy.md)",
                ahead,
            )

    async def run_forever(self, stop: asyncio.Event, *, idle: float = 0.5) -> None:
        """Project until ``stop``; a database away (or any error) is retried with a backoff
        of at most ``MAX_BACKOFF`` seconds, so it follows a failover within seconds."""
        backoff = idle
        checked = -1e9
        loop = asyncio.get_running_loop()
        while not stop.is_set():
            try:
                if loop.time() - checked > 60:  # cheap (the log-order index), once a minute
                    checked = loop.time()
                    await self.check_position()
                applied = await self.catch_up()
                backoff = idle
            except (OSError, asyncpg.PostgresConnectionError, asyncpg.InterfaceError) as exc:
                log.warning("projector: database unavailable (%s); retrying", exc)
                applied, backoff = 0, min(backoff * 2, MAX_BACKOFF)
            except Exception as exc:
                # A failover's odd states (asyncpg's InternalClientError, a read-only standby
                # for a moment): the projector must outlive them, not die silently and leave
                # the read models behind for good.
                log.exception("projector: %s; retrying", type(exc).__name__)
                applied, backoff = 0, min(backoff * 2, MAX_BACKOFF)
            if not applied:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=backoff)


MAX_BACKOFF = 5.0


async def run_projector(settings: Settings, stop: asyncio.Event) -> None:
    pool = None
    while pool is None and not stop.is_set():
        try:
            pool = await create_pool(settings.projector_url, min_size=1, max_size=2)
        except (OSError, Exception) as exc:  # the database may not be up yet
            log.warning("projector: cannot connect yet (%s)", exc)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=2)
    if pool is None:
        return
    try:
        projector = AsyncProjector(pool, async_projections(), batch=settings.projector_batch)
        log.info("projector started")
        await projector.run_forever(stop, idle=settings.projector_idle_seconds)
    finally:
        await pool.close()


def run_in_foreground(settings: Settings) -> None:
    """Run in the foreground until SIGINT/SIGTERM (``sujarit projector``)."""

    async def _main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await run_projector(settings, stop)

    asyncio.run(_main())
