"""Connection pools (asyncpg), made by factories, and the per-transaction tenant setting."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from decimal import Decimal
from typing import Any

import asyncpg

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


async def create_pool(
    url: str, *, min_size: int = 1, max_size: int = 10, **kwargs: Any
) -> asyncpg.Pool:
    kwargs.setdefault("reset", _keep_session)
    pool = await asyncpg.create_pool(
        url,
        min_size=min_size,
        max_size=max_size,
        init=_init_connection,
        command_timeout=60,
        **kwargs,
    )
    assert pool is not None
    return pool


async def connect(url: str) -> asyncpg.Connection:
    conn = await asyncpg.connect(url)
    await _init_connection(conn)
    return conn


async def set_tenant(conn: asyncpg.Connection, tenant_id: uuid.UUID) -> None:
    """Scope the current transaction to one tenant (row-level security reads this)."""
    await conn.execute("SELECT set_config('app.tenant_id', $1, true)", str(tenant_id))


@asynccontextmanager
async def tenant_transaction(
    pool: asyncpg.Pool, tenant_id: uuid.UUID, *, readonly: bool = False
) -> AsyncIterator[asyncpg.Connection]:
    """A transaction in which only ``tenant_id``'s rows exist."""
    async with pool.acquire() as conn, conn.transaction(readonly=readonly):
        await set_tenant(conn, tenant_id)
        yield conn
