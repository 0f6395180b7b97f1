"""The failover drill (``make test-ha``; not part of ``make test``): a pg_auto_failover monitor
and two nodes on 127.0.0.1, the service given both nodes in one URL; writers append through
the event store while the whole primary (keeper and PostgreSQL) is SIGKILLed.

Checked: writes succeed again within 15 s; every acknowledged write is there exactly once
(each is retried with its idempotency key until acknowledged); ``log verify`` passes on the new
primary; the async projector and the token listener follow the new primary.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from infra.db.migrate import upgrade
from infra.db.pool import connect, create_pool
from infra.eventstore.postgres import PostgresEventStore
from infra.eventstore.records import NewEvent
from infra.eventstore.verify import verify_log
from infra.projections.projector import AsyncProjector
from infra.projections.registry import async_projections
from infra.settings import load_settings
from infra.tenancy import seed_provinces
from infra.tokens import TokenCache, create_token
from tests.ha.cluster import Formation
from tests.support import make_tenants

pytestmark = [pytest.mark.ha, pytest.mark.timeout(300)]

WRITERS = 4
RECOVERY_LIMIT = 15.0


@pytest.fixture
async def formation(tmp_path: Path) -> AsyncIterator[Formation]:
    f = Formation(tmp_path / "ha")
    started = time.perf_counter()
    try:
        await f.start()
        print(f"formation up in {time.perf_counter() - started:.1f} s")
        yield f
    finally:
        f.stop()


class Writer:
    """Appends event i, retrying with the same idempotency key until it is acknowledged."""

    def __init__(self, store: PostgresEventStore, tenant: uuid.UUID) -> None:
        self.store, self.tenant = store, tenant
        self.stream = uuid.uuid4()
        self.acked = 0
        self.failures: list[float] = []
        self.errors: set[str] = set()
        self.back_at: float | None = None  # first acknowledgement after the first failure

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            key = f"drill-{self.tenant}-{self.acked}"
            event = NewEvent(
                "DrillWritten", {"i": self.acked}, event_id=uuid.uuid5(uuid.NAMESPACE_URL, key)
            )
            try:
                await self.store.append(
                    self.tenant, self.stream, "drill", None, [event], idempotency_key=key
                )
            except Exception as exc:  # any failure: the same write again, same key
                self.errors.add(type(exc).__name__)
                self.failures.append(time.monotonic())
                await asyncio.sleep(0.1)
                continue
            self.acked += 1
            if self.failures and self.back_at is None:
                self.back_at = time.monotonic()
            await asyncio.sleep(0.01)


async def test_the_primary_dies_and_nothing_acknowledged_is_lost(formation: Formation) -> None:
    settings = load_settings({"DATABASE_URL": formation.url()})
    assert "target_session_attrs=read-write" in settings.app_url
    await asyncio.to_thread(upgrade, settings.database_url)  # through the host list
    owner = await connect(settings.database_url)
    try:
        await seed_provinces(owner)
        tenants = await make_tenants(owner, WRITERS)
        token = await create_token(owner, tenants[0], "viewer", "drill")
    finally:
        await owner.close()

    app = await create_pool(settings.app_url, min_size=2, max_size=8)
    # STALE_READS=standby: the web role's stale-tolerant reads go to the standby.
    stale = load_settings({"DATABASE_URL": formation.url(), "STALE_READS": "standby"})
    reads = await create_pool(stale.app_read_url, min_size=1, max_size=2)
    assert await reads.fetchval("SELECT pg_is_in_recovery()"), "not read from the standby"
    assert await reads.fetchval("SELECT count(*) FROM provinces") > 70
    projector_pool = await create_pool(settings.projector_url, min_size=1, max_size=2)
    tokens = TokenCache(settings.app_url)
    await tokens.start()
    store = PostgresEventStore(app)
    writers = [Writer(store, t) for t in tenants]
    stop, stop_projector = asyncio.Event(), asyncio.Event()
    projector = AsyncProjector(projector_pool, async_projections(), batch=200)
    tasks = [asyncio.create_task(w.run(stop)) for w in writers]
    projecting = asyncio.create_task(projector.run_forever(stop_projector, idle=0.2))
    try:
        await asyncio.wait_for(tokens.listening.wait(), 10)
        assert await tokens.resolve(app, token) is not None and len(tokens) == 1
        await asyncio.sleep(2)
        before = sum(w.acked for w in writers)
        assert before > 20, "the writers wrote too little before the kill"

        primary, standby = formation.nodes
        killed_at = time.monotonic()
        formation.kill(primary)
        deadline = killed_at + RECOVERY_LIMIT + 15
        while time.monotonic() < deadline and not all(w.back_at for w in writers):
            await asyncio.sleep(0.1)
        recovery = max((w.back_at or float("inf")) - killed_at for w in writers)
        print(f"writes back {recovery:.1f} s after the primary was killed; {before} before")
        print("errors meanwhile:", sorted(set().union(*(w.errors for w in writers))))
        print("formation:", await formation.states())
        assert all(w.failures for w in writers), "the kill interrupted nobody"
        assert recovery <= RECOVERY_LIMIT, f"writes came back after {recovery:.1f} s"
        await asyncio.sleep(1)  # a little more after the failover
        stop.set()
        await asyncio.gather(*tasks)

        states = await formation.states()
        assert states[standby.name][0] in ("wait_primary", "primary"), states
        # With the standby promoted, stale reads fall back to the (new) primary.
        assert await reads.fetchval("SELECT count(*) FROM provinces") > 70

        owner = await connect(settings.database_url)
        try:
            assert await owner.fetchval("SELECT NOT pg_is_in_recovery()")
            assert await owner.fetchval("SELECT inet_server_port()") == standby.port
            for w in writers:
                written = await owner.fetch(
                    "SELECT (data->>'i')::int AS i FROM events WHERE tenant_id = $1 "
                    "AND stream_id = $2 ORDER BY sequence",
                    w.tenant,
                    w.stream,
                )
                # Every acknowledged write once, in order; none lost, none twice.
                assert [r["i"] for r in written] == list(range(w.acked)), w.tenant
            report = await verify_log(owner)
            assert report.ok, report.broken
            acked = sum(w.acked for w in writers)
            print(f"{acked} writes acknowledged, 0 lost, 0 duplicated; log verified")

            # The projector, reconnected to the new primary, has every event.
            for _ in range(100):
                behind = await owner.fetchval(
                    "SELECT count(*) FROM tenant_heads h LEFT JOIN tenant_activity a "
                    "USING (tenant_id) WHERE h.sequence > 0 "
                    "AND a.last_sequence IS DISTINCT FROM h.sequence"
                )
                if behind == 0:
                    break
                await asyncio.sleep(0.1)
            assert behind == 0, "the projector did not follow the new primary"

            # The token listener listens on the new primary: a revocation there reaches it.
            await asyncio.wait_for(tokens.listening.wait(), 15)
            assert await tokens.resolve(app, token) is not None and len(tokens) == 1
            await owner.execute("UPDATE api_tokens SET revoked_at = now()")
            for _ in range(50):
                if len(tokens) == 0:
                    break
                await asyncio.sleep(0.1)
            assert len(tokens) == 0, "the revocation notice did not arrive"
            assert await tokens.resolve(app, token) is None
        finally:
            await owner.close()
    finally:
        stop.set()
        stop_projector.set()
        await asyncio.gather(*tasks, projecting, return_exceptions=True)
        await tokens.close()
        await app.close()
        await reads.close()
        await projector_pool.close()
