"""Reminders end to end: the scan, digests by real Celery worker processes over real Redis,
a real SMTP server (aiosmtpd); workers killed with SIGKILL, SMTP down then back, a Redis
visibility timeout shorter than a slow send. Each reminder goes out once (duplicates only in
the window between SMTP accepting and the claim's commit, which the test counts and prints).
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from aiosmtpd.controller import Controller
from celery import Celery

from domain.plans import commands as c
from domain.plans.handlers import handle_draft_plan, handle_item_command, handle_plan_command
from domain.plans.values import ItemKind
from domain.shared.clock import BANGKOK
from domain.shared.ports import Context
from infra.db.pool import connect
from infra.embedded import free_port
from infra.eventstore.postgres import PostgresEventStore
from infra.projections.registry import inline_projections
from infra.reminders.scan import due_digests
from infra.reminders.send import send_digest
from infra.repository import EventSourcedRepository
from infra.settings import Settings
from infra.tenancy import upsert_organisations
from tests.integration.accounts import make_member
from tests.integration.workers import redis_db, worker
from tests.support import org

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]
ICS_UID = "UID:"


@dataclass
class Box:
    """A real SMTP server that can go down, come back, and be slow."""

    port: int
    messages: list[EmailMessage]
    delay: float = 0.0
    controller: Controller | None = None

    def start(self) -> None:
        from email import message_from_bytes, policy

        box = self

        class Handler:
            async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
                if box.delay:
                    await asyncio.sleep(box.delay)
                msg = message_from_bytes(envelope.content, policy=policy.default)
                assert isinstance(msg, EmailMessage)
                box.messages.append(msg)
                return "250 OK"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def received(self) -> Counter[tuple[str, str]]:
        """(recipient, reminder uid) -> how many times it arrived."""
        seen: Counter[tuple[str, str]] = Counter()
        for m in self.messages:
            for part in m.iter_attachments():
                if part.get_content_type() == "text/calendar":
                    text = part.get_content()
                    text = text.decode() if isinstance(text, bytes) else text
                    for line in text.splitlines():
                        if line.startswith(ICS_UID):
                            seen[(str(m["To"]), line)] += 1
        return seen


@pytest.fixture
def box() -> Iterator[Box]:
    b = Box(free_port(), [])
    b.start()
    yield b
    b.stop()


def children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    return [int(p) for p in out.stdout.split()]


async def make_due_steps(
    settings: Settings, app_pool: asyncpg.Pool, tenants: int, people: int, steps_each: int
) -> set[tuple[str, str]]:
    """Steps due today (Asia/Bangkok), each naming one staff member; returns the expected
    (recipient, step) pairs."""
    today = datetime.now(BANGKOK).date()
    fy = today.year + 543 + (1 if today.month >= 10 else 0)
    orgs = [org() for _ in range(tenants)]
    owner = await connect(settings.database_url)
    try:
        await upsert_organisations(owner, orgs)
    finally:
        await owner.close()
    repo = EventSourcedRepository(PostgresEventStore(app_pool, projections=inline_projections()))
    expected = set()
    for o in orgs:
        ctx = Context(o.id, "test")
        plan, item = uuid.uuid4(), uuid.uuid4()
        await handle_draft_plan(repo, ctx, c.DraftPlan(plan, "แผน", fy - 1, fy + 2))
        await handle_plan_command(
            repo, ctx, c.AddItem(plan, item, "2.1.1", ItemKind.ACTIVITY, "กิจกรรม")
        )
        n = 0
        for _ in range(people):
            email, _ = await make_member(app_pool, o.code, "staff")
            for _ in range(steps_each):
                n += 1
                await handle_item_command(
                    repo,
                    ctx,
                    c.ScheduleStep(plan, item, f"6.{n}", f"ขั้นตอนที่ {n}", today, None, (email,)),
                )
                expected.add((email, f"{item}:6.{n}"))
    return expected


async def wait_for(check: Any, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        await asyncio.sleep(0.25)
    return bool(check())


def scan(redis_url: str) -> None:
    client = Celery(broker=redis_url, set_as_current=False)
    client.send_task("sujarit.scan_reminders", args=[datetime.now(UTC).isoformat()])


async def test_a_digest_per_recipient_sent_once_with_its_events(
    settings: Settings, app_pool: asyncpg.Pool, box: Box, owner_pool: asyncpg.Pool
) -> None:
    expected = await make_due_steps(settings, app_pool, 1, 2, 3)
    s = replace(settings, smtp_port=box.port)
    now = datetime.now(UTC)
    scanner = await connect(s.projector_url)
    try:
        digests = [
            d for d in await due_digests(scanner, now) if d.recipient in {e for e, _ in expected}
        ]
    finally:
        await scanner.close()
    assert len(digests) == 2, digests
    assert [len(d.entries) for d in digests] == [3, 3], [
        [(e.subject, e.kind, e.due_date) for e in d.entries] for d in digests
    ]
    assert {e.kind for d in digests for e in d.entries} == {"due"}
    for d in digests:
        assert len(await send_digest(app_pool, s, d, now)) == 3
        assert await send_digest(app_pool, s, d, now) == []  # exactly once
    assert len(box.messages) == 2
    m = box.messages[0]
    assert "แจ้งเตือน" in str(m["Subject"])
    assert m.get_body(("html",)) is not None
    body = m.get_body(("plain",))
    assert body is not None and "/plan/" in body.get_content()
    assert sum(box.received().values()) == 6


async def test_200_reminders_while_workers_are_killed(
    settings: Settings,
    app_pool: asyncpg.Pool,
    box: Box,
    owner_pool: asyncpg.Pool,
    tmp_path: Path,
) -> None:
    expected = await make_due_steps(settings, app_pool, 5, 10, 4)  # 200 reminders, 50 digests
    assert len(expected) == 200
    box.delay = 0.15  # a send takes a moment, so kills land mid-send
    redis_url = redis_db(settings, 11)
    log = tmp_path / "worker.log"
    kills = 0
    restarts = 0
    with worker(settings, box, redis_url, log, CELERY_VISIBILITY_TIMEOUT="8") as w:
        scan(redis_url)
        rng = random.Random(7)
        until = time.monotonic() + 12
        while time.monotonic() < until:
            await asyncio.sleep(rng.uniform(0.3, 0.9))
            if not w.alive():  # a worker that lost its pool gives up: start another
                await asyncio.to_thread(w.start)
                restarts += 1
                continue
            kids = children(w.pid)
            if kids:
                os.kill(rng.choice(kids), signal.SIGKILL)
                kills += 1
        if not w.alive():
            await asyncio.to_thread(w.start)
            restarts += 1
        mine = {e for e, _ in expected}

        def all_in() -> bool:
            return {k[0] for k in box.received()} >= mine and sum(
                1 for k in box.received() if k[0] in mine
            ) >= 200

        # As beat does: the scan runs again (every 10 s here) and re-enqueues what is unsent.
        scans, done = 1, False
        deadline = time.monotonic() + 120
        while not done and time.monotonic() < deadline:
            done = await wait_for(all_in, 10)
            if not done:
                scan(redis_url)
                scans += 1
    got = Counter({k: v for k, v in box.received().items() if k[0] in mine})
    duplicates = sum(v - 1 for v in got.values())
    print(
        f"\n200 reminders, {kills} worker processes SIGKILLed ({restarts} worker restarts): "
        f"{len(got)} distinct delivered after {scans} scan(s), {duplicates} duplicates (SMTP "
        "accepted, claim not yet committed)"
    )
    assert done, log.read_text(errors="replace")[-3000:]
    assert len(got) == 200
    assert duplicates <= kills  # at most one per kill, and only in that window

    async def recorded() -> int:
        return int(
            await owner_pool.fetchval(
                "SELECT count(*) FROM events WHERE event_type = 'ReminderSent' "
                "AND data->>'recipient' = ANY($1::text[])",
                list(mine),
            )
        )

    # A worker killed between the claim's commit and its events leaves them to the next
    # scan's sweep: run one, as beat would, and every ReminderSent is there.
    late = 200 - await recorded()
    with worker(settings, box, redis_url, tmp_path / "sweep.log"):
        scan(redis_url)
        deadline = time.monotonic() + 30
        while await recorded() < 200 and time.monotonic() < deadline:
            await asyncio.sleep(0.3)
    print(f"ReminderSent recorded by the sweep after the kills: {late}")
    assert await recorded() == 200


async def test_smtp_down_then_back_delivers_everything(
    settings: Settings,
    app_pool: asyncpg.Pool,
    box: Box,
    owner_pool: asyncpg.Pool,
    tmp_path: Path,
) -> None:
    expected = await make_due_steps(settings, app_pool, 1, 3, 2)
    mine = {e for e, _ in expected}
    box.stop()
    redis_url = redis_db(settings, 12)
    with worker(settings, box, redis_url, tmp_path / "worker.log"):
        scan(redis_url)

        async def attempts() -> int:
            return int(
                await owner_pool.fetchval(
                    "SELECT coalesce(sum(attempts), 0) FROM reminder_claims WHERE recipient = "
                    "ANY($1::text[]) AND status = 'pending'",
                    list(mine),
                )
            )

        deadline = time.monotonic() + 30
        while await attempts() < 6 and time.monotonic() < deadline:
            await asyncio.sleep(0.3)
        assert await attempts() >= 6  # every digest failed at least twice
        assert not box.messages
        box.start()
        assert await wait_for(lambda: len([k for k in box.received() if k[0] in mine]) >= 6, 60)
    got = Counter({k: v for k, v in box.received().items() if k[0] in mine})
    assert len(got) == 6 and set(got.values()) == {1}


async def test_a_visibility_timeout_shorter_than_a_slow_send_still_sends_once(
    settings: Settings, app_pool: asyncpg.Pool, box: Box, tmp_path: Path
) -> None:
    expected = await make_due_steps(settings, app_pool, 1, 1, 2)
    mine = {e for e, _ in expected}
    box.delay = 6.0  # far longer than the visibility timeout below
    redis_url = redis_db(settings, 13)
    log = tmp_path / "worker.log"
    with worker(settings, box, redis_url, log, CELERY_VISIBILITY_TIMEOUT="1"):
        scan(redis_url)
        assert await wait_for(lambda: any(k[0] in mine for k in box.received()), 40)
        await asyncio.sleep(8)  # room for a redelivered copy to (not) send again
    got = Counter({k: v for k, v in box.received().items() if k[0] in mine})
    assert len(got) == 2 and set(got.values()) == {1}, got
    text = log.read_text(errors="replace")
    redelivered = text.count("nothing pending (sent already)")
    print(f"\nvisibility timeout 1 s, send 6 s: {redelivered} redelivered run(s) found it sent")
    assert redelivered >= 1  # Redis did hand the slow task to another worker meanwhile


async def test_indicators_not_recorded_when_the_fiscal_year_ends(
    settings: Settings, app_pool: asyncpg.Pool
) -> None:
    from decimal import Decimal

    from domain.plans.values import Comparator, OutputIndicator

    lao = org()
    owner = await connect(settings.database_url)
    try:
        await upsert_organisations(owner, [lao])
    finally:
        await owner.close()
    officer, _ = await make_member(app_pool, lao.code, "plan_officer")
    repo = EventSourcedRepository(PostgresEventStore(app_pool, projections=inline_projections()))
    ctx = Context(lao.id, "test")
    plan, item, done = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await handle_draft_plan(repo, ctx, c.DraftPlan(plan, "แผน", 2568, 2571))
    for it, number in ((item, "1.1.1"), (done, "1.1.2")):
        await handle_plan_command(
            repo, ctx, c.AddItem(plan, it, number, ItemKind.PROJECT, "โครงการ")
        )
        await handle_item_command(
            repo,
            ctx,
            c.DefineIndicator(
                plan,
                it,
                OutputIndicator("o1", "อบรม 1 ครั้ง", Comparator.AT_LEAST, Decimal(1), "ครั้ง"),
            ),
        )
    await handle_item_command(
        repo, ctx, c.RecordIndicatorResult(plan, done, "o1", 2569, Decimal(1))
    )
    scanner = await connect(settings.projector_url)
    try:
        # 1 October 2026 (Asia/Bangkok): fiscal year 2569 has just ended.
        at = datetime(2026, 10, 1, 2, 0, tzinfo=UTC)
        digests = [d for d in await due_digests(scanner, at) if d.recipient == officer]
        before = [
            d
            for d in await due_digests(scanner, datetime(2026, 9, 29, 2, tzinfo=UTC))
            if d.recipient == officer
        ]
    finally:
        await scanner.close()
    [d] = digests
    indicator = [e for e in d.entries if e.subject.startswith("indicators:")]
    assert [e.subject for e in indicator] == [f"indicators:{item}:2569"]  # not the recorded one
    assert indicator[0].kind == "indicators" and "ปีงบประมาณ 2569" in indicator[0].title
    assert not any(e.subject.startswith("indicators:") for d in before for e in d.entries)
