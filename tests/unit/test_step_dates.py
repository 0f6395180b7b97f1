"""Dates that make sense: when a step can be done, how late it was, due dates set and moved."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime

import pytest

from domain.plans import commands as c
from domain.plans.errors import (
    CompletionDateOutOfRange,
    DueDateOutsidePlan,
    MissingText,
    StepAlreadyCompleted,
    StepAlreadyHasDueDate,
    StepHasNoDueDate,
)
from domain.plans.events import (
    StepCompleted,
    StepDueDateSet,
    StepRescheduled,
    StepScheduled,
    StepStarted,
)
from domain.plans.item import Item, PlanContext
from domain.plans.values import StepSchedule
from domain.plans.views import step_view
from domain.shared.fiscal import YearSpan
from tests.unit.gwt import ID, decide

TODAY = date(2026, 12, 3)  # FY 2570
PLAN = PlanContext(YearSpan(2566, 2570), closed=False, today=TODAY)
DUE = date(2023, 3, 31)
STEP = StepScheduled("6.1", "ประกาศเจตจำนง", DUE, None, ())
IMPORTED = StepScheduled("6.2", "ประชุมหน่วยงานที่เกี่ยวข้อง", None, None, ())


def test_a_step_is_done_no_earlier_than_its_plan_starts() -> None:
    with pytest.raises(CompletionDateOutOfRange) as e:
        decide(Item, [STEP], lambda i: i.complete_step(PLAN, "6.1", date(1990, 1, 1), "เสร็จ"))
    # Said in the Buddhist Era, with the first day the plan allows.
    assert e.value.message == ("วันที่เสร็จ 1 ม.ค. 2533 อยู่ก่อนวันเริ่มแผน (1 ต.ค. 2565) กรุณาตรวจวันที่อีกครั้ง")
    assert decide(Item, [STEP], lambda i: i.complete_step(PLAN, "6.1", date(2022, 10, 1), "")) == [
        StepCompleted("6.1", date(2022, 10, 1), "", ())
    ]


def test_a_started_step_is_done_no_earlier_than_it_started() -> None:
    started = StepStarted("6.1", date(2023, 1, 10))
    with pytest.raises(CompletionDateOutOfRange, match="วันที่เริ่มขั้นตอนนี้"):
        decide(Item, [STEP, started], lambda i: i.complete_step(PLAN, "6.1", date(2023, 1, 9), ""))
    assert decide(
        Item, [STEP, started], lambda i: i.complete_step(PLAN, "6.1", date(2023, 1, 10), "")
    )


def test_nothing_is_done_or_started_in_the_future() -> None:
    tomorrow = date(2026, 12, 4)
    with pytest.raises(CompletionDateOutOfRange, match="ยังมาไม่ถึง"):
        decide(Item, [STEP], lambda i: i.complete_step(PLAN, "6.1", tomorrow, ""))
    with pytest.raises(CompletionDateOutOfRange, match="ยังมาไม่ถึง"):
        decide(Item, [STEP], lambda i: i.start_step(PLAN, "6.1", tomorrow))
    with pytest.raises(CompletionDateOutOfRange, match="อยู่ก่อนวันเริ่มแผน"):
        decide(Item, [STEP], lambda i: i.start_step(PLAN, "6.1", date(2020, 1, 1)))
    assert decide(Item, [STEP], lambda i: i.complete_step(PLAN, "6.1", TODAY, ""))


def test_days_late_is_what_the_step_shows() -> None:
    on_time = Item.replay(ID, [STEP, StepCompleted("6.1", DUE, "", ())]).steps["6.1"]
    late = Item.replay(ID, [STEP, StepCompleted("6.1", date(2023, 4, 12), "", ())]).steps["6.1"]
    open_ = Item.replay(ID, [STEP]).steps["6.1"]
    assert (on_time.days_late, late.days_late, open_.days_late) == (0, 12, 0)
    assert step_view(late)["days_late"] == 12
    assert step_view(on_time)["days_late"] == 0


def test_a_first_due_date_is_set_without_a_reason() -> None:
    first = StepSchedule(due=date(2023, 6, 30))
    assert decide(Item, [IMPORTED], lambda i: i.set_due_date(PLAN, "6.2", first)) == [
        StepDueDateSet("6.2", date(2023, 6, 30), None)
    ]
    with pytest.raises(StepAlreadyHasDueDate, match="เลื่อนกำหนด"):
        decide(Item, [STEP], lambda i: i.set_due_date(PLAN, "6.1", first))
    with pytest.raises(StepHasNoDueDate, match="กำหนดวันเสร็จ"):
        decide(Item, [IMPORTED], lambda i: i.reschedule_step(PLAN, "6.2", first, "รอประชุม"))
    with pytest.raises(MissingText):
        decide(Item, [IMPORTED], lambda i: i.set_due_date(PLAN, "6.2", StepSchedule()))
    with pytest.raises(DueDateOutsidePlan, match=re.escape("30 ก.ย. 2570")):
        decide(
            Item, [IMPORTED], lambda i: i.set_due_date(PLAN, "6.2", StepSchedule(date(2028, 1, 1)))
        )
    with pytest.raises(StepAlreadyCompleted, match=re.escape("1 ต.ค. 2565")):
        decide(
            Item,
            [STEP, StepCompleted("6.1", date(2022, 10, 1), "", ())],
            lambda i: i.complete_step(PLAN, "6.1", TODAY, ""),
        )


def test_reschedules_keep_their_reasons() -> None:
    moved = [
        STEP,
        StepRescheduled("6.1", date(2023, 6, 30), None, "รอประชุมสภา"),
        StepRescheduled("6.1", None, 2567, "งบประมาณยังไม่อนุมัติ"),
    ]
    step = Item.replay(ID, moved).steps["6.1"]
    assert step.schedule == StepSchedule(fiscal_year=2567)
    assert step_view(step)["reschedules"] == [
        {"from_due": "2023-03-31", "to_due": "2023-06-30", "reason": "รอประชุมสภา"},
        {"from_due": "2023-06-30", "to_due": "2024-09-30", "reason": "งบประมาณยังไม่อนุมัติ"},
    ]
    set_first = Item.replay(ID, [IMPORTED, StepDueDateSet("6.2", DUE, None)]).steps["6.2"]
    assert (set_first.schedule.due, set_first.reschedules) == (DUE, ())


class _Repo:
    """The handler's view of the store: one plan and one item, as events."""

    def __init__(self, plan: list[object], item: list[object]) -> None:
        self.streams = {"plan": plan, "item": item}
        self.saved: list[object] = []

    async def load(self, cls: type, tenant_id: uuid.UUID, id: uuid.UUID, **_: object) -> object:
        return cls.replay(id, self.streams[cls.stream_type])  # type: ignore[attr-defined]

    async def prior(self, ctx: object) -> None:
        return None

    async def save(self, ctx: object, agg: object, **_: object) -> object:
        self.saved += agg.pending()  # type: ignore[attr-defined]
        return None


async def test_the_handler_takes_today_from_the_clock() -> None:
    from domain.plans.events import ItemAdded, PlanDrafted
    from domain.plans.handlers import handle_item_command
    from domain.plans.rounds import TEMPLATE_2561
    from domain.plans.values import ItemKind
    from domain.shared.clock import FixedClock
    from domain.shared.ports import Context

    item = uuid.UUID("00000000-0000-7000-8000-0000000000aa")
    repo = _Repo(
        [
            PlanDrafted("แผน", 2566, 2570, TEMPLATE_2561),
            ItemAdded(item, "2.1.1", ItemKind.ACTIVITY, "ประกาศเจตจำนง"),
        ],
        [STEP],
    )
    # 16:30 UTC is 23:30 on 3 December 2569 in Bangkok: the 4th is tomorrow there.
    clock = FixedClock(datetime(2026, 12, 3, 16, 30, tzinfo=UTC))
    ctx = Context(ID, "plan@phangkhwang.example")
    cmd = c.CompleteStep(ID, item, "6.1", date(2026, 12, 4))
    with pytest.raises(CompletionDateOutOfRange):
        await handle_item_command(repo, ctx, cmd, clock=clock)  # type: ignore[arg-type]
    clock.set(datetime(2026, 12, 3, 17, 0, tzinfo=UTC))  # midnight in Bangkok: the 4th
    await handle_item_command(repo, ctx, cmd, clock=clock)  # type: ignore[arg-type]
    assert repo.saved == [StepCompleted("6.1", date(2026, 12, 4), "", ())]
