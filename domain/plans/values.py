"""Values of the plan: item kinds, budgets, indicators, evidence, step schedules."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from domain.plans.errors import (
    EvidenceTooLarge,
    ForbiddenEvidence,
    InvalidAmount,
    InvalidEvidenceLink,
    InvalidIndicator,
    InvalidItemNumber,
    NegativeAmount,
)

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
ALLOWED_MEDIA_TYPES = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
}
_ITEM_NUMBER = re.compile(r"^([1-9][0-9]?)\.([1-9][0-9]?)\.([1-9][0-9]?)$")


class ItemKind(StrEnum):
    PROJECT = "project"  # โครงการ
    ACTIVITY = "activity"  # กิจกรรม
    MEASURE = "measure"  # มาตรการ

    @property
    def thai(self) -> str:
        return {"project": "โครงการ", "activity": "กิจกรรม", "measure": "มาตรการ"}[self.value]


def parse_item_number(number: str) -> tuple[int, int, int]:
    """'2.1.1' -> (2, 1, 1): dimension, sub-item, sequence."""
    m = _ITEM_NUMBER.match(number.strip())
    if not m:
        raise InvalidItemNumber(
            f"เลขที่รายการ '{number}' ไม่ถูกต้อง ต้องอยู่ในรูปแบบ มิติ.ภารกิจ.ลำดับ เช่น 2.1.1",
            number=number,
        )
    return int(m[1]), int(m[2]), int(m[3])


def sub_item_of(number: str) -> str:
    d, s, _ = parse_item_number(number)
    return f"{d}.{s}"


MAX_AMOUNT = Decimal("99999999999.99")  # a hundred thousand million baht: above any LAO's


def check_amount(amount: Decimal) -> Decimal:
    """Baht to the satang, finite, not negative, and bounded."""
    if not amount.is_finite():
        raise InvalidAmount("จำนวนเงินต้องเป็นตัวเลข เช่น 5000 หรือ 5000.50", amount=str(amount))
    if amount > MAX_AMOUNT:
        raise InvalidAmount(
            "จำนวนเงินมากเกินกว่าที่เป็นไปได้ กรุณาตรวจสอบจำนวนหลัก", amount=str(amount)[:40]
        )
    if amount < 0:
        raise NegativeAmount("จำนวนเงินต้องไม่ติดลบ", amount=str(amount))
    if amount != amount.quantize(Decimal("0.01")):
        raise NegativeAmount("จำนวนเงินละเอียดได้ถึงสตางค์เท่านั้น", amount=str(amount))
    return amount.quantize(Decimal("0.01"))


# What the service can count by itself, per fiscal year (item 2.1.1's outputs count the
# declarations, their announcements and the promulgated plan; its outcome, the complaints).
MEASURES = (
    "declarations_published",
    "declarations_announced",
    "plans_promulgated",
    "complaints_received",
)


class Comparator(StrEnum):
    AT_LEAST = "at_least"  # อย่างน้อย
    EXACTLY = "exactly"  # จำนวน
    AT_MOST = "at_most"  # ไม่เกิน


@dataclass(frozen=True)
class OutputIndicator:
    """A countable output: 'at least 1 declaration', or a percentage ('ร้อยละ 80')."""

    indicator_id: str
    text: str
    comparator: Comparator
    target: Decimal
    unit: str  # "ฉบับ", "ครั้ง", "%" for a percentage
    # Counted by the service itself, per fiscal year, when set: one of MEASURES.
    measure: str = ""

    def __post_init__(self) -> None:
        if not self.text.strip():
            raise InvalidIndicator("ตัวชี้วัดต้องมีข้อความ")
        if self.measure and self.measure not in MEASURES:
            raise InvalidIndicator(f"ไม่รู้จักการนับ '{self.measure}'", measure=self.measure)
        if self.target < 0 or (self.unit == "%" and self.target > 100):
            raise InvalidIndicator("ค่าเป้าหมายของตัวชี้วัดไม่ถูกต้อง", target=str(self.target))

    def met_by(self, value: Decimal) -> bool:
        if self.comparator is Comparator.AT_LEAST:
            return value >= self.target
        if self.comparator is Comparator.EXACTLY:
            return value == self.target
        return value <= self.target


@dataclass(frozen=True)
class OutcomeIndicator:
    """A qualitative outcome, optionally measured per fiscal year (e.g. complaints)."""

    indicator_id: str
    text: str
    measure: str = ""  # e.g. "complaints_received" (one of MEASURES); empty: not measured


@dataclass(frozen=True)
class Evidence:
    """A file (stored content-addressed by sha256) or a link."""

    kind: str  # "file" | "link"
    name: str
    sha256: str = ""
    media_type: str = ""
    size: int = 0
    url: str = ""

    @staticmethod
    def file(name: str, sha256: str, media_type: str, size: int) -> Evidence:
        if media_type not in ALLOWED_MEDIA_TYPES:
            raise ForbiddenEvidence(
                "ไฟล์หลักฐานต้องเป็น PDF, JPEG, PNG, DOCX หรือ XLSX เท่านั้น",
                media_type=media_type,
            )
        if size > MAX_EVIDENCE_BYTES:
            raise EvidenceTooLarge("ไฟล์หลักฐานต้องมีขนาดไม่เกิน 20 MB", size=size)
        if not re.fullmatch(r"[0-9a-f]{64}", sha256):
            raise ForbiddenEvidence("รหัสไฟล์ไม่ถูกต้อง")
        return Evidence("file", name, sha256=sha256, media_type=media_type, size=size)

    @staticmethod
    def link(url: str, name: str = "") -> Evidence:
        if not re.match(r"^https?://[^\s]+$", url):
            raise InvalidEvidenceLink("ลิงก์หลักฐานต้องขึ้นต้นด้วย http:// หรือ https://", url=url)
        return Evidence("link", name or url, url=url)


@dataclass(frozen=True)
class StepSchedule:
    """When a step is due: a date, or a fiscal period (a whole fiscal year)."""

    due: date | None = None
    fiscal_year: int | None = None

    def due_date(self) -> date | None:
        if self.due is not None:
            return self.due
        if self.fiscal_year is not None:
            from domain.shared.fiscal import fiscal_year_end

            return fiscal_year_end(self.fiscal_year)
        return None
