"""The members page (plan officer) and the API tokens page, through real forms."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from infra.db.pool import connect
from infra.settings import Settings
from infra.tenancy import upsert_organisations
from services.api.app import create_app
from tests.integration.accounts import (
    Mailbox,
    mail_worker,
    make_member,
    session_csrf,
    sign_in,
    smtp_server,
)
from tests.support import org


@pytest.fixture(scope="module")
def mailbox() -> Iterator[Mailbox]:
    yield from smtp_server()


@pytest.fixture(scope="module")
def mail_settings(
    settings: Settings, mailbox: Mailbox, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Settings]:
    with mail_worker(settings, mailbox, tmp_path_factory.mktemp("mail") / "worker.log") as s:
        yield s


@pytest.fixture
async def lao(settings: Settings, mail_settings: Settings) -> AsyncIterator[tuple[str, Settings]]:
    a = org()
    owner = await connect(settings.database_url)
    try:
        await upsert_organisations(owner, [a])
    finally:
        await owner.close()
    yield a.code, replace(mail_settings, cookie_secure=False)


async def test_plan_officer_invites_changes_role_and_disables(
    lao: tuple[str, Settings], app_pool: asyncpg.Pool, mailbox: Mailbox
) -> None:
    code, settings = lao
    officer, _ = await make_member(app_pool, code, "plan_officer")
    staff, staff_id = await make_member(app_pool, code, "staff")
    async with AsyncTestClient(create_app(settings, configure_logs=False)) as c:
        await sign_in(c, code, officer)
        csrf = await session_csrf(c, code)
        page = await c.get(f"/t/{code}/members")
        assert page.status_code == 200 and staff in page.text
        bad = await c.post(
            f"/t/{code}/members",
            data={"csrf_token": csrf, "name": "สมหญิง ใจงาม", "email": "not-an-email", "role": ""},
        )
        assert bad.status_code == 400
        assert "อีเมลไม่ถูกต้อง" in bad.text or "กรุณาเลือกบทบาท" in bad.text
        assert 'value="สมหญิง ใจงาม"' in bad.text and 'value="not-an-email"' in bad.text
        forged = await c.post(
            f"/t/{code}/members", data={"name": "x", "email": "x@example.org", "role": "staff"}
        )
        assert forged.status_code == 403 and "แบบฟอร์มนี้หมดอายุ" in forged.text
        ok = await c.post(
            f"/t/{code}/members",
            data={
                "csrf_token": csrf,
                "name": "สมหญิง ใจงาม",
                "email": "somying@example.org",
                "role": "viewer",
            },
            follow_redirects=False,
        )
        assert ok.status_code == 303
        await mailbox.wait("somying@example.org")
        assert mailbox.to("somying@example.org")
        r = await c.post(
            f"/t/{code}/members/{staff_id}",
            data={"csrf_token": csrf, "action": "role", "role": "viewer"},
            follow_redirects=False,
        )
        assert r.status_code == 303
        r = await c.post(
            f"/t/{code}/members/{staff_id}",
            data={"csrf_token": csrf, "action": "disable"},
            follow_redirects=False,
        )
        assert r.status_code == 303
        page = await c.get(f"/t/{code}/members")
        assert "ระงับ" in page.text and "somying@example.org" in page.text
        other = await c.post(
            f"/t/{code}/members/{uuid.uuid4()}", data={"csrf_token": csrf, "action": "disable"}
        )
        assert other.status_code == 404
    async with AsyncTestClient(create_app(settings, configure_logs=False)) as c:
        assert (await sign_in(c, code, staff)).status_code == 401  # disabled


async def test_only_the_plan_officer_sees_members_and_tokens_are_shown_once(
    lao: tuple[str, Settings], app_pool: asyncpg.Pool
) -> None:
    code, settings = lao
    viewer, _ = await make_member(app_pool, code, "viewer")
    async with AsyncTestClient(create_app(settings, configure_logs=False)) as c:
        await sign_in(c, code, viewer)
        assert (await c.get(f"/t/{code}/members")).status_code == 404
        csrf = await session_csrf(c, code)
        empty = await c.post(f"/t/{code}/tokens", data={"csrf_token": csrf, "name": ""})
        assert empty.status_code == 400 and "กรุณาตั้งชื่อ token" in empty.text
        made = await c.post(f"/t/{code}/tokens", data={"csrf_token": csrf, "name": "รายงาน"})
        assert made.status_code == 201 and "sjt_" in made.text
        listed = await c.get(f"/t/{code}/tokens")
        assert "รายงาน" in listed.text and "sjt_" not in listed.text  # shown once
        token_id = made.text.split("sjt_")[1].split("_")[0]
        r = await c.post(
            f"/t/{code}/tokens/{uuid.UUID(hex=token_id)}/revoke",
            data={"csrf_token": csrf},
            follow_redirects=False,
        )
        assert r.status_code == 303
        assert "ยกเลิกแล้ว" in (await c.get(f"/t/{code}/tokens")).text


async def test_the_executive_manages_members_resends_and_revokes_invitations(
    lao: tuple[str, Settings], app_pool: asyncpg.Pool, mailbox: Mailbox
) -> None:
    code, settings = lao
    executive, executive_id = await make_member(app_pool, code, "executive")
    officer, _ = await make_member(app_pool, code, "plan_officer")
    async with AsyncTestClient(create_app(settings, configure_logs=False)) as c:
        await sign_in(c, code, executive)
        csrf = await session_csrf(c, code)
        assert f"/t/{code}/members" in (await c.get(f"/t/{code}/")).text  # in the menu
        own = await c.post(
            f"/t/{code}/members/{executive_id}",
            data={"csrf_token": csrf, "action": "role", "role": "staff"},
        )
        assert own.status_code == 403 and "ของตัวเอง" in own.text  # nobody changes their own
        r = await c.post(
            f"/t/{code}/members",
            data={
                "csrf_token": csrf,
                "name": "รองนายก ทดสอบ",
                "email": "deputy@example.org",
                "role": "executive",
            },
            follow_redirects=False,
        )
        assert r.status_code == 303  # the executive grants the executive role
        await mailbox.wait("deputy@example.org")
        first = mailbox.link("deputy@example.org", "invitation")
        page = await c.get(f"/t/{code}/members")
        assert "ส่งคำเชิญอีกครั้ง" in page.text and "ยกเลิกคำเชิญ" in page.text
        after = page.text.split("deputy@example.org", 1)[1]
        m = re.search(rf"/t/{code}/members/([0-9a-f-]{{36}})", after)
        assert m
        deputy = m[1]
        r = await c.post(
            f"/t/{code}/members/{deputy}",
            data={"csrf_token": csrf, "action": "resend"},
            follow_redirects=False,
        )
        assert r.status_code == 303
        await mailbox.wait("deputy@example.org", count=2)
        second = mailbox.link("deputy@example.org", "invitation")
        assert second != first
        assert (await c.get(first)).status_code == 410  # a new link replaces the old one
        assert (await c.get(second)).status_code == 200
        r = await c.post(
            f"/t/{code}/members/{deputy}",
            data={"csrf_token": csrf, "action": "revoke"},
            follow_redirects=False,
        )
        assert r.status_code == 303
        assert (await c.get(second)).status_code == 410
        assert "deputy@example.org" not in (await c.get(f"/t/{code}/members")).text
    async with AsyncTestClient(create_app(settings, configure_logs=False)) as c:
        await sign_in(c, code, officer)
        csrf = await session_csrf(c, code)
        page = await c.get(f"/t/{code}/members")
        assert page.status_code == 200 and 'value="executive"' not in page.text
        r = await c.post(
            f"/t/{code}/members/{executive_id}", data={"csrf_token": csrf, "action": "disable"}
        )
        assert r.status_code == 403 and "เฉพาะผู้บริหาร" in r.text
        r = await c.post(
            f"/t/{code}/members",
            data={"csrf_token": csrf, "name": "ก ข", "email": "x@example.org", "role": "executive"},
        )
        assert r.status_code == 403 and "เฉพาะผู้บริหาร" in r.text
