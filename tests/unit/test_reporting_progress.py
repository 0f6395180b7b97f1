"""The progress report of a round, given the events of a plan, its items and a declaration."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from domain.declarations.declaration import (
    Channel,
    Declaration,
    DeclarationAnnounced,
    DeclarationDrafted,
    DeclarationPublished,
    declaration_view,
)
from domain.plans.events import (
    BudgetSet,
    IndicatorResultRecorded,
    ItemHeadingsEdited,
    NoBudgetDeclared,
    OutcomeIndicatorDefined,
    OutputIndicatorDefined,
    PlanDrafted,
    PlanPromulgated,
    StepCompleted,
    StepScheduled,
    StepStarted,
)
from domain.plans.item import Item
from domain.plans.plan import Plan
from domain.plans.rounds import TEMPLATE_2561
from domain.plans.values import Comparator, Evidence, ItemKind, OutcomeIndicator, OutputIndicator
from domain.plans.views import item_sheet, plan_summary, sheet_of
from domain.reporting.digest import content_hash
from domain.reporting.model import Attainment, Organisation, ProgressReport, StepState
from domain.reporting.progress import counted_by_year, plan_for, progress_report
from domain.reporting.rounds import ReportingRound, six_month, twelve_month
from domain.shared.messages import Event

ORG = Organisation("6470101", "องค์การบริหารส่วนตำบลพังขว้าง", "เมืองสกลนคร", "สกลนคร")
PLAN = uuid.UUID(int=1)
PDF = Evidence.file("คำสั่งแต่งตั้งคณะทำงาน.pdf", "b" * 64, "application/pdf", 2048)
LINK = Evidence.link("https://example.go.th/ita", "หน้าเว็บไซต์ ITA")


def _id(n: int) -> uuid.UUID:
    return uuid.UUID(int=100 + n)


def _sheet(n: int, number: str, kind: ItemKind, events: list[Event]) -> dict:  # type: ignore[type-arg]
    plan = Plan.replay(PLAN, [PlanDrafted("แผน", 2561, 2564, TEMPLATE_2561)])
    plan.add_item(_id(n), number, kind, f"รายการ {number}")
    item = Item.replay(_id(n), events)
    return {**sheet_of(plan.items[_id(n)], item_sheet(item)), "plan_id": str(PLAN)}


STEPS_211: list[Event] = [
    ItemHeadingsEdited(fiscal_years=(2561, 2562, 2563, 2564), responsible_unit="งานกฎหมายและคดี"),
    NoBudgetDeclared(),
    StepScheduled("6.1", "ประกาศเจตจำนง", date(2017, 10, 6), None, ("นายก",)),
    StepScheduled("6.3", "จัดตั้งคณะทำงาน", date(2017, 11, 15), None, ()),
    StepScheduled("6.10", "รายงานผล", date(2018, 9, 30), None, ()),
    StepScheduled("6.9", "ประชุมติดตามผล", None, 2561, ()),
    StepScheduled("6.2", "ประชุมหน่วยงาน", date(2018, 3, 31), None, ()),
    StepScheduled("6.4", "ดำเนินการตามแผน", None, 2564, ()),
    StepCompleted("6.1", date(2017, 10, 2), "", ()),
    StepCompleted("6.3", date(2017, 10, 13), "เร็วกว่ากำหนด", (PDF,)),
    StepCompleted("6.10", date(2018, 10, 5), "ส่งช้า", ()),  # after the FY 2561 round
    StepStarted("6.4", date(2018, 1, 10)),
    OutputIndicatorDefined(
        OutputIndicator(
            "o1", "มีประกาศเจตจำนง", Comparator.AT_LEAST, Decimal(1), "ฉบับ", "declarations_published"
        )
    ),
    OutputIndicatorDefined(OutputIndicator("o2", "ผู้เข้าร่วม", Comparator.AT_LEAST, Decimal(80), "%")),
    OutputIndicatorDefined(OutputIndicator("o3", "จัดอบรม", Comparator.EXACTLY, Decimal(1), "ครั้ง")),
    IndicatorResultRecorded("o2", 2561, Decimal("85.5"), "", (LINK,)),
    OutcomeIndicatorDefined(OutcomeIndicator("c1", "ลดข้อร้องเรียน", "complaints_received")),
    OutcomeIndicatorDefined(OutcomeIndicator("c2", "โปร่งใส")),
]
STEPS_111: list[Event] = [
    ItemHeadingsEdited(fiscal_years=(2561, 2562)),
    BudgetSet({2561: Decimal("20000.00"), 2562: Decimal("15000.50")}),
    StepScheduled("6.1", "จัดอบรม", date(2018, 2, 28), None, ()),
    StepCompleted("6.1", date(2018, 2, 20), "", ()),
]
ONLY_2563: list[Event] = [ItemHeadingsEdited(fiscal_years=(2563,)), NoBudgetDeclared()]
SHEETS = [
    _sheet(1, "2.1.1", ItemKind.ACTIVITY, STEPS_211),
    _sheet(2, "1.1.1", ItemKind.PROJECT, STEPS_111),
    _sheet(3, "1.1.10", ItemKind.MEASURE, []),
    _sheet(4, "1.1.9", ItemKind.MEASURE, []),
    _sheet(5, "3.1.1", ItemKind.MEASURE, ONLY_2563),
]


def _plan(promulgated: date | None = date(2017, 10, 31)) -> dict:  # type: ignore[type-arg]
    events: list[Event] = [PlanDrafted("แผนปฏิบัติการป้องกันการทุจริต ๔ ปี", 2561, 2564, TEMPLATE_2561)]
    if promulgated:
        events.append(PlanPromulgated(promulgated, "นายก อบต.", None))
    return plan_summary(Plan.replay(PLAN, events))


DECLARATION = declaration_view(
    Declaration.replay(
        uuid.UUID(int=9),
        [
            DeclarationDrafted("ข้าพเจ้าขอประกาศเจตจำนง", ("นายก อบต.",)),
            DeclarationPublished(date(2017, 10, 2), PDF),
            DeclarationAnnounced(Channel.NOTICE_BOARD, date(2017, 10, 3), "บอร์ด", ()),
            DeclarationAnnounced(Channel.WEBSITE, date(2017, 10, 2), "เว็บไซต์", (LINK,)),
            DeclarationAnnounced(Channel.WEBSITE, date(2018, 5, 1), "ซ้ำ", ()),
        ],
    )
)
MEASURED = {
    "declarations_published": [date(2017, 10, 2)],
    "complaints_received": [
        date(2016, 11, 1),
        date(2017, 3, 1),
        date(2017, 5, 1),
        date(2017, 11, 14),
        date(2018, 6, 19),
    ],
}


FY2561 = twelve_month(2561)
TODAY = date(2026, 11, 28)


def _report(rnd: ReportingRound = FY2561, as_of: date = TODAY, **kw: Any) -> ProgressReport:
    args = {
        "plans": [_plan()],
        "sheets": SHEETS,
        "declarations": [DECLARATION],
        "measured": MEASURED,
    }
    return progress_report(ORG, rnd, as_of, **{**args, **kw})


def test_items_of_the_year_in_numeric_order() -> None:
    r = _report()
    assert [i.number for i in r.items] == ["1.1.1", "1.1.9", "1.1.10", "2.1.1"]  # 3.1.1: FY 2563
    assert [s.number for s in r.items[3].steps] == ["6.1", "6.2", "6.3", "6.4", "6.9", "6.10"]


def test_step_states_at_the_end_of_the_twelve_month_round() -> None:
    r = _report()
    states = {s.number: s.state for s in r.items[3].steps}
    assert states == {
        "6.1": StepState.DONE,
        "6.2": StepState.OVERDUE,
        "6.3": StepState.DONE,
        "6.4": StepState.IN_PROGRESS,  # started, due in FY 2564
        "6.9": StepState.OVERDUE,  # due by the end of FY 2561, the round's last day
        "6.10": StepState.OVERDUE,  # completed only after the round
    }
    late = next(s for s in r.items[3].steps if s.number == "6.10")
    assert late.completed_on is None and late.note == ""
    assert (r.steps_total, r.steps_done, r.overdue) == (7, 3, 3)
    assert r.percent_done == Decimal("42.86")


def test_step_states_in_the_next_fiscal_year() -> None:
    r = _report(six_month(2562))
    states = {s.number: s.state for s in r.items[3].steps}
    assert states["6.1"] is StepState.DONE_EARLIER and states["6.10"] is StepState.DONE
    assert r.items[3].steps_done_in_round == 1 and r.items[3].steps_done == 3


def test_an_open_round_judges_deadlines_on_the_as_of_date() -> None:
    r = _report(six_month(2561), as_of=date(2017, 11, 15))
    states = {s.number: s.state for s in r.items[-1].steps}
    assert states["6.2"] is StepState.NOT_DUE
    assert states["6.3"] is StepState.DONE  # completed 13 November
    r = _report(six_month(2561), as_of=date(2018, 3, 31))  # the round's last day: closed
    assert {s.number: s.state for s in r.items[-1].steps}["6.2"] is StepState.OVERDUE
    with pytest.raises(ValueError):
        _report(six_month(2561), as_of=date(2017, 9, 30))


def test_indicators_of_the_round() -> None:
    outputs = {o.indicator_id: o for o in _report().items[3].outputs}
    assert outputs["o1"].value == 1 and outputs["o1"].source == "counted"
    assert outputs["o1"].attainment is Attainment.MET
    assert outputs["o2"].value == Decimal("85.5") and outputs["o2"].source == "recorded"
    # Nothing recorded for a year that is over: "ยังไม่บันทึก", not "ไม่บรรลุ".
    assert outputs["o3"].value is None and outputs["o3"].attainment is Attainment.NOT_RECORDED
    assert outputs["o2"].target_text == "ไม่น้อยกว่าร้อยละ 80"
    assert outputs["o3"].target_text == "จำนวน 1 ครั้ง"
    half = {o.indicator_id: o for o in _report(six_month(2561)).items[3].outputs}
    assert half["o3"].attainment is Attainment.NOT_YET
    outcomes = {o.indicator_id: o for o in _report().items[3].outcomes}
    assert (outcomes["c1"].value, outcomes["c1"].previous) == (2, 3)  # FY 2561 vs FY 2560
    assert (outcomes["c2"].value, outcomes["c2"].previous) == (None, None)
    half = {o.indicator_id: o for o in _report(six_month(2561)).items[3].outcomes}
    assert (half["c1"].value, half["c1"].previous) == (1, 2)  # Oct-Mar against Oct-Mar


def test_budgets_and_the_summary_table() -> None:
    r = _report(twelve_month(2562))
    budget = {i.number: (i.no_budget, i.budget) for i in r.items}
    assert budget["1.1.1"] == (False, Decimal("15000.50")) and budget["2.1.1"] == (True, None)
    assert [d.number for d in r.dimensions] == [1, 2, 3, 4]
    one = r.dimensions[0]
    assert (one.items, one.budget, one.steps_total, one.steps_done) == (
        3,
        Decimal("15000.50"),
        1,
        1,
    )
    assert r.dimensions[2].items == 0 and r.dimensions[2].percent_done == 0
    assert r.budget == Decimal("15000.50")
    assert r.dimensions[1].sub_items[0].title.startswith("แสดงเจตจำนงทางการเมือง")


def test_the_plan_and_declaration_as_they_stood() -> None:
    early = _report(six_month(2561), as_of=date(2017, 10, 20))
    assert early.plan is not None and early.plan.promulgated_on is None
    assert early.declaration is not None and early.declaration.published_on == date(2017, 10, 2)
    assert [a.channel for a in early.declaration.announcements] == ["website", "notice_board"]
    late = _report(twelve_month(2561))
    assert late.plan is not None and late.plan.promulgated_on == date(2017, 10, 31)
    assert late.declaration is not None and len(late.declaration.announcements) == 3
    before = _report(six_month(2561), as_of=date(2017, 10, 1))
    assert before.declaration is not None and before.declaration.published_on is None
    assert before.declaration.announcements == ()
    assert _report(declarations=[]).declaration is None


def test_evidence_cited_in_the_round() -> None:
    r = _report()
    assert [(e.item_number, e.context, e.name) for e in r.evidence] == [
        ("2.1.1", "ขั้นตอนที่ 6.3", "คำสั่งแต่งตั้งคณะทำงาน.pdf"),
        ("2.1.1", "ผลตัวชี้วัด", "หน้าเว็บไซต์ ITA"),
        ("", "ประกาศเจตจำนง", "คำสั่งแต่งตั้งคณะทำงาน.pdf"),
        ("", "การประกาศต่อสาธารณชน", "หน้าเว็บไซต์ ITA"),
    ]
    assert r.evidence[1].url == "https://example.go.th/ita" and r.evidence[0].size == 2048
    assert _report(six_month(2562)).evidence == ()


def test_no_plan_for_the_year() -> None:
    r = _report(twelve_month(2566), as_of=date(2023, 9, 30))
    assert r.plan is None and r.items == () and r.dimensions == () and r.percent_done == 0


def test_the_latest_plan_covering_the_year_is_reported() -> None:
    later = {**_plan(), "plan_id": str(uuid.UUID(int=2)), "first_year": 2564, "last_year": 2568}
    assert plan_for([_plan(), later], 2564) == later
    assert plan_for([_plan(), later], 2561) == _plan()
    assert plan_for([_plan()], 2565) is None
    assert (
        _report(twelve_month(2564), plans=[_plan(), later]).items == ()
    )  # items are the old plan's


def test_counting_by_fiscal_year() -> None:
    assert counted_by_year(MEASURED, date(2018, 1, 1)) == {
        "declarations_published": {2561: 1},
        "complaints_received": {2560: 3, 2561: 1},
    }


def test_the_same_events_give_the_same_report_and_hash() -> None:
    a, b = _report(), _report(sheets=list(reversed(SHEETS)))
    assert a == b and content_hash(a) == content_hash(b)
    assert len(content_hash(a)) == 64
    changed = _report(sheets=[{**SHEETS[0], "name": "ชื่อใหม่"}, *SHEETS[1:]])
    assert content_hash(changed) != content_hash(a)
    assert content_hash(replace(a, as_of=date(2026, 11, 29))) != content_hash(a)
