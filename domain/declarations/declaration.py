"""The executives' declaration of intent against corruption, and its public announcements."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from domain.plans.values import Evidence
from domain.shared.aggregate import Aggregate
from domain.shared.errors import DomainError
from domain.shared.messages import Event


class Channel(StrEnum):
    WEBSITE = "website"
    NOTICE_BOARD = "notice_board"
    PUBLIC_MEETING = "public_meeting"
    SOCIAL_MEDIA = "social_media"
    OTHER = "other"

    @property
    def thai(self) -> str:
        return {
            "website": "เว็บไซต์",
            "notice_board": "บอร์ดประชาสัมพันธ์",
            "public_meeting": "การประชุมประชาคม",
            "social_media": "สื่อสังคมออนไลน์",
            "other": "ช่องทางอื่น",
        }[self.value]


class EmptyDeclaration(DomainError):
    code = "empty-declaration"


class DeclarationAlreadyPublished(DomainError):
    code = "declaration-already-published"
    status = 409


class DeclarationNotPublished(DomainError):
    code = "declaration-not-published"
    status = 409


@dataclass(frozen=True)
class DeclarationDrafted(Event):
    text: str
    signers: tuple[str, ...]


@dataclass(frozen=True)
class DeclarationPublished(Event):
    on: date
    document: Evidence | None


@dataclass(frozen=True)
class DeclarationAnnounced(Event):
    channel: Channel
    on: date
    detail: str
    evidence: tuple[Evidence, ...]


DECLARATION_EVENTS: tuple[type[Event], ...] = (
    DeclarationDrafted,
    DeclarationPublished,
    DeclarationAnnounced,
)


@dataclass(frozen=True)
class Announcement:
    channel: Channel
    on: date
    detail: str
    evidence: tuple[Evidence, ...]


class Declaration(Aggregate):
    stream_type = "declaration"

    def __init__(self, id: uuid.UUID) -> None:
        super().__init__(id)
        self.text = ""
        self.signers: tuple[str, ...] = ()
        self.published_on: date | None = None
        self.document: Evidence | None = None
        self.announcements: list[Announcement] = []

    @property
    def published(self) -> bool:
        return self.published_on is not None

    def draft(self, text: str, signers: tuple[str, ...]) -> None:
        if self.published:
            raise DeclarationAlreadyPublished("ประกาศเจตจำนงนี้เผยแพร่แล้ว แก้ไขไม่ได้")
        cleaned = tuple(s.strip() for s in signers if s.strip())
        if self.version == 0 or (text.strip(), cleaned) != (self.text, self.signers):
            self._record(DeclarationDrafted(text.strip(), cleaned))

    def publish(self, on: date, document: Evidence | None) -> None:
        if self.published:
            raise DeclarationAlreadyPublished("ประกาศเจตจำนงนี้เผยแพร่แล้ว")
        if not self.text:
            raise EmptyDeclaration("ประกาศเจตจำนงยังไม่มีข้อความ กรุณาเขียนข้อความก่อนเผยแพร่")
        if not self.signers:
            raise EmptyDeclaration("กรุณาระบุผู้บริหารผู้ลงนามอย่างน้อย 1 คนก่อนเผยแพร่")
        self._record(DeclarationPublished(on, document))

    def announce(
        self, channel: Channel, on: date, detail: str = "", evidence: tuple[Evidence, ...] = ()
    ) -> None:
        if not self.published or self.published_on is None:
            raise DeclarationNotPublished("ต้องเผยแพร่ประกาศเจตจำนงก่อนจึงบันทึกการประกาศต่อสาธารณะได้")
        if on < self.published_on:
            raise DeclarationNotPublished("วันที่ประกาศต่อสาธารณะต้องไม่ก่อนวันที่เผยแพร่ประกาศ")
        self._record(DeclarationAnnounced(channel, on, detail.strip(), tuple(evidence)))

    def _on_DeclarationDrafted(self, e: DeclarationDrafted) -> None:
        self.text, self.signers = e.text, e.signers

    def _on_DeclarationPublished(self, e: DeclarationPublished) -> None:
        self.published_on, self.document = e.on, e.document

    def _on_DeclarationAnnounced(self, e: DeclarationAnnounced) -> None:
        self.announcements.append(Announcement(e.channel, e.on, e.detail, e.evidence))


def declaration_view(d: Declaration) -> dict[str, object]:
    from domain.shared.serialization import to_data

    return {
        "declaration_id": str(d.id),
        "text": d.text,
        "signers": list(d.signers),
        "published_on": d.published_on.isoformat() if d.published_on else None,
        "document": to_data(d.document),
        "announcements": [
            {
                "channel": a.channel.value,
                "channel_th": a.channel.thai,
                "on": a.on.isoformat(),
                "detail": a.detail,
                "evidence": to_data(a.evidence),
            }
            for a in d.announcements
        ],
        "version": d.version,
    }
