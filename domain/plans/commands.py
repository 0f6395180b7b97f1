"""Commands on plans and items (imperative; the API translates requests into these)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.plans.catalogue import Catalogue
from domain.plans.events import ItemHeadingsEdited
from domain.plans.values import Evidence, ItemKind, OutcomeIndicator, OutputIndicator
from domain.shared.messages import Command


@dataclass(frozen=True)
class DraftPlan(Command):
    plan_id: uuid.UUID
    title: str
    first_year: int
    last_year: int
    catalogue: Catalogue | None = None
    template_id: str | None = None  # None: domain.plans.templates.default_template


@dataclass(frozen=True)
class ChangePlanDetails(Command):
    plan_id: uuid.UUID
    title: str
    first_year: int
    last_year: int


@dataclass(frozen=True)
class ChangeCatalogue(Command):
    plan_id: uuid.UUID
    catalogue: Catalogue


@dataclass(frozen=True)
class WithdrawItem(Command):
    plan_id: uuid.UUID
    item_id: uuid.UUID
    reason: str


@dataclass(frozen=True)
class AddItem(Command):
    plan_id: uuid.UUID
    item_id: uuid.UUID
    number: str
    kind: ItemKind
    name: str


@dataclass(frozen=True)
class RenumberItem(Command):
    plan_id: uuid.UUID
    item_id: uuid.UUID
    number: str


@dataclass(frozen=True)
class PromulgatePlan(Command):
    plan_id: uuid.UUID
    on: date
    executive: str
    document: Evidence | None = None
    # Refuse while required headings of items are empty (domain.plans.templates). False only
    # for callers that predate the rule (the demo loader and test fixtures promulgate plans
    # whose items hold a name only); the pages and the API are to send True.
    check_headings: bool = False


@dataclass(frozen=True)
class ApproveItemAddition(Command):
    """The executive approves an item added after promulgation."""

    plan_id: uuid.UUID
    item_id: uuid.UUID
    on: date
    role: str
    by: str


@dataclass(frozen=True)
class ReturnItemAddition(Command):
    plan_id: uuid.UUID
    item_id: uuid.UUID
    reason: str
    role: str
    by: str


@dataclass(frozen=True)
class ClosePlan(Command):
    plan_id: uuid.UUID
    on: date


@dataclass(frozen=True)
class MakePlanCurrent(Command):
    plan_id: uuid.UUID
    on: date


@dataclass(frozen=True)
class EditItemHeadings(Command):
    plan_id: uuid.UUID
    item_id: uuid.UUID
    headings: ItemHeadingsEdited


@dataclass(frozen=True)
class SetBudget(Command):
    plan_id: uuid.UUID
    item_id: uuid.UUID
    amounts: dict[int, Decimal] | None  # None: ไม่ใช้งบประมาณ


@dataclass(frozen=True)
class ScheduleStep(Command):
    plan_id: uuid.UUID
    item_id: uuid.UUID
    number: str
    title: str
    due: date | None = None
    fiscal_year: int | None = None
    responsible: tuple[str, ...] = ()


@dataclass(frozen=True)
class SetStepDueDate(Command):
    """กำหนดวันเสร็จ: the first due date of a step that has none (no reason asked)."""

    plan_id: uuid.UUID
    item_id: uuid.UUID
    number: str
    due: date | None = None
    fiscal_year: int | None = None


@dataclass(frozen=True)
class RescheduleStep(Command):
    plan_id: uuid.UUID
    item_id: uuid.UUID
    number: str
    reason: str
    due: date | None = None
    fiscal_year: int | None = None


@dataclass(frozen=True)
class StartStep(Command):
    plan_id: uuid.UUID
    item_id: uuid.UUID
    number: str
    on: date


@dataclass(frozen=True)
class CompleteStep(Command):
    plan_id: uuid.UUID
    item_id: uuid.UUID
    number: str
    on: date
    note: str = ""
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class ReopenStep(Command):
    plan_id: uuid.UUID
    item_id: uuid.UUID
    number: str
    reason: str


@dataclass(frozen=True)
class DefineIndicator(Command):
    plan_id: uuid.UUID
    item_id: uuid.UUID
    indicator: OutputIndicator | OutcomeIndicator


@dataclass(frozen=True)
class RecordIndicatorResult(Command):
    plan_id: uuid.UUID
    item_id: uuid.UUID
    indicator_id: str
    fiscal_year: int
    value: Decimal
    note: str = ""
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class OverrideCountedResult(Command):
    """The plan officer's value for a counted indicator (``role``: the actor's role, as the
    edge resolved it; ``by``: the actor)."""

    plan_id: uuid.UUID
    item_id: uuid.UUID
    indicator_id: str
    fiscal_year: int
    value: Decimal
    reason: str
    role: str
    by: str


@dataclass(frozen=True)
class ProposeItemRevision(Command):
    """After promulgation: the plan officer proposes a change to an item's headings."""

    plan_id: uuid.UUID
    item_id: uuid.UUID
    revision_id: uuid.UUID  # made in the command path
    headings: ItemHeadingsEdited
    reason: str
    role: str
    by: str


@dataclass(frozen=True)
class ApproveItemRevision(Command):
    plan_id: uuid.UUID
    item_id: uuid.UUID
    revision_id: uuid.UUID
    on: date
    role: str
    by: str


@dataclass(frozen=True)
class ReturnItemRevision(Command):
    plan_id: uuid.UUID
    item_id: uuid.UUID
    revision_id: uuid.UUID
    reason: str
    role: str
    by: str
