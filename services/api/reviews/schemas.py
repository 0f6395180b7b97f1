"""What the reviews API accepts."""

from __future__ import annotations

from typing import Literal

from msgspec import Struct


class ReviewIn(Struct, forbid_unknown_fields=True, kw_only=True):
    subject: str  # plan:<id>, item:<id>, declaration:<id> or report:<fiscal year>-<6|12>
    text: str
    kind: Literal["comment", "revision"] = "comment"


class AnswerIn(Struct, forbid_unknown_fields=True, kw_only=True):
    text: str


class ResolveIn(Struct, forbid_unknown_fields=True, kw_only=True):
    note: str = ""
