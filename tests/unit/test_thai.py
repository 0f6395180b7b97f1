"""Thai digits, Buddhist Era dates, month names, baht amounts and words."""

from __future__ import annotations

import doctest
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.shared import thai
from domain.shared.thai import (
    MONTHS,
    MONTHS_SHORT,
    arabic_digits,
    baht,
    baht_text,
    fiscal_year,
    fiscal_year_label,
    grouped,
    number_text,
    plain_number,
    thai_date,
    thai_datetime,
    thai_digits,
    thai_month_year,
)


def test_the_module_examples_hold() -> None:
    assert doctest.testmod(thai).failed == 0


def test_dates_in_the_buddhist_era() -> None:
    assert thai_date(date(2025, 3, 31)) == "31 มีนาคม 2568"
    assert thai_date(date(2025, 3, 31), short=True) == "31 มี.ค. 68"
    assert thai_date(date(2017, 10, 1), numerals=True) == "๑ ตุลาคม ๒๕๖๐"
    assert thai_date(date(2000, 1, 5), short=True) == "5 ม.ค. 43"
    assert thai_date(date(2457, 6, 9), short=True) == "9 มิ.ย. 00"  # BE 3000
    assert thai_month_year(date(2018, 9, 30), numerals=True) == "กันยายน ๒๕๖๑"


def test_twelve_months_each_named_once() -> None:
    assert len(set(MONTHS)) == len(set(MONTHS_SHORT)) == 12
    assert [thai_date(date(2024, m, 1)).split()[1] for m in range(1, 13)] == list(MONTHS)
    assert MONTHS_SHORT[1] == "ก.พ." and MONTHS[10] == "พฤศจิกายน"


def test_times_are_told_in_bangkok() -> None:
    at = datetime(2025, 3, 31, 17, 5, tzinfo=UTC)  # 00:05 on 1 April in Bangkok
    assert thai_datetime(at) == "1 เมษายน 2568 เวลา 00.05 น."
    assert thai_datetime(at, numerals=True) == "๑ เมษายน ๒๕๖๘ เวลา ๐๐.๐๕ น."


def test_fiscal_years() -> None:
    assert fiscal_year(date(2017, 10, 1)) == 2561
    assert fiscal_year(date(2018, 9, 30)) == 2561
    assert fiscal_year_label(2561, numerals=True) == "ปีงบประมาณ พ.ศ. ๒๕๖๑"


def test_digits_both_ways() -> None:
    assert thai_digits("2.1.10") == "๒.๑.๑๐"
    assert arabic_digits("๒.๑.๑๐ ปี ๒๕๖๑") == "2.1.10 ปี 2561"


@given(st.text())
def test_digit_conversion_round_trips(text: str) -> None:
    assert arabic_digits(thai_digits(arabic_digits(text))) == arabic_digits(text)


def test_numbers_and_amounts() -> None:
    assert grouped(1234567) == "1,234,567"
    assert grouped(Decimal("1234.565"), places=2) == "1,234.57"  # half up, not to even
    assert grouped(Decimal("0.125"), places=2) == "0.13"
    assert baht(Decimal("1234.5")) == "1,234.50 บาท"
    assert baht(20000, numerals=True) == "๒๐,๐๐๐.๐๐ บาท"
    assert plain_number(Decimal("80.00")) == "80"
    assert plain_number(Decimal("12.50")) == "12.5"
    assert plain_number(Decimal("1E+2")) == "100"
    assert plain_number(Decimal("-0.0")) == "0"
    assert plain_number(Decimal("7"), numerals=True) == "๗"


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "ศูนย์"),
        (1, "หนึ่ง"),
        (10, "สิบ"),
        (11, "สิบเอ็ด"),
        (21, "ยี่สิบเอ็ด"),
        (101, "หนึ่งร้อยเอ็ด"),
        (120, "หนึ่งร้อยยี่สิบ"),
        (2_000, "สองพัน"),
        (15_000, "หนึ่งหมื่นห้าพัน"),
        (1_000_000, "หนึ่งล้าน"),
        (1_000_001, "หนึ่งล้านหนึ่ง"),
        (11_000_000, "สิบเอ็ดล้าน"),
        (21_500_021, "ยี่สิบเอ็ดล้านห้าแสนยี่สิบเอ็ด"),
        (1_000_000_000_000, "หนึ่งล้านล้าน"),
    ],
)
def test_numbers_in_words(n: int, words: str) -> None:
    assert number_text(n) == words


def test_amounts_in_words() -> None:
    assert baht_text(Decimal("100")) == "หนึ่งร้อยบาทถ้วน"
    assert baht_text(Decimal("0")) == "ศูนย์บาทถ้วน"
    assert baht_text(Decimal("0.50")) == "ห้าสิบสตางค์"
    assert baht_text(Decimal("20000.25")) == "สองหมื่นบาทยี่สิบห้าสตางค์"
    assert baht_text(Decimal("1.005")) == "หนึ่งบาทหนึ่งสตางค์"  # rounded half up
    with pytest.raises(ValueError):
        baht_text(Decimal("-1"))
    with pytest.raises(ValueError):
        number_text(-1)
