"""No SECURITY DEFINER function returns rows outside the caller's scope. Every such function in
the catalogue is named here (a new one fails the first test until it is reviewed and tried)."""

from __future__ import annotations

import uuid

import asyncpg

from infra.auth.orgs import reviewer_transaction
from infra.db.pool import connect, tenant_transaction
from infra.settings import Settings
from infra.tenancy import upsert_organisations
from tests.support import org

REVIEWED = {"app_failed_mail", "app_failed_reminders", "app_resolve_token"}


async def _definers(conn: asyncpg.Connection) -> set[str]:
    rows = await conn.fetch(
        "SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
        "WHERE n.nspname = 'public' AND p.prosecdef"
    )
    return {r[0] for r in rows}


async def test_every_security_definer_function_is_reviewed(settings: Settings) -> None:
    owner = await connect(settings.database_url)
    try:
        assert await _definers(owner) == REVIEWED
    finally:
        await owner.close()


async def test_failed_reminders_answer_only_the_operator(
    settings: Settings, app_pool: asyncpg.Pool
) -> None:
    a, b = org(), org()
    owner = await connect(settings.database_url)
    try:
        await upsert_organisations(owner, [a, b])
        for lao in (a, b):
            await owner.execute(
                "INSERT INTO reminder_claims (tenant_id, subject, due_date, kind, recipient, "
                "status, attempts, last_error, updated_at) VALUES ($1, $2, current_date, "
                "'due', 'x@example.org', 'failed', 8, 'smtp down', now())",
                lao.id,
                f"step:{uuid.uuid4()}",
            )
    finally:
        await owner.close()
    sql = "SELECT tenant_code FROM app_failed_reminders()"
    async with tenant_transaction(app_pool, a.id, readonly=True) as conn:  # an LAO's transaction
        assert await conn.fetch(sql) == []
    async with reviewer_transaction(app_pool, "47", a.id) as conn:  # a reviewer's
        assert await conn.fetch(sql) == []
    async with app_pool.acquire() as conn:  # no scope at all
        assert await conn.fetch(sql) == []
    async with app_pool.acquire() as conn, conn.transaction(readonly=True):  # the operator's
        await conn.execute("SELECT set_config('app.scope', 'operator', true)")
        codes = {r[0] for r in await conn.fetch(sql)}
    assert {a.code, b.code} <= codes


async def test_failed_mail_answers_only_the_operator(
    settings: Settings, app_pool: asyncpg.Pool
) -> None:
    lao = org()
    owner = await connect(settings.database_url)
    try:
        await upsert_organisations(owner, [lao])
        await owner.execute(
            "INSERT INTO mail_outbox (id, tenant_id, kind, key, recipient, subject, body_text, "
            "status, attempts, last_error, created_at, next_attempt_at, updated_at) VALUES "
            "($1, $2, 'invitation', $3, 'x@example.org', 'เชิญ', 'ลิงก์', 'failed', 8, 'smtp', "
            "now(), now(), now())",
            uuid.uuid4(),
            lao.id,
            str(uuid.uuid4()),
        )
    finally:
        await owner.close()
    sql = "SELECT tenant_code FROM app_failed_mail()"
    async with tenant_transaction(app_pool, lao.id, readonly=True) as conn:
        assert await conn.fetch(sql) == []
    async with app_pool.acquire() as conn:
        assert await conn.fetch(sql) == []
    async with app_pool.acquire() as conn, conn.transaction(readonly=True):
        await conn.execute("SELECT set_config('app.scope', 'operator', true)")
        assert lao.code in {r[0] for r in await conn.fetch(sql)}


async def test_resolving_a_token_needs_its_secret(app_pool: asyncpg.Pool) -> None:
    async with app_pool.acquire() as conn:
        found = await conn.fetch(
            "SELECT * FROM app_resolve_token($1, $2)", uuid.uuid4(), b"\x00" * 32
        )
    assert found == []
