"""Request bodies (msgspec): what a program sends."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

import msgspec
from msgspec import Meta, Struct

from domain.plans.values import Evidence

Text = Annotated[str, Meta(max_length=20_000)]
Short = Annotated[str, Meta(max_length=500)]
Year = Annotated[int, Meta(ge=2400, le=2700)]
Sha = Annotated[str, Meta(pattern=r"^[0-9a-f]{64}$")]
Amount = Decimal  # checked by the domain (negative amounts are a rule, 422)


class In(Struct, forbid_unknown_fields=True, kw_only=True):
    pass


class DraftPlanIn(In):
    title: Short
    first_year: Year
    last_year: Year


class AddItemIn(In):
    number: Annotated[str, Meta(pattern=r"^\d{1,2}\.\d{1,2}\.\d{1,2}$")]
    kind: Literal["project", "activity", "measure"]
    name: Short


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


class LinkIn(In):
    url: Annotated[str, Meta(max_length=2000)]
    name: Short = ""

    def evidence(self) -> Evidence:
        return Evidence.link(self.url, self.name)


class StepIn(In):
    number: Annotated[str, Meta(pattern=r"^\d{1,2}(\.\d{1,2}){0,2}$")]
    title: Short
    due: date | None = None
    fiscal_year: Year | None = None
    responsible: list[Short] = msgspec.field(default_factory=list)


class RescheduleIn(In):
    reason: Short
    due: date | None = None
    fiscal_year: Year | None = None


class OnDateIn(In):
    on: date


class CompleteIn(In):
    on: date
    note: Text = ""
    links: list[LinkIn] = msgspec.field(default_factory=list)
    files: list[Sha] = msgspec.field(default_factory=list)  # uploaded via /evidence


class ReasonIn(In):
    reason: Short


class PromulgateIn(In):
    on: date
    executive: Short
    document: Sha | None = None  # the signed promulgation, uploaded via /evidence


class PublishIn(In):
    on: date
    document: Sha | None = None  # the signed declaration, uploaded via /evidence


class OutputIndicatorIn(In):
    id: Annotated[str, Meta(pattern=r"^[A-Za-z0-9_.-]{1,40}$")]
    text: Text
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
    text: Text
    measure: Short = ""


class ResultIn(In):
    fiscal_year: Year
    value: Amount
    note: Text = ""
    links: list[LinkIn] = msgspec.field(default_factory=list)
    files: list[Sha] = msgspec.field(default_factory=list)


class DeclarationIn(In):
    text: Text
    signers: list[Short]


class AnnounceIn(In):
    channel: Literal["website", "notice_board", "public_meeting", "social_media", "other"]
    on: date
    detail: Short = ""
    links: list[LinkIn] = msgspec.field(default_factory=list)
    files: list[Sha] = msgspec.field(default_factory=list)


class ComplaintIn(In):
    on: date
    channel: Literal[
        "in_person", "phone", "letter", "website", "social_media", "damrongdham", "other"
    ]
    category: Short


class Written(Struct):
    """What a write returns: the id written and the stream's new version (also the ETag)."""

    id: str
    version: int
    duplicate: bool = False
