"""Connection pools (asyncpg), made by factories, and the per-transaction tenant setting."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from decimal import Decimal
from typing import Any

import asyncpg
from asyncpg.pool import PoolConnectionProxy
from asyncpg.transaction import Transaction, TransactionState

Pool = asyncpg.Pool
Connection = asyncpg.Connection


_DECODER = json.JSONDecoder(parse_float=Decimal)


def _loads(text: str) -> Any:
    return _DECODER.decode(text)


def _dumps(value: Any) -> str:
    if isinstance(value, str):  # already canonical JSON text
        return value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _jsonb_encode(value: Any) -> bytes:
    if isinstance(value, bytes):  # JSON text in UTF-8 already (msgspec's): not decoded again
        return b"\x01" + value
    return b"\x01" + _dumps(value).encode("utf-8")  # binary jsonb: version 1, then the text


def _jsonb_decode(data: bytes) -> Any:
    return _loads(data[1:].decode("utf-8"))


async def _init_connection(conn: asyncpg.Connection) -> None:
    # Binary, so that COPY (always binary in asyncpg) can write JSONB columns too.
    await conn.set_type_codec(
        "jsonb",
        encoder=_jsonb_encode,
        decoder=_jsonb_decode,
        schema="pg_catalog",
        format="binary",
    )
    await conn.set_type_codec("json", encoder=_dumps, decoder=_loads, schema="pg_catalog")


async def _keep_session(conn: asyncpg.Connection) -> None:
    """What a connection needs on its way back to the pool, beyond what asyncpg always does.

    asyncpg rolls back an open transaction and drops listeners itself before calling this.
    Its default reset (``RESET ALL; UNLISTEN *; CLOSE ALL; pg_advisory_unlock_all()``) costs a
    round trip per checkout and undoes nothing here: the application keeps no session state.
    The tenant is set per transaction (``set_config(..., true)``), temporary tables drop on
    commit, and nothing sets a session variable, listens, holds a session advisory lock or
    keeps a cursor past its transaction
    (tests/integration/test_event_store.py checks the sources and a reused connection).
    """


class _Pool(asyncpg.Pool):  # type: ignore[misc]  # asyncpg ships no types
    """asyncpg's pool, but a release with nothing to do is done in place.

    asyncpg runs every release in ``asyncio.shield()`` (a task of its own) under an
    ``asyncio.timeout()``, so that a cancelled caller cannot cut a reset short: ~30 us of CPU a
    checkout here. When the connection is open, in no transaction, not cancelling a query and
    not due to be replaced, and the reset is ``_keep_session`` (nothing), a release has nothing
    to wait for: it clears the connection's listeners and hands it back, as asyncpg 0.32 does,
    without a task or a timer. Every other release (or another asyncpg) takes asyncpg's way.
    """

    __slots__ = ()

    async def release(self, connection: Any, *, timeout: float | None = None) -> None:  # noqa: ASYNC109
        holder = _quiet_holder(self, connection)
        if holder is None:
            await super().release(connection, timeout=timeout)
            return
        con = connection._con
        con._on_release()  # asyncpg's own checks (listeners left behind)
        holder._timeout = None
        con._listeners.clear()  # Connection._reset() without a transaction to roll back
        con._log_listeners.clear()
        holder._release()


_QUICK_RELEASE = asyncpg.__version__.startswith("0.32.")


def _quiet_holder(pool: asyncpg.Pool, connection: Any) -> Any:
    """The connection's holder, when its release has nothing to wait for; None otherwise
    (asyncpg internals: anything unexpected means None, and asyncpg's own release)."""
    if not _QUICK_RELEASE or type(connection) is not PoolConnectionProxy:
        return None
    try:
        holder, con = connection._holder, connection._con
        if holder._pool is not pool or con is None or pool._reset is not _keep_session:
            return None
        protocol = con._protocol
        quiet = (
            holder._in_use is not None
            and not con.is_closed()
            and con._top_xact is None
            and not protocol.is_in_transaction()
            and not protocol._is_cancelling()
            and protocol.queries_count < holder._max_queries
            and holder._generation == pool._generation
            and not pool._max_inactive_connection_lifetime
        )
        return holder if quiet else None
    except AttributeError:
        return None


async def create_pool(
    url: str, *, min_size: int = 1, max_size: int = 10, **kwargs: Any
) -> asyncpg.Pool:
    """A pool as ``asyncpg.create_pool`` makes it, with the codecs, no reset round trip and
    the quiet release of ``_Pool``; and no timer per checkout or per query: asyncpg arms and
    cancels one on every release (the idle lifetime: a pool holds at most max_size connections
    and keeps them) and on every query (``command_timeout``; ~20 us of CPU each in asyncio's
    timer heap here). The server ends a statement after 60 s instead (``statement_timeout``,
    QueryCanceledError: a 503 in the API)."""
    kwargs.setdefault("reset", _keep_session)
    kwargs.setdefault("max_inactive_connection_lifetime", 0)
    kwargs.setdefault("max_queries", 50_000)
    kwargs["server_settings"] = {"statement_timeout": "60s", **kwargs.get("server_settings", {})}
    pool = _Pool(
        url,
        min_size=min_size,
        max_size=max_size,
        init=_init_connection,
        loop=None,
        connection_class=asyncpg.Connection,
        record_class=asyncpg.Record,
        **kwargs,
    )
    await pool
    return pool


async def connect(url: str) -> asyncpg.Connection:
    conn = await asyncpg.connect(url)
    await _init_connection(conn)
    return conn


async def set_tenant(conn: asyncpg.Connection, tenant_id: uuid.UUID) -> None:
    """Scope the current transaction to one tenant (row-level security reads this)."""
    await conn.execute("SELECT set_config('app.tenant_id', $1, true)", str(tenant_id))


class _TenantTransaction(Transaction):  # type: ignore[misc]  # asyncpg ships no types
    """asyncpg's transaction whose BEGIN sets the tenant too: ``BEGIN; SELECT set_config(...)``
    is one simple query, one round trip instead of two (a read of the JSON API is ~4 round
    trips: this is one of them). Commit, rollback and nested blocks (savepoints) stay
    asyncpg's; inside another transaction it is asyncpg's savepoint and then ``set_tenant``.
    """

    __slots__ = ("_tenant",)

    def __init__(self, connection: Any, tenant_id: uuid.UUID, readonly: bool) -> None:
        super().__init__(connection, None, readonly, False)
        self._tenant = uuid.UUID(str(tenant_id))  # only a UUID's text reaches the SQL

    async def start(self) -> None:
        con = self._connection
        if self._state is not TransactionState.NEW or con._top_xact is not None:  # type: ignore[has-type]
            await super().start()
            await set_tenant(con, self._tenant)
            return
        self._check_conn_validity("start")
        if con._protocol.is_in_transaction():
            await super().start()  # asyncpg's refusal of a manually started transaction
            return
        con._top_xact = self
        mode = " READ ONLY" if self._readonly else ""
        try:
            await con.execute(
                f"BEGIN{mode}; SELECT set_config('app.tenant_id', '{self._tenant}', true);"
            )
        except BaseException:
            self._state = TransactionState.FAILED  # type: ignore[misc]  # asyncpg's slot
            raise
        self._state = TransactionState.STARTED  # type: ignore[misc]


def begin_tenant(conn: Any, tenant_id: uuid.UUID, *, readonly: bool = False) -> Any:
    """``conn.transaction(readonly=...)`` scoped to ``tenant_id`` from its BEGIN on (one round
    trip); asyncpg other than 0.32: its transaction and then ``set_tenant`` (two)."""
    raw = conn._con if type(conn) is PoolConnectionProxy else conn
    if _QUICK_RELEASE and type(raw) is asyncpg.Connection:
        return _TenantTransaction(raw, tenant_id, readonly)
    return _slow_tenant_transaction(conn, tenant_id, readonly)


@asynccontextmanager
async def _slow_tenant_transaction(
    conn: asyncpg.Connection, tenant_id: uuid.UUID, readonly: bool
) -> AsyncIterator[None]:
    async with conn.transaction(readonly=readonly):
        await set_tenant(conn, tenant_id)
        yield


@asynccontextmanager
async def tenant_transaction(
    pool: asyncpg.Pool, tenant_id: uuid.UUID, *, readonly: bool = False
) -> AsyncIterator[asyncpg.Connection]:
    """A transaction in which only ``tenant_id``'s rows exist."""
    async with pool.acquire() as conn, begin_tenant(conn, tenant_id, readonly=readonly):
        yield conn
