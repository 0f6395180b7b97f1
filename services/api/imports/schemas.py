"""The imports API's bodies (msgspec): a sheet's corrections, accepting and rejecting."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Annotated, Literal

from msgspec import Meta, Struct

Text = Annotated[str, Meta(max_length=20_000)]
Short = Annotated[str, Meta(max_length=500)]
Year = Annotated[int, Meta(ge=2400, le=2700)]


class StepIn(Struct, forbid_unknown_fields=True):
    number: Annotated[str, Meta(pattern=r"^\d{1,2}(\.\d{1,2}){0,2}$")]
    title: Short


class OutputIn(Struct, forbid_unknown_fields=True):
    text: Text
    comparator: Literal["at_least", "exactly", "at_most"]
    target: Decimal
    unit: Short


class SheetEditIn(Struct, forbid_unknown_fields=True, kw_only=True, omit_defaults=True):
    """The headings to change; those not given stay. ``no_budget: true`` for
    ไม่ใช้งบประมาณ, or ``budget`` in baht per fiscal year."""

    number: Annotated[str, Meta(pattern=r"^\d{1,2}\.\d{1,2}\.\d{1,2}$")] | None = None
    kind: Literal["project", "activity", "measure"] | None = None
    name: Short | None = None
    rationale: Text | None = None
    objectives: list[Text] | None = None
    targets: list[Text] | None = None
    area: Short | None = None
    steps: list[StepIn] | None = None
    fiscal_years: list[Year] | None = None
    budget: dict[str, Decimal] | None = None
    no_budget: bool | None = None
    responsible: Short | None = None
    output_indicators: list[OutputIn] | None = None
    outcomes: list[Text] | None = None


class AcceptIn(Struct, forbid_unknown_fields=True):
    plan_id: uuid.UUID


class RejectIn(Struct, forbid_unknown_fields=True):
    reason: Short = ""


class PlanAcceptIn(Struct, forbid_unknown_fields=True, kw_only=True, omit_defaults=True):
    """Accept a whole-plan import's pending items (or those at ``positions``) into
    ``plan_id``; without it a draft plan is made from the import (its title, years and
    round's catalogue; ``title`` to name it otherwise)."""

    plan_id: uuid.UUID | None = None
    title: Short | None = None
    positions: list[Annotated[int, Meta(ge=1, le=10_000)]] | None = None
