"""One contract, two implementations: the in-memory fake and the PostgreSQL store."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest

from domain.shared.clock import FixedClock
from domain.shared.errors import ConcurrencyConflict, IdempotencyKeyReused
from infra.eventstore.canonical import GENESIS, chain_hash
from infra.eventstore.memory import InMemoryEventStore
from infra.eventstore.ports import EventStore
from infra.eventstore.postgres import PostgresEventStore
from infra.eventstore.records import NewEvent
from tests.support import make_tenants

pytestmark = pytest.mark.store

T0 = datetime(2017, 10, 2, 2, 0, tzinfo=UTC)


@pytest.fixture(params=["memory", "postgres"])
async def subject(
    request: pytest.FixtureRequest, app_pool: asyncpg.Pool, owner_pool: asyncpg.Pool
) -> AsyncIterator[tuple[EventStore, FixedClock, uuid.UUID]]:
    clock = FixedClock(T0)
    async with owner_pool.acquire() as conn:
        tenant = (await make_tenants(conn, 1))[0]
    store: EventStore
    if request.param == "memory":
        store = InMemoryEventStore(clock=clock)
    else:
        store = PostgresEventStore(app_pool, clock=clock)
    yield store, clock, tenant


async def test_contract(subject: tuple[EventStore, FixedClock, uuid.UUID]) -> None:
    store, clock, tenant = subject
    s1, s2 = uuid.uuid4(), uuid.uuid4()
    r = await store.append(
        tenant, s1, "test", 0, [NewEvent("A", {"x": "ก"})], metadata={"actor": "u1"}
    )
    assert (r.stream_version, r.first_sequence, r.last_sequence, r.duplicate) == (1, 1, 1, False)
    clock.advance(timedelta(days=1))
    r = await store.append(
        tenant, s2, "test", 0, [NewEvent("B", {}), NewEvent("C", {})], idempotency_key="key"
    )
    assert (r.stream_version, r.first_sequence, r.last_sequence) == (2, 2, 3)
    again = await store.append(
        tenant, s2, "test", 0, [NewEvent("B", {}), NewEvent("C", {})], idempotency_key="key"
    )
    assert again.duplicate and again.events == r.events
    with pytest.raises(IdempotencyKeyReused):
        await store.append(tenant, s2, "test", 2, [NewEvent("D", {})], idempotency_key="key")
    with pytest.raises(ConcurrencyConflict):
        await store.append(tenant, s1, "test", 0, [NewEvent("A", {})])
    await store.append(tenant, s1, "test", None, [NewEvent("D", {})])  # any version
    log = await store.read_tenant(tenant)
    assert [e.event_type for e in log] == ["A", "B", "C", "D"]
    assert [e.sequence for e in log] == [1, 2, 3, 4]
    assert log[0].metadata == {"actor": "u1"}
    prev = GENESIS
    for e in log:
        assert e.prev_hash == prev and chain_hash(prev, e.hash_body()) == e.hash
        prev = e.hash
    assert [e.event_type for e in await store.read_stream(tenant, s1)] == ["A", "D"]
    assert [e.event_type for e in await store.read_stream(tenant, s1, as_of=T0)] == ["A"]
    assert [e.event_type for e in await store.read_stream(tenant, s2, to_version=1)] == ["B"]
    assert await store.read_tenant(tenant, after=2, limit=1) == log[2:3]
    assert await store.read_stream(uuid.uuid4(), s1) == []
