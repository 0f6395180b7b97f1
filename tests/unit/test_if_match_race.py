"""A stale If-Match is 412 even when the other change lands between the load and the save
(it answered 409 under concurrency): given a plan at version N, when another change is saved
after this command loaded it and this command named N, then PreconditionFailed."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TypeVar

import pytest

from domain.plans import commands as c
from domain.plans.handlers import handle_draft_plan, handle_plan_command
from domain.shared.aggregate import Aggregate
from domain.shared.errors import ConcurrencyConflict, PreconditionFailed
from domain.shared.ports import Context
from infra.eventstore.memory import InMemoryEventStore
from infra.repository import EventSourcedRepository

A = TypeVar("A", bound=Aggregate)
TENANT = uuid.UUID("00000000-0000-7000-8000-0000000000aa")
PLAN = uuid.UUID("00000000-0000-7000-8000-0000000000bb")


class SomeoneElseFirst(EventSourcedRepository):
    """The store as it is when another request saves between this one's load and save."""

    async def load(
        self, cls: type[A], tenant_id: uuid.UUID, id: uuid.UUID, *, as_of: datetime | None = None
    ) -> A:
        loaded = await super().load(cls, tenant_id, id, as_of=as_of)
        other = EventSourcedRepository(self.store)
        await handle_plan_command(
            other,
            Context(TENANT, "other@lao.example"),
            c.ChangePlanDetails(PLAN, "แผนของอีกคน", 2566, 2570),
        )
        return loaded


async def _drafted() -> InMemoryEventStore:
    store = InMemoryEventStore()
    await handle_draft_plan(
        EventSourcedRepository(store),
        Context(TENANT, "plan@lao.example"),
        c.DraftPlan(PLAN, "แผน", 2566, 2570),
    )
    return store


async def test_a_stale_if_match_found_only_at_save_is_a_precondition_failure() -> None:
    store = await _drafted()
    with pytest.raises(PreconditionFailed) as refused:
        await handle_plan_command(
            SomeoneElseFirst(store),
            Context(TENANT, "plan@lao.example"),
            c.ChangePlanDetails(PLAN, "แผนของฉัน", 2566, 2570),
            if_match=1,
        )
    assert refused.value.status == 412 and refused.value.expected == 1


async def test_without_if_match_the_same_race_is_a_conflict() -> None:
    store = await _drafted()
    with pytest.raises(ConcurrencyConflict) as conflict:
        await handle_plan_command(
            SomeoneElseFirst(store),
            Context(TENANT, "plan@lao.example"),
            c.ChangePlanDetails(PLAN, "แผนของฉัน", 2566, 2570),
        )
    assert not isinstance(conflict.value, PreconditionFailed) and conflict.value.status == 409
