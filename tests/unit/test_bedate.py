"""Days typed and read in the Buddhist Era; CE years recognised and explained."""

from __future__ import annotations

import doctest
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.shared import bedate
from domain.shared.bedate import (
    BeYearWhereCe,
    CeYearWhereBe,
    InvalidDay,
    be_day,
    be_day_from_parts,
    be_numeric,
    be_parts,
    days_late_text,
    iso_day,
    parse_be_day,
)

END_OF_MARCH = date(2027, 3, 31)


def test_the_module_examples_hold() -> None:
    assert doctest.testmod(bedate).failed == 0


@pytest.mark.parametrize(
    "typed",
    [
        "31/3/2570",
        "31/03/2570",
        " 31 / 3 / 2570 ",
        "31-3-2570",
        "31.3.2570",
        "๓๑/๓/๒๕๗๐",
        "31 มี.ค. 2570",
        "31 มี.ค.2570",
        "31 มีนาคม 2570",
        "31 มีนาคม พ.ศ. 2570",
        "๓๑ มีนาคม ๒๕๗๐",
        "31 มี.ค. 70",
        "2570-03-31",
    ],
)
def test_a_day_typed_as_day_month_be_year(typed: str) -> None:
    assert parse_be_day(typed) == END_OF_MARCH


def test_three_separate_fields() -> None:
    assert be_day_from_parts("31", "3", "2570") == END_OF_MARCH
    assert be_day_from_parts("๓๑", "มีนาคม", "๒๕๗๐") == END_OF_MARCH
    assert be_day_from_parts("1", "ต.ค.", "2569") == date(2026, 10, 1)
    with pytest.raises(InvalidDay, match="กรุณากรอกเดือน"):
        be_day_from_parts("31", "", "2570")


def test_a_ce_year_where_be_is_expected_is_explained() -> None:
    with pytest.raises(CeYearWhereBe) as e:
        parse_be_day("31/3/2027")
    assert e.value.message.startswith("ปี 2027 เป็นปี ค.ศ. หมายถึง พ.ศ. 2570 ใช่ไหม")
    assert e.value.details["be_year"] == 2570
    with pytest.raises(CeYearWhereBe, match=r"พ\.ศ\. 2570"):
        parse_be_day("2027-03-31")  # ISO order, CE year, in a BE field


def test_a_be_year_where_the_api_expects_iso_is_explained() -> None:
    assert iso_day("2027-03-31") == END_OF_MARCH
    with pytest.raises(BeYearWhereCe) as e:
        iso_day("2570-03-31")
    assert "ปี 2570 เป็นปี พ.ศ. หมายถึง ค.ศ. 2027" in e.value.message
    assert "2027-03-31" in e.value.message
    with pytest.raises(InvalidDay):
        iso_day("31/03/2027")


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("", "กรุณากรอกวันที่"),
        ("31/13/2570", "เดือน 13 ไม่มี"),
        ("30/2/2570", "ไม่มีวันที่ 30 กุมภาพันธ์ 2570"),
        ("31 มีน 2570", "ไม่รู้จักเดือน"),
        ("31/3/3570", "ปี พ.ศ. 3570 ไม่ถูกต้อง"),
        ("เมื่อวาน", "อ่านวันที่ 'เมื่อวาน' ไม่ได้"),
    ],
)
def test_what_cannot_be_read_says_why_and_how(typed: str, says: str) -> None:
    with pytest.raises(InvalidDay) as e:
        parse_be_day(typed)
    assert says in e.value.message
    if typed == "เมื่อวาน" or not typed:
        assert "31/03/2570" in e.value.message  # the example of what to type


def test_leap_day_of_a_be_year() -> None:
    assert parse_be_day("29/2/2567") == date(2024, 2, 29)
    with pytest.raises(InvalidDay):
        parse_be_day("29/2/2569")


def test_days_for_people() -> None:
    assert be_day(END_OF_MARCH) == "31 มี.ค. 2570"
    assert be_day(END_OF_MARCH, full=True) == "31 มีนาคม 2570"
    assert be_day(date(2026, 10, 1), numerals=True) == "๑ ต.ค. ๒๕๖๙"
    assert be_numeric(date(2026, 10, 1)) == "01/10/2569"
    assert be_parts(END_OF_MARCH) == (31, 3, 2570)
    assert days_late_text(12) == "เสร็จล่าช้า 12 วัน"
    assert days_late_text(0) == ""


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2150, 12, 31)))
def test_what_is_shown_reads_back(on: date) -> None:
    assert parse_be_day(be_numeric(on)) == on
    assert parse_be_day(be_day(on)) == on
    assert parse_be_day(be_day(on, full=True, numerals=True)) == on
    assert be_day_from_parts(*(str(p) for p in be_parts(on))) == on
