"""The plan's rules: given events, when a command, then events or a typed error."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

import pytest

from domain.plans.catalogue import Catalogue, Dimension, SubItem
from domain.plans.errors import (
    BudgetOnNoBudgetItem,
    BudgetYearOutsidePlan,
    DueDateOutsidePlan,
    EmptyPlan,
    EvidenceTooLarge,
    ForbiddenEvidence,
    InvalidEvidenceLink,
    InvalidItemNumber,
    InvalidYears,
    ItemNumberTaken,
    MissingText,
    NegativeAmount,
    PlanClosed,
    PlanNotDraft,
    StepAlreadyCompleted,
    StepNotCompleted,
    UnknownStep,
    UnknownSubItem,
)
from domain.plans.events import (
    BudgetSet,
    ItemAdded,
    ItemHeadingsEdited,
    ItemRenumbered,
    NoBudgetDeclared,
    PlanDrafted,
    PlanPromulgated,
    StepCompleted,
    StepReopened,
    StepRescheduled,
    StepScheduled,
)
from domain.plans.events import (
    PlanClosed as PlanClosedEvent,
)
from domain.plans.item import Item, PlanContext
from domain.plans.plan import Plan, PlanStatus
from domain.plans.rounds import TEMPLATE_2561
from domain.plans.values import Evidence, ItemKind, StepSchedule
from domain.shared.fiscal import YearSpan
from tests.unit.gwt import ID, decide

DRAFTED = PlanDrafted("แผนปฏิบัติการป้องกันการทุจริต ๔ ปี", 2561, 2564, TEMPLATE_2561)
ITEM = uuid.UUID("00000000-0000-7000-8000-0000000000aa")
ADDED = ItemAdded(ITEM, "2.1.1", ItemKind.ACTIVITY, "ประกาศเจตจำนงต่อต้านการทุจริตของผู้บริหาร")
OPEN = PlanContext(YearSpan(2561, 2564), closed=False)
CLOSED = PlanContext(YearSpan(2561, 2564), closed=True)
PDF = Evidence.file("ประกาศ.pdf", "a" * 64, "application/pdf", 1000)
STEP_65 = StepScheduled("6.5", "จัดทำแผนปฏิบัติการป้องกันการทุจริต", date(2018, 3, 31), None, ())


# -- plan ----------------------------------------------------------------------------------


def test_draft_a_plan() -> None:
    assert decide(Plan, [], lambda p: p.draft(" แผน ", 2561, 2564)) == [
        PlanDrafted("แผน", 2561, 2564, TEMPLATE_2561)
    ]


@pytest.mark.parametrize(("first", "last"), [(2564, 2561), (2561, 2566), (1999, 2000)])
def test_plan_spans_one_to_five_fiscal_years(first: int, last: int) -> None:
    with pytest.raises(InvalidYears):
        decide(Plan, [], lambda p: p.draft("แผน", first, last))
    assert decide(Plan, [], lambda p: p.draft("แผน", 2566, 2570))  # five years is fine


def test_item_numbers_are_unique_in_the_plan() -> None:
    with pytest.raises(ItemNumberTaken):
        decide(
            Plan,
            [DRAFTED, ADDED],
            lambda p: p.add_item(uuid.uuid4(), "2.1.1", ItemKind.PROJECT, "อื่น"),
        )


def test_item_numbers_name_a_sub_item_of_the_catalogue() -> None:
    with pytest.raises(UnknownSubItem):
        decide(Plan, [DRAFTED], lambda p: p.add_item(ITEM, "2.9.1", ItemKind.PROJECT, "ก"))
    with pytest.raises(InvalidItemNumber):
        decide(Plan, [DRAFTED], lambda p: p.add_item(ITEM, "2-1-1", ItemKind.PROJECT, "ก"))


def test_renumbering_is_allowed_to_a_free_number() -> None:
    assert decide(Plan, [DRAFTED, ADDED], lambda p: p.renumber_item(ITEM, "2.1.2")) == [
        ItemRenumbered(ITEM, "2.1.2")
    ]
    assert decide(Plan, [DRAFTED, ADDED], lambda p: p.renumber_item(ITEM, "2.1.1")) == []


def test_promulgation_needs_an_item_and_happens_once() -> None:
    with pytest.raises(EmptyPlan):
        decide(Plan, [DRAFTED], lambda p: p.promulgate(date(2017, 10, 1), "นายก", None))
    events = decide(
        Plan, [DRAFTED, ADDED], lambda p: p.promulgate(date(2017, 10, 1), "นายก อบต.", PDF)
    )
    assert events == [PlanPromulgated(date(2017, 10, 1), "นายก อบต.", PDF)]
    with pytest.raises(PlanNotDraft):
        decide(
            Plan, [DRAFTED, ADDED, *events], lambda p: p.promulgate(date(2017, 10, 2), "นายก", None)
        )


def test_changing_a_promulgated_plan_records_a_new_revision() -> None:
    promulgated = [DRAFTED, ADDED, PlanPromulgated(date(2017, 10, 1), "นายก", None)]
    plan = Plan.replay(ID, promulgated)
    assert (plan.status, plan.revision) == (PlanStatus.PROMULGATED, 1)
    plan.add_item(uuid.uuid4(), "1.1.1", ItemKind.PROJECT, "โครงการอบรม")
    assert plan.revision == 2


def test_a_closed_plan_cannot_change() -> None:
    closed = [DRAFTED, ADDED, PlanClosedEvent(date(2021, 9, 30))]
    with pytest.raises(PlanClosed):
        decide(Plan, closed, lambda p: p.add_item(uuid.uuid4(), "1.1.1", ItemKind.PROJECT, "ก"))
    with pytest.raises(PlanClosed):
        decide(Item, [], lambda i: i.set_budget(CLOSED, {2561: Decimal(1)}))


def test_the_catalogue_is_data_a_plan_may_edit() -> None:
    mine = Catalogue((Dimension(2, "การบริหารราชการด้วยความโปร่งใส", (SubItem("2.1", "เจตจำนง"),)),))
    assert decide(Plan, [DRAFTED, ADDED], lambda p: p.change_catalogue(mine))
    without = Catalogue((Dimension(1, "มิติ", (SubItem("1.1", "ก"),)),))
    with pytest.raises(UnknownSubItem):  # item 2.1.1 would lose its sub-item
        decide(Plan, [DRAFTED, ADDED], lambda p: p.change_catalogue(without))


# -- item ----------------------------------------------------------------------------------


def test_headings_edit_only_what_changes() -> None:
    edit = ItemHeadingsEdited(area="องค์การบริหารส่วนตำบลพังขว้าง", fiscal_years=(2561, 2564))
    assert decide(Item, [], lambda i: i.edit_headings(OPEN, edit)) == [edit]
    assert decide(Item, [edit], lambda i: i.edit_headings(OPEN, edit)) == []
    with pytest.raises(MissingText):
        decide(Item, [], lambda i: i.edit_headings(OPEN, ItemHeadingsEdited(name=" ")))
    with pytest.raises(BudgetYearOutsidePlan):
        decide(Item, [], lambda i: i.edit_headings(OPEN, ItemHeadingsEdited(fiscal_years=(2570,))))


def test_budget_per_fiscal_year_to_the_satang() -> None:
    assert decide(Item, [], lambda i: i.set_budget(OPEN, {2562: Decimal("5000.5")})) == [
        BudgetSet({2562: Decimal("5000.50")})
    ]
    with pytest.raises(NegativeAmount):
        decide(Item, [], lambda i: i.set_budget(OPEN, {2562: Decimal("-1")}))
    with pytest.raises(NegativeAmount):
        decide(Item, [], lambda i: i.set_budget(OPEN, {2562: Decimal("1.005")}))
    with pytest.raises(BudgetYearOutsidePlan):
        decide(Item, [], lambda i: i.set_budget(OPEN, {2565: Decimal("1")}))


def test_no_budget_items_take_no_amount() -> None:
    assert decide(Item, [], lambda i: i.declare_no_budget(OPEN)) == [NoBudgetDeclared()]
    with pytest.raises(BudgetOnNoBudgetItem):
        decide(Item, [NoBudgetDeclared()], lambda i: i.set_budget(OPEN, {2561: Decimal(10)}))
    with pytest.raises(BudgetOnNoBudgetItem):
        decide(Item, [BudgetSet({2561: Decimal(10)})], lambda i: i.declare_no_budget(OPEN))


def test_due_dates_inside_the_plans_years() -> None:
    with pytest.raises(DueDateOutsidePlan):
        decide(
            Item,
            [],
            lambda i: i.schedule_step(
                OPEN, "6.1", "ประกาศเจตจำนง", StepSchedule(due=date(2021, 10, 1))
            ),
        )
    with pytest.raises(DueDateOutsidePlan):
        decide(
            Item,
            [],
            lambda i: i.schedule_step(OPEN, "6.1", "ประกาศเจตจำนง", StepSchedule(fiscal_year=2565)),
        )
    assert decide(
        Item,
        [],
        lambda i: i.schedule_step(
            OPEN, "6.1", "ประกาศเจตจำนง", StepSchedule(due=date(2017, 10, 1))
        ),
    )


def test_completing_a_step_twice_is_refused() -> None:
    done = StepCompleted("6.5", date(2018, 3, 20), "", (PDF,))
    assert decide(
        Item, [STEP_65], lambda i: i.complete_step(OPEN, "6.5", date(2018, 3, 20), "", (PDF,))
    ) == [done]
    with pytest.raises(StepAlreadyCompleted):
        decide(Item, [STEP_65, done], lambda i: i.complete_step(OPEN, "6.5", date(2018, 4, 1), ""))


def test_reopen_and_reschedule_need_reasons_and_the_right_state() -> None:
    done = StepCompleted("6.5", date(2018, 3, 20), "", ())
    assert decide(Item, [STEP_65, done], lambda i: i.reopen_step(OPEN, "6.5", "แก้ไขแผน")) == [
        StepReopened("6.5", "แก้ไขแผน")
    ]
    with pytest.raises(StepNotCompleted):
        decide(Item, [STEP_65], lambda i: i.reopen_step(OPEN, "6.5", "x"))
    with pytest.raises(MissingText):
        decide(Item, [STEP_65, done], lambda i: i.reopen_step(OPEN, "6.5", " "))
    new = StepSchedule(due=date(2018, 6, 30))
    assert decide(Item, [STEP_65], lambda i: i.reschedule_step(OPEN, "6.5", new, "รอประชุม")) == [
        StepRescheduled("6.5", date(2018, 6, 30), None, "รอประชุม")
    ]
    with pytest.raises(UnknownStep):
        decide(Item, [], lambda i: i.reschedule_step(OPEN, "9.9", new, "x"))


def test_overdue_is_past_due_in_bangkok_and_not_completed() -> None:
    item = Item.replay(ID, [STEP_65])
    step = item.steps["6.5"]
    assert not step.overdue(date(2018, 3, 31)) and step.overdue(date(2018, 4, 1))
    item = Item.replay(ID, [STEP_65, StepCompleted("6.5", date(2018, 4, 5), "", ())])
    assert not item.steps["6.5"].overdue(date(2019, 1, 1))


def test_evidence_type_and_size_are_checked() -> None:
    with pytest.raises(ForbiddenEvidence):
        Evidence.file("x.exe", "a" * 64, "application/x-msdownload", 10)
    with pytest.raises(EvidenceTooLarge):
        Evidence.file("x.pdf", "a" * 64, "application/pdf", 20 * 1024 * 1024 + 1)
    with pytest.raises(InvalidEvidenceLink):
        Evidence.link("javascript:alert(1)")
    assert Evidence.link("https://phangkhwang.go.th/ita").kind == "link"


def test_a_step_made_for_replays_is_the_step_the_dataclass_makes() -> None:
    from domain.plans.item import Step, StepStatus, _step
    from domain.plans.values import StepSchedule

    args = (
        "6.1",
        "ขั้นตอน",
        StepSchedule(date(2024, 9, 30), None),
        ("เจ้าหน้าที่",),
        StepStatus.COMPLETED,
        date(2024, 9, 1),
        date(2024, 9, 2),
        "note",
        (),
        (),
    )
    fast, made = _step(*args), Step(*args)
    assert fast == made and hash(fast) == hash(made) and repr(fast) == repr(made)
    assert vars(fast) == vars(made) and list(vars(fast)) == list(vars(made))
    with pytest.raises(AttributeError):
        fast.note = "changed"  # type: ignore[misc]
