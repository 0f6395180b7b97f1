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
# A reporting round: a fiscal year (BE, 2400-2700) and 6 or 12 (domain.reporting.rounds).
ROUND = r"^(2[4-6][0-9]{2}|2700)-(6|12)$"
# Text that must say something (the domain refuses blanks, 422): the document says so.
Said = Annotated[str, Meta(min_length=1, max_length=500)]
# \x1c-\x1f: whitespace to Python (and the domain), not to JSON Schema's \s.
Url = Annotated[str, Meta(max_length=2000, pattern=r"^https?://[^\s\x1c-\x1f]+$")]
SaidText = Annotated[str, Meta(min_length=1, max_length=20_000)]
Amount = Decimal  # checked by the domain (negative amounts are a rule, 422)


class In(Struct, forbid_unknown_fields=True, kw_only=True):
    pass


class LinkIn(In):
    url: Url
    name: Short = ""

    def evidence(self) -> Evidence:
        return Evidence.link(self.url, self.name)


class StepIn(In):
    number: Annotated[str, Meta(pattern=r"^\d{1,2}(\.\d{1,2}){0,2}$")]
    title: Short
    due: date | None = None
    fiscal_year: Year | None = None
    responsible: list[Short] = msgspec.field(default_factory=list)


class OnDateIn(In):
    on: date


class PublishIn(In):
    on: date
    document: Sha | None = None  # the signed declaration, uploaded via /evidence


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
    category: Said


class ComplaintStatusIn(In):
    """A complaint taken up (``on``) or resolved (``on`` and ``outcome``)."""

    on: date
    outcome: (
        Literal["substantiated", "unsubstantiated", "referred", "withdrawn", "other"] | None
    ) = None


class Written(Struct):
    """What a write returns: the id written and the stream's new version (also the ETag)."""

    id: str
    version: int
    duplicate: bool = False
