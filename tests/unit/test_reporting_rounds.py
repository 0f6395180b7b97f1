"""Reporting rounds: periods, due dates, codes."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.reporting.rounds import (
    ReportingRound,
    RoundKind,
    current_round,
    last_closed_round,
    rounds_of,
    six_month,
    twelve_month,
)
from domain.shared.fiscal import YearSpan, fiscal_year


def test_the_six_month_round_is_october_to_march() -> None:
    r = six_month(2568)
    assert (r.start, r.end) == (date(2024, 10, 1), date(2025, 3, 31))
    assert r.due() == date(2025, 4, 30)
    assert r.due(months_to_report=2) == date(2025, 5, 31)
    assert str(r) == "ปีงบประมาณ 2568 รอบ 6 เดือน" and r.code == "2568-6"


def test_the_twelve_month_round_is_the_fiscal_year() -> None:
    r = twelve_month(2561)
    assert (r.start, r.end) == (date(2017, 10, 1), date(2018, 9, 30))
    assert r.due() == date(2018, 10, 31)
    assert r.due(months_to_report=4) == date(2019, 1, 31)  # across the calendar year
    assert r.kind.thai == "รอบ 12 เดือน" and r.kind.months == 12
    assert date(2018, 9, 30) in r and date(2018, 10, 1) not in r and "x" not in r


def test_a_leap_february_closes_on_the_29th() -> None:
    assert six_month(2567).due(months_to_report=11) == date(2025, 2, 28)
    assert twelve_month(2566).due(months_to_report=5) == date(2024, 2, 29)


def test_codes_round_trip_and_bad_ones_are_refused() -> None:
    for r in (six_month(2561), twelve_month(2570)):
        assert ReportingRound.parse(r.code) == r
    for bad in ("2561", "2561-3", "61-6", "2561-06 x"):
        with pytest.raises(ValueError):
            ReportingRound.parse(bad)
    with pytest.raises(ValueError):
        ReportingRound(1999, RoundKind.SIX_MONTH)  # a CE year is no fiscal year


def test_a_plan_has_two_rounds_a_year_in_closing_order() -> None:
    rounds = rounds_of(YearSpan(2561, 2564))
    assert [r.code for r in rounds[:3]] == ["2561-6", "2561-12", "2562-6"]
    assert len(rounds) == 8
    assert rounds == sorted(rounds, key=lambda r: r.end)
    assert rounds == sorted(rounds, key=lambda r: r.sort_key)


def test_current_and_last_closed_rounds() -> None:
    assert current_round(date(2025, 3, 31)) == six_month(2568)
    assert current_round(date(2025, 4, 1)) == twelve_month(2568)
    assert last_closed_round(date(2025, 4, 1)) == six_month(2568)
    assert last_closed_round(date(2025, 3, 31)) == twelve_month(2567)
    assert last_closed_round(date(2024, 10, 1)) == twelve_month(2567)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2150, 12, 31)))
def test_every_day_is_in_its_current_round_after_the_last_closed_one(on: date) -> None:
    now, last = current_round(on), last_closed_round(on)
    assert on in now and now.fiscal_year == fiscal_year(on)
    assert last.end < on <= now.end
    assert last.sort_key < now.sort_key
