"""The complaints register: counts per fiscal year, without personal data.

A complaint is received (the day, the channel, what it is about), may be taken up (อยู่ระหว่าง
ดำเนินการ) and is resolved once with an outcome from a fixed list; no name, address, phone or
ID number of the complainant is kept (a subject with one is refused)."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from domain.shared.aggregate import Aggregate
from domain.shared.errors import DomainError
from domain.shared.messages import Event

CHANNELS = ("in_person", "phone", "letter", "website", "social_media", "damrongdham", "other")
CHANNEL_NAMES = {
    "in_person": "ยื่นด้วยตนเอง",
    "phone": "โทรศัพท์",
    "letter": "หนังสือ",
    "website": "เว็บไซต์",
    "social_media": "สื่อสังคมออนไลน์",
    "damrongdham": "ศูนย์ดำรงธรรม",
    "other": "ช่องทางอื่น",
}
OUTCOME_NAMES = {
    "substantiated": "มีมูล ดำเนินการแก้ไขแล้ว",
    "unsubstantiated": "ไม่มีมูล",
    "referred": "ส่งต่อหน่วยงานที่เกี่ยวข้อง",
    "withdrawn": "ผู้ร้องถอนเรื่อง",
    "other": "อื่น ๆ",
}
OUTCOMES = tuple(OUTCOME_NAMES)
STATUS_NAMES = {
    "received": "รับเรื่องแล้ว",
    "in_progress": "อยู่ระหว่างดำเนินการ",
    "resolved": "ยุติเรื่องแล้ว",
}
MAX_SUBJECT = 200
# A run of nine or more digits (with spaces or dashes) is a phone or an ID card number.
_PERSONAL_NUMBER = re.compile(r"\d(?:[\s-]?\d){8,}")


class InvalidComplaint(DomainError):
    code = "invalid-complaint"


class ComplaintAlreadyResolved(DomainError):
    code = "complaint-already-resolved"
    status = 409


@dataclass(frozen=True)
class ComplaintReceived(Event):
    on: date
    channel: str
    category: str  # what it is about (the register's เรื่อง), never who complained


@dataclass(frozen=True)
class ComplaintTakenUp(Event):
    """The LAO started to look into it (อยู่ระหว่างดำเนินการ)."""

    on: date


@dataclass(frozen=True)
class ComplaintResolved(Event):
    """v2 adds the outcome; v1 events (resolved before there was one) have "" (not recorded,
    domain.complaints.upcasters)."""

    schema_version: ClassVar[int] = 2

    on: date
    outcome: str


COMPLAINT_EVENTS: tuple[type[Event], ...] = (ComplaintReceived, ComplaintTakenUp, ComplaintResolved)


def check_subject(category: str) -> str:
    """The subject as kept, or what is wrong with it."""
    subject = category.strip()
    if not subject:
        raise InvalidComplaint("กรุณาระบุเรื่องที่ร้องเรียน", field="category")
    if len(subject) > MAX_SUBJECT:
        raise InvalidComplaint(f"เรื่องที่ร้องเรียนยาวได้ไม่เกิน {MAX_SUBJECT} ตัวอักษร", field="category")
    if _PERSONAL_NUMBER.search(subject):
        raise InvalidComplaint(
            "ทะเบียนนี้ไม่เก็บข้อมูลส่วนบุคคล: กรุณาลบเลขโทรศัพท์หรือเลขบัตรประชาชนออกจากเรื่องที่ร้องเรียน",
            field="category",
        )
    return subject


class Complaint(Aggregate):
    stream_type = "complaint"

    def __init__(self, id: uuid.UUID) -> None:
        super().__init__(id)
        self.received_on: date | None = None
        self.taken_up_on: date | None = None
        self.resolved_on: date | None = None
        self.channel = ""
        self.category = ""
        self.outcome = ""

    @property
    def status(self) -> str:
        if self.resolved_on is not None:
            return "resolved"
        return "in_progress" if self.taken_up_on is not None else "received"

    def receive(self, on: date, channel: str, category: str, today: date | None = None) -> None:
        if self.received_on is not None:
            raise InvalidComplaint("เรื่องร้องเรียนนี้บันทึกไว้แล้ว")
        if channel not in CHANNELS:
            raise InvalidComplaint(f"ช่องทาง '{channel}' ไม่รู้จัก", channel=channel, field="channel")
        subject = check_subject(category)
        _not_after_today(on, today, "วันที่รับเรื่อง")
        self._record(ComplaintReceived(on, channel, subject))

    def take_up(self, on: date, today: date | None = None) -> None:
        received = self._open()
        if self.taken_up_on is not None:
            raise InvalidComplaint("เรื่องนี้อยู่ระหว่างดำเนินการอยู่แล้ว")
        _not_before(on, received, "วันที่เริ่มดำเนินการ")
        _not_after_today(on, today, "วันที่เริ่มดำเนินการ")
        self._record(ComplaintTakenUp(on))

    def resolve(self, on: date, outcome: str, today: date | None = None) -> None:
        received = self._open()
        if outcome not in OUTCOMES:
            raise InvalidComplaint("กรุณาเลือกผลการดำเนินการ", outcome=outcome, field="outcome")
        _not_before(on, self.taken_up_on or received, "วันที่ยุติเรื่อง")
        _not_after_today(on, today, "วันที่ยุติเรื่อง")
        self._record(ComplaintResolved(on, outcome))

    def _open(self) -> date:
        if self.received_on is None:
            raise InvalidComplaint("ไม่พบเรื่องร้องเรียนนี้")
        if self.resolved_on is not None:
            raise ComplaintAlreadyResolved("เรื่องร้องเรียนนี้ยุติแล้ว")
        return self.received_on

    def _on_ComplaintReceived(self, e: ComplaintReceived) -> None:
        self.received_on, self.channel, self.category = e.on, e.channel, e.category

    def _on_ComplaintTakenUp(self, e: ComplaintTakenUp) -> None:
        self.taken_up_on = e.on

    def _on_ComplaintResolved(self, e: ComplaintResolved) -> None:
        self.resolved_on, self.outcome = e.on, e.outcome


def _not_before(on: date, earliest: date, what: str) -> None:
    if on < earliest:
        raise InvalidComplaint(f"{what}ต้องไม่ก่อนวันที่รับเรื่องหรือวันที่เริ่มดำเนินการ", field="on")


def _not_after_today(on: date, today: date | None, what: str) -> None:
    if today is not None and on > today:
        raise InvalidComplaint(f"{what}ต้องไม่เลยวันนี้", field="on")
