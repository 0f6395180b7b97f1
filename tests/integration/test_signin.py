"""Sign-in, sessions, CSRF, throttling, invitations, password resets and API tokens."""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from domain.shared.clock import FixedClock
from infra.auth.sessions import COOKIE
from infra.db.pool import connect
from infra.settings import Settings
from infra.tenancy import upsert_organisations
from services.api.app import create_app
from tests.integration.accounts import (
    PASSWORD,
    Mailbox,
    csrf_of,
    mail_worker,
    make_member,
    session_csrf,
    sign_in,
    smtp_server,
)
from tests.support import org

pytestmark = pytest.mark.timeout(120)


@pytest.fixture(scope="module")
def mailbox() -> Iterator[Mailbox]:
    yield from smtp_server()


@pytest.fixture(scope="module")
def mail_settings(
    settings: Settings, mailbox: Mailbox, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Settings]:
    with mail_worker(settings, mailbox, tmp_path_factory.mktemp("mail") / "worker.log") as s:
        yield s


@dataclass
class World:
    settings: Settings
    lao: str  # an LAO code
    other: str  # another LAO's code (same province)
    clock: FixedClock


@pytest.fixture
async def world(settings: Settings, mail_settings: Settings) -> AsyncIterator[World]:
    a, b = org(), org()
    owner = await connect(settings.database_url)
    try:
        await upsert_organisations(owner, [a, b])
    finally:
        await owner.close()
    s = replace(mail_settings, cookie_secure=True)
    yield World(s, a.code, b.code, FixedClock(datetime.now(UTC)))


def client_for(w: World, *, clock: FixedClock | None = None) -> AsyncTestClient:  # type: ignore[type-arg]
    app = create_app(w.settings, clock=clock, configure_logs=False)
    return AsyncTestClient(app, base_url="https://testserver.local")


async def test_sign_in_sets_a_secure_session_cookie_and_a_new_id_each_time(
    world: World, app_pool: asyncpg.Pool
) -> None:
    email, _ = await make_member(app_pool, world.lao, "plan_officer")
    async with client_for(world) as c:
        r = await sign_in(c, world.lao, email)
        assert r.status_code == 303 and r.headers["location"] == f"/t/{world.lao}/"
        cookie = r.headers["set-cookie"]
        assert COOKIE in cookie and "HttpOnly" in cookie and "Secure" in cookie
        assert "SameSite=lax" in cookie or "samesite=lax" in cookie.lower()
        first = c.cookies.get(COOKIE)
        me = await c.get("/api/v1/me")
        assert me.status_code == 200 and me.json()["role"] == "plan_officer"
        assert me.json()["via"] == "session"

        r = await sign_in(c, world.lao, email)  # signing in again, with the old cookie sent
        second = c.cookies.get(COOKIE)
        assert r.status_code == 303 and second and second != first
        assert (await c.get("/api/v1/me")).status_code == 200
        c.cookies.set(COOKIE, first or "", domain="testserver.local")
        old = await c.get("/api/v1/me")
        assert old.status_code == 401  # the old id was ended at the new sign-in


async def test_wrong_password_unknown_address_and_disabled_get_the_same_answer(
    world: World, app_pool: asyncpg.Pool
) -> None:
    email, _ = await make_member(app_pool, world.lao, "staff")
    async with client_for(world) as c:
        wrong = await sign_in(c, world.lao, email, "not the password")
        unknown = await sign_in(c, world.lao, "nobody@example.org")
        other_lao = await sign_in(c, world.other, email)  # a member of another LAO
        for r in (wrong, unknown, other_lao):
            assert r.status_code == 401
            assert "อีเมลหรือรหัสผ่านไม่ถูกต้อง" in r.text
        assert 'value="nobody@example.org"' in unknown.text  # what was typed is kept
        assert COOKIE not in c.cookies
        empty = await c.post(f"/t/{world.lao}/signin", data={"csrf_token": "x"})
        assert empty.status_code in (400, 403)
        missing = await c.get("/t/no-such-lao/signin")
        assert missing.status_code == 404 and "ไม่พบหน่วยงานนี้" in missing.text


async def test_idle_and_absolute_timeouts_follow_the_clock(
    world: World, app_pool: asyncpg.Pool
) -> None:
    email, _ = await make_member(app_pool, world.lao, "viewer")
    clock = FixedClock(datetime.now(UTC))
    async with client_for(world, clock=clock) as c:
        assert (await sign_in(c, world.lao, email)).status_code == 303
        clock.advance(timedelta(minutes=29))
        assert (await c.get("/api/v1/me")).status_code == 200  # and this use refreshes it
        clock.advance(timedelta(minutes=29))
        assert (await c.get("/api/v1/me")).status_code == 200
        clock.advance(timedelta(minutes=31))
        assert (await c.get("/api/v1/me")).status_code == 401  # idle for 31 minutes

        assert (await sign_in(c, world.lao, email)).status_code == 303
        minutes = 0
        while minutes < 24 * 60:  # busy all day: a request every 20 minutes
            clock.advance(timedelta(minutes=20))
            minutes += 20
            if (await c.get("/api/v1/me")).status_code != 200:
                break
        # 12 hours after sign-in the session ends however busy it was, and not before.
        assert minutes == 12 * 60 + 20
        assert (await c.get("/api/v1/me")).status_code == 401
        assert (await c.get(f"/t/{world.lao}/", follow_redirects=False)).status_code == 303


async def test_unsafe_cookie_requests_need_the_csrf_token(
    world: World, app_pool: asyncpg.Pool
) -> None:
    email, _ = await make_member(app_pool, world.lao, "plan_officer")
    plan = {"title": "แผน", "first_year": 2566, "last_year": 2570}
    async with client_for(world) as c:
        await sign_in(c, world.lao, email)
        token = await session_csrf(c, world.lao)
        r = await c.post("/api/v1/plans", json=plan)
        assert r.status_code == 403 and r.headers["content-type"].startswith(
            "application/problem+json"
        )
        bad = await c.post("/api/v1/plans", json=plan, headers={"X-CSRF-Token": "guess"})
        assert bad.status_code == 403
        ok = await c.post("/api/v1/plans", json=plan, headers={"X-CSRF-Token": token})
        assert ok.status_code == 201, ok.text
        # Sign-out is a form too: without the token the session stays.
        await c.post(f"/t/{world.lao}/signout", data={})
        assert (await c.get("/api/v1/me")).status_code == 200
        out = await c.post(
            f"/t/{world.lao}/signout", data={"csrf_token": token}, follow_redirects=False
        )
        assert out.status_code == 303
        assert (await c.get("/api/v1/me")).status_code == 401


async def test_disabling_a_member_ends_their_sessions_and_tokens(
    world: World, app_pool: asyncpg.Pool
) -> None:
    officer, _ = await make_member(app_pool, world.lao, "plan_officer")
    staff, staff_id = await make_member(app_pool, world.lao, "staff")
    async with client_for(world) as boss, client_for(world) as them:
        await sign_in(boss, world.lao, officer)
        await sign_in(them, world.lao, staff)
        made = await them.post(
            "/api/v1/tokens",
            json={"name": "สคริปต์"},
            headers={"X-CSRF-Token": await session_csrf(them, world.lao)},
        )
        assert made.status_code == 201, made.text
        token = made.json()["token"]
        assert (await them.get("/api/v1/me")).status_code == 200
        r = await boss.post(
            f"/api/v1/members/{staff_id}/disable",
            headers={"X-CSRF-Token": await session_csrf(boss, world.lao)},
        )
        assert r.status_code == 200 and r.json()["status"] == "disabled", r.text
        assert (await them.get("/api/v1/me")).status_code == 401
        bearer = {"Authorization": f"Bearer {token}"}
        assert (await them.get("/api/v1/me", headers=bearer)).status_code == 401
        again = await sign_in(them, world.lao, staff)
        assert again.status_code == 401


async def test_stored_hashes_are_argon2id_at_owasp_parameters(
    world: World, app_pool: asyncpg.Pool, owner_pool: asyncpg.Pool
) -> None:
    _, account = await make_member(app_pool, world.lao, "executive")
    stored = await owner_pool.fetchval(
        "SELECT password_hash FROM credentials WHERE account_id = $1", uuid.UUID(account)
    )
    m = re.match(r"^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$", stored)
    assert m, stored
    assert int(m[1]) >= 19 * 1024 and int(m[2]) >= 2 and int(m[3]) >= 1
    assert PASSWORD not in stored
    # No password, and no hash, is ever in an event.
    leaked = await owner_pool.fetchval(
        "SELECT count(*) FROM events WHERE data::text LIKE '%argon2%' "
        "OR data::text LIKE '%' || $1 || '%'",
        PASSWORD,
    )
    assert leaked == 0


async def test_invitation_by_email_then_sign_in(
    world: World, app_pool: asyncpg.Pool, mailbox: Mailbox
) -> None:
    officer, _ = await make_member(app_pool, world.lao, "plan_officer")
    newcomer = "somsri@example.org"
    async with client_for(world) as c:
        await sign_in(c, world.lao, officer)
        csrf = {"X-CSRF-Token": await session_csrf(c, world.lao)}
        bad = await c.post(
            "/api/v1/members",
            json={"email": "not-an-email", "name": "x", "role": "staff"},
            headers=csrf,
        )
        # The document's pattern for an address (services/api/members/schemas.py): 400.
        assert bad.status_code == 400 and bad.json()["errors"][0]["key"] == "email", bad.text
        wrong_role = await c.post(
            "/api/v1/members",
            json={"email": newcomer, "name": "สมศรี", "role": "reviewer"},
            headers=csrf,
        )
        assert wrong_role.status_code == 400  # an LAO's roles only, as the document says
        r = await c.post(
            "/api/v1/members",
            json={"email": newcomer, "name": "สมศรี มีสุข", "role": "staff"},
            headers=csrf,
        )
        assert r.status_code == 201, r.text
    await mailbox.wait(newcomer)
    [mail] = mailbox.to(newcomer)
    assert "คำเชิญ" in str(mail["Subject"])
    assert mail.get_body(("html",)) is not None
    link = mailbox.link(newcomer, "invitation")
    async with client_for(world) as c:
        form = await c.get(link)
        assert form.status_code == 200 and "สมศรี มีสุข" in form.text
        short = await c.post(
            link,
            data={
                "csrf_token": csrf_of(form.text),
                "name": "สมศรี มีสุข",
                "password": "short",
                "confirm": "short",
            },
        )
        assert short.status_code == 400 and "อย่างน้อย 12" in short.text
        assert 'value="สมศรี มีสุข"' in short.text  # what was typed is kept
        weak = await c.post(
            link,
            data={
                "csrf_token": csrf_of(short.text),
                "name": "สมศรี มีสุข",
                "password": "password1234",
                "confirm": "password1234",
            },
        )
        assert weak.status_code == 400 and "เดาได้ง่าย" in weak.text, weak.text
        done = await c.post(
            link,
            data={
                "csrf_token": csrf_of(weak.text),
                "name": "สมศรี มีสุข",
                "password": PASSWORD,
                "confirm": PASSWORD,
            },
            follow_redirects=False,
        )
        assert done.status_code == 303, done.text
        # accepted: signed in at once, on the LAO's home page with its first steps
        assert done.headers["location"] == f"/t/{world.lao}/"
        me = (await c.get("/api/v1/me")).json()
        assert me["role"] == "staff" and me["email"] == newcomer
        home = await c.get(f"/t/{world.lao}/")
        assert home.status_code == 200 and "เริ่มต้นใช้งาน" in home.text
        assert (await sign_in(c, world.lao, newcomer)).status_code == 303
        reused = await c.get(link)
        assert reused.status_code == 410  # single use


async def test_password_reset_answers_the_same_for_known_and_unknown_addresses(
    world: World, app_pool: asyncpg.Pool, mailbox: Mailbox
) -> None:
    email, _ = await make_member(app_pool, world.lao, "executive")
    async with client_for(world) as old_session, client_for(world) as c:
        await sign_in(old_session, world.lao, email)
        answers = []
        for address in (email, "stranger@example.org"):
            form = await c.get(f"/t/{world.lao}/reset")
            r = await c.post(
                f"/t/{world.lao}/reset",
                data={"email": address, "csrf_token": csrf_of(form.text)},
            )
            answers.append((r.status_code, r.text))
        assert answers[0] == answers[1] and answers[0][0] == 200
        await mailbox.wait(email)
        for _ in range(100):
            if mailbox.to(email):
                break
            await asyncio.sleep(0.05)
        assert len(mailbox.to(email)) == 1 and not mailbox.to("stranger@example.org")
        link = mailbox.link(email, "reset")
        form = await c.get(link)
        new = "a brand new passphrase"
        r = await c.post(
            link,
            data={"csrf_token": csrf_of(form.text), "password": new, "confirm": new},
            follow_redirects=False,
        )
        assert r.status_code == 303, r.text
        assert (await old_session.get("/api/v1/me")).status_code == 401  # sessions ended
        assert (await sign_in(c, world.lao, email)).status_code == 401
        assert (await sign_in(c, world.lao, email, new)).status_code == 303
        assert (await c.get(link)).status_code == 410


async def test_api_tokens_are_shown_once_stored_hashed_scoped_and_revocable(
    world: World, app_pool: asyncpg.Pool, owner_pool: asyncpg.Pool
) -> None:
    email, account = await make_member(app_pool, world.lao, "viewer")
    async with client_for(world) as c:
        await sign_in(c, world.lao, email)
        csrf = {"X-CSRF-Token": await session_csrf(c, world.lao)}
        made = await c.post("/api/v1/tokens", json={"name": "dashboard"}, headers=csrf)
        assert made.status_code == 201 and made.headers["cache-control"] == "no-store"
        token, token_id = made.json()["token"], made.json()["token_id"]
        listed = (await c.get("/api/v1/tokens")).json()
        assert [t["token_id"] for t in listed] == [token_id]
        assert token not in str(listed)
        secret = token.rsplit("_", 1)[1]
        row = await owner_pool.fetchrow(
            "SELECT * FROM api_tokens WHERE token_id = $1", uuid.UUID(token_id)
        )
        assert row["role"] == "viewer" and str(row["account_id"]) == account
        assert secret.encode() not in bytes(row["secret_hash"])
    async with client_for(world) as program:
        bearer = {"Authorization": f"Bearer {token}"}
        me = await program.get("/api/v1/me", headers=bearer)
        assert me.status_code == 200 and me.json()["role"] == "viewer"
        write = await program.post(
            "/api/v1/plans",
            json={"title": "x", "first_year": 2566, "last_year": 2567},
            headers=bearer,
        )
        assert write.status_code == 403  # a viewer's token reads only
    async with client_for(world) as c:
        await sign_in(c, world.lao, email)
        csrf = {"X-CSRF-Token": await session_csrf(c, world.lao)}
        # Used (and so kept by this process's TokenCache), then revoked here: refused on the
        # very next request, without waiting for the database's notice.
        assert (await c.get("/api/v1/me", headers=bearer)).status_code == 200
        assert (await c.delete(f"/api/v1/tokens/{token_id}", headers=csrf)).status_code == 204
        gone = await c.get("/api/v1/me", headers=bearer)
        assert gone.status_code == 401


async def test_sign_ins_invitations_roles_and_tokens_are_events_in_the_right_log(
    world: World, app_pool: asyncpg.Pool, owner_pool: asyncpg.Pool
) -> None:
    officer, officer_id = await make_member(app_pool, world.lao, "plan_officer")
    _, staff_id = await make_member(app_pool, world.lao, "staff")
    reviewer, reviewer_id = await make_member(
        app_pool, "po-47", "reviewer", email=f"rev-{uuid.uuid4().hex[:6]}@example.org"
    )
    async with client_for(world) as c:
        await sign_in(c, world.lao, officer, "wrong password!")
        await sign_in(c, world.lao, officer)
        csrf = {"X-CSRF-Token": await session_csrf(c, world.lao)}
        r = await c.patch(f"/api/v1/members/{staff_id}", json={"role": "viewer"}, headers=csrf)
        assert r.status_code == 200 and r.json()["role"] == "viewer"
        await c.post("/api/v1/tokens", json={}, headers=csrf)
    async with client_for(world) as c:
        signed = await sign_in(c, "po-47", reviewer)
        assert signed.status_code == 303
        assert signed.headers["location"] == "/t/po-47/province"  # the province dashboard
    tenant_events = await owner_pool.fetch(
        "SELECT e.event_type, e.stream_id FROM events e JOIN organisations o "
        "ON o.id = e.tenant_id WHERE o.code = $1 AND e.stream_type = 'member' ORDER BY sequence",
        world.lao,
    )
    types = [(r["event_type"], str(r["stream_id"])) for r in tenant_events]
    for expected in (
        ("MemberInvited", officer_id),
        ("SignInFailed", officer_id),
        ("SignedIn", officer_id),
        ("MemberRoleChanged", staff_id),
        ("ApiTokenCreated", officer_id),
    ):
        assert expected in types, expected
    operator_log = await owner_pool.fetch(
        "SELECT event_type FROM operator_events WHERE stream_id = $1 ORDER BY version",
        uuid.UUID(reviewer_id),
    )
    assert [r["event_type"] for r in operator_log][-1] == "SignedIn"
    assert not any(str(r["stream_id"]) == reviewer_id for r in tenant_events)


async def test_unknown_hosts_are_refused_and_cors_is_closed_unless_configured(
    world: World,
) -> None:
    async with client_for(world) as c:
        evil = await c.get("/health", headers={"Host": "evil.example"})
        assert evil.status_code == 400 and "โฮสต์" in evil.json()["title"]
        ok = await c.get("/health", headers={"Host": "127.0.0.1:8123"})
        assert ok.status_code == 200
        pre = await c.options(
            "/api/v1/me",
            headers={"Origin": "https://elsewhere.example", "Access-Control-Request-Method": "GET"},
        )
        assert "access-control-allow-origin" not in pre.headers
    opened = replace(world, settings=replace(world.settings, cors_origins=("https://app.example",)))
    async with client_for(opened) as c:
        pre = await c.options(
            "/api/v1/me",
            headers={"Origin": "https://app.example", "Access-Control-Request-Method": "GET"},
        )
        assert pre.headers.get("access-control-allow-origin") == "https://app.example"


async def test_the_operator_invites_an_lao_s_first_executive(
    world: World, app_pool: asyncpg.Pool, mailbox: Mailbox
) -> None:
    operator, _ = await make_member(
        app_pool, "operator", "operator", email=f"op-{uuid.uuid4().hex[:8]}@example.org"
    )
    first = f"nayok-{uuid.uuid4().hex[:6]}@example.org"
    async with client_for(world) as c:
        assert (await sign_in(c, "operator", operator)).status_code == 303
        csrf = {"X-CSRF-Token": await session_csrf(c, "operator")}
        r = await c.post(
            "/api/v1/operator/invitations",
            json={"org": world.other, "email": first, "name": "นายก อบต.", "role": "executive"},
            headers=csrf,
        )
        assert r.status_code == 201, r.text
        again = await c.post(  # resent while not yet accepted: still the first executive
            "/api/v1/operator/invitations",
            json={"org": world.other, "email": first, "name": "นายก อบต.", "role": "executive"},
            headers=csrf,
        )
        assert again.status_code == 201, again.text
        staff = await c.post(  # the rest of the LAO's team is the LAO's to invite
            "/api/v1/operator/invitations",
            json={"org": world.other, "email": "s@example.org", "name": "ก ข", "role": "staff"},
            headers=csrf,
        )
        # the operator's invitation names only the roles it can ever give (the schema says so):
        # a staff role is refused before anything is looked up
        assert staff.status_code == 400 and "role" in staff.text, staff.text
        second = await c.post(
            "/api/v1/operator/invitations",
            json={
                "org": world.other,
                "email": "n2@example.org",
                "name": "ก ข",
                "role": "executive",
            },
            headers=csrf,
        )
        assert second.status_code == 403 and "ผู้บริหารคนแรก" in second.text
        nobody = await c.post(
            "/api/v1/operator/invitations/withdraw",
            json={"org": world.other, "email": "nobody@example.org"},
            headers=csrf,
        )
        assert nobody.status_code == 404
        unknown = await c.post(
            "/api/v1/operator/invitations",
            json={"org": "nowhere", "email": first, "name": "x", "role": "executive"},
            headers=csrf,
        )
        assert unknown.status_code == 404
        assert (await c.get("/api/v1/plans")).status_code in (400, 403)  # no tenant's data
    await mailbox.wait(first, count=2)  # the second link replaced the first
    link = mailbox.link(first, "invitation")
    assert link.startswith(f"/t/{world.other}/")
    async with client_for(world) as c:
        form = await c.get(link)
        r = await c.post(
            link,
            data={
                "csrf_token": csrf_of(form.text),
                "name": "นายก อบต.",
                "password": PASSWORD,
                "confirm": PASSWORD,
            },
            follow_redirects=False,
        )
        assert r.status_code == 303
        assert (await sign_in(c, world.other, first)).status_code == 303
        assert (await c.get("/api/v1/me")).json()["role"] == "executive"
    async with app_pool.acquire() as conn, conn.transaction():
        await conn.execute("SELECT set_config('app.scope', 'org', true)")
        access = await conn.fetch(
            "SELECT e.event_type, e.data, e.metadata FROM operator_events e "
            "JOIN organisations o ON o.id = e.stream_id WHERE o.code = $1 ORDER BY version",
            world.other,
        )
    assert [a["event_type"] for a in access] == ["OperatorAccessGranted"] * 3
    assert [a["data"]["what"] for a in access] == [
        "first_executive_invited",
        "first_executive_invited",
        "executive_joined",  # the onboarding funnel counts it
    ]
    assert access[0]["data"]["email"] == first and access[0]["metadata"]["actor"] == operator


async def test_tokens_create_with_an_email_prints_a_working_token(
    world: World, app_pool: asyncpg.Pool
) -> None:
    import os
    import subprocess
    import sys

    email, _ = await make_member(app_pool, world.lao, "staff")
    env = {
        **os.environ,
        "DATABASE_URL": world.settings.database_url,
        "REDIS_URL": world.settings.redis_url,
    }
    out = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "services.cli", "tokens", "create", email],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    token = out.stdout.strip()
    assert token.startswith("sjt_") and "shown once" in out.stderr
    async with client_for(world) as c:
        me = await c.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert me.status_code == 200 and me.json()["role"] == "staff"
    missing = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "services.cli", "tokens", "create", "nobody@example.org"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert missing.returncode == 1 and "no active LAO member" in missing.stderr
