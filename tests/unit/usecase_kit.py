"""What the use-case tests run on: the in-memory event store and a clock, no database, no
Redis, no files (a use case that reaches for one of those fails the test)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, cast

from domain.shared.access import NIL, Actor
from domain.shared.clock import FixedClock
from infra.eventstore.memory import InMemoryEventStore
from services.usecases.bootstrap import Services

LAO = uuid.UUID("00000000-0000-7000-8000-0000000000a1")
OTHER_LAO = uuid.UUID("00000000-0000-7000-8000-0000000000b2")
NOW = datetime(2025, 3, 3, 3, 0, tzinfo=UTC)


class Untouchable:
    """A pool, Redis or file store the use case must not use."""

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"the use case reached for {name} it should not have used")


def fake_services() -> Services:
    clock = FixedClock(NOW)
    store = InMemoryEventStore(clock=clock)
    nothing = Untouchable()
    return cast(
        Services,
        type(
            "FakeServices",
            (),
            {
                "store": store,
                "clock": clock,
                "db": nothing,
                "redis": nothing,
                "files": nothing,
                "settings": nothing,
            },
        )(),
    )


def member(role: str, tenant: uuid.UUID = LAO) -> Actor:
    return Actor(
        role=role,
        scope="lao",
        tenant_id=tenant,
        tenant_code="6470101",
        email=f"{role}@lao.example",
        account_id=uuid.uuid4(),
        org_code="6470101",
    )


def reviewer(tenant: uuid.UUID = LAO) -> Actor:
    return Actor(
        role="reviewer",
        scope="office",
        tenant_id=tenant,
        tenant_code="6470101",
        email="reviewer@po.example",
        account_id=uuid.uuid4(),
        province="64",
        org_code="po-64",
    )


def operator() -> Actor:
    return Actor(
        role="operator",
        scope="operator",
        tenant_id=NIL,
        tenant_code="",
        email="op@example",
        org_code="operator",
    )


async def stream(services: Services, stream_id: uuid.UUID, tenant: uuid.UUID = LAO) -> list[str]:
    """The event types of a stream, in order."""
    return [e.event_type for e in await services.store.read_stream(tenant, stream_id)]
