"""What an API process keeps between requests, and that the database still decides.

- Resolved API tokens (infra/tokens.TokenCache): a token revoked in the database by another
  process is refused as soon as the database's notice arrives (one revoked by this process is
  refused on the next request: test_signin); while the cache's own connection does not
  listen, nothing it holds is used.
- Overview templates (infra/overview_cache.TemplateCache): kept under their digest, which the
  database compares on every request in the tenant's own transaction.
- The pool's quick release (infra/db/pool._Pool) and the server-side statement timeout.
"""

from __future__ import annotations

import asyncio
import importlib.util
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from domain.plans.views import template_digest
from infra.db.pool import _quiet_holder, create_pool, tenant_transaction
from infra.overview_cache import TemplateCache
from infra.settings import Settings
from infra.tokens import APPLICATION
from services.api.problems import unexpected
from services.api.state import Services
from tests.integration.conftest import Api, make_plan

MIGRATION = (
    Path(__file__).resolve().parents[2] / "infra/db/migrations/versions/0019_overview_digest.py"
)


def services_of(api: Api) -> Services:
    services: Services = api.client.app.state.services
    return services


async def listening(services: Services) -> None:
    await asyncio.wait_for(services.tokens.listening.wait(), 10)


def token_id(headers: dict[str, str]) -> uuid.UUID:
    return uuid.UUID(hex=headers["Authorization"].split("_")[1])


async def refused_within(api: Api, headers: dict[str, str], seconds: float) -> float:
    """Ask until the token is refused; how long that took."""
    started = time.monotonic()
    while True:
        r = await api.client.get("/api/v1/plans", headers=headers)
        if r.status_code == 401:
            return time.monotonic() - started
        assert r.status_code == 200, r.text
        assert time.monotonic() - started < seconds, "a revoked token was still accepted"
        await asyncio.sleep(0.01)


async def eventually(check: Callable[[], bool], seconds: float = 5.0) -> None:
    started = time.monotonic()
    while not check():
        assert time.monotonic() - started < seconds, "not within the time allowed"
        await asyncio.sleep(0.01)


async def test_a_token_another_process_revokes_is_refused_as_its_notice_arrives(
    api: Api, owner_pool: asyncpg.Pool
) -> None:
    services = services_of(api)
    await listening(services)
    assert (await api.client.get("/api/v1/plans", headers=api.viewer)).status_code == 200
    assert (await api.client.get("/api/v1/plans", headers=api.staff)).status_code == 200
    assert len(services.tokens) == 2  # both kept
    # Another process (here: the owner's connection, as the CLI or an operator would) revokes.
    await owner_pool.execute(
        "UPDATE api_tokens SET revoked_at = now() WHERE token_id = $1", token_id(api.viewer)
    )
    took = await refused_within(api, api.viewer, 2.0)
    print(f"revoked elsewhere: refused after {took * 1000:.0f} ms")
    assert len(services.tokens) == 1  # only the revoked one was forgotten
    assert (await api.client.get("/api/v1/plans", headers=api.staff)).status_code == 200
    # A change of an LAO's code (which a resolved token carries) forgets them all.
    code = await owner_pool.fetchval(
        "SELECT o.code FROM organisations o JOIN api_tokens t ON t.tenant_id = o.id "
        "WHERE t.token_id = $1",
        token_id(api.staff),
    )
    await owner_pool.execute("UPDATE organisations SET code = code WHERE code = $1", code)
    await eventually(lambda: len(services.tokens) == 0)


async def test_nothing_kept_is_used_while_the_cache_does_not_listen(
    api: Api, owner_pool: asyncpg.Pool
) -> None:
    services = services_of(api)
    await listening(services)
    assert (await api.client.get("/api/v1/plans", headers=api.viewer)).status_code == 200
    assert len(services.tokens) == 1
    # Its connection goes; a revocation made while nobody listens sends its notice to no one.
    await owner_pool.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 "
        "AND datname = current_database()",
        APPLICATION,
    )
    await eventually(lambda: not services.tokens.listening.is_set())
    assert len(services.tokens) == 0
    await owner_pool.execute(
        "UPDATE api_tokens SET revoked_at = now() WHERE token_id = $1", token_id(api.viewer)
    )
    assert (await api.client.get("/api/v1/plans", headers=api.viewer)).status_code == 401
    # It listens again by itself, and keeps tokens again.
    await listening(services)
    assert (await api.client.get("/api/v1/plans", headers=api.staff)).status_code == 200
    assert len(services.tokens) == 1
    assert (await api.client.get("/api/v1/plans", headers=api.viewer)).status_code == 401


async def test_the_overview_follows_every_change_and_another_tenant_never_sees_it(
    api: Api,
) -> None:
    services = services_of(api)
    plan, _ = await make_plan(api)
    first = await api.client.get(f"/api/v1/plans/{plan}", headers=api.viewer)
    assert first.status_code == 200
    key = (token_tenant(services, api), uuid.UUID(plan))
    held = services.templates.get(key)
    assert held is not None  # the parts are kept under their digest
    again = await api.client.get(f"/api/v1/plans/{plan}", headers=api.viewer)
    assert again.content == first.content
    # Another tenant asks for this plan: the database finds no such plan in its transaction,
    # whatever this process holds.
    r = await api.client.get(f"/api/v1/plans/{plan}", headers=api.other)
    assert r.status_code == 404
    # A change rewrites the template: the next read has it, and the new digest is kept.
    r = await api.client.post(
        f"/api/v1/plans/{plan}/items",
        headers=api.officer,
        json={"number": "1.1.1", "kind": "project", "name": "โครงการอบรมคุณธรรม"},
    )
    assert r.status_code == 201, r.text
    changed = await api.client.get(f"/api/v1/plans/{plan}", headers=api.viewer)
    assert (
        "โครงการอบรมคุณธรรม" in changed.text and changed.headers["etag"] != (first.headers["etag"])
    )
    now = services.templates.get(key)
    assert now is not None and now[0] != held[0]
    # And it is what a process holding nothing reads.
    services.templates = TemplateCache()
    fresh = await api.client.get(f"/api/v1/plans/{plan}", headers=api.viewer)
    assert fresh.content == changed.content


def token_tenant(services: Services, api: Api) -> uuid.UUID:
    [(_, principal, _)] = [
        v for k, v in services.tokens._entries.items() if k == token_id(api.viewer).hex
    ]
    return principal.tenant_id


async def test_the_digest_the_migration_computes_is_the_one_the_projection_writes(
    api: Api, owner_pool: asyncpg.Pool
) -> None:
    spec = importlib.util.spec_from_file_location("migration_0019", MIGRATION)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    plan, _ = await make_plan(api)
    row = await owner_pool.fetchrow(
        f"SELECT overview_parts, overview_digest, {module.DIGEST_OF_PARTS} AS in_sql "
        "FROM plan_views WHERE plan_id = $1",
        uuid.UUID(plan),
    )
    assert row["overview_digest"] == template_digest(row["overview_parts"]) == row["in_sql"]
    # The lengths are in it: the same text cut elsewhere is another template.
    assert template_digest([b"ab", b"c"]) != template_digest([b"a", b"bc"])


async def test_a_quiet_release_is_done_in_place_and_any_other_by_asyncpg(
    settings: Settings,
) -> None:
    pool = await create_pool(settings.database_url, min_size=1, max_size=1)
    try:
        async with pool.acquire() as conn:
            pid = await conn.fetchval("SELECT pg_backend_pid()")
            assert _quiet_holder(pool, conn) is not None
            assert await conn.fetchval("SHOW statement_timeout") == "1min"
        async with pool.acquire() as conn:
            assert await conn.fetchval("SELECT pg_backend_pid()") == pid  # the same, reused
            await conn.execute("BEGIN")  # left open (no managed transaction)
            await conn.execute("CREATE TEMP TABLE left_behind (x int)")
            assert _quiet_holder(pool, conn) is None  # asyncpg's release rolls it back
        async with pool.acquire() as conn:
            assert not conn.is_in_transaction()
            assert await conn.fetchval("SELECT to_regclass('pg_temp.left_behind')") is None
        with pytest.raises(RuntimeError):
            async with tenant_transaction(pool, uuid.uuid4()) as conn:
                raise RuntimeError("left mid-transaction")
        async with pool.acquire() as conn:
            assert not conn.is_in_transaction()
            assert await conn.fetchval("SELECT pg_backend_pid()") == pid
    finally:
        await pool.close()


async def test_a_statement_the_server_ends_is_a_503() -> None:
    err = asyncpg.exceptions.QueryCanceledError("canceling statement due to statement timeout")
    r: Any = unexpected(None, err)  # type: ignore[arg-type]
    assert r.status_code == 503 and r.headers["Retry-After"] == "5"
