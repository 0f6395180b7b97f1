"""The Item aggregate: a project, activity or measure with its ten-heading detail sheet."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum
from functools import cache
from operator import attrgetter
from typing import Any

from domain.plans.errors import (
    BudgetOnNoBudgetItem,
    BudgetYearOutsidePlan,
    CompletionDateOutOfRange,
    CountedIndicator,
    DueDateOutsidePlan,
    InvalidIndicator,
    MissingText,
    NotPlanOfficer,
    PlanClosed,
    StepAlreadyCompleted,
    StepAlreadyHasDueDate,
    StepHasNoDueDate,
    StepNotCompleted,
    StepNumberTaken,
    UnknownIndicator,
    UnknownStep,
)
from domain.plans.events import (
    BudgetSet,
    CountedResultOverridden,
    IndicatorResultRecorded,
    ItemHeadingsEdited,
    NoBudgetDeclared,
    OutcomeIndicatorDefined,
    OutputIndicatorDefined,
    StepCompleted,
    StepDueDateSet,
    StepReopened,
    StepRescheduled,
    StepScheduled,
    StepStarted,
)
from domain.plans.revisions import Revision, RevisionRules
from domain.plans.templates import check_length
from domain.plans.values import (
    Evidence,
    OutcomeIndicator,
    OutputIndicator,
    StepSchedule,
    check_amount,
    check_result,
)
from domain.shared.aggregate import Aggregate
from domain.shared.bedate import be_day
from domain.shared.fiscal import YearSpan


@dataclass(frozen=True)
class PlanContext:
    """What an item's rules need to know of its plan."""

    span: YearSpan
    closed: bool
    # The day it is in Asia/Bangkok, from the command path's clock: no step is done or
    # started in the future. None only where no day is known (replays, old callers).
    today: date | None = None
    # Promulgated: the sheet changes only through revisions the executive approves.
    promulgated: bool = False


class StepStatus(StrEnum):
    SCHEDULED = "scheduled"
    STARTED = "started"
    COMPLETED = "completed"


@dataclass(frozen=True)
class Reschedule:
    """A postponement, kept with its reason: from the due date it had to the new one."""

    previous: StepSchedule
    schedule: StepSchedule
    reason: str


@dataclass(frozen=True)
class Step:
    number: str
    title: str
    schedule: StepSchedule
    responsible: tuple[str, ...]
    status: StepStatus = StepStatus.SCHEDULED
    started_on: date | None = None
    completed_on: date | None = None
    note: str = ""
    evidence: tuple[Evidence, ...] = ()
    reschedules: tuple[Reschedule, ...] = ()

    @property
    def days_late(self) -> int:
        """Days a completed step was done after its due date (0: on time, or no due date)."""
        return days_late(self.completed_on, self.schedule.due_date())

    def overdue(self, today: date) -> bool:
        """Past its due date (Asia/Bangkok ``today``) and not completed."""
        due = self.schedule.due_date()
        return self.status is not StepStatus.COMPLETED and due is not None and due < today


def days_late(completed_on: date | None, due: date | None) -> int:
    """Days a step completed on ``completed_on`` was done after ``due`` (0: on time, not
    completed, or no due date)."""
    if completed_on is None or due is None:
        return 0
    return max(0, (completed_on - due).days)


_new = object.__new__


def _step(
    number: str,
    title: str,
    schedule: StepSchedule,
    responsible: tuple[str, ...],
    status: StepStatus,
    started_on: date | None,
    completed_on: date | None,
    note: str,
    evidence: tuple[Evidence, ...],
    reschedules: tuple[Reschedule, ...],
) -> Step:
    """``Step(...)`` with every field given, made without the frozen dataclass's ``__init__``
    (one ``object.__setattr__`` per field): the same object, its fields set in one go. Replays
    make one per step scheduled or completed: hundreds of thousands in a rebuild. Step has no
    ``__post_init__``; tests/unit/test_plan_rules.py checks the two are equal."""
    step: Step = _new(Step)
    step.__dict__.update(
        number=number,
        title=title,
        schedule=schedule,
        responsible=responsible,
        status=status,
        started_on=started_on,
        completed_on=completed_on,
        note=note,
        evidence=evidence,
        reschedules=reschedules,
    )
    return step


@dataclass(frozen=True)
class IndicatorResult:
    fiscal_year: int
    value: Decimal
    note: str
    evidence: tuple[Evidence, ...]


@dataclass
class Headings:
    name: str = ""
    rationale: str = ""
    objectives: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    area: str = ""
    fiscal_years: tuple[int, ...] = ()
    responsible_unit: str = ""


_NUMBER = attrgetter("number")


@cache
def _step_sort_key(number: str) -> tuple[int, ...]:
    return tuple(int(p) if p.isdigit() else 0 for p in number.split("."))


class Item(RevisionRules, Aggregate):
    stream_type = "item"

    def __init__(self, id: uuid.UUID) -> None:
        super().__init__(id)
        self.headings = Headings()
        self.no_budget: bool | None = None  # None: heading 8 not filled in yet
        self.budget: dict[int, Decimal] = {}
        self.steps: dict[str, Step] = {}
        self.outputs: dict[str, OutputIndicator] = {}
        self.outcomes: dict[str, OutcomeIndicator] = {}
        self.results: dict[str, dict[int, IndicatorResult]] = {}
        # The plan officer's overrides of counted indicators: {id: {fy: (value, reason, by)}}.
        self.overrides: dict[str, dict[int, tuple[Decimal, str, str]]] = {}
        self.revisions: dict[uuid.UUID, Revision] = {}

    def ordered_steps(self) -> list[Step]:
        steps = list(self.steps.values())
        # Sorted by their numbers' keys, found by map() in C: no Python call per step.
        keys = list(map(_step_sort_key, map(_NUMBER, steps)))
        return [steps[i] for i in sorted(range(len(steps)), key=keys.__getitem__)]

    # -- decisions -----------------------------------------------------------------------

    @staticmethod
    def _check_open(plan: PlanContext) -> None:
        if plan.closed:
            raise PlanClosed("แผนนี้ปิดแล้ว แก้ไขไม่ได้")

    def edit_headings(self, plan: PlanContext, edit: ItemHeadingsEdited) -> None:
        """Change the headings ``edit`` gives (None: unchanged); nothing to change, no event.
        Once the plan is promulgated, a change is a revision (``propose_revision``)."""
        self._check_open(plan)
        if self._check_edit(plan, edit):
            self.check_not_promulgated(plan)
            self._record(edit)

    def _check_edit(self, plan: PlanContext, edit: ItemHeadingsEdited) -> dict[str, Any]:
        """The headings ``edit`` would change, checked (MissingText, TooLong, years)."""
        given = {k: v for k, v in vars(edit).items() if v is not None}
        if "name" in given and not edit.name.strip():  # type: ignore[union-attr]
            raise MissingText("กรุณาระบุชื่อโครงการ/กิจกรรม/มาตรการ", field="name")
        for field in ("name", "rationale", "area", "responsible_unit"):
            if field in given:
                check_length(field, given[field])
        for field in ("objectives", "targets"):
            if field in given:
                check_length(field, *given[field])
        outside = [y for y in edit.fiscal_years or () if y not in plan.span]
        if outside:
            raise BudgetYearOutsidePlan(
                f"ปีงบประมาณ {outside} อยู่นอกช่วงของแผน ({plan.span})", years=outside
            )
        return {k: v for k, v in given.items() if getattr(self.headings, k) != v}

    def set_budget(self, plan: PlanContext, amounts: dict[int, Decimal]) -> None:
        self._check_open(plan)
        checked = {y: check_amount(a) for y, a in amounts.items()}
        outside = sorted(y for y in checked if y not in plan.span)
        if outside:
            raise BudgetYearOutsidePlan(
                f"ปีงบประมาณ {outside} อยู่นอกช่วงของแผน ({plan.span})", years=outside
            )
        if self.no_budget and any(a > 0 for a in checked.values()):
            raise BudgetOnNoBudgetItem(
                "รายการนี้ระบุว่าไม่ใช้งบประมาณ หากจะใส่งบประมาณ ให้เปลี่ยนเป็นใช้งบประมาณก่อน"
            )
        self._record(BudgetSet(dict(sorted(checked.items()))))

    def declare_no_budget(self, plan: PlanContext) -> None:
        self._check_open(plan)
        if self.budget and any(a > 0 for a in self.budget.values()):
            raise BudgetOnNoBudgetItem("รายการนี้มีงบประมาณอยู่ ให้ลบงบประมาณทุกปีก่อนระบุว่าไม่ใช้งบประมาณ")
        if not self.no_budget:
            self._record(NoBudgetDeclared())

    def _check_schedule(self, plan: PlanContext, schedule: StepSchedule) -> None:
        due = schedule.due_date()
        if schedule.fiscal_year is not None and schedule.fiscal_year not in plan.span:
            raise DueDateOutsidePlan(
                f"ปีงบประมาณ {schedule.fiscal_year} อยู่นอกช่วงของแผน ({plan.span})"
            )
        if due is not None and due not in plan.span:
            raise DueDateOutsidePlan(
                f"กำหนดเสร็จ {be_day(due)} อยู่นอกช่วงปีงบประมาณของแผน ({plan.span}: "
                f"{be_day(plan.span.start)} ถึง {be_day(plan.span.end)}) "
                "กรุณาเลือกวันในช่วงนั้น",
                due=due.isoformat(),
            )

    def schedule_step(
        self,
        plan: PlanContext,
        number: str,
        title: str,
        schedule: StepSchedule,
        responsible: tuple[str, ...] = (),
    ) -> None:
        self._check_open(plan)
        if number in self.steps:
            raise StepNumberTaken(f"ขั้นตอน {number} มีอยู่แล้ว", number=number)
        if not title.strip():
            raise MissingText("กรุณาระบุชื่อขั้นตอน", field="title")
        check_length("step_title", title)
        self._check_schedule(plan, schedule)
        self._record(
            StepScheduled(
                number, title.strip(), schedule.due, schedule.fiscal_year, tuple(responsible)
            )
        )

    def _step(self, number: str) -> Step:
        step = self.steps.get(number)
        if step is None:
            raise UnknownStep(f"ไม่พบขั้นตอน {number}", number=number)
        return step

    def set_due_date(self, plan: PlanContext, number: str, schedule: StepSchedule) -> None:
        """กำหนดวันเสร็จ: the first due date of a step that has none (an imported step's, say).
        Not a postponement: no reason is asked. A step that has one is postponed instead."""
        self._check_open(plan)
        step = self._step(number)
        current = step.schedule.due_date()
        if current is not None:
            raise StepAlreadyHasDueDate(
                f"ขั้นตอน {number} มีกำหนดเสร็จแล้ว ({be_day(current)}) "
                "หากจะเปลี่ยน ให้ใช้ 'เลื่อนกำหนด' พร้อมเหตุผล",
                number=number,
            )
        if schedule.due_date() is None:
            raise MissingText("กรุณาระบุวันที่กำหนดเสร็จ หรือปีงบประมาณ", field="due")
        self._check_schedule(plan, schedule)
        self._record(StepDueDateSet(number, schedule.due, schedule.fiscal_year))

    def reschedule_step(
        self, plan: PlanContext, number: str, schedule: StepSchedule, reason: str
    ) -> None:
        self._check_open(plan)
        step = self._step(number)
        if step.status is StepStatus.COMPLETED:
            raise StepAlreadyCompleted(f"ขั้นตอน {number} เสร็จแล้ว เปิดใหม่ก่อนจึงเลื่อนได้")
        if step.schedule.due_date() is None:
            raise StepHasNoDueDate(
                f"ขั้นตอน {number} ยังไม่มีกำหนดเสร็จ จึงไม่มีอะไรให้เลื่อน ให้ใช้ 'กำหนดวันเสร็จ' (ไม่ต้องระบุเหตุผล)",
                number=number,
            )
        if not reason.strip():
            raise MissingText("กรุณาระบุเหตุผลที่เลื่อนกำหนด", field="reason")
        self._check_schedule(plan, schedule)
        self._record(StepRescheduled(number, schedule.due, schedule.fiscal_year, reason.strip()))

    @staticmethod
    def _check_day(plan: PlanContext, on: date, earliest: date, since: str, what: str) -> None:
        """``on`` (a day a step started or was done) between ``earliest`` and today."""
        if on < earliest:
            raise CompletionDateOutOfRange(
                f"วันที่{what} {be_day(on)} อยู่ก่อน{since} ({be_day(earliest)}) กรุณาตรวจวันที่อีกครั้ง",
                on=on.isoformat(),
                earliest=earliest.isoformat(),
            )
        if plan.today is not None and on > plan.today:
            raise CompletionDateOutOfRange(
                f"วันที่{what} {be_day(on)} ยังมาไม่ถึง (วันนี้ {be_day(plan.today)}) "
                f"บันทึกได้เมื่อ{what}แล้วเท่านั้น",
                on=on.isoformat(),
                today=plan.today.isoformat(),
            )

    def start_step(self, plan: PlanContext, number: str, on: date) -> None:
        self._check_open(plan)
        step = self._step(number)
        if step.status is StepStatus.COMPLETED:
            raise StepAlreadyCompleted(f"ขั้นตอน {number} เสร็จแล้ว")
        self._check_day(plan, on, plan.span.start, "วันเริ่มแผน", "เริ่ม")
        if step.status is StepStatus.SCHEDULED:
            self._record(StepStarted(number, on))

    def complete_step(
        self,
        plan: PlanContext,
        number: str,
        on: date,
        note: str,
        evidence: tuple[Evidence, ...] = (),
    ) -> None:
        self._check_open(plan)
        step = self._step(number)
        if step.status is StepStatus.COMPLETED:
            done = be_day(step.completed_on) if step.completed_on else ""
            raise StepAlreadyCompleted(
                f"ขั้นตอน {number} บันทึกว่าเสร็จแล้วเมื่อ {done} หากต้องแก้ไข ให้เปิดขั้นตอนใหม่ก่อน",
                number=number,
            )
        # Not before the plan's first fiscal year starts, nor before the step started.
        if step.started_on is not None and step.started_on > plan.span.start:
            self._check_day(plan, on, step.started_on, "วันที่เริ่มขั้นตอนนี้", "เสร็จ")
        else:
            self._check_day(plan, on, plan.span.start, "วันเริ่มแผน", "เสร็จ")
        self._record(StepCompleted(number, on, note.strip(), tuple(evidence)))

    def reopen_step(self, plan: PlanContext, number: str, reason: str) -> None:
        self._check_open(plan)
        step = self._step(number)
        if step.status is not StepStatus.COMPLETED:
            raise StepNotCompleted(f"ขั้นตอน {number} ยังไม่เสร็จ จึงเปิดใหม่ไม่ได้")
        if not reason.strip():
            raise MissingText("กรุณาระบุเหตุผลที่เปิดขั้นตอนใหม่", field="reason")
        self._record(StepReopened(number, reason.strip()))

    def define_output(self, plan: PlanContext, indicator: OutputIndicator) -> None:
        self._check_open(plan)
        check_length("indicator_text", indicator.text)
        if indicator.indicator_id in self.outputs or indicator.indicator_id in self.outcomes:
            raise InvalidIndicator("รหัสตัวชี้วัดนี้มีอยู่แล้ว", id=indicator.indicator_id)
        self._record(OutputIndicatorDefined(indicator))

    def define_outcome(self, plan: PlanContext, indicator: OutcomeIndicator) -> None:
        self._check_open(plan)
        check_length("indicator_text", indicator.text)
        if indicator.indicator_id in self.outputs or indicator.indicator_id in self.outcomes:
            raise InvalidIndicator("รหัสตัวชี้วัดนี้มีอยู่แล้ว", id=indicator.indicator_id)
        if not indicator.text.strip():
            raise InvalidIndicator("ตัวชี้วัดต้องมีข้อความ")
        self._record(OutcomeIndicatorDefined(indicator))

    def record_result(
        self,
        plan: PlanContext,
        indicator_id: str,
        fiscal_year: int,
        value: Decimal,
        note: str = "",
        evidence: tuple[Evidence, ...] = (),
    ) -> None:
        self._check_open(plan)
        if indicator_id not in self.outputs and indicator_id not in self.outcomes:
            raise UnknownIndicator(f"ไม่พบตัวชี้วัด {indicator_id}", id=indicator_id)
        if fiscal_year not in plan.span:
            raise BudgetYearOutsidePlan(f"ปีงบประมาณ {fiscal_year} อยู่นอกช่วงของแผน ({plan.span})")
        output = self.outputs.get(indicator_id)
        if output is not None and output.measure:
            raise CountedIndicator(
                f"ตัวชี้วัด '{output.text}' ระบบนับให้เองจากข้อมูลที่บันทึกไว้ จึงไม่ต้องกรอกผล "
                "หากจำนวนที่นับไม่ตรงกับความจริง เจ้าหน้าที่ผู้รับผิดชอบแผนแก้ได้โดยระบุเหตุผล",
                id=indicator_id,
            )
        value = check_result(value, output.unit if output is not None else "")
        self._record(
            IndicatorResultRecorded(indicator_id, fiscal_year, value, note.strip(), tuple(evidence))
        )

    def override_count(
        self,
        plan: PlanContext,
        indicator_id: str,
        fiscal_year: int,
        value: Decimal,
        reason: str,
        *,
        role: str,
        by: str,
    ) -> None:
        """The plan officer's value for a counted indicator in one fiscal year, with a reason."""
        self._check_open(plan)
        if role != "plan_officer":
            raise NotPlanOfficer(
                "เฉพาะเจ้าหน้าที่ผู้รับผิดชอบแผนเท่านั้นที่แก้จำนวนที่ระบบนับได้ กรุณาแจ้งเจ้าหน้าที่ผู้รับผิดชอบแผน",
                role=role,
            )
        output = self.outputs.get(indicator_id)
        if output is None or not output.measure:
            raise UnknownIndicator(
                f"ไม่พบตัวชี้วัด {indicator_id} ที่ระบบนับให้ ตัวชี้วัดอื่นให้บันทึกผลตามปกติ",
                id=indicator_id,
            )
        if fiscal_year not in plan.span:
            raise BudgetYearOutsidePlan(f"ปีงบประมาณ {fiscal_year} อยู่นอกช่วงของแผน ({plan.span})")
        if not reason.strip():
            raise MissingText("กรุณาระบุเหตุผลที่แก้จำนวนที่ระบบนับ", field="reason")
        value = check_result(value, output.unit)
        self._record(CountedResultOverridden(indicator_id, fiscal_year, value, reason.strip(), by))

    # -- evolution -----------------------------------------------------------------------

    def _on_ItemHeadingsEdited(self, e: ItemHeadingsEdited) -> None:
        self._apply_headings(e)

    def _apply_headings(self, e: ItemHeadingsEdited) -> None:
        for k in (
            "name",
            "rationale",
            "objectives",
            "targets",
            "area",
            "fiscal_years",
            "responsible_unit",
        ):
            v = getattr(e, k)
            if v is not None:
                setattr(self.headings, k, v)

    def _on_BudgetSet(self, e: BudgetSet) -> None:
        self.budget = dict(e.amounts)
        self.no_budget = False

    def _on_NoBudgetDeclared(self, e: NoBudgetDeclared) -> None:
        self.budget = {}
        self.no_budget = True

    def _on_StepScheduled(self, e: StepScheduled) -> None:
        self.steps[e.number] = _step(
            e.number,
            e.title,
            StepSchedule(e.due, e.fiscal_year),
            e.responsible,
            StepStatus.SCHEDULED,
            None,
            None,
            "",
            (),
            (),
        )

    def _on_StepRescheduled(self, e: StepRescheduled) -> None:
        s = self.steps[e.number]
        new = StepSchedule(e.due, e.fiscal_year)
        self.steps[e.number] = replace(
            s, schedule=new, reschedules=(*s.reschedules, Reschedule(s.schedule, new, e.reason))
        )

    def _on_StepDueDateSet(self, e: StepDueDateSet) -> None:
        self.steps[e.number] = replace(
            self.steps[e.number], schedule=StepSchedule(e.due, e.fiscal_year)
        )

    def _on_StepStarted(self, e: StepStarted) -> None:
        self.steps[e.number] = replace(
            self.steps[e.number], status=StepStatus.STARTED, started_on=e.on
        )

    def _on_StepCompleted(self, e: StepCompleted) -> None:
        s = self.steps[e.number]
        # What dataclasses.replace() would make (a rebuild replays a great many of these).
        self.steps[e.number] = _step(
            s.number,
            s.title,
            s.schedule,
            s.responsible,
            StepStatus.COMPLETED,
            s.started_on,
            e.on,
            e.note,
            s.evidence + e.evidence,
            s.reschedules,
        )

    def _on_StepReopened(self, e: StepReopened) -> None:
        s = self.steps[e.number]
        self.steps[e.number] = replace(
            s,
            status=StepStatus.STARTED if s.started_on else StepStatus.SCHEDULED,
            completed_on=None,
        )

    def _on_OutputIndicatorDefined(self, e: OutputIndicatorDefined) -> None:
        self.outputs[e.indicator.indicator_id] = e.indicator

    def _on_OutcomeIndicatorDefined(self, e: OutcomeIndicatorDefined) -> None:
        self.outcomes[e.indicator.indicator_id] = e.indicator

    def _on_IndicatorResultRecorded(self, e: IndicatorResultRecorded) -> None:
        self.results.setdefault(e.indicator_id, {})[e.fiscal_year] = IndicatorResult(
            e.fiscal_year, e.value, e.note, e.evidence
        )

    def _on_CountedResultOverridden(self, e: CountedResultOverridden) -> None:
        self.overrides.setdefault(e.indicator_id, {})[e.fiscal_year] = (e.value, e.reason, e.by)
