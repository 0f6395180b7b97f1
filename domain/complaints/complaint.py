"""The complaints register: counts per fiscal year, without personal data."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from domain.shared.aggregate import Aggregate
from domain.shared.errors import DomainError
from domain.shared.messages import Event

CHANNELS = ("in_person", "phone", "letter", "website", "social_media", "damrongdham", "other")


class InvalidComplaint(DomainError):
    code = "invalid-complaint"


class ComplaintAlreadyResolved(DomainError):
    code = "complaint-already-resolved"
    status = 409


@dataclass(frozen=True)
class ComplaintReceived(Event):
    on: date
    channel: str
    category: str


@dataclass(frozen=True)
class ComplaintResolved(Event):
    on: date


COMPLAINT_EVENTS: tuple[type[Event], ...] = (ComplaintReceived, ComplaintResolved)


class Complaint(Aggregate):
    stream_type = "complaint"

    def __init__(self, id: uuid.UUID) -> None:
        super().__init__(id)
        self.received_on: date | None = None
        self.resolved_on: date | None = None
        self.channel = ""
        self.category = ""

    def receive(self, on: date, channel: str, category: str) -> None:
        if self.received_on is not None:
            raise InvalidComplaint("เรื่องร้องเรียนนี้บันทึกไว้แล้ว")
        if channel not in CHANNELS:
            raise InvalidComplaint(f"ช่องทาง '{channel}' ไม่รู้จัก", channel=channel)
        if not category.strip():
            raise InvalidComplaint("กรุณาระบุประเภทเรื่องร้องเรียน", field="category")
        self._record(ComplaintReceived(on, channel, category.strip()))

    def resolve(self, on: date) -> None:
        if self.received_on is None:
            raise InvalidComplaint("ไม่พบเรื่องร้องเรียนนี้")
        if self.resolved_on is not None:
            raise ComplaintAlreadyResolved("เรื่องร้องเรียนนี้ยุติแล้ว")
        if on < self.received_on:
            raise InvalidComplaint("วันที่ยุติเรื่องต้องไม่ก่อนวันที่รับเรื่อง")
        self._record(ComplaintResolved(on))

    def _on_ComplaintReceived(self, e: ComplaintReceived) -> None:
        self.received_on, self.channel, self.category = e.on, e.channel, e.category

    def _on_ComplaintResolved(self, e: ComplaintResolved) -> None:
        self.resolved_on = e.on
