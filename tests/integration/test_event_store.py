"""The PostgreSQL event store: append, conflicts, idempotency, chains, as-of, upcasting."""

from __future__ import annotations

import asyncio
import unicodedata
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import asyncpg
import pytest

from domain.shared.clock import FixedClock
from domain.shared.errors import ConcurrencyConflict, IdempotencyKeyReused
from infra.eventstore.canonical import GENESIS, chain_hash
from infra.eventstore.postgres import PostgresEventStore
from infra.eventstore.records import NewEvent
from infra.eventstore.upcasting import Upcasters
from infra.projections.registry import inline_projections
from tests.support import make_tenants

pytestmark = pytest.mark.store


@pytest.fixture
async def tenant(owner_pool: asyncpg.Pool) -> uuid.UUID:
    async with owner_pool.acquire() as conn:
        return (await make_tenants(conn, 1))[0]


def ev(n: int = 1, **data: object) -> NewEvent:
    return NewEvent("StepCompleted", {"n": n, **data})


async def test_append_then_read_round_trips_through_jsonb(
    app_pool: asyncpg.Pool, tenant: uuid.UUID
) -> None:
    store = PostgresEventStore(app_pool, projections=inline_projections())
    stream = uuid.uuid4()
    decomposed = unicodedata.normalize("NFD", "ประกาศเจตจำนง ำ é")
    data = {
        "title": decomposed,
        "budget": {"2561": Decimal("12500.50"), "2562": Decimal("0.00")},
        "steps": [1, 2, {"z": None, "a": True}],
        "big": 2**62,
    }
    result = await store.append(
        tenant, stream, "test", 0, [NewEvent("PlanDrafted", data)], metadata={"actor": "clerk"}
    )
    assert result.stream_version == 1 and not result.duplicate
    [read] = await store.read_stream(tenant, stream)
    assert read.data["title"] == unicodedata.normalize("NFC", decomposed)
    assert read.data["budget"] == {"2561": "12500.50", "2562": "0.00"}
    assert read.metadata == {"actor": "clerk"}
    # The hash recomputed from what JSONB gave back equals the one written.
    assert read.prev_hash == result.events[0].prev_hash
    assert chain_hash(read.prev_hash, read.hash_body()) == read.hash == result.events[0].hash


async def test_float_in_event_data_is_refused(app_pool: asyncpg.Pool, tenant: uuid.UUID) -> None:
    store = PostgresEventStore(app_pool)
    with pytest.raises(TypeError, match="floats"):
        await store.append(tenant, uuid.uuid4(), "test", 0, [NewEvent("X", {"amount": 1.5})])


async def test_sixty_four_concurrent_appends_at_one_version_one_wins(
    app_pool: asyncpg.Pool, tenant: uuid.UUID
) -> None:
    store = PostgresEventStore(app_pool, projections=inline_projections())
    stream = uuid.uuid4()
    await store.append(tenant, stream, "test", 0, [ev(0)])
    results = await asyncio.gather(
        *(store.append(tenant, stream, "test", 1, [ev(i)]) for i in range(64)),
        return_exceptions=True,
    )
    wins = [r for r in results if not isinstance(r, BaseException)]
    conflicts = [r for r in results if isinstance(r, ConcurrencyConflict)]
    assert len(wins) == 1 and len(conflicts) == 63, results
    assert all(c.expected == 1 and c.actual == 2 for c in conflicts)
    events = await store.read_stream(tenant, stream)
    assert [e.version for e in events] == [1, 2]
    log = await store.read_tenant(tenant)
    assert [e.sequence for e in log] == list(range(1, len(log) + 1))


async def test_idempotent_retry_returns_first_result_and_writes_nothing(
    app_pool: asyncpg.Pool, owner_pool: asyncpg.Pool, tenant: uuid.UUID
) -> None:
    store = PostgresEventStore(app_pool, projections=inline_projections())
    stream = uuid.uuid4()
    first = await store.append(tenant, stream, "test", 0, [ev(1), ev(2)], idempotency_key="k-1")

    async def counts() -> tuple[int, int, int]:
        async with owner_pool.acquire() as c:
            row = await c.fetchrow(
                "SELECT (SELECT count(*) FROM events WHERE tenant_id = $1) AS e, "
                "(SELECT count(*) FROM timeline WHERE tenant_id = $1) AS t, "
                "(SELECT sequence FROM tenant_heads WHERE tenant_id = $1) AS s",
                tenant,
            )
            return row["e"], row["t"], row["s"]

    before = await counts()
    again = await store.append(tenant, stream, "test", 0, [ev(1), ev(2)], idempotency_key="k-1")
    assert again.duplicate
    assert again.events == first.events
    assert (again.stream_version, again.first_sequence, again.last_sequence) == (
        first.stream_version,
        first.first_sequence,
        first.last_sequence,
    )
    assert await counts() == before
    with pytest.raises(IdempotencyKeyReused):
        await store.append(tenant, stream, "test", 0, [ev(9)], idempotency_key="k-1")
    assert await counts() == before


async def test_concurrent_retries_with_one_key_write_once(
    app_pool: asyncpg.Pool, tenant: uuid.UUID
) -> None:
    store = PostgresEventStore(app_pool)
    stream = uuid.uuid4()
    results = await asyncio.gather(
        *(
            store.append(tenant, stream, "test", None, [ev(1)], idempotency_key="same")
            for _ in range(16)
        )
    )
    assert sum(not r.duplicate for r in results) == 1
    assert len({r.events[0].event_id for r in results}) == 1
    assert len(await store.read_stream(tenant, stream)) == 1


async def test_parallel_tenants_keep_gap_free_sequences_and_valid_chains(
    app_pool: asyncpg.Pool, owner_pool: asyncpg.Pool
) -> None:
    async with owner_pool.acquire() as conn:
        tenants = await make_tenants(conn, 4)
    store = PostgresEventStore(app_pool, projections=inline_projections())

    async def writer(t: uuid.UUID, s: int) -> None:
        stream = uuid.uuid4()
        for i in range(10):
            await store.append(t, stream, "test", 2 * i, [ev(i), ev(i + 100)])

    await asyncio.gather(*(writer(t, s) for t in tenants for s in range(4)))
    for t in tenants:
        log = await store.read_tenant(t)
        assert [e.sequence for e in log] == list(range(1, 81))
        prev = GENESIS
        for e in log:
            assert e.prev_hash == prev
            assert chain_hash(prev, e.hash_body()) == e.hash
            prev = e.hash


async def test_read_stream_as_of_a_time_between_two_events(
    app_pool: asyncpg.Pool, tenant: uuid.UUID
) -> None:
    clock = FixedClock(datetime(2018, 3, 1, 3, 0, tzinfo=UTC))
    store = PostgresEventStore(app_pool, clock=clock)
    stream = uuid.uuid4()
    await store.append(tenant, stream, "test", 0, [ev(1)])
    clock.advance(timedelta(days=30))
    await store.append(tenant, stream, "test", 1, [ev(2)])
    mid = datetime(2018, 3, 15, tzinfo=UTC)
    assert [e.data["n"] for e in await store.read_stream(tenant, stream, as_of=mid)] == [1]
    assert len(await store.read_stream(tenant, stream)) == 2
    assert [e.version for e in await store.read_stream(tenant, stream, to_version=1)] == [1]


async def test_upcaster_gives_readers_the_newest_shape(
    app_pool: asyncpg.Pool, tenant: uuid.UUID
) -> None:
    upcasters = Upcasters()

    @upcasters.register("BudgetSet", 1)
    def _v1_to_v2(data):  # type: ignore[no-untyped-def]
        return {"amounts": {data["year"]: data["amount"]}}

    store = PostgresEventStore(app_pool, upcasters=upcasters)
    stream = uuid.uuid4()
    await store.append(
        tenant, stream, "test", 0, [NewEvent("BudgetSet", {"year": "2561", "amount": "100"})]
    )
    [e] = await store.read_stream(tenant, stream)
    assert e.schema_version == 2 and e.data == {"amounts": {"2561": "100"}}
    [raw] = await PostgresEventStore(app_pool).read_stream(tenant, stream)
    assert raw.schema_version == 1  # stored events never change shape


async def test_unknown_tenant_cannot_append(app_pool: asyncpg.Pool) -> None:
    store = PostgresEventStore(app_pool)
    with pytest.raises(asyncpg.ForeignKeyViolationError):
        await store.append(uuid.uuid4(), uuid.uuid4(), "test", 0, [ev(1)])
