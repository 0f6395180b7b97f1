"""The plans' and items' use cases on the in-memory event store: who may run each command
(asked first, whatever was sent), and the load / decide / save path, with one replay of the
item's stream for a member of staff recording progress."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any, cast

import pytest

from domain.plans import commands as c
from domain.plans.errors import PlanNotDraft
from domain.plans.item import Item
from domain.plans.values import ItemKind
from domain.shared.access import NOT_ASSIGNED, Actor, Forbidden
from domain.shared.clock import FixedClock
from domain.shared.errors import NotFound, PreconditionFailed
from infra.eventstore.memory import InMemoryEventStore
from infra.repository import EventSourcedRepository
from services.usecases import items, plans
from services.usecases.bootstrap import Services
from services.usecases.scope import Call

LAO = uuid.uuid4()
PLAN = uuid.uuid4()
ITEM = uuid.uuid4()
ON = date(2026, 3, 2)


def actor(role: str, email: str = "", *, name: str = "", tenant: uuid.UUID = LAO) -> Actor:
    scope = "office" if role == "reviewer" else "lao"
    return Actor(
        role=role,
        scope=scope,
        tenant_id=tenant,
        tenant_code="lao-1",
        email=email or f"{role}@lao.example",
        name=name,
        province="10" if role == "reviewer" else "",
    )


OFFICER = actor("plan_officer")
EXECUTIVE = actor("executive")
STAFF = actor("staff", "somchai@lao.example", name="สมชาย ใจดี")
OTHER_STAFF = actor("staff", "somsri@lao.example")
VIEWER = actor("viewer")
REVIEWER = actor("reviewer")


class CountingStore(InMemoryEventStore):
    """Counts the reads of each stream (a replay of an aggregate reads its stream once)."""

    def __init__(self) -> None:
        super().__init__(clock=FixedClock(datetime(2026, 3, 2, 3, tzinfo=UTC)))
        self.reads: dict[uuid.UUID, int] = {}
        self.together: list[list[uuid.UUID]] = []  # the streams of each read_streams

    async def read_stream(self, tenant_id: uuid.UUID, stream_id: uuid.UUID, **kw: Any) -> Any:
        self.reads[stream_id] = self.reads.get(stream_id, 0) + 1
        return await super().read_stream(tenant_id, stream_id, **kw)

    async def read_streams(self, tenant_id: uuid.UUID, stream_ids: Any) -> Any:
        self.together.append(list(stream_ids))
        return await super().read_streams(tenant_id, stream_ids)


def services_on(store: CountingStore) -> Services:
    """Only the event store and the clock: these use cases read no read model."""
    none: Any = None
    return Services(
        settings=none,
        db=none,
        redis=none,
        store=cast(Any, store),
        files=none,
        clock=store.clock,
        accounts=none,
        sessions=none,
        throttle=none,
        tokens=none,
        templates=none,
        jobs=none,
    )


@pytest.fixture
def store() -> CountingStore:
    return CountingStore()


@pytest.fixture
def services(store: CountingStore) -> Services:
    return services_on(store)


async def a_plan_with_a_step(services: Services) -> None:
    call = Call()
    await plans.draft_plan(services, OFFICER, call, c.DraftPlan(PLAN, "แผน", 2566, 2570))
    await plans.plan_command(
        services, OFFICER, call, c.AddItem(PLAN, ITEM, "1.1.1", ItemKind.PROJECT, "โครงการ")
    )
    await items.item_command(
        services,
        OFFICER,
        call,
        c.ScheduleStep(
            PLAN, ITEM, "6.1", "ประชุม", date(2026, 6, 30), None, ("somchai@lao.example",)
        ),
    )


@pytest.mark.parametrize("who", [VIEWER, REVIEWER, STAFF])
async def test_only_editors_draft_a_plan_whatever_was_sent(
    services: Services, store: CountingStore, who: Actor
) -> None:
    nonsense = c.DraftPlan(PLAN, "", 3000, 1000)  # refused before anything is looked at
    with pytest.raises(Forbidden):
        await plans.draft_plan(services, who, Call(), nonsense)
    assert store.reads == {}


async def test_promulgation_is_the_executives(services: Services) -> None:
    await a_plan_with_a_step(services)
    cmd = c.PromulgatePlan(PLAN, ON, "นายก", None)
    with pytest.raises(Forbidden):
        await plans.plan_command(services, OFFICER, Call(), cmd)
    saved = await plans.plan_command(services, EXECUTIVE, Call(), cmd)
    assert saved.version == 3  # drafted, item added, promulgated
    with pytest.raises(PlanNotDraft):  # the domain's own rule, past the access rules
        await plans.plan_command(services, EXECUTIVE, Call(), cmd)


async def test_plan_commands_keep_if_match_and_idempotency(services: Services) -> None:
    await a_plan_with_a_step(services)
    cmd = c.ChangePlanDetails(PLAN, "แผนใหม่", 2566, 2570)
    with pytest.raises(PreconditionFailed):
        await plans.plan_command(services, OFFICER, Call(if_match=1), cmd)
    first = await plans.plan_command(services, OFFICER, Call("k1", b"f", 2), cmd)
    again = await plans.plan_command(services, OFFICER, Call("k1", b"f", 2), cmd)
    assert (first.version, first.duplicate) == (3, False)
    assert (again.version, again.duplicate) == (3, True)


async def test_no_such_plan(services: Services) -> None:
    with pytest.raises(NotFound):
        await plans.plan_command(services, EXECUTIVE, Call(), c.ClosePlan(uuid.uuid4(), ON))


async def test_staff_record_progress_on_their_steps_with_one_replay(
    services: Services, store: CountingStore
) -> None:
    await a_plan_with_a_step(services)
    store.reads.clear()
    saved = await items.item_command(services, STAFF, Call(), c.StartStep(PLAN, ITEM, "6.1", ON))
    assert saved.version == 2
    assert store.reads[ITEM] == 1  # the access check and the decision share one load
    item = await EventSourcedRepository(store).load(Item, LAO, ITEM)
    assert item.ordered_steps()[0].status.value == "started"


async def test_staff_may_not_touch_steps_of_others(
    services: Services, store: CountingStore
) -> None:
    await a_plan_with_a_step(services)
    with pytest.raises(Forbidden) as refused:
        await items.item_command(services, OTHER_STAFF, Call(), c.StartStep(PLAN, ITEM, "6.1", ON))
    assert refused.value.message == NOT_ASSIGNED
    assert (await EventSourcedRepository(store).load(Item, LAO, ITEM)).version == 1


async def test_an_item_command_reads_the_plan_and_the_item_together_once(
    services: Services, store: CountingStore
) -> None:
    await a_plan_with_a_step(services)
    store.reads.clear()
    store.together.clear()
    cmd = c.ScheduleStep(PLAN, ITEM, "6.2", "รายงาน", date(2026, 7, 31), None, ())
    saved = await items.item_command(services, OFFICER, Call(), cmd)
    assert saved.version == 2
    assert store.together == [[PLAN, ITEM]]  # one read (one round trip in PostgreSQL)
    assert store.reads == {PLAN: 1, ITEM: 1}  # each replayed once, from that read


async def test_authorized_item_is_decided_on_without_another_replay(
    services: Services, store: CountingStore
) -> None:
    """A page asks first (before keeping files), then runs the command on the same item."""
    await a_plan_with_a_step(services)
    store.reads.clear()
    cmd = c.CompleteStep(PLAN, ITEM, "6.1", ON, "เสร็จ")
    loaded = await items.authorize_item(services, STAFF, cmd)
    assert loaded is not None
    await items.item_command(services, STAFF, Call(), cmd, authorized=loaded)
    assert store.reads[ITEM] == 1


@pytest.mark.parametrize(
    "cmd",
    [
        c.ScheduleStep(PLAN, ITEM, "6.2", "x", None, None, ()),
        c.ReopenStep(PLAN, ITEM, "6.1", "x"),
        c.SetBudget(PLAN, ITEM, None),
    ],
)
async def test_staff_do_not_edit_the_plan(
    services: Services, store: CountingStore, cmd: items.ItemCommand
) -> None:
    await a_plan_with_a_step(services)
    store.reads.clear()
    with pytest.raises(Forbidden):
        await items.item_command(services, STAFF, Call(), cmd)
    assert store.reads == {}  # refused on the role: nothing loaded


@pytest.mark.parametrize("who", [VIEWER, REVIEWER])
async def test_readers_record_nothing(services: Services, who: Actor) -> None:
    await a_plan_with_a_step(services)
    with pytest.raises(Forbidden):
        await items.item_command(services, who, Call(), c.StartStep(PLAN, ITEM, "6.1", ON))


def test_actions_of_commands() -> None:
    assert items.item_action(c.StartStep(PLAN, ITEM, "6.1", ON)).value == "record_progress"
    assert items.item_action(c.ReopenStep(PLAN, ITEM, "6.1", "x")).value == "edit_plan"
    assert plans.plan_action(c.ClosePlan(PLAN, ON)).value == "promulgate_plan"
    assert plans.plan_action(c.RenumberItem(PLAN, ITEM, "1.1.2")).value == "edit_plan"


def test_current_plan_covers_the_day_else_the_latest() -> None:
    old = {"plan_id": "a", "first_year": 2561, "last_year": 2565}
    new = {"plan_id": "b", "first_year": 2566, "last_year": 2570}
    assert plans.current_of([old, new], date(2023, 1, 1)) == new  # fiscal year 2566
    assert plans.current_of([old, new], date(2020, 1, 1)) == old
    assert plans.current_of([old, new], date(2030, 1, 1)) == new
    assert plans.current_of([], ON) is None
