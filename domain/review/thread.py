"""A review thread on an LAO's plan, item or report: a comment, or a revision request that
the LAO answers and the reviewer resolves. Its events live in the LAO's log."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from domain.shared.aggregate import Aggregate
from domain.shared.errors import DomainError
from domain.shared.messages import Event

_SUBJECT = re.compile(
    r"^(plan:[0-9a-f-]{36}|item:[0-9a-f-]{36}|report:\d{4}-(6|12)|declaration:[0-9a-f-]{36})$"
)


class InvalidReview(DomainError):
    code = "invalid-review"


class ReviewStateError(DomainError):
    code = "review-state"
    status = 409


@dataclass(frozen=True)
class ReviewCommented(Event):
    subject: str
    text: str
    by: str
    office: str  # the provincial office's code, e.g. po-47


@dataclass(frozen=True)
class RevisionRequested(Event):
    subject: str
    text: str
    by: str
    office: str


@dataclass(frozen=True)
class RevisionAnswered(Event):
    text: str
    by: str


@dataclass(frozen=True)
class RevisionResolved(Event):
    by: str
    note: str


REVIEW_EVENTS: tuple[type[Event], ...] = (
    ReviewCommented,
    RevisionRequested,
    RevisionAnswered,
    RevisionResolved,
)


def _text(text: str) -> str:
    text = text.strip()
    if not text:
        raise InvalidReview("กรุณาเขียนข้อความ", field="text")
    if len(text) > 5000:
        raise InvalidReview("ข้อความยาวเกิน 5,000 ตัวอักษร", field="text")
    return text


class ReviewThread(Aggregate):
    stream_type = "review"

    def __init__(self, id: uuid.UUID) -> None:
        super().__init__(id)
        self.kind = ""  # comment | revision
        self.status = ""  # open | answered | resolved ("" for a comment)

    def comment(self, subject: str, text: str, by: str, office: str) -> None:
        self._start(subject)
        self._record(ReviewCommented(subject, _text(text), by, office))

    def request_revision(self, subject: str, text: str, by: str, office: str) -> None:
        self._start(subject)
        self._record(RevisionRequested(subject, _text(text), by, office))

    def answer(self, text: str, by: str) -> None:
        if self.kind != "revision":
            raise ReviewStateError("ตอบได้เฉพาะคำขอให้แก้ไข")
        if self.status == "resolved":
            raise ReviewStateError("คำขอนี้ปิดแล้ว")
        self._record(RevisionAnswered(_text(text), by))

    def resolve(self, by: str, note: str = "") -> None:
        if self.kind != "revision":
            raise ReviewStateError("ปิดได้เฉพาะคำขอให้แก้ไข")
        if self.status == "resolved":
            raise ReviewStateError("คำขอนี้ปิดแล้ว")
        self._record(RevisionResolved(by, note.strip()[:2000]))

    def _start(self, subject: str) -> None:
        if self.version:
            raise ReviewStateError("มีความเห็นนี้อยู่แล้ว")
        if not _SUBJECT.match(subject):
            raise InvalidReview("ระบุเรื่องที่ให้ความเห็นไม่ถูกต้อง", field="subject")

    def _on_ReviewCommented(self, e: ReviewCommented) -> None:
        self.kind = "comment"

    def _on_RevisionRequested(self, e: RevisionRequested) -> None:
        self.kind, self.status = "revision", "open"

    def _on_RevisionAnswered(self, e: RevisionAnswered) -> None:
        self.status = "answered"

    def _on_RevisionResolved(self, e: RevisionResolved) -> None:
        self.status = "resolved"
