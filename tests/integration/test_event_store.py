"""The PostgreSQL event store: append, conflicts, idempotency, chains, as-of, upcasting."""

from __future__ import annotations

import asyncio
import re
import unicodedata
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from domain.shared.clock import FixedClock
from domain.shared.errors import ConcurrencyConflict, IdempotencyKeyReused
from infra.db.pool import begin_tenant, create_pool, tenant_transaction
from infra.eventstore.canonical import GENESIS, chain_hash, chain_parts, dumps, normalise
from infra.eventstore.postgres import PostgresEventStore
from infra.eventstore.records import NewEvent
from infra.eventstore.upcasting import Upcasters
from infra.eventstore.verify import verify_log
from infra.projections.registry import inline_projections
from infra.settings import Settings
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
        tenant, stream, "test", 0, [NewEvent("RoundTripped", data)], metadata={"actor": "clerk"}
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


_text = st.text(alphabet=st.characters(exclude_characters="\x00"))
_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63)
    | _text
    | st.decimals(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_text, inner, max_size=3),
    max_leaves=12,
)


@hypothesis_settings(max_examples=300)
@given(
    data=st.dictionaries(_text, _json, max_size=4),
    metadata=st.dictionaries(_text, _json, max_size=3),
    event_type=_text,
    stream_type=_text,
    schema_version=st.integers(1, 2**15 - 1),
    sequence=st.integers(1, 2**62),
    version=st.integers(1, 2**31 - 1),
    at=st.datetimes(timezones=st.just(UTC)),
)
def test_chain_parts_around_the_numbers_give_the_canonical_encoding(
    data: dict[str, object],
    metadata: dict[str, object],
    event_type: str,
    stream_type: str,
    schema_version: int,
    sequence: int,
    version: int,
    at: datetime,
) -> None:
    """What app_append hashes (prefix, sequence, middle, version, '}') is what verify hashes."""
    tenant, stream, event = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    body = {
        "tenant_id": tenant,
        "sequence": sequence,
        "stream_type": stream_type,
        "stream_id": stream,
        "version": version,
        "event_id": event,
        "event_type": event_type,
        "schema_version": schema_version,
        "data": data,
        "metadata": metadata,
        "recorded_at": at,
    }
    prefix, middle = chain_parts(
        data=dumps(normalise(data)),
        event_id=event,
        event_type=event_type,
        metadata=dumps(normalise(metadata)),
        recorded_at=normalise(at),
        schema_version=schema_version,
        stream_id=stream,
        stream_type=stream_type,
        tenant_id=tenant,
    )
    assert f"{prefix}{sequence}{middle}{version}}}" == dumps(normalise(body))


async def test_chains_written_by_the_database_pass_verify(fresh_settings: Settings) -> None:
    """Thai, decomposed and escaped text, several events per append, keys, two stream types
    (one with inline projections, one without): verify recomputes every link in Python."""
    owner = await asyncpg.connect(fresh_settings.database_url)
    app_pool = await create_pool(fresh_settings.app_url, min_size=1, max_size=2)
    try:
        await _append_odd_events(owner, app_pool)
        report = await verify_log(owner)
    finally:
        await app_pool.close()
        await owner.close()
    assert report.ok, report.broken
    assert report.events == 2 * 16


async def _append_odd_events(owner: asyncpg.Connection, app_pool: asyncpg.Pool) -> None:
    tenants = await make_tenants(owner, 2)
    store = PostgresEventStore(app_pool, projections=inline_projections())
    odd = unicodedata.normalize("NFD", 'ผู้บริหาร "é"\n\t\\ ำ')
    for t in tenants:
        stream = uuid.uuid4()
        for i in range(5):
            await store.append(
                t,
                stream,
                "test",
                3 * i,
                [ev(i, note=odd), NewEvent(odd, {odd: [Decimal("1.10"), None]}), ev(i + 1)],
                idempotency_key=f"k-{i}",
                metadata={"actor": odd},
            )
        await store.append(t, uuid.uuid4(), odd, 0, [ev(1)])


# Statements that would leave state in a pooled connection (the pool does not RESET ALL): a
# statement the code runs that starts with one of these words (SET TRANSACTION and SET LOCAL
# end with their transaction, and so does a cursor DECLAREd without HOLD: PostgreSQL refuses
# one outside a transaction block), or these calls anywhere.
SESSION_STATEMENT = re.compile(
    r"""(?:execute|executemany|fetch|fetchrow|fetchval|cursor)\(\s*f?r?["']\s*"""
    r"(?:SET(?!\s+(?:TRANSACTION|LOCAL)\b)|RESET|LISTEN|PREPARE)\b",
    re.IGNORECASE,
)
SESSION_CALL = re.compile(
    r"set_config\([^)]*,\s*false\s*\)|pg_(?:try_)?advisory_lock|WITH HOLD|add_listener"
    r"|CREATE\s+TEMP(?:ORARY)?\s+TABLE(?![^\"']*ON COMMIT DROP)",
    re.IGNORECASE,
)


# Files whose session state is on a connection of their own, never a pooled one.
OWN_CONNECTION = {"infra/tokens.py"}  # TokenCache listens for token notices


def test_no_source_keeps_session_state_in_a_pooled_connection() -> None:
    root = Path(__file__).resolve().parents[2]
    found = []
    for top in ("domain", "infra", "services"):
        for path in sorted((root / top).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            if path.relative_to(root).as_posix() in OWN_CONNECTION:
                continue
            text = path.read_text(encoding="utf-8")
            for m in (*SESSION_STATEMENT.finditer(text), *SESSION_CALL.finditer(text)):
                line = text.count("\n", 0, m.start()) + 1
                found.append(f"{path.relative_to(root)}:{line}: {m.group(0)!r}")
    assert not found, "session state in a pooled connection (see infra.db.pool):\n" + "\n".join(
        found
    )


class _Seen:
    """An inline projection of the "seen" streams that only reads in the append transaction."""

    name = "seen"
    tables: tuple[str, ...] = ()
    stream_types: frozenset[str] | None = frozenset({"seen"})
    reads: frozenset[str] = frozenset()

    async def apply(self, conn: asyncpg.Connection, events: object) -> None:
        assert conn.is_in_transaction()
        assert await conn.fetchval("SELECT count(*) FROM events") >= 1  # the tenant is set

    def rebuilder(self) -> object:
        raise AssertionError("this test projection is never rebuilt")


async def test_a_reused_connection_carries_no_tenant_and_no_transaction(
    settings: Settings, owner_pool: asyncpg.Pool
) -> None:
    async with owner_pool.acquire() as conn:
        [tenant] = await make_tenants(conn, 1)
    pool = await create_pool(settings.app_url, min_size=1, max_size=1)
    try:
        store = PostgresEventStore(pool, projections=[_Seen()])
        await store.append(tenant, uuid.uuid4(), "test", 0, [ev(1)])
        await store.append(tenant, uuid.uuid4(), "seen", 0, [ev(1)])  # projection: a transaction
        with pytest.raises(ConcurrencyConflict):
            await store.append(tenant, uuid.uuid4(), "seen", 5, [ev(1)])
        with pytest.raises(ConcurrencyConflict):
            await store.append(tenant, uuid.uuid4(), "test", 5, [ev(1)])
        with pytest.raises(RuntimeError):
            async with tenant_transaction(pool, tenant):
                raise RuntimeError("left mid-transaction")
        async with pool.acquire() as conn:
            assert not conn.is_in_transaction()
            assert await conn.fetchval("SELECT current_setting('app.tenant_id', true)") in (
                None,
                "",
            )
            with pytest.raises(asyncpg.InsufficientPrivilegeError, match="no tenant"):
                await conn.fetch("SELECT * FROM events")
    finally:
        await pool.close()


async def test_a_tenant_transaction_begins_scoped_in_one_round_trip(
    app_pool: asyncpg.Pool, tenant: uuid.UUID, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[str] = []
    execute = asyncpg.Connection.execute

    async def counted(self: asyncpg.Connection, query: str, *args: Any, **kw: Any) -> Any:
        sent.append(query)
        return await execute(self, query, *args, **kw)

    monkeypatch.setattr(asyncpg.Connection, "execute", counted)
    async with app_pool.acquire() as conn:
        async with begin_tenant(conn, tenant, readonly=True):
            assert len(sent) == 1 and sent[0].startswith("BEGIN READ ONLY;"), sent
            assert await conn.fetchval("SELECT current_setting('app.tenant_id')") == str(tenant)
            async with conn.transaction():  # nested: a savepoint, the tenant kept
                assert await conn.fetchval("SELECT app_tenant()") == tenant
            with pytest.raises(asyncpg.ReadOnlySQLTransactionError):
                async with conn.transaction():
                    await conn.execute("CREATE TEMP TABLE t (x int)")
        assert not conn.is_in_transaction()
        with pytest.raises(RuntimeError):
            async with begin_tenant(conn, tenant):
                await conn.execute("CREATE TEMP TABLE t (x int) ON COMMIT DROP")
                raise RuntimeError("rolled back")
        assert not conn.is_in_transaction()
        assert await conn.fetchval("SELECT current_setting('app.tenant_id', true)") in (None, "")
        assert await conn.fetchval("SELECT to_regclass('pg_temp.t')") is None


async def test_streams_read_together_equal_each_read_alone(
    app_pool: asyncpg.Pool, tenant: uuid.UUID
) -> None:
    store = PostgresEventStore(app_pool)
    a, b, none = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await store.append(tenant, a, "test", 0, [ev(1), ev(2)])
    await store.append(tenant, b, "test", 0, [ev(3)])
    await store.append(tenant, a, "test", 2, [ev(4)])
    together = await store.read_streams(tenant, [b, a, none])
    assert list(together) == [b, a, none]
    assert together[a] == await store.read_stream(tenant, a)
    assert [e.data["n"] for e in together[a]] == [1, 2, 4]
    assert together[b] == await store.read_stream(tenant, b)
    assert together[none] == []
