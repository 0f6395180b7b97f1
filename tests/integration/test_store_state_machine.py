"""A Hypothesis state machine over the PostgreSQL event store, across several tenants.

Append, read, stale append and idempotent retry in any order: versions and tenant sequences
stay contiguous, chains stay valid, retries write nothing, and the store agrees with a model.
"""

from __future__ import annotations

import asyncio
import uuid

import asyncpg
import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from domain.shared.errors import ConcurrencyConflict
from infra.db.pool import create_pool
from infra.eventstore.canonical import GENESIS, chain_hash
from infra.eventstore.postgres import PostgresEventStore
from infra.eventstore.records import NewEvent
from infra.projections.registry import inline_projections
from infra.settings import Settings
from tests.support import make_tenants

pytestmark = pytest.mark.store

N_TENANTS = 3
N_STREAMS = 3


class Env:
    """A loop, pools and tenants shared by every run of the machine."""

    def __init__(self, settings: Settings) -> None:
        self.loop = asyncio.new_event_loop()
        self.app = self.loop.run_until_complete(
            create_pool(settings.app_url, min_size=1, max_size=2)
        )
        self.owner_url = settings.database_url

    def run(self, coro):  # type: ignore[no-untyped-def]
        return self.loop.run_until_complete(coro)

    async def new_tenants(self) -> list[uuid.UUID]:
        conn = await asyncpg.connect(self.owner_url)
        try:
            return await make_tenants(conn, N_TENANTS)
        finally:
            await conn.close()

    def close(self) -> None:
        self.loop.run_until_complete(self.app.close())
        self.loop.close()


ENV: Env | None = None


class StoreMachine(RuleBasedStateMachine):
    @initialize()
    def setup(self) -> None:
        assert ENV is not None
        self.env = ENV
        self.store = PostgresEventStore(ENV.app, projections=inline_projections())
        self.tenants = ENV.run(ENV.new_tenants())
        self.streams = [[uuid.uuid4() for _ in range(N_STREAMS)] for _ in self.tenants]
        # The model: per (tenant, stream) the list of payloads; per tenant the count.
        self.model: dict[tuple[int, int], list[int]] = {}
        self.keys: dict[tuple[int, str], tuple[int, int, list[int]]] = {}

    def version(self, t: int, s: int) -> int:
        return len(self.model.get((t, s), []))

    def tenant_count(self, t: int) -> int:
        return sum(len(v) for (ti, _), v in self.model.items() if ti == t)

    @rule(
        t=st.integers(0, N_TENANTS - 1),
        s=st.integers(0, N_STREAMS - 1),
        payloads=st.lists(st.integers(0, 1000), min_size=1, max_size=3),
        key=st.none() | st.sampled_from(["k1", "k2", "k3"]),
    )
    def append(self, t: int, s: int, payloads: list[int], key: str | None) -> None:
        expected = self.version(t, s)
        if key is not None and (t, key) in self.keys:
            return  # a reused key with a new request: covered by retry_same / unit tests
        events = [NewEvent("E", {"p": p}) for p in payloads]
        r = self.env.run(
            self.store.append(
                self.tenants[t], self.streams[t][s], "test", expected, events, idempotency_key=key
            )
        )
        assert not r.duplicate
        assert r.stream_version == expected + len(payloads)
        assert r.first_sequence == self.tenant_count(t) + 1
        self.model.setdefault((t, s), []).extend(payloads)
        if key is not None:
            self.keys[(t, key)] = (s, expected, payloads)

    @rule(
        t=st.integers(0, N_TENANTS - 1), s=st.integers(0, N_STREAMS - 1), behind=st.integers(1, 3)
    )
    def stale_append(self, t: int, s: int, behind: int) -> None:
        current = self.version(t, s)
        stale = current - behind if current >= behind else current + behind
        try:
            self.env.run(
                self.store.append(
                    self.tenants[t], self.streams[t][s], "test", stale, [NewEvent("E", {"p": -1})]
                )
            )
        except ConcurrencyConflict as c:
            assert (c.expected, c.actual) == (stale, current)
        else:
            raise AssertionError("a stale append succeeded")

    @rule(t=st.integers(0, N_TENANTS - 1), key=st.sampled_from(["k1", "k2", "k3"]))
    def retry_same(self, t: int, key: str) -> None:
        if (t, key) not in self.keys:
            return
        s, expected, payloads = self.keys[(t, key)]
        before = self.tenant_count(t)
        r = self.env.run(
            self.store.append(
                self.tenants[t],
                self.streams[t][s],
                "test",
                expected,
                [NewEvent("E", {"p": p}) for p in payloads],
                idempotency_key=key,
            )
        )
        assert r.duplicate
        assert [e.data["p"] for e in r.events] == payloads
        assert self.tenant_count(t) == before

    @rule(t=st.integers(0, N_TENANTS - 1), s=st.integers(0, N_STREAMS - 1))
    def read(self, t: int, s: int) -> None:
        events = self.env.run(self.store.read_stream(self.tenants[t], self.streams[t][s]))
        assert [e.data["p"] for e in events] == self.model.get((t, s), [])
        assert [e.version for e in events] == list(range(1, len(events) + 1))

    @invariant()
    def tenant_logs_are_contiguous_chains(self) -> None:
        if not hasattr(self, "tenants"):
            return
        for i, tenant in enumerate(self.tenants):
            log = self.env.run(self.store.read_tenant(tenant, limit=10_000))
            assert [e.sequence for e in log] == list(range(1, self.tenant_count(i) + 1))
            prev = GENESIS
            for e in log:
                assert e.prev_hash == prev and chain_hash(prev, e.hash_body()) == e.hash
                prev = e.hash


def test_event_store_state_machine(settings: Settings) -> None:
    global ENV
    ENV = Env(settings)
    try:
        StoreMachine.TestCase.settings = settings_for_ci()
        StoreMachine.TestCase().runTest()
    finally:
        ENV.close()
        ENV = None


def settings_for_ci() -> hypothesis_settings:
    return hypothesis_settings(
        max_examples=200,
        stateful_step_count=12,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
