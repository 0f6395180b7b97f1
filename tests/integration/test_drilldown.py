"""A provincial reviewer reads every page of an LAO of its province, read-only, with a
banner; another province's LAO does not exist for it; writes are refused."""

from __future__ import annotations

import uuid
from dataclasses import replace

import asyncpg
from litestar.testing import AsyncTestClient

from infra.db.pool import connect
from infra.settings import Settings
from infra.tenancy import upsert_organisations
from infra.tokens import create_token
from services.api.app import create_app
from tests.integration.accounts import csrf_of, make_member, sign_in
from tests.support import org

BANNER = "แบบอ่านอย่างเดียว"


async def test_reviewer_drills_down_read_only(settings: Settings, app_pool: asyncpg.Pool) -> None:
    mine, far = org(), org(province="48")
    owner = await connect(settings.database_url)
    try:
        await upsert_organisations(owner, [mine, far])
        token = await create_token(owner, mine.id, "plan_officer", "officer@mine")
    finally:
        await owner.close()
    s = replace(settings, cookie_secure=False)
    reviewer, _ = await make_member(
        app_pool, "po-47", "reviewer", email=f"rev-{uuid.uuid4().hex[:8]}@example.org"
    )
    async with AsyncTestClient(create_app(s, configure_logs=False)) as c:
        h = {"Authorization": f"Bearer {token}"}
        plan = (
            await c.post(
                "/api/v1/plans",
                json={"title": "แผนของเรา", "first_year": 2568, "last_year": 2571},
                headers=h,
            )
        ).json()["id"]
        item = (
            await c.post(
                f"/api/v1/plans/{plan}/items",
                json={"number": "1.1.1", "kind": "project", "name": "โครงการอบรมคุณธรรม"},
                headers=h,
            )
        ).json()["id"]
        c.cookies.clear()
        assert (await sign_in(c, "po-47", reviewer)).status_code == 303
        for path in (
            f"/t/{mine.code}/plan",
            f"/t/{mine.code}/plan/{plan}/items/{item}",
            f"/t/{mine.code}/declaration",
            f"/t/{mine.code}/history",
        ):
            r = await c.get(path)
            assert r.status_code == 200, (path, r.status_code, r.text[:300])
            assert BANNER in r.text, path
            assert (
                'name="csrf_token"' not in r.text.split("</header>", 1)[1].replace("signout", "")
                or "<form" not in r.text.split('id="content"', 1)[1]
            ), path
        assert "โครงการอบรมคุณธรรม" in (await c.get(f"/t/{mine.code}/plan")).text
        via = await c.get(f"/t/po-47/lao/{mine.code}/", follow_redirects=True)
        assert via.status_code == 200 and BANNER in via.text  # the dashboard's link
        assert (await c.get(f"/t/po-47/lao/{far.code}/", follow_redirects=True)).status_code == 404
        far_page = await c.get(f"/t/{far.code}/plan")
        assert far_page.status_code == 404 and "ไม่พบ" in far_page.text
        page = await c.get(f"/t/{mine.code}/plan")
        csrf = csrf_of(page.text)  # the sign-out form's token: the session's
        forged = await c.post(
            f"/t/{mine.code}/plan/items",
            data={
                "csrf_token": csrf,
                "number": "1.1.2",
                "kind": "project",
                "name": "x",
                "plan_id": plan,
            },
        )
        assert forged.status_code in (403, 404, 405)
        api = await c.post(
            "/api/v1/plans",
            json={"title": "x", "first_year": 2568, "last_year": 2569},
            headers={"X-CSRF-Token": csrf, "Sujarit-Tenant": mine.code},
        )
        assert api.status_code == 403
    async with AsyncTestClient(create_app(s, configure_logs=False)) as c:
        h = {"Authorization": f"Bearer {token}"}
        items = (await c.get(f"/api/v1/plans/{plan}", headers=h)).json()
        assert "1.1.2" not in str(items)  # nothing was written
