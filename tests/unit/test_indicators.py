"""Indicators that tell the truth: judged in the item's years, not recorded is not missed,
plan-level outputs counted across the plan, counts not typed, values finite and bounded."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from domain.plans.errors import (
    CountedIndicator,
    InvalidIndicator,
    MissingText,
    NotPlanOfficer,
)
from domain.plans.events import (
    BudgetSet,
    CountedResultOverridden,
    IndicatorResultRecorded,
    ItemHeadingsEdited,
    OutputIndicatorDefined,
)
from domain.plans.item import Item, PlanContext
from domain.plans.plan import Plan
from domain.plans.rounds import TEMPLATE_2561
from domain.plans.values import Comparator, OutputIndicator, parse_result
from domain.plans.views import item_sheet, overview, plan_summary, with_attainment
from domain.shared.fiscal import YearSpan
from tests.unit.gwt import ID, decide

PLAN = PlanContext(YearSpan(2566, 2570), closed=False, today=date(2026, 12, 3))
YEARS = [2566, 2567, 2568, 2569, 2570]
TODAY = date(2026, 12, 3)  # FY 2570 has begun; 2566-2569 are over
SURVEY = OutputIndicator(
    "o1", "ผู้เข้าร่วมพึงพอใจ ไม่น้อยกว่าร้อยละ 80", Comparator.AT_LEAST, Decimal(80), "%"
)
PLAN_4Y = OutputIndicator(
    "o2",
    "มีแผนปฏิบัติการป้องกันการทุจริต จำนวน 1 ฉบับ",
    Comparator.EXACTLY,
    Decimal(1),
    "ฉบับ",
    "plans_promulgated",
)
COMPLAINTS = OutputIndicator(
    "o3", "เรื่องร้องเรียน ไม่เกิน 2 เรื่อง", Comparator.AT_MOST, Decimal(2), "เรื่อง"
)
DEFINED = [OutputIndicatorDefined(SURVEY), OutputIndicatorDefined(PLAN_4Y)]


def _by_year(events: list[Any], counted: dict[str, dict[int, int]]) -> dict[str, list[str]]:
    sheet = item_sheet(Item.replay(ID, events))
    judged = with_attainment(sheet, YEARS, counted, TODAY)
    return {o["indicator_id"]: [y["attainment"] for y in o["by_year"]] for o in judged["outputs"]}


def test_judged_only_in_the_items_years_and_missed_only_when_recorded_short() -> None:
    given = [
        *DEFINED,
        ItemHeadingsEdited(fiscal_years=(2567, 2568, 2569, 2570)),
        IndicatorResultRecorded("o1", 2567, Decimal(85), "", ()),
        IndicatorResultRecorded("o1", 2568, Decimal(70), "", ()),
    ]
    assert _by_year(given, {})["o1"] == [
        "not_applicable",  # 2566: the item does not run
        "met",
        "missed",  # over, and 70 is short of 80
        "not_recorded",  # over, and nothing recorded: not "missed"
        "not_yet",  # FY 2570 is not over
    ]


def test_a_short_value_in_a_running_year_is_not_yet_missed() -> None:
    given = [*DEFINED, IndicatorResultRecorded("o1", 2570, Decimal(50), "", ())]
    assert _by_year(given, {})["o1"][-1] == "not_yet"


def test_the_plan_itself_counts_for_every_year_of_its_span() -> None:
    # Promulgated in FY 2565, before its first year, as plans are.
    counted = {"plans_promulgated": {2561: 1, 2565: 1}}
    assert _by_year(DEFINED, counted)["o2"] == ["met", "met", "met", "met", "met"]
    # The previous round's plan (FY 2561) is not counted: exactly 1, not 2.
    sheet = with_attainment(item_sheet(Item.replay(ID, DEFINED)), YEARS, counted, TODAY)
    assert [y["value"] for y in sheet["outputs"][1]["by_year"]] == ["1"] * 5
    assert {y["source"] for y in sheet["outputs"][1]["by_year"]} == {"counted"}


def test_complaints_are_counted_per_year() -> None:
    per_year = OutputIndicator(
        "o4", "ข้อร้องเรียน ไม่เกิน 2 เรื่อง", Comparator.AT_MOST, Decimal(2), "เรื่อง",
        "complaints_received",
    )  # fmt: skip
    counted = {"complaints_received": {2566: 3, 2567: 1}}
    assert _by_year([OutputIndicatorDefined(per_year)], counted)["o4"] == [
        "missed",
        "met",
        "met",
        "met",
        "met",
    ]


def test_counted_indicators_are_counted_not_typed() -> None:
    with pytest.raises(CountedIndicator, match="ระบบนับให้เอง"):
        decide(Item, DEFINED, lambda i: i.record_result(PLAN, "o2", 2566, Decimal(1)))
    # A typed value stored before this rule is not what the sheet shows.
    legacy = [*DEFINED, IndicatorResultRecorded("o2", 2566, Decimal(1), "", ())]
    sheet = with_attainment(item_sheet(Item.replay(ID, legacy)), YEARS, {}, TODAY)
    assert sheet["outputs"][1]["by_year"][0]["source"] == "counted"
    assert sheet["outputs"][1]["by_year"][0]["attainment"] == "missed"


def test_only_the_plan_officer_overrides_a_count_and_says_why() -> None:
    def override(role: str, reason: str) -> Any:
        return lambda i: i.override_count(
            PLAN, "o2", 2566, Decimal(1), reason, role=role, by="plan@phangkhwang.example"
        )

    with pytest.raises(NotPlanOfficer):
        decide(Item, DEFINED, override("staff", "ประกาศใช้ก่อนใช้ระบบ"))
    with pytest.raises(MissingText):
        decide(Item, DEFINED, override("plan_officer", " "))
    events = decide(Item, DEFINED, override("plan_officer", "ประกาศใช้ก่อนเริ่มใช้ระบบ"))
    assert events == [
        CountedResultOverridden(
            "o2", 2566, Decimal(1), "ประกาศใช้ก่อนเริ่มใช้ระบบ", "plan@phangkhwang.example"
        )
    ]
    sheet = with_attainment(item_sheet(Item.replay(ID, DEFINED + events)), YEARS, {}, TODAY)
    first = sheet["outputs"][1]["by_year"][0]
    assert (first["value"], first["source"], first["attainment"]) == ("1", "override", "met")
    assert first["override_reason"] == "ประกาศใช้ก่อนเริ่มใช้ระบบ"
    with pytest.raises(CountedIndicator):  # a recorded indicator is recorded, not overridden
        decide(Item, DEFINED, lambda i: i.record_result(PLAN, "o2", 2566, Decimal(1)))


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "1e309", "-1", "0.001"])
def test_results_are_finite_and_bounded(value: str) -> None:
    given = [OutputIndicatorDefined(COMPLAINTS)]
    with pytest.raises(InvalidIndicator):
        decide(Item, given, lambda i: i.record_result(PLAN, "o3", 2566, Decimal(value)))


def test_percentages_are_zero_to_a_hundred() -> None:
    with pytest.raises(InvalidIndicator, match="0 ถึง 100"):
        decide(Item, DEFINED, lambda i: i.record_result(PLAN, "o1", 2566, Decimal("100.5")))
    assert decide(Item, DEFINED, lambda i: i.record_result(PLAN, "o1", 2566, Decimal(100)))


@pytest.mark.parametrize("typed", ["85", "85%", " 85 % ", "ร้อยละ 85", "๘๕", "85.0"])
def test_a_percentage_is_typed_as_people_write_it(typed: str) -> None:
    assert parse_result(typed, "%") == Decimal(85)


def test_what_is_not_a_result_says_so() -> None:
    assert parse_result("1,200", "ครั้ง") == Decimal(1200)
    with pytest.raises(InvalidIndicator, match="ไม่ใช่ร้อยละ"):
        parse_result("85%", "ครั้ง")
    with pytest.raises(InvalidIndicator, match="ไม่ใช่ตัวเลข"):
        parse_result("1e309", "ครั้ง")
    with pytest.raises(InvalidIndicator, match="0 ถึง 100"):
        parse_result("120%", "%")
    with pytest.raises(InvalidIndicator):
        OutputIndicator("o9", "ก", Comparator.AT_LEAST, Decimal("Infinity"), "ครั้ง")


def test_budgets_are_shown_only_for_the_items_years() -> None:
    plan = Plan.replay(ID, [])
    plan.draft("แผน", 2566, 2570, TEMPLATE_2561)
    plan = Plan.replay(ID, plan.pending())
    item = Item.replay(
        ID,
        [
            ItemHeadingsEdited(fiscal_years=(2567, 2568)),
            BudgetSet({2567: Decimal("20000.00"), 2568: Decimal("0.00")}),
        ],
    )
    sheet = {"item_id": str(ID), "number": "1.1.1", "kind": "project", **item_sheet(item)}
    body = overview(plan_summary(plan), [sheet], TODAY)
    row = body["dimensions"][0]["sub_items"][0]["items"][0]
    assert row["budget"] == {
        "2566": None,
        "2567": "20000.00",
        "2568": "0.00",
        "2569": None,
        "2570": None,
    }
    assert body["budget_totals"]["2567"] == "20000.00"
    assert body["budget_totals"]["2566"] == "0"
