"""The provincial review: a comment and a revision request on an LAO's item, by the reviewer
of its province; the LAO sees the request on its task list and in its mailbox, answers; the
reviewer resolves. All of it events in the LAO's log."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import asyncpg
import pytest
from celery import Celery
from litestar.testing import AsyncTestClient

from infra.db.pool import connect
from infra.settings import Settings
from infra.tenancy import upsert_organisations
from infra.tokens import create_token
from services.api.app import create_app
from tests.integration.accounts import Mailbox, make_member, session_csrf, sign_in, smtp_server
from tests.integration.test_reminders import wait_for, worker
from tests.support import org


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    yield from smtp_server()


async def test_revision_requested_answered_resolved(
    settings: Settings,
    app_pool: asyncpg.Pool,
    owner_pool: asyncpg.Pool,
    mailbox: Mailbox,
    tmp_path: Path,
) -> None:
    lao, far = org(), org(province="48")
    owner = await connect(settings.database_url)
    try:
        await upsert_organisations(owner, [lao, far])
        token = await create_token(owner, lao.id, "plan_officer", "officer@lao")
    finally:
        await owner.close()
    s = replace(settings, cookie_secure=False, smtp_port=mailbox.port)
    officer, _ = await make_member(app_pool, lao.code, "plan_officer")
    reviewer, _ = await make_member(
        app_pool, "po-47", "reviewer", email=f"rev-{uuid.uuid4().hex[:8]}@example.org"
    )
    async with AsyncTestClient(create_app(s, configure_logs=False)) as c:
        h = {"Authorization": f"Bearer {token}"}
        plan = (
            await c.post(
                "/api/v1/plans",
                headers=h,
                json={"title": "แผน", "first_year": 2568, "last_year": 2571},
            )
        ).json()["id"]
        item = (
            await c.post(
                f"/api/v1/plans/{plan}/items",
                headers=h,
                json={"number": "2.1.1", "kind": "activity", "name": "ประกาศเจตจำนง"},
            )
        ).json()["id"]
        c.cookies.clear()
        await sign_in(c, "po-47", reviewer)
        csrf = await session_csrf(c, "po-47")
        rh = {"X-CSRF-Token": csrf, "Sujarit-Tenant": lao.code}
        empty = await c.post(
            "/api/v1/reviews", headers=rh, json={"subject": f"item:{item}", "text": " "}
        )
        assert empty.status_code == 422
        far_req = await c.post(
            "/api/v1/reviews",
            headers={**rh, "Sujarit-Tenant": far.code},
            json={"subject": f"item:{item}", "text": "x"},
        )
        assert far_req.status_code == 404
        r = await c.post(
            "/api/v1/reviews",
            headers=rh,
            json={"subject": f"item:{item}", "text": "ขอให้เพิ่มหลักฐานการประกาศ", "kind": "revision"},
        )
        assert r.status_code == 201, r.text
        thread = r.json()["id"]
        page = await c.get(f"/t/{lao.code}/reviews/")
        assert page.status_code == 200 and "ขอให้เพิ่มหลักฐานการประกาศ" in page.text
        assert "แบบอ่านอย่างเดียว" in page.text
    # The mail goes out through a real worker process: the scan finds the outbox row written
    # with the event, the worker claims it in PostgreSQL and sends it over SMTP.
    assert not mailbox.to(officer)  # never from inside the request
    with worker(settings, mailbox, settings.redis_url, tmp_path / "worker.log"):  # type: ignore[arg-type]
        Celery(broker=settings.redis_url, set_as_current=False).send_task(
            "sujarit.scan_review_mail"
        )
        assert await wait_for(lambda: bool(mailbox.to(officer)), 60), (
            tmp_path / "worker.log"
        ).read_text(errors="replace")[-3000:]
    assert any("ขอให้แก้ไข" in str(m["Subject"]) for m in mailbox.to(officer))
    assert "ขอให้เพิ่มหลักฐานการประกาศ" in Mailbox.text(mailbox.to(officer)[0])
    sent = await owner_pool.fetch(
        "SELECT recipient, status, attempts FROM review_mail WHERE tenant_id = $1", lao.id
    )
    assert [(r["recipient"], r["status"], r["attempts"]) for r in sent] == [(officer, "sent", 1)]
    async with AsyncTestClient(create_app(s, configure_logs=False)) as c:
        await sign_in(c, lao.code, officer)
        csrf = await session_csrf(c, lao.code)
        home = await c.get(f"/t/{lao.code}/")
        assert "ขอให้เพิ่มหลักฐานการประกาศ" in home.text  # on the LAO's task list
        history = await c.get(f"/t/{lao.code}/history?kind=review")
        assert history.status_code == 200
        assert "สำนักงานจังหวัดขอให้แก้ไข: ขอให้เพิ่มหลักฐานการประกาศ" in history.text
        r = await c.post(
            f"/t/{lao.code}/reviews/{thread}",
            data={"csrf_token": csrf, "action": "answer", "text": "เพิ่มหลักฐานแล้ว"},
            follow_redirects=False,
        )
        assert r.status_code == 303
        r = await c.post(
            f"/t/{lao.code}/reviews/{thread}",
            data={"csrf_token": csrf, "action": "resolve", "text": "x"},
        )
        assert r.status_code == 404  # only the reviewer closes
    async with AsyncTestClient(create_app(s, configure_logs=False)) as c:
        await sign_in(c, "po-47", reviewer)
        csrf = await session_csrf(c, "po-47")
        r = await c.post(
            f"/api/v1/reviews/{thread}/resolution",
            headers={"X-CSRF-Token": csrf, "Sujarit-Tenant": lao.code},
            json={"note": "เรียบร้อย"},
        )
        assert r.status_code == 200 and r.json()["status"] == "resolved"
        again = await c.post(
            f"/api/v1/reviews/{thread}/resolution",
            headers={"X-CSRF-Token": csrf, "Sujarit-Tenant": lao.code},
            json={"note": ""},
        )
        assert again.status_code == 409
    types = [
        r["event_type"]
        for r in await owner_pool.fetch(
            "SELECT event_type FROM events WHERE tenant_id = $1 AND stream_id = $2 "
            "ORDER BY version",
            lao.id,
            uuid.UUID(thread),
        )
    ]
    assert types == ["RevisionRequested", "RevisionAnswered", "RevisionResolved"]
