"""Events of plans and their items. Once stored, never changed: new shapes get upcasters."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import ClassVar

from domain.plans.catalogue import Catalogue
from domain.plans.values import Evidence, ItemKind, OutcomeIndicator, OutputIndicator
from domain.shared.messages import Event

# -- the plan stream ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanDrafted(Event):
    """v2 adds the template the plan was drafted from (domain.plans.templates); v1 events,
    stored before there was a choice, are 2561-2564's (domain.plans.upcasters)."""

    schema_version: ClassVar[int] = 2

    title: str
    first_year: int
    last_year: int
    catalogue: Catalogue
    template_id: str = "2561-2564"


@dataclass(frozen=True)
class PlanDetailsChanged(Event):
    title: str
    first_year: int
    last_year: int


@dataclass(frozen=True)
class CatalogueChanged(Event):
    catalogue: Catalogue


@dataclass(frozen=True)
class ItemAdded(Event):
    item_id: uuid.UUID
    number: str
    kind: ItemKind
    name: str


@dataclass(frozen=True)
class ItemRenumbered(Event):
    item_id: uuid.UUID
    number: str


@dataclass(frozen=True)
class ItemWithdrawn(Event):
    item_id: uuid.UUID
    reason: str


@dataclass(frozen=True)
class PlanPromulgated(Event):
    on: date
    executive: str
    document: Evidence | None


@dataclass(frozen=True)
class PlanClosed(Event):
    on: date


@dataclass(frozen=True)
class PlanMadeCurrent(Event):
    """Chosen as the organisation's current plan (the latest chosen, not closed, is it)."""

    on: date


# -- the item stream: the detail sheet, steps, budget, indicators. The item's number and kind
# are the plan's (ItemAdded, ItemRenumbered); everything else of the sheet is here.


@dataclass(frozen=True)
class ItemHeadingsEdited(Event):
    """Headings 1-5, 7 and 9 of the detail sheet; only those given change."""

    name: str | None = None
    rationale: str | None = None
    objectives: tuple[str, ...] | None = None
    targets: tuple[str, ...] | None = None
    area: str | None = None
    fiscal_years: tuple[int, ...] | None = None
    responsible_unit: str | None = None


@dataclass(frozen=True)
class BudgetSet(Event):
    """Heading 8: baht per fiscal year."""

    amounts: dict[int, Decimal]


@dataclass(frozen=True)
class NoBudgetDeclared(Event):
    """Heading 8: ไม่ใช้งบประมาณ."""


@dataclass(frozen=True)
class StepScheduled(Event):
    number: str  # "6.1"
    title: str
    due: date | None
    fiscal_year: int | None
    responsible: tuple[str, ...]


@dataclass(frozen=True)
class StepRescheduled(Event):
    number: str
    due: date | None
    fiscal_year: int | None
    reason: str


@dataclass(frozen=True)
class StepDueDateSet(Event):
    """กำหนดวันเสร็จ: a step's first due date (or fiscal year), not a postponement."""

    number: str
    due: date | None
    fiscal_year: int | None


@dataclass(frozen=True)
class StepStarted(Event):
    number: str
    on: date


@dataclass(frozen=True)
class StepCompleted(Event):
    number: str
    on: date
    note: str
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class StepReopened(Event):
    number: str
    reason: str


@dataclass(frozen=True)
class OutputIndicatorDefined(Event):
    indicator: OutputIndicator


@dataclass(frozen=True)
class OutcomeIndicatorDefined(Event):
    indicator: OutcomeIndicator


@dataclass(frozen=True)
class IndicatorResultRecorded(Event):
    indicator_id: str
    fiscal_year: int
    value: Decimal
    note: str
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class CountedResultOverridden(Event):
    """The plan officer's own value for an indicator the service counts, with the reason
    (the count missed something recorded elsewhere, say). Shown as an override, never as
    the count."""

    indicator_id: str
    fiscal_year: int
    value: Decimal
    reason: str
    by: str  # who overrode it (the plan officer's account)


@dataclass(frozen=True)
class ItemRevisionProposed(Event):
    """After promulgation, a change to an item's sheet is proposed by the plan officer, for the
    executive to approve or return; until approved the sheet (and the public page) keep the
    approved content."""

    revision_id: uuid.UUID
    headings: ItemHeadingsEdited  # the headings it would change (None: unchanged)
    reason: str
    by: str


@dataclass(frozen=True)
class ItemRevisionApproved(Event):
    """The executive approved the revision: its headings now are the sheet's."""

    revision_id: uuid.UUID
    on: date
    by: str


@dataclass(frozen=True)
class ItemRevisionReturned(Event):
    """The executive returned the revision, with what to reconsider; the sheet is unchanged."""

    revision_id: uuid.UUID
    reason: str
    by: str


@dataclass(frozen=True)
class ItemAdditionApproved(Event):
    """An item added to a promulgated plan joins the approved plan (and its public page) once
    the executive approves it, as a revision of an item's sheet does."""

    item_id: uuid.UUID
    on: date
    by: str


@dataclass(frozen=True)
class ItemAdditionReturned(Event):
    """The executive sends an item added after promulgation back (it still waits, with why)."""

    item_id: uuid.UUID
    reason: str
    by: str


PLAN_EVENTS: tuple[type[Event], ...] = (
    PlanDrafted,
    PlanDetailsChanged,
    CatalogueChanged,
    ItemAdded,
    ItemRenumbered,
    ItemWithdrawn,
    PlanPromulgated,
    PlanClosed,
    PlanMadeCurrent,
    ItemAdditionApproved,
    ItemAdditionReturned,
)
ITEM_EVENTS: tuple[type[Event], ...] = (
    ItemHeadingsEdited,
    BudgetSet,
    NoBudgetDeclared,
    StepScheduled,
    StepRescheduled,
    StepDueDateSet,
    StepStarted,
    StepCompleted,
    StepReopened,
    OutputIndicatorDefined,
    OutcomeIndicatorDefined,
    IndicatorResultRecorded,
    CountedResultOverridden,
    ItemRevisionProposed,
    ItemRevisionApproved,
    ItemRevisionReturned,
)
