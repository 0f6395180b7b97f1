"""The reminders page: my delivery choice, what was sent to me, the executive's policy, and
the operator's list of reminders that failed for good."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date

import asyncpg
from litestar.testing import AsyncTestClient

from infra.db.pool import connect
from infra.settings import Settings
from infra.tenancy import upsert_organisations
from services.api.app import create_app
from tests.integration.accounts import make_member, session_csrf, sign_in
from tests.support import org


async def test_preferences_policy_and_failures(
    settings: Settings, app_pool: asyncpg.Pool, owner_pool: asyncpg.Pool
) -> None:
    a = org()
    owner = await connect(settings.database_url)
    try:
        await upsert_organisations(owner, [a])
    finally:
        await owner.close()
    s = replace(settings, cookie_secure=False)
    executive, _ = await make_member(app_pool, a.code, "executive")
    staff, staff_id = await make_member(app_pool, a.code, "staff")
    operator, _ = await make_member(
        app_pool, "operator", "operator", email=f"op-{uuid.uuid4().hex[:6]}@example.org"
    )
    await owner_pool.execute(
        "INSERT INTO reminder_claims (tenant_id, subject, due_date, kind, recipient, status, "
        "attempts, last_error) VALUES ($1, 'step:x:6.1', $2, 'due', $3, 'failed', 9, "
        "'ConnectionRefusedError'), ($1, 'step:x:6.2', $2, 'due', $3, 'sent', 1, '')",
        a.id,
        date(2026, 11, 29),
        staff,
    )
    await owner_pool.execute(
        "UPDATE reminder_claims SET sent_at = now() WHERE status = 'sent' AND recipient = $1",
        staff,
    )
    async with AsyncTestClient(create_app(s, configure_logs=False)) as c:
        await sign_in(c, a.code, staff)
        csrf = await session_csrf(c, a.code)
        page = await c.get(f"/t/{a.code}/reminders/")
        assert page.status_code == 200 and "ขั้นตอน 6.2" in page.text
        assert "ขั้นตอน 6.1" not in page.text  # failed is not "sent to me"
        bad = await c.post(
            f"/t/{a.code}/reminders/preference",
            data={"csrf_token": csrf, "mode": "daily", "hour": "25"},
        )
        assert bad.status_code == 400 and "0 ถึง 23" in bad.text
        ok = await c.post(
            f"/t/{a.code}/reminders/preference",
            data={"csrf_token": csrf, "mode": "daily", "hour": "8"},
            follow_redirects=False,
        )
        assert ok.status_code == 303
        row = await owner_pool.fetchrow(
            "SELECT mode, hour FROM reminder_preferences WHERE account_id = $1",
            uuid.UUID(staff_id),
        )
        assert (row["mode"], row["hour"]) == ("daily", 8)
        refused = await c.post(
            f"/t/{a.code}/reminders/policy", data={"csrf_token": csrf, "before_days": "3"}
        )
        assert refused.status_code == 403
    async with AsyncTestClient(create_app(s, configure_logs=False)) as c:
        await sign_in(c, a.code, executive)
        csrf = await session_csrf(c, a.code)
        bad = await c.post(
            f"/t/{a.code}/reminders/policy",
            data={
                "csrf_token": csrf,
                "before_days": "7,7",
                "overdue_every_days": "7",
                "escalate_after_days": "14",
                "province_after_days": "",
            },
        )
        assert bad.status_code == 400 and 'value="7,7"' in bad.text
        ok = await c.post(
            f"/t/{a.code}/reminders/policy",
            data={
                "csrf_token": csrf,
                "before_days": "10,3",
                "overdue_every_days": "3",
                "escalate_after_days": "7",
                "province_after_days": "30",
            },
            follow_redirects=False,
        )
        assert ok.status_code == 303
        policy = await owner_pool.fetchval(
            "SELECT policy FROM reminder_policies WHERE tenant_id = $1", a.id
        )
        assert policy["before_days"] == [10, 3] and policy["province_after_days"] == 30
    lost = f"lost-{uuid.uuid4().hex[:8]}@example.org"  # an invitation the outbox gave up on
    await owner_pool.execute(
        "INSERT INTO mail_outbox (id, tenant_id, kind, key, recipient, subject, body_text, "
        "status, attempts, last_error, created_at, next_attempt_at, updated_at) VALUES "
        "($1, $2, 'invitation', $3, $4, 'คำเชิญ', '', 'failed', 9, 'SMTPServerDisconnected: x', "
        "now(), now(), now())",
        uuid.uuid4(),
        a.id,
        uuid.uuid4().hex,
        lost,
    )
    async with AsyncTestClient(create_app(s, configure_logs=False)) as c:
        await sign_in(c, "operator", operator)
        page = await c.get("/t/operator/reminders/")
        assert page.status_code == 200 and staff in page.text
        assert "ConnectionRefusedError" in page.text
        assert lost in page.text and "SMTPServerDisconnected" in page.text
