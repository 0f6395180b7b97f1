"""Drop read models' rows and rebuild them from the events, in one pass (run as the owner)."""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from operator import itemgetter
from typing import Any

import asyncpg

from infra.eventstore.records import StoredEvent
from infra.projections.base import Projection
from infra.projections.projector import lock_checkpoint, save_checkpoint
from infra.projections.registry import async_projections

_BATCH = 20_000
_ZERO = "00000000-0000-0000-0000-000000000000"


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


# Every rebuild reads these of each event: the log's order and the streams' keys.
_ALWAYS = ("tenant_id", "sequence", "stream_type", "stream_id", "event_type")
# The rest, each read for the stream types of the projections that name it in ``reads`` and
# NULL for the others: making a timestamp, a UUID and a number of each of a million events
# that no projection looks at was ~40 % of what reading the log cost this process.
_OPTIONAL = {  # field: (what the query selects, its type when not read)
    "version": ("version", "integer"),
    "event_id": ("event_id", "uuid"),
    "schema_version": ("schema_version", "integer"),
    "data": ("data::text", "text"),  # JSON text: the projection decodes it where it folds it
    "recorded_at": ("recorded_at", "timestamptz"),
    "xid": ("xid::text::bigint", "bigint"),  # the async projections' checkpoints
}


def _quoted(types: Iterable[str]) -> str:
    return ", ".join(f"'{t}'" for t in sorted(types))


def _types(projections: Iterable[Projection]) -> frozenset[str]:
    return frozenset().union(*[p.stream_types or () for p in projections])


def _query(
    projections: Sequence[Projection], order: str, where: str = "", *, checkpointed: bool = False
) -> str:
    """Only what the projections use: the fields they read, of the streams of their types.

    ``checkpointed``: async projections, which read every event (their checkpoints follow the
    whole log) and its xid."""
    conds = [where] if where else []
    returned: frozenset[str] | None = None  # the stream types the query returns (None: all)
    if not checkpointed and all(p.stream_types is not None for p in projections):
        returned = _types(projections)
        conds.append(f"stream_type IN ({_quoted(returned)})")
    columns = []
    for name in _FIELDS:
        if name in _ALWAYS:
            columns.append(name)
            continue
        sql, type_ = _OPTIONAL[name]
        readers = [p for p in projections if name in p.reads]
        if name == "xid" and checkpointed:
            columns.append(f"{sql} AS xid")
        elif not readers:
            columns.append(f"NULL::{type_} AS {name}")
        elif any(p.stream_types is None for p in readers) or (
            returned is not None and returned <= _types(readers)
        ):
            columns.append(f"{sql} AS {name}")
        else:
            when = f"stream_type IN ({_quoted(_types(readers))})"
            columns.append(f"CASE WHEN {when} THEN {sql} END AS {name}")
    return (
        f"SELECT {', '.join(columns)} FROM events"
        + (" WHERE " + " AND ".join(conds) if conds else "")
        + f" ORDER BY {order}"
    )


def _no_metadata(_: object) -> dict[str, Any]:
    return {}


def _no_hash(_: object) -> bytes:
    return b""


class _Row(asyncpg.Record):  # type: ignore[misc]  # asyncpg ships no types
    """A row of the rebuild's query, read as a StoredEvent: the same attribute names (data is
    its JSON text; metadata and hashes are empty). The hot path of a rebuild is a million of
    these: asyncpg makes them as it reads, and no other object is made per event."""

    __slots__ = ()
    metadata = property(_no_metadata)
    prev_hash = property(_no_hash)
    hash = property(_no_hash)


for _i, _name in enumerate(_FIELDS):
    setattr(_Row, _name, property(itemgetter(_i)))
_STREAM_TYPE: Callable[[Any], str] = itemgetter(_FIELDS.index("stream_type"))


async def _fetched(conn: asyncpg.Connection, query: str) -> AsyncIterator[list[StoredEvent]]:
    """``query``'s rows in batches, through a declared cursor (in the caller's transaction).

    Declared, so the planner plans for the first rows (``cursor_tuple_fraction``): an index
    scan in the log's order gives the folding its first batch at once, where the plan for a
    whole result (a sort of the log) gave nothing until the whole log was read and sorted, and
    the folding and the writes waited (~1 s per 300,000 events)."""
    await conn.execute(f"DECLARE rebuild_events NO SCROLL CURSOR FOR {query}")
    while rows := await conn.fetch(f"FETCH {_BATCH} FROM rebuild_events", record_class=_Row):
        yield rows
    await conn.execute("CLOSE rebuild_events")  # a later pass in the transaction declares it anew


async def _batches(
    conn: asyncpg.Connection, query: str, reader: asyncpg.Connection | None = None
) -> AsyncIterator[list[StoredEvent]]:
    """The events ``query`` selects, in batches. With a ``reader``: read there, in a
    transaction on ``conn``'s snapshot, a couple of batches ahead of the folding."""
    if reader is None:
        async for rows in _fetched(conn, query):
            yield rows
        return
    snapshot = await conn.fetchval("SELECT pg_export_snapshot()")
    ahead: asyncio.Queue[list[asyncpg.Record] | BaseException | None] = asyncio.Queue(2)

    async def read() -> None:
        try:
            async with reader.transaction(isolation="repeatable_read", readonly=True):
                await reader.execute(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
                async for rows in _fetched(reader, query):
                    await ahead.put(rows)
            await ahead.put(None)
        except BaseException as e:  # handed to the folding side, which raises it
            await ahead.put(e)
            raise

    task = asyncio.create_task(read())
    try:
        while (got := await ahead.get()) is not None:
            if isinstance(got, BaseException):
                raise got
            yield got
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task


class _Deferred:
    """The rebuild's connection as the rebuilders see it: their writes (COPY, INSERT) are
    queued and run in order by one task, so the server takes in one batch's rows while the next
    is folded. A failed write fails the next one queued and ``drain()``; so the rebuild."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn
        self._queue: asyncio.Queue[tuple[str, tuple[Any, ...], dict[str, Any]] | None] = (
            asyncio.Queue(4)
        )
        self._failed: BaseException | None = None
        self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        while (job := await self._queue.get()) is not None:
            name, args, kwargs = job
            try:
                if self._failed is None:
                    await getattr(self._conn, name)(*args, **kwargs)
            except Exception as e:
                self._failed = e
            finally:
                self._queue.task_done()
        self._queue.task_done()

    async def _put(self, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        if self._failed is not None:
            raise self._failed
        await self._queue.put((name, args, kwargs))

    async def copy_records_to_table(self, *args: Any, **kwargs: Any) -> None:
        await self._put("copy_records_to_table", args, kwargs)

    async def execute(self, *args: Any, **kwargs: Any) -> None:
        await self._put("execute", args, kwargs)

    async def executemany(self, *args: Any, **kwargs: Any) -> None:
        await self._put("executemany", args, kwargs)

    async def drain(self) -> None:
        """Wait for every write queued; raise the first that failed."""
        await self._queue.join()
        if self._failed is not None:
            raise self._failed

    async def close(self) -> None:
        if not self._task.done():
            await self._queue.put(None)
            await self._task


async def _replay(
    conn: asyncpg.Connection,
    projections: Sequence[Projection],
    query: str,
    reader: asyncpg.Connection | None = None,
    followers: Sequence[Projection] = (),
) -> StoredEvent | None:
    # A rebuild makes millions of short-lived objects and keeps many: without this, the
    # cyclic collector walks them over and over (none of them form cycles it must free).
    gc_was_on = gc.isenabled()
    gc.disable()
    try:
        if reader is None:
            return await _replay_all(conn, conn, projections, query, None, followers)
        writes = _Deferred(conn)
        try:
            last = await _replay_all(conn, writes, projections, query, reader, followers)
            await writes.drain()
            return last
        finally:
            await writes.close()
    finally:
        if gc_was_on:
            gc.enable()


async def _replay_all(
    conn: asyncpg.Connection,
    writes: Any,
    projections: Sequence[Projection],
    query: str,
    reader: asyncpg.Connection | None = None,
    followers: Sequence[Projection] = (),
) -> StoredEvent | None:
    rebuilders = [(p, p.rebuilder()) for p in projections]
    for _, r in rebuilders:  # rebuilders that share work with one before them say so here
        if (join := getattr(r, "join", None)) is not None:
            join([other for _, other in rebuilders])
    for f in followers:  # async projections whose rows follow an inline one's, tenant by tenant
        for p, r in rebuilders:
            if p.name == getattr(f, "follows", None) and hasattr(r, "on_written"):
                r.on_written(_recompute(f.rebuild_tenants_sql))  # type: ignore[attr-defined]
    last = None
    async for batch in _batches(conn, query, reader):
        present = set(map(_STREAM_TYPE, batch))
        for p, r in rebuilders:
            if p.stream_types is None or present <= p.stream_types:
                wanted = batch  # all of it (as a rule: plans, public)
            elif present.isdisjoint(p.stream_types):
                continue
            else:
                wanted = [e for e in batch if e.stream_type in p.stream_types]
            await r.add(writes, wanted)
        last = batch[-1]
    for _, r in rebuilders:
        await r.finish(writes)
    return last


def _recompute(sql: str) -> Callable[[Any, list[Any]], Awaitable[None]]:
    async def run(writes: Any, tenants: list[Any]) -> None:
        await writes.execute(sql, tenants)  # queued after the rows it reads

    return run


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


async def rebuild(
    conn: asyncpg.Connection, *projections: Projection, reader: asyncpg.Connection | None = None
) -> None:
    """Rebuild ``projections`` in one transaction, reading the log once per kind.

    ``reader``: a second connection (the same role) on which the inline projections' events
    are read, in a transaction on the rebuild's own snapshot, while the rows of the batches
    before are written: the server reads and writes while this process folds.

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
        # A rebuild's statements each run once, over every tenant: what JIT compiling costs
        # them (~0.65 s for the province overview's, on PostgreSQL 15 with LLVM) it never gains.
        await conn.execute("SET LOCAL jit = off")
        if inline:
            await conn.execute("LOCK TABLE events IN SHARE MODE")
        for p in projections:
            for table in p.tables:
                await conn.execute(f"TRUNCATE {table}")
        in_sql = bool(later) and all(getattr(p, "rebuild_sql", None) for p in later)
        if inline:
            # The async projections that can write a tenant's rows once an inline projection's
            # are written do so while the rest is folded; their rebuild_sql writes the others.
            followers = [p for p in later if in_sql and hasattr(p, "rebuild_tenants_sql")]
            query = _query(inline, "tenant_id, sequence")
            await _replay(conn, inline, query, reader, followers)
        if in_sql:
            await _rebuild_in_sql(conn, later)
        elif later:
            # Every async projection reads every event (their checkpoints follow the whole log).
            query = _query(
                later,
                "xid, tenant_id, sequence",
                "xid < pg_snapshot_xmin(pg_current_snapshot())",
                checkpointed=True,
            )
            last = await _replay(conn, later, query)
            for p in later:
                if last is not None:
                    await save_checkpoint(conn, p.name, last.xid, last.tenant_id, last.sequence)
                else:
                    await save_checkpoint(conn, p.name, 0, _ZERO, 0)
