"""Mail sent on request is limited, written as the attacks: six password-reset requests for
one address sent six emails; a client could ask for resets of every address, and a member could
invite one address again and again (each time a new email). Every request counts whether or
not the address has an account, so the answers stay the same for both."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import replace

import asyncpg
import pytest
import redis.asyncio as aioredis
from litestar.testing import AsyncTestClient

from infra.auth.orgs import find_org
from infra.auth.throttle import INVITATION_MAIL, RESET_MAIL
from infra.db.pool import connect
from infra.settings import Settings
from infra.tenancy import upsert_organisations
from services.api.app import create_app
from tests.integration.accounts import accounts_on, csrf_of, make_member
from tests.support import org

pytestmark = pytest.mark.timeout(180)

CLIENT = "testclient"  # the address litestar's test client comes from


@pytest.fixture
def mail_settings(settings: Settings) -> Settings:
    return replace(settings, cookie_secure=False)


@pytest.fixture
async def lao(settings: Settings, mail_settings: Settings) -> AsyncIterator[str]:
    """A new LAO, with the test client's per-address counters at zero before and after (they
    are shared with every other test that mails from the test client)."""
    a = org()
    owner = await connect(settings.database_url)
    try:
        await upsert_organisations(owner, [a])
    finally:
        await owner.close()
    r = aioredis.Redis.from_url(mail_settings.redis_url)
    keys = [f"mail:{k}:ip:{CLIENT}" for k in (RESET_MAIL.kind, INVITATION_MAIL.kind)]
    await r.delete(*keys)
    try:
        yield a.code
    finally:
        await r.delete(*keys)
        await r.aclose()


async def outbox(owner_pool: asyncpg.Pool, kind: str, recipient: str) -> int:
    return int(
        await owner_pool.fetchval(
            "SELECT count(*) FROM mail_outbox WHERE kind = $1 AND recipient = $2", kind, recipient
        )
    )


async def ask_reset(c: AsyncTestClient, lao: str, address: str) -> tuple[int, int, str]:  # type: ignore[type-arg]
    """The status, the minutes of Retry-After and the page (without what differs by design:
    the address typed, the form's token)."""
    form = await c.get(f"/t/{lao}/reset")
    r = await c.post(f"/t/{lao}/reset", data={"email": address, "csrf_token": csrf_of(form.text)})
    body = r.text.replace(address, "ADDRESS")
    minutes = round(int(r.headers.get("retry-after", "0")) / 60)
    return r.status_code, minutes, body.split('name="csrf_token"')[0]


async def test_reset_mail_to_one_address_is_limited_the_same_for_known_and_unknown(
    lao: str, mail_settings: Settings, app_pool: asyncpg.Pool, owner_pool: asyncpg.Pool
) -> None:
    known, _ = await make_member(app_pool, lao, "executive")
    unknown = f"nobody-{uuid.uuid4().hex[:8]}@example.org"
    async with AsyncTestClient(create_app(mail_settings, configure_logs=False)) as c:
        answers = {a: [await ask_reset(c, lao, a) for _ in range(6)] for a in (known, unknown)}
    assert answers[known] == answers[unknown]  # the same answers, in the same order
    statuses = [status for status, _, _ in answers[known]]
    allowed = RESET_MAIL.per_address
    assert statuses == [200] * allowed + [429] * (6 - allowed), statuses
    _, minutes, text = answers[known][-1]
    assert 0 < minutes <= RESET_MAIL.window // 60 and "บ่อยเกินไป" in text
    # The outbox is what the workers send, one email a row: it had one per request.
    assert await outbox(owner_pool, "reset", known) == allowed
    assert await outbox(owner_pool, "reset", unknown) == 0


async def test_reset_requests_from_one_client_are_limited_across_addresses(
    lao: str, mail_settings: Settings, app_pool: asyncpg.Pool, owner_pool: asyncpg.Pool
) -> None:
    """Asking for every address's reset (one each, so no address's limit is reached)."""
    known, _ = await make_member(app_pool, lao, "staff")
    async with AsyncTestClient(create_app(mail_settings, configure_logs=False)) as c:
        for n in range(RESET_MAIL.per_ip):
            status, _, _ = await ask_reset(c, lao, f"guess{n}-{uuid.uuid4().hex[:6]}@example.org")
            assert status == 200
        status, minutes, _ = await ask_reset(c, lao, known)
        assert status == 429 and minutes > 0
        other = org()  # another organisation's page: the client is the same
        owner = await connect(mail_settings.database_url)
        try:
            await upsert_organisations(owner, [other])
        finally:
            await owner.close()
        assert (await ask_reset(c, other.code, known))[0] == 429
    assert await outbox(owner_pool, "reset", known) == 0


async def test_invitations_to_one_address_and_from_one_client_are_limited(
    lao: str, mail_settings: Settings, app_pool: asyncpg.Pool, owner_pool: asyncpg.Pool
) -> None:
    _, officer = await make_member(app_pool, lao, "plan_officer")
    async with app_pool.acquire() as conn:
        found = await find_org(conn, lao)
    assert found is not None
    token = await accounts_on(app_pool).create_token(found, uuid.UUID(officer), "inviter")
    auth = {"Authorization": f"Bearer {token}"}
    victim = f"victim-{uuid.uuid4().hex[:8]}@example.org"
    invitation = {"email": victim, "name": "ผู้รับ", "role": "staff"}
    async with AsyncTestClient(create_app(mail_settings, configure_logs=False)) as c:
        answers = [await c.post("/api/v1/members", json=invitation, headers=auth) for _ in range(5)]
        statuses = [r.status_code for r in answers]
        allowed = INVITATION_MAIL.per_address
        assert statuses == [201] * allowed + [429] * (5 - allowed), statuses
        refused = answers[-1]
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert refused.json()["type"].endswith("/too-many-mails")
        assert int(refused.headers["retry-after"]) > 0
        assert await outbox(owner_pool, "invitation", victim) == allowed  # was one per request

        # Many addresses, each once: the client's limit.
        sent = 0
        for n in range(INVITATION_MAIL.per_ip + 5):
            r = await c.post(
                "/api/v1/members",
                json={**invitation, "email": f"new{n}-{uuid.uuid4().hex[:6]}@example.org"},
                headers=auth,
            )
            assert r.status_code in (201, 429), r.text
            sent += r.status_code == 201
        assert sent == INVITATION_MAIL.per_ip - len(statuses)  # the five above counted too
