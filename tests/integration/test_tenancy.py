"""Tenant isolation, enforced by PostgreSQL (row-level security), and immutable events."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import asyncpg
import pytest

from infra.db.pool import connect, set_tenant
from infra.eventstore.postgres import PostgresEventStore
from infra.eventstore.records import NewEvent
from infra.projections.registry import inline_projections
from infra.settings import APP_ROLE, PROJECTOR_ROLE, Settings
from tests.support import make_tenants

pytestmark = pytest.mark.store

TENANT_TABLES = """
SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
  AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid
              AND a.attname = 'tenant_id' AND NOT a.attisdropped)
ORDER BY c.relname
"""


@pytest.fixture
async def two_tenants(
    owner_pool: asyncpg.Pool, app_pool: asyncpg.Pool
) -> tuple[uuid.UUID, uuid.UUID]:
    async with owner_pool.acquire() as conn:
        a, b = await make_tenants(conn, 2)
    store = PostgresEventStore(app_pool, projections=inline_projections())
    for t in (a, b):
        await store.append(
            t, uuid.uuid4(), "test", 0, [NewEvent("X", {"t": str(t)})], idempotency_key=f"k-{t}"
        )
    return a, b


async def test_every_tenant_table_has_rls_enabled_and_forced(owner_pool: asyncpg.Pool) -> None:
    rows = await owner_pool.fetch(TENANT_TABLES)
    names = {r["relname"] for r in rows}
    assert {
        "events",
        "tenant_heads",
        "command_log",
        "tenant_activity",
        "plan_views",
        "item_views",
        "step_deadlines",
        "declaration_views",
        "complaint_views",
        "api_tokens",
    } <= names
    unprotected = [
        r["relname"] for r in rows if not (r["relrowsecurity"] and r["relforcerowsecurity"])
    ]
    assert unprotected == []


async def test_application_roles_own_nothing_and_cannot_bypass(owner_pool: asyncpg.Pool) -> None:
    for role in (APP_ROLE, PROJECTOR_ROLE):
        r = await owner_pool.fetchrow(
            "SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb FROM pg_roles "
            "WHERE rolname = $1",
            role,
        )
        assert r is not None and not any(r.values()), (role, dict(r))
        owned = await owner_pool.fetchval(
            "SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner "
            "WHERE r.rolname = $1",
            role,
        )
        assert owned == 0


async def test_with_tenant_a_set_no_row_of_b_is_visible(
    app_pool: asyncpg.Pool, two_tenants: tuple[uuid.UUID, uuid.UUID]
) -> None:
    a, b = two_tenants
    async with app_pool.acquire() as conn, conn.transaction():
        await set_tenant(conn, a)
        for table in ("events", "tenant_heads", "command_log", "timeline"):
            seen = {r["tenant_id"] for r in await conn.fetch(f"SELECT tenant_id FROM {table}")}
            assert seen == {a}, table
            assert await conn.fetchval(f"SELECT count(*) FROM {table} WHERE tenant_id = $1", b) == 0


async def test_with_tenant_a_set_no_row_for_b_can_be_written(
    app_pool: asyncpg.Pool, two_tenants: tuple[uuid.UUID, uuid.UUID]
) -> None:
    a, b = two_tenants
    async with app_pool.acquire() as conn:
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="row-level security"):
            async with conn.transaction():
                await set_tenant(conn, a)
                await conn.execute(
                    "INSERT INTO plan_views VALUES ($1, $2, 1, '{}')",
                    b,
                    uuid.uuid4(),
                )
        async with conn.transaction():
            await set_tenant(conn, a)
            status = await conn.execute(
                "UPDATE tenant_heads SET sequence = sequence WHERE tenant_id = $1", b
            )
            assert status == "UPDATE 0"


async def test_no_tenant_set_is_an_error_not_rows(
    app_pool: asyncpg.Pool, two_tenants: tuple[uuid.UUID, uuid.UUID]
) -> None:
    async with app_pool.acquire() as conn:
        for table in ("events", "timeline", "tenant_heads"):
            with pytest.raises(asyncpg.InsufficientPrivilegeError, match="no tenant"):
                await conn.fetch(f"SELECT * FROM {table}")


async def test_application_role_cannot_update_or_delete_events(
    app_pool: asyncpg.Pool, two_tenants: tuple[uuid.UUID, uuid.UUID]
) -> None:
    a, _ = two_tenants
    async with app_pool.acquire() as conn:
        for sql in (
            "UPDATE events SET data = '{}' WHERE tenant_id = $1",
            "DELETE FROM events WHERE tenant_id = $1",
        ):
            with pytest.raises(asyncpg.InsufficientPrivilegeError, match="permission denied"):
                async with conn.transaction():
                    await set_tenant(conn, a)
                    await conn.execute(sql, a)


async def test_projector_role_reads_all_tenants_but_writes_no_events(
    settings: Settings, two_tenants: tuple[uuid.UUID, uuid.UUID]
) -> None:
    a, b = two_tenants
    conn = await connect(settings.projector_url)
    try:
        seen = {r["tenant_id"] for r in await conn.fetch("SELECT DISTINCT tenant_id FROM events")}
        assert {a, b} <= seen
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await conn.execute("DELETE FROM events WHERE tenant_id = $1", a)
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await conn.fetch("SELECT * FROM timeline")
    finally:
        await conn.close()


def _verify(settings: Settings) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "services.cli", "log", "verify"],
        env={**os.environ, "DATABASE_URL": settings.database_url},
        capture_output=True,
        text=True,
        timeout=120,
    )


async def test_tampering_is_named_by_log_verify(fresh_settings: Settings) -> None:
    owner = await connect(fresh_settings.database_url)
    app = await asyncpg.create_pool(fresh_settings.app_url, min_size=1, max_size=2)
    try:
        a, b = await make_tenants(owner, 2)
        store = PostgresEventStore(app, projections=inline_projections())
        for t in (a, b):
            stream = uuid.uuid4()
            for i in range(5):
                await store.append(t, stream, "test", i, [NewEvent("StepCompleted", {"n": i})])
        ok = _verify(fresh_settings)
        assert ok.returncode == 0, ok.stderr
        assert "2 tenants, 10 events" in ok.stdout
        code_b = await owner.fetchval("SELECT code FROM organisations WHERE id = $1", b)
        # The owner can change a stored event; the chain says so.
        await owner.execute(
            "UPDATE events SET data = jsonb_set(data, '{n}', '42') "
            "WHERE tenant_id = $1 AND sequence = 3",
            b,
        )
        bad = _verify(fresh_settings)
        assert bad.returncode == 1
        assert f"tenant {code_b} ({b}) sequence 3" in bad.stderr
        assert "1 tenant chain(s) broken" in bad.stderr
        # A deleted last event is caught by the tenant head.
        await owner.execute("DELETE FROM events WHERE tenant_id = $1 AND sequence = 5", a)
        bad = _verify(fresh_settings)
        assert bad.returncode == 1 and "sequence 5" in bad.stderr
    finally:
        await app.close()
        await owner.close()


async def test_migrate_sets_role_passwords_when_given(fresh_settings: Settings) -> None:
    from dataclasses import replace

    from infra.db.roles import set_role_passwords

    owner = await connect(fresh_settings.database_url)
    try:
        done = await set_role_passwords(
            owner,
            replace(
                fresh_settings, app_db_password="s3cret-pw_1", projector_db_password="an'other pw"
            ),
        )
        assert done == [APP_ROLE, PROJECTOR_ROLE]
        for role in (APP_ROLE, PROJECTOR_ROLE):
            assert await owner.fetchval(
                "SELECT rolpassword IS NOT NULL FROM pg_authid WHERE rolname = $1", role
            )
    finally:
        # Other tests connect with trust auth and no password: leave no password behind.
        await owner.execute(f"ALTER ROLE {APP_ROLE} PASSWORD NULL")
        await owner.execute(f"ALTER ROLE {PROJECTOR_ROLE} PASSWORD NULL")
        await owner.close()
