"""The mail outbox end to end: rows recorded in a transaction, sent by a real Celery worker
process to a real SMTP server (aiosmtpd), once even when the task is handed over twice and the
relay finds the row too; SMTP down then back; failed for good after the retries."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import pytest
from celery import Celery

from domain.tenancy.members import Scope
from infra.auth.orgs import Org, org_transaction
from infra.db.pool import connect
from infra.embedded import free_port
from infra.mail_outbox import SEND_MAIL, Queued, enqueue
from infra.settings import Settings
from infra.tenancy import upsert_organisations
from tests.integration.accounts import Mailbox, serve
from tests.integration.workers import redis_db, worker
from tests.support import org

pytestmark = pytest.mark.timeout(240)
OPERATOR = Org("operator", Scope.OPERATOR, "ผู้ดูแลระบบ")


async def queue_one(
    app_pool: asyncpg.Pool, owner: Org, recipient: str, *, minutes_ago: int = 0
) -> Queued:
    at = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    async with org_transaction(app_pool, owner) as conn:
        return await enqueue(
            conn,
            owner.tenant_id,
            "test",
            recipient,
            "ทดสอบ",
            f"ลิงก์ลับ https://example.org/t/x/reset/{uuid.uuid4().hex}",
            "<p>ทดสอบ</p>",
            uuid.uuid4().hex,
            now=at,
        )


async def an_lao(settings: Settings) -> Org:
    a = org()
    owner = await connect(settings.database_url)
    try:
        await upsert_organisations(owner, [a])
    finally:
        await owner.close()
    return Org(a.code, Scope.LAO, a.name_th, a.id, "47")


def send(redis_url: str, task: str, args: list[str | None]) -> None:
    Celery(broker=redis_url, set_as_current=False).send_task(task, args=args)


async def until(check: object, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await check():  # type: ignore[operator]
            return
        await asyncio.sleep(0.25)


async def row(owner_pool: asyncpg.Pool, q: Queued) -> asyncpg.Record:
    found = await owner_pool.fetchrow(
        "SELECT status, attempts, body_text, body_html FROM mail_outbox WHERE id = $1", q.id
    )
    assert found is not None
    return found


async def test_sent_once_though_handed_over_twice_and_relayed(
    settings: Settings, app_pool: asyncpg.Pool, owner_pool: asyncpg.Pool, tmp_path: Path
) -> None:
    lao = await an_lao(settings)
    to_lao, to_operator = f"m-{uuid.uuid4().hex[:8]}@example.org", f"o-{uuid.uuid4().hex[:8]}@x.org"
    q1 = await queue_one(app_pool, lao, to_lao)
    q2 = await queue_one(app_pool, OPERATOR, to_operator, minutes_ago=5)  # lost: the relay's
    again = await queue_one(app_pool, lao, to_lao)  # another key: another mail
    box = Mailbox(port=free_port())
    controller = serve(box)
    redis_url = redis_db(settings, 14)
    try:
        with worker(settings, box, redis_url, tmp_path / "worker.log", concurrency=2):
            send(redis_url, SEND_MAIL, q1.to_task())
            send(redis_url, SEND_MAIL, q1.to_task())  # a second hand-over of the same row
            send(redis_url, SEND_MAIL, again.to_task())
            send(redis_url, "sujarit.relay_mail", [])

            async def all_in() -> bool:
                return len(box.to(to_lao)) >= 2 and len(box.to(to_operator)) >= 1

            await until(all_in, 60)
            await asyncio.sleep(1.5)  # room for a duplicate to show up
    finally:
        controller.stop()
    assert len(box.to(to_lao)) == 2 and len(box.to(to_operator)) == 1
    for q in (q1, q2, again):
        r = await row(owner_pool, q)
        assert r["status"] == "sent" and r["attempts"] == 1
        assert r["body_text"] == "" and r["body_html"] == ""  # the link is not kept


async def test_smtp_down_then_back_then_failed_for_good(
    settings: Settings, app_pool: asyncpg.Pool, owner_pool: asyncpg.Pool, tmp_path: Path
) -> None:
    lao = await an_lao(settings)
    to = f"d-{uuid.uuid4().hex[:8]}@example.org"
    q = await queue_one(app_pool, lao, to)
    box = Mailbox(port=free_port())  # nothing listens yet
    redis_url = redis_db(settings, 14)
    with worker(settings, box, redis_url, tmp_path / "worker.log", concurrency=1):
        send(redis_url, SEND_MAIL, q.to_task())

        async def failed_twice() -> bool:
            return int((await row(owner_pool, q))["attempts"]) >= 2

        await until(failed_twice, 60)
        r = await row(owner_pool, q)
        assert r["status"] == "pending" and r["attempts"] >= 2 and not box.messages
        controller = serve(box)
        try:

            async def sent() -> bool:
                return (await row(owner_pool, q))["status"] == "sent"

            await until(sent, 60)
        finally:
            controller.stop()
    assert len(box.to(to)) == 1 and (await row(owner_pool, q))["status"] == "sent"

    lost = f"g-{uuid.uuid4().hex[:8]}@example.org"
    gone = await queue_one(app_pool, OPERATOR, lost)
    with worker(
        settings, box, redis_url, tmp_path / "worker2.log", concurrency=1, REMINDER_RETRIES="1"
    ):
        send(redis_url, SEND_MAIL, gone.to_task())

        async def given_up() -> bool:
            return (await row(owner_pool, gone))["status"] == "failed"

        await until(given_up, 60)
    r = await row(owner_pool, gone)
    assert r["status"] == "failed" and r["attempts"] == 2 and r["body_text"] == ""
    async with app_pool.acquire() as conn, conn.transaction():
        assert await conn.fetch("SELECT * FROM app_failed_mail()") == []  # not the operator's
        await conn.execute("SELECT set_config('app.scope', 'operator', true)")
        listed = await conn.fetch("SELECT * FROM app_failed_mail()")
    assert [x["tenant_code"] for x in listed if x["recipient"] == lost] == ["operator"]
