"""Round reporting per item, as e-PlanNACC asks it: for each item of the plan, each fiscal
year and round (6 / 12 months), the budget in the plan, in the budget ordinance
(ข้อบัญญัติ / เทศบัญญัติ) and actually disbursed (เบิกจ่าย); whether the item is written into the
ordinance and into the operating plan (แผนการดำเนินงาน); its status (in progress, done, cannot
be done with a coded reason) and a remark.

One stream per (tenant, plan, round): ``RoundSheet``. A save records one
``RoundEntriesRecorded`` with the entries that changed (none changed: nothing recorded).
Amounts are whole satang (baht to two decimals), never negative, at most
``MAX_SATANG``. Rules:
- a status "cannot be done" needs its reason; another status has none;
- the reason "other" needs a remark that says what it was;
- a round is of the plan's fiscal years, and has begun.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from domain.reporting.model import ProgressReport
from domain.reporting.rounds import ReportingRound, RoundKind
from domain.shared.aggregate import Aggregate
from domain.shared.errors import DomainError
from domain.shared.messages import Event

_STREAM_NAMESPACE = uuid.UUID("0c6f8a52-3d1e-4b7a-9e24-6a5d7c1b8f30")
MAX_SATANG = 10_000_000_000 * 100  # ten thousand million baht: more than any LAO's budget
MAX_REMARK = 500


class RoundStatus(StrEnum):
    IN_PROGRESS = "in_progress"  # อยู่ระหว่างดำเนินการ
    DONE = "done"  # ดำเนินการแล้ว
    CANNOT = "cannot"  # ไม่สามารถดำเนินการได้

    @property
    def thai(self) -> str:
        return _STATUS_TH[self]


_STATUS_TH = {
    RoundStatus.IN_PROGRESS: "อยู่ระหว่างดำเนินการ",
    RoundStatus.DONE: "ดำเนินการแล้ว",
    RoundStatus.CANNOT: "ไม่สามารถดำเนินการได้",
}


class CannotReason(StrEnum):
    NO_BUDGET = "no_budget"  # ไม่ได้รับงบประมาณ
    POLICY_CHANGE = "policy_change"  # เปลี่ยนแปลงนโยบาย
    TOO_FEW_STAFF = "too_few_staff"  # บุคลากรไม่เพียงพอ
    OTHER = "other"  # อื่น ๆ (ระบุในหมายเหตุ)

    @property
    def thai(self) -> str:
        return _REASON_TH[self]


_REASON_TH = {
    CannotReason.NO_BUDGET: "ไม่ได้รับงบประมาณ",
    CannotReason.POLICY_CHANGE: "เปลี่ยนแปลงนโยบาย",
    CannotReason.TOO_FEW_STAFF: "บุคลากรไม่เพียงพอ",
    CannotReason.OTHER: "อื่น ๆ",
}


class InvalidEntry(DomainError):
    code = "invalid-round-entry"


_AMOUNT = re.compile(r"^[0-9]{1,3}(,[0-9]{3})*(\.[0-9]{1,2})?$|^[0-9]+(\.[0-9]{1,2})?$")
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def parse_baht(text: str) -> int | None:
    """'1,250.50' -> 125050 satang; '' -> None (not entered). Raises ValueError with a Thai
    message on anything else (a sign, letters, more than two decimals, too large). Thai
    digits are read as digits."""
    t = text.strip().replace(" ", "").translate(_THAI_DIGITS)
    if not t:
        return None
    if len(t) > 24 or not _AMOUNT.match(t):
        raise ValueError("จำนวนเงินต้องเป็นตัวเลขบาท ทศนิยมไม่เกิน 2 ตำแหน่ง เช่น 15000 หรือ 15,000.50")
    satang = int((Decimal(t.replace(",", "")) * 100).to_integral_value(ROUND_HALF_UP))
    if satang > MAX_SATANG:
        raise ValueError("จำนวนเงินมากเกินไป (ไม่เกิน 10,000 ล้านบาท)")
    return satang


def baht(satang: int | None) -> str:
    """125050 -> '1,250.50'; None -> ''."""
    if satang is None:
        return ""
    return f"{Decimal(satang) / 100:,.2f}"


def baht_plain(satang: int | None) -> str:
    """125050 -> '1250.50' (for files other programs read); None -> ''."""
    return "" if satang is None else f"{Decimal(satang) / 100:.2f}"


@dataclass(frozen=True)
class ItemRoundEntry:
    item_id: uuid.UUID
    budget_plan: int | None  # satang
    budget_ordinance: int | None
    disbursed: int | None
    in_ordinance: bool
    in_operating_plan: bool
    status: RoundStatus | None
    reason: CannotReason | None
    remark: str

    def check(self) -> None:
        for name, v in (
            ("งบประมาณตามแผน", self.budget_plan),
            ("งบประมาณตามข้อบัญญัติ", self.budget_ordinance),
            ("เบิกจ่ายจริง", self.disbursed),
        ):
            if v is not None and not (0 <= v <= MAX_SATANG):
                raise InvalidEntry(f"{name} ต้องไม่ติดลบและไม่เกิน 10,000 ล้านบาท")
        if self.status is RoundStatus.CANNOT and self.reason is None:
            raise InvalidEntry(
                "เลือกเหตุผลที่ดำเนินการไม่ได้ (ไม่ได้รับงบประมาณ เปลี่ยนแปลงนโยบาย บุคลากรไม่เพียงพอ หรืออื่น ๆ)",
                item_id=str(self.item_id),
            )
        if self.status is not RoundStatus.CANNOT and self.reason is not None:
            raise InvalidEntry(
                "เหตุผลใช้เฉพาะเมื่อสถานะเป็น 'ไม่สามารถดำเนินการได้'", item_id=str(self.item_id)
            )
        if self.reason is CannotReason.OTHER and not self.remark.strip():
            raise InvalidEntry("เหตุผล 'อื่น ๆ' ต้องระบุในหมายเหตุว่าเพราะอะไร", item_id=str(self.item_id))
        if len(self.remark) > MAX_REMARK:
            raise InvalidEntry(f"หมายเหตุยาวได้ไม่เกิน {MAX_REMARK} ตัวอักษร")


@dataclass(frozen=True)
class RoundEntriesRecorded(Event):
    """The entries of ``round`` (e.g. "2568-6") of plan ``plan_id`` that changed."""

    plan_id: uuid.UUID
    round: str
    entries: tuple[ItemRoundEntry, ...]
    recorded_at: datetime


ROUND_ENTRY_EVENTS: tuple[type[Event], ...] = (RoundEntriesRecorded,)


def round_sheet_id(tenant_id: uuid.UUID, plan_id: uuid.UUID, round_code: str) -> uuid.UUID:
    return uuid.uuid5(_STREAM_NAMESPACE, f"{tenant_id}:{plan_id}:{round_code}")


class RoundSheet(Aggregate):
    stream_type = "round_sheet"

    def __init__(self, id: uuid.UUID) -> None:
        super().__init__(id)
        self.entries: dict[uuid.UUID, ItemRoundEntry] = {}

    def record(
        self,
        plan_id: uuid.UUID,
        rnd: ReportingRound,
        plan_years: tuple[int, int],
        items: frozenset[uuid.UUID],
        entries: list[ItemRoundEntry],
        on: date,
        at: datetime,
    ) -> int:
        """Record the entries that changed; the number recorded."""
        first, last = plan_years
        if not first <= rnd.fiscal_year <= last:
            raise InvalidEntry(
                f"รอบ {rnd.code} ไม่อยู่ในปีงบประมาณของแผน ({first}–{last})", round=rnd.code
            )
        if on < rnd.start:
            raise InvalidEntry(f"รอบ {rnd.code} ยังไม่เริ่ม", round=rnd.code)
        changed = []
        for e in entries:
            if e.item_id not in items:
                raise InvalidEntry("ไม่พบรายการนี้ในแผน", item_id=str(e.item_id))
            e.check()
            if self.entries.get(e.item_id) != e:
                changed.append(e)
        if changed:
            self._record(RoundEntriesRecorded(plan_id, rnd.code, tuple(changed), at))
        return len(changed)

    def _on_RoundEntriesRecorded(self, e: RoundEntriesRecorded) -> None:
        for entry in e.entries:
            self.entries[entry.item_id] = entry


# Implementation rates, coloured as e-PlanNACC colours them.
THRESHOLDS: dict[RoundKind, tuple[Decimal, Decimal]] = {
    RoundKind.SIX_MONTH: (Decimal(50), Decimal(20)),  # green at 50 % and above, red below 20 %
    RoundKind.TWELVE_MONTH: (Decimal(80), Decimal(50)),
}


@dataclass(frozen=True)
class Rate:
    percent: Decimal  # one decimal
    level: str  # "good" | "fair" | "poor"
    implemented: int
    total: int

    @property
    def thai(self) -> str:
        return {"good": "ผ่านเกณฑ์", "fair": "ต้องเร่งรัด", "poor": "ต่ำกว่าเกณฑ์"}[self.level]


def rate_level(kind: RoundKind, percent: Decimal) -> str:
    good, poor = THRESHOLDS[kind]
    if percent >= good:
        return "good"
    if percent < poor:
        return "poor"
    return "fair"


def implementation_rate(kind: RoundKind, statuses: list[RoundStatus | None]) -> Rate:
    """The share of the round's items carried out (in progress or done) of all its items."""
    total = len(statuses)
    implemented = sum(s in (RoundStatus.IN_PROGRESS, RoundStatus.DONE) for s in statuses)
    percent = (
        (Decimal(implemented) * 100 / total).quantize(Decimal("0.1"), ROUND_HALF_UP)
        if total
        else Decimal(0)
    )
    return Rate(percent, rate_level(kind, percent), implemented, total)


def missing(kind: RoundKind, entries: list[tuple[str, ItemRoundEntry | None]]) -> list[str]:
    """What a round's report still lacks, one Thai sentence each (empty: complete). ``entries``
    is every item of the round as (number, its entry or None)."""
    out = []
    for number, e in entries:
        if e is None or e.status is None:
            out.append(f"รายการ {number}: ยังไม่ระบุสถานะการดำเนินงาน")
            continue
        if kind is RoundKind.TWELVE_MONTH and e.status is RoundStatus.IN_PROGRESS:
            out.append(
                f"รายการ {number}: รอบ 12 เดือนต้องระบุว่าดำเนินการแล้วหรือดำเนินการไม่ได้ (พร้อมเหตุผล)"
            )
        if e.disbursed is not None and e.budget_ordinance is None:
            out.append(f"รายการ {number}: มีเบิกจ่ายแต่ไม่ได้ระบุงบประมาณตามข้อบัญญัติ")
    return out


def round_part(
    kind: RoundKind, items: list[tuple[str, ItemRoundEntry | None]]
) -> tuple[Rate, dict[RoundStatus, int], list[str]]:
    """A round's rate, count per status and what it lacks, for the items (number, entry)."""
    statuses = [e.status if e else None for _, e in items]
    counts = {s: sum(x is s for x in statuses) for s in RoundStatus}
    return implementation_rate(kind, statuses), counts, missing(kind, items)


def report_lacks(report: ProgressReport) -> list[str]:
    """What keeps a round's report from being submitted, one Thai sentence each: a plan that
    covers the round's fiscal year, promulgated, with items in that year, and every item's
    round entry complete (``missing``)."""
    fy = report.round.fiscal_year
    if report.plan is None:
        return [f"ไม่มีแผนปฏิบัติการป้องกันการทุจริตที่ครอบคลุมปีงบประมาณ {fy}: เพิ่มหรือนำเข้าแผนก่อนส่งรายงาน"]
    out = []
    if report.plan.promulgated_on is None:
        out.append("แผนยังไม่ได้ประกาศใช้: ผู้บริหารต้องประกาศใช้แผนก่อนส่งรายงาน")
    if not report.items:
        out.append(f"แผนไม่มีโครงการ/กิจกรรม/มาตรการในปีงบประมาณ {fy}")
    if report.round_part is not None:
        out.extend(report.round_part.lacking)
    return out
