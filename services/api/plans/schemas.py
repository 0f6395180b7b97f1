"""Request bodies of the plans' and items' JSON API (msgspec): what a program sends."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from services.api.v1.schemas import (
    Amount,
    In,
    LinkIn,
    OnDateIn,
    Said,
    SaidText,
    Sha,
    Short,
    StepIn,
    Text,
    Year,
)

__all__ = ["LinkIn", "OnDateIn", "StepIn"]


class DraftPlanIn(In):
    title: Said
    first_year: Year
    last_year: Year


class AddItemIn(In):
    number: Annotated[str, Meta(pattern=r"^\d{1,2}\.\d{1,2}\.\d{1,2}$")]
    kind: Literal["project", "activity", "measure"]
    name: Said


class SubItemIn(In):
    number: Annotated[str, Meta(pattern=r"^\d{1,2}\.\d{1,2}$")]
    title: Text


class DimensionIn(In):
    number: Annotated[int, Meta(ge=1, le=99)]
    title: Text
    sub_items: list[SubItemIn]


class CatalogueIn(In):
    """The plan's dimensions (มิติ) and sub-items (ภารกิจตามมิติ)."""

    dimensions: Annotated[list[DimensionIn], Meta(min_length=1)]


class RenumberIn(In):
    number: Annotated[str, Meta(pattern=r"^\d{1,2}\.\d{1,2}\.\d{1,2}$")]


class HeadingsIn(In):
    name: Short | None = None
    rationale: Text | None = None
    objectives: list[Text] | None = None
    targets: list[Text] | None = None
    area: Short | None = None
    fiscal_years: list[Year] | None = None
    responsible_unit: Short | None = None


class BudgetIn(In):
    """Either ``no_budget: true`` (ไม่ใช้งบประมาณ) or amounts in baht per fiscal year."""

    no_budget: bool = False
    amounts: dict[str, Amount] | None = None


class RescheduleIn(In):
    reason: Short
    due: date | None = None
    fiscal_year: Year | None = None


class CompleteIn(In):
    on: date
    note: Text = ""
    links: list[LinkIn] = msgspec.field(default_factory=list)
    files: list[Sha] = msgspec.field(default_factory=list)  # uploaded via /evidence


class ReasonIn(In):
    reason: Short


class AdditionIn(In):
    """The executive's decision on an item added after promulgation: the day of approval
    (today when left out), or the reason it is returned."""

    on: date | None = None
    reason: Short = ""


class PromulgateIn(In):
    on: date
    executive: Short
    document: Sha | None = None  # the signed promulgation, uploaded via /evidence


class OutputIndicatorIn(In):
    id: Annotated[str, Meta(pattern=r"^[A-Za-z0-9_.-]{1,40}$")]
    text: SaidText
    comparator: Literal["at_least", "exactly", "at_most"]
    target: Amount
    unit: Short
    measure: Literal[
        "",
        "declarations_published",
        "declarations_announced",
        "plans_promulgated",
        "complaints_received",
    ] = ""


class OutcomeIndicatorIn(In):
    id: Annotated[str, Meta(pattern=r"^[A-Za-z0-9_.-]{1,40}$")]
    text: SaidText
    measure: Short = ""


class ResultIn(In):
    fiscal_year: Year
    value: Amount
    note: Text = ""
    links: list[LinkIn] = msgspec.field(default_factory=list)
    files: list[Sha] = msgspec.field(default_factory=list)
