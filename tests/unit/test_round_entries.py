"""Round reporting per item: amounts to the satang and bounded, status with its coded reason,
the round within the plan's years, only changes recorded, implementation rates coloured at the
national thresholds, what a report still lacks."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from domain.registry import event_data, event_from
from domain.reporting.entries import (
    MAX_SATANG,
    CannotReason,
    InvalidEntry,
    ItemRoundEntry,
    RoundEntriesRecorded,
    RoundSheet,
    RoundStatus,
    baht,
    implementation_rate,
    missing,
    parse_baht,
    rate_level,
)
from domain.reporting.rounds import ReportingRound, RoundKind
from infra.eventstore.canonical import dumps, normalise

AT = datetime(2026, 4, 2, 3, 0, tzinfo=UTC)
ITEM = uuid.uuid4()
PLAN = uuid.uuid4()


def entry(**kw: object) -> ItemRoundEntry:
    base = ItemRoundEntry(ITEM, 1_000_000, 800_000, 750_050, True, True, RoundStatus.DONE, None, "")
    return replace(base, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "satang"),
    [
        ("", None),
        ("0", 0),
        ("15000", 1_500_000),
        ("15,000.5", 1_500_050),
        ("1,250.50", 125_050),
        ("๑๐๐", 10_000),
    ],
)
def test_amounts_are_baht_to_the_satang(text: str, satang: int | None) -> None:
    assert parse_baht(text) == satang


@pytest.mark.parametrize(
    "text", ["-1", "1e3", "nan", "inf", "1.005", "1,00", "abc", "99999999999", "9" * 40]
)
def test_other_amounts_are_refused_in_thai(text: str) -> None:
    with pytest.raises(ValueError, match="จำนวนเงิน"):
        parse_baht(text)


def test_the_largest_amount_is_bounded() -> None:
    assert parse_baht("10,000,000,000.00") == MAX_SATANG
    assert baht(125_050) == "1,250.50" and baht(None) == ""


def test_cannot_needs_a_reason_and_other_a_remark() -> None:
    with pytest.raises(InvalidEntry, match="เลือกเหตุผล"):
        entry(status=RoundStatus.CANNOT).check()
    with pytest.raises(InvalidEntry, match="อื่น ๆ"):
        entry(status=RoundStatus.CANNOT, reason=CannotReason.OTHER).check()
    with pytest.raises(InvalidEntry, match="เฉพาะเมื่อ"):
        entry(reason=CannotReason.NO_BUDGET).check()
    entry(status=RoundStatus.CANNOT, reason=CannotReason.OTHER, remark="น้ำท่วม").check()
    with pytest.raises(InvalidEntry):
        entry(disbursed=-1).check()


def test_a_round_of_the_plans_years_records_only_changes() -> None:
    sheet = RoundSheet(uuid.uuid4())
    rnd = ReportingRound.parse("2562-6")
    items = frozenset({ITEM})
    on = date(2019, 4, 2)
    assert sheet.record(PLAN, rnd, (2561, 2564), items, [entry()], on, AT) == 1
    assert sheet.record(PLAN, rnd, (2561, 2564), items, [entry()], on, AT) == 0
    assert len(sheet.pending()) == 1
    assert sheet.entries[ITEM].disbursed == 750_050
    with pytest.raises(InvalidEntry, match="ไม่อยู่ในปีงบประมาณ"):
        sheet.record(PLAN, ReportingRound.parse("2565-6"), (2561, 2564), items, [], on, AT)
    with pytest.raises(InvalidEntry, match="ยังไม่เริ่ม"):
        sheet.record(PLAN, ReportingRound.parse("2563-6"), (2561, 2564), items, [], on, AT)
    with pytest.raises(InvalidEntry, match="ไม่พบรายการ"):
        sheet.record(PLAN, rnd, (2561, 2564), items, [entry(item_id=uuid.uuid4())], on, AT)


def test_the_event_round_trips_through_the_store_encoding() -> None:
    e = RoundEntriesRecorded(PLAN, "2562-12", (entry(), entry(status=None, disbursed=None)), AT)
    stored = json.loads(dumps(normalise(event_data(e))))
    assert event_from("RoundEntriesRecorded", stored) == e


@pytest.mark.parametrize(
    ("kind", "percent", "level"),
    [
        (RoundKind.SIX_MONTH, "50", "good"),
        (RoundKind.SIX_MONTH, "49.9", "fair"),
        (RoundKind.SIX_MONTH, "20", "fair"),
        (RoundKind.SIX_MONTH, "19.9", "poor"),
        (RoundKind.TWELVE_MONTH, "80", "good"),
        (RoundKind.TWELVE_MONTH, "79.9", "fair"),
        (RoundKind.TWELVE_MONTH, "50", "fair"),
        (RoundKind.TWELVE_MONTH, "49.9", "poor"),
    ],
)
def test_rates_are_coloured_at_the_national_thresholds(
    kind: RoundKind, percent: str, level: str
) -> None:
    assert rate_level(kind, Decimal(percent)) == level


def test_the_rate_counts_items_carried_out() -> None:
    s = [RoundStatus.DONE, RoundStatus.IN_PROGRESS, RoundStatus.CANNOT, None]
    rate = implementation_rate(RoundKind.SIX_MONTH, s)
    assert (rate.percent, rate.level, rate.implemented, rate.total) == (Decimal(50), "good", 2, 4)
    twelve = implementation_rate(RoundKind.TWELVE_MONTH, s)
    assert twelve.level == "fair" and twelve.thai == "ต้องเร่งรัด"
    assert implementation_rate(RoundKind.TWELVE_MONTH, []).percent == 0


def test_what_a_report_lacks_is_listed() -> None:
    assert missing(RoundKind.SIX_MONTH, [("1.1.1", entry(status=RoundStatus.IN_PROGRESS))]) == []
    lacks = missing(
        RoundKind.TWELVE_MONTH,
        [
            ("1.1.1", None),
            ("1.1.2", entry(status=RoundStatus.IN_PROGRESS)),
            ("1.1.3", entry(budget_ordinance=None)),
        ],
    )
    assert len(lacks) == 3
    assert lacks[0].startswith("รายการ 1.1.1") and "12 เดือน" in lacks[1]
