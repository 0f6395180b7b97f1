"""Inline and async projections: gap safety, crash safety, rebuild equals live."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import sys
import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

import asyncpg
import pytest

from domain.plans.events import PlanDrafted
from domain.plans.rounds import TEMPLATE_2561
from domain.registry import event_data
from domain.reporting.events import ReportFile, ReportGenerated, ReportSubmitted
from domain.review.thread import RevisionAnswered, RevisionRequested, RevisionResolved
from domain.shared.clock import FixedClock
from domain.shared.messages import Event
from domain.tenancy.members import MemberInvited, MemberJoined, MemberRoleChanged
from infra.db.pool import connect, create_pool
from infra.eventstore.postgres import PostgresEventStore
from infra.eventstore.records import NewEvent, StoredEvent
from infra.projections.plans import _Replay as PlansReplay
from infra.projections.projector import AsyncProjector
from infra.projections.rebuild import rebuild
from infra.projections.registry import all_projections, async_projections, inline_projections
from infra.settings import Settings
from tests.support import make_tenants

pytestmark = pytest.mark.store

SNAPSHOTS = {
    "timeline": "SELECT * FROM timeline ORDER BY tenant_id, sequence",
    "tenant_activity": "SELECT * FROM tenant_activity ORDER BY tenant_id",
}


async def snapshot(conn: asyncpg.Connection) -> dict[str, list[tuple[object, ...]]]:
    return {name: [tuple(r) for r in await conn.fetch(q)] for name, q in SNAPSHOTS.items()}


async def truth(conn: asyncpg.Connection) -> dict[uuid.UUID, tuple[int, int]]:
    rows = await conn.fetch("SELECT tenant_id, count(*), max(sequence) FROM events GROUP BY 1")
    return {r[0]: (r[1], r[2]) for r in rows}


async def activity(conn: asyncpg.Connection) -> dict[uuid.UUID, tuple[int, int]]:
    rows = await conn.fetch("SELECT tenant_id, event_count, last_sequence FROM tenant_activity")
    return {r[0]: (r[1], r[2]) for r in rows}


class Gate:
    """An inline projection that holds its append transaction open until released."""

    name = "gate"
    tables: tuple[str, ...] = ()

    def __init__(self) -> None:
        self.entered = asyncio.Event()
        self.release = asyncio.Event()

    async def apply(self, conn: asyncpg.Connection, events: Sequence[StoredEvent]) -> None:
        self.entered.set()
        await self.release.wait()

    async def rebuild(self, conn: asyncpg.Connection, batches: object) -> None:
        raise AssertionError("not rebuilt")


@pytest.mark.timeout(60)
async def test_projector_never_skips_an_event_that_commits_late(fresh_settings: Settings) -> None:
    owner = await connect(fresh_settings.database_url)
    app = await create_pool(fresh_settings.app_url, min_size=2, max_size=10)
    proj_pool = await create_pool(fresh_settings.projector_url, min_size=1, max_size=2)
    try:
        tenants = await make_tenants(owner, 4)
        store = PostgresEventStore(app, projections=inline_projections())
        gate = Gate()
        slow_store = PostgresEventStore(app, projections=(*inline_projections(), gate))
        projector = AsyncProjector(proj_pool, async_projections(), batch=3)
        for t in tenants:
            await store.append(t, uuid.uuid4(), "test", 0, [NewEvent("A", {})])
        # The slow writer takes its transaction id now and commits last.
        slow = asyncio.create_task(
            slow_store.append(tenants[0], uuid.uuid4(), "test", 0, [NewEvent("Late", {})])
        )
        await asyncio.wait_for(gate.entered.wait(), 10)
        # Other tenants commit after it (tenants[0] itself is held by the slow writer).
        for round_ in range(3):
            for t in tenants[1:]:
                await store.append(t, uuid.uuid4(), "test", 0, [NewEvent("B", {"r": round_})])
        await projector.catch_up()
        seen = await activity(owner)
        # The projector waits behind the open transaction: what committed after it is not
        # applied yet (a position-only reader would apply it and later skip the slow event).
        assert sum(c for c, _ in seen.values()) == 4
        gate.release.set()
        await slow
        await projector.catch_up()
        assert await activity(owner) == await truth(owner)
        assert {t: c for t, (c, _) in (await activity(owner)).items()} == {
            tenants[0]: 2,
            tenants[1]: 4,
            tenants[2]: 4,
            tenants[3]: 4,
        }
        live = await snapshot(owner)
        for p in all_projections().values():
            await rebuild(owner, p)
        assert await snapshot(owner) == live
    finally:
        await proj_pool.close()
        await app.close()
        await owner.close()


async def _write_many(url: str, tenants: list[uuid.UUID], n: int) -> None:
    pool = await create_pool(url, min_size=4, max_size=8)
    store = PostgresEventStore(pool, projections=inline_projections())
    try:

        async def writer(t: uuid.UUID) -> None:
            stream, version = uuid.uuid4(), 0
            for i in range(n):
                await store.append(
                    t,
                    stream,
                    "test",
                    version,
                    [NewEvent("StepCompleted", {"i": i}) for _ in range(5)],
                )
                version += 5

        await asyncio.gather(*(writer(t) for t in tenants))
    finally:
        await pool.close()


@pytest.mark.slow
async def test_projector_killed_mid_batch_applies_each_event_once(
    fresh_settings: Settings,
) -> None:
    owner = await connect(fresh_settings.database_url)
    try:
        tenants = await make_tenants(owner, 8)
        env = {
            **os.environ,
            "DATABASE_URL": fresh_settings.database_url,
            "PROJECTOR_BATCH": "50",
            "LOG_JSON": "0",
        }
        writing = asyncio.create_task(_write_many(fresh_settings.app_url, tenants, 150))
        rng = random.Random(7)
        kills = 0
        progress: list[int] = []
        while kills < 5:
            proc = subprocess.Popen(
                [sys.executable, "-m", "services.cli", "projector"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )

            async def applied_now() -> int:
                return int(
                    await owner.fetchval(
                        "SELECT coalesce(sum(event_count), 0) FROM tenant_activity"
                    )
                )

            # Wait until this process is at work (its start-up is slow on a loaded machine),
            # then kill it a moment later, in the middle of its batches.
            before = await applied_now()
            for _ in range(600):
                if await applied_now() > before or proc.poll() is not None:
                    break
                await asyncio.sleep(0.05)
            await asyncio.sleep(rng.uniform(0.0, 0.3))
            applied = await applied_now()
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            kills += 1
            assert proc.returncode == -signal.SIGKILL
            progress.append(applied)
        await writing
        # The kills landed while there was work in flight, not before or after it all.
        assert any(0 < a < 8 * 150 * 5 for a in progress), progress
        # Restart and let it finish.
        proc = subprocess.Popen(
            [sys.executable, "-m", "services.cli", "projector"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            expected = await truth(owner)
            assert sum(c for c, _ in expected.values()) == 8 * 150 * 5
            for _ in range(600):
                if await activity(owner) == expected:
                    break
                await asyncio.sleep(0.1)
            assert await activity(owner) == expected
        finally:
            proc.terminate()
            proc.wait(10)
    finally:
        await owner.close()


async def test_rebuild_gives_the_live_tables(fresh_settings: Settings) -> None:
    owner = await connect(fresh_settings.database_url)
    app = await create_pool(fresh_settings.app_url, min_size=1, max_size=4)
    proj_pool = await create_pool(fresh_settings.projector_url, min_size=1, max_size=2)
    try:
        tenants = await make_tenants(owner, 3)
        store = PostgresEventStore(app, projections=inline_projections())
        rng = random.Random(3)
        streams = {t: {uuid.uuid4(): 0 for _ in range(3)} for t in tenants}
        for _ in range(120):
            t = rng.choice(tenants)
            s = rng.choice(list(streams[t]))
            n = rng.randint(1, 3)
            await store.append(
                t,
                s,
                "test",
                streams[t][s],
                [NewEvent(rng.choice("ABC"), {"x": rng.randint(0, 9)})] * n,
                metadata={"actor": f"user-{rng.randint(1, 3)}"},
            )
            streams[t][s] += n
        await AsyncProjector(proj_pool, async_projections()).catch_up()
        live = await snapshot(owner)
        assert len(live["timeline"]) == await owner.fetchval("SELECT count(*) FROM events")
        cli = subprocess.run(
            [sys.executable, "-m", "services.cli", "projections", "rebuild"],
            env={**os.environ, "DATABASE_URL": fresh_settings.database_url},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert cli.returncode == 0, cli.stderr
        assert cli.stdout.startswith("rebuilt ")
        assert all(name in cli.stdout for name in all_projections())
        assert await snapshot(owner) == live
        # After a rebuild the projector continues from its new checkpoint: nothing twice.
        await store.append(tenants[0], uuid.uuid4(), "test", 0, [NewEvent("D", {})])
        await AsyncProjector(proj_pool, async_projections()).catch_up()
        assert await activity(owner) == await truth(owner)
    finally:
        await proj_pool.close()
        await app.close()
        await owner.close()


async def test_rebuild_of_an_unknown_projection_is_refused(fresh_settings: Settings) -> None:
    cli = subprocess.run(
        [sys.executable, "-m", "services.cli", "projections", "rebuild", "nope"],
        env={**os.environ, "DATABASE_URL": fresh_settings.database_url},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert cli.returncode == 2 and "unknown projection: nope" in cli.stderr


class _Failing:
    """An inline projection whose rebuild writes a row its table refuses (queued writes)."""

    name = "failing"
    tables: tuple[str, ...] = ("tenant_activity",)
    stream_types: frozenset[str] | None = None
    reads: frozenset[str] = frozenset()

    async def apply(self, conn: asyncpg.Connection, events: Sequence[StoredEvent]) -> None:
        raise AssertionError("only rebuilt here")

    def rebuilder(self) -> _Failing:
        return self

    async def add(self, conn: asyncpg.Connection, events: Sequence[StoredEvent]) -> None:
        await conn.execute("INSERT INTO tenant_activity (tenant_id) VALUES (NULL)")

    async def finish(self, conn: asyncpg.Connection) -> None:
        pass


async def test_a_queued_write_that_fails_fails_the_rebuild_and_changes_nothing(
    settings: Settings,
) -> None:
    owner = await connect(settings.database_url)
    reader = await connect(settings.database_url)
    try:
        [t] = await make_tenants(owner, 1)
        pool = await create_pool(settings.app_url, min_size=1, max_size=2)
        try:
            store = PostgresEventStore(pool, projections=inline_projections())
            await store.append(t, uuid.uuid4(), "test", 0, [NewEvent("A", {})])
        finally:
            await pool.close()
        before = await owner.fetch("SELECT * FROM tenant_activity ORDER BY tenant_id")
        with pytest.raises(asyncpg.NotNullViolationError):
            await rebuild(owner, _Failing(), reader=reader)  # type: ignore[arg-type]
        assert await owner.fetch("SELECT * FROM tenant_activity ORDER BY tenant_id") == before
        assert not owner.is_in_transaction()
    finally:
        await reader.close()
        await owner.close()


def _event(e: Event) -> NewEvent:
    return NewEvent(e.event_type(), event_data(e), e.schema_version)


async def test_a_rebuild_gives_each_projection_the_fields_it_reads(
    fresh_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rebuild reads of each event only the fields some projection names in ``reads``, for
    the streams of that projection's types: members (version, time), reports (time, sequence)
    and review threads (version, time) rebuilt beside the plans equal the live rows.

    The province overview's rows are written tenant by tenant as the plans rows are (a chunk
    per tenant here), and those of a tenant with no plans rows at the end: all equal too."""
    monkeypatch.setattr(PlansReplay, "CHUNK", 1)
    owner = await connect(fresh_settings.database_url)
    app = await create_pool(fresh_settings.app_url, min_size=1, max_size=2)
    clock = FixedClock(datetime(2026, 11, 2, 3, tzinfo=UTC))
    try:
        t, plan_only, members_only = await make_tenants(owner, 3)
        store = PostgresEventStore(app, clock=clock, projections=inline_projections())
        member, report, thread, plan = uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
        streams = [
            ("plan", plan, [PlanDrafted("แผน", 2566, 2570, TEMPLATE_2561)]),
            (
                "member",
                member,
                [
                    MemberInvited("a@example.org", "สมหญิง", "plan_officer", "lao", "op"),
                    MemberJoined("สมหญิง ใจดี"),
                    MemberRoleChanged("plan_officer", "executive", "op"),
                ],
            ),
            (
                "report",
                report,
                [
                    ReportGenerated(
                        "2570-6",
                        date(2027, 3, 31),
                        "c" * 64,
                        (ReportFile("pdf", "a" * 64, 1234),),
                        datetime(2027, 4, 1, 2, tzinfo=UTC),
                    ),
                    ReportSubmitted("2570-6", "c" * 64, "a" * 64, "ปลัด อบต.", date(2027, 4, 2)),
                ],
            ),
            (
                "review",
                thread,
                [
                    RevisionRequested("แผน", "โปรดแก้ไขข้อ 1.1.1", "ผู้ตรวจ", "po-47"),
                    RevisionAnswered("แก้ไขแล้ว", "ปลัด อบต."),
                    RevisionResolved("ผู้ตรวจ", "เรียบร้อย"),
                ],
            ),
        ]
        for stream_type, stream, events in streams:
            for version, e in enumerate(events):
                clock.advance(timedelta(hours=5))
                await store.append(t, stream, stream_type, version, [_event(e)])
        await store.append(plan_only, uuid.uuid4(), "plan", 0, [_event(streams[0][2][0])])
        invited = MemberInvited("b@example.org", "สมชาย", "executive", "lao", "op")
        await store.append(members_only, uuid.uuid4(), "member", 0, [_event(invited)])
        tables = [table for p in all_projections().values() for table in p.tables]

        async def rows() -> dict[str, list[tuple[object, ...]]]:
            return {
                table: sorted(
                    (tuple(r) for r in await owner.fetch(f"SELECT * FROM {table}")), key=repr
                )
                for table in tables
            }

        projector = await create_pool(fresh_settings.projector_url, min_size=1, max_size=1)
        try:
            await AsyncProjector(projector, async_projections()).catch_up()
        finally:
            await projector.close()
        live = await rows()
        assert [len(live[x]) for x in ("members", "reports", "review_threads")] == [2, 1, 1]
        assert len(live["lao_overview"]) == 3
        reader = await connect(fresh_settings.database_url)
        try:
            await rebuild(owner, *all_projections().values(), reader=reader)
        finally:
            await reader.close()
        assert await rows() == live
    finally:
        await app.close()
        await owner.close()
