"""Plan templates as data: the rounds' catalogues and sheets, item numbers as LAOs write them,
closing and choosing plans, lengths the sheet allows."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime

import pytest

from domain.plans.errors import (
    InvalidItemNumber,
    PlanClosed,
    PlanYearsNotOver,
    TooLong,
    UnknownSubItem,
    UnknownTemplate,
)
from domain.plans.events import (
    ItemAdded,
    ItemHeadingsEdited,
    PlanDrafted,
    PlanMadeCurrent,
    PlanPromulgated,
)
from domain.plans.events import PlanClosed as PlanClosedEvent
from domain.plans.item import Item, PlanContext
from domain.plans.numbers import canonical, item_number_text, parse_item_number
from domain.plans.plan import Plan
from domain.plans.rounds import CATALOGUE_2561, CATALOGUE_2566
from domain.plans.templates import TEMPLATES, default_template, template_from_data
from domain.plans.values import ItemKind
from domain.plans.views import current_plan, plan_summary, sheet_headings, sort_key
from domain.registry import event_from
from domain.shared.fiscal import YearSpan
from domain.shared.serialization import to_data
from infra.eventstore.records import StoredEvent
from infra.eventstore.upcasting import domain_upcasters
from tests.unit.gwt import ID, decide

# The national manual's numbering (2566-2570, kept from 2561-2564): dimensions, sub-items
# and sub-sub-items.
MANUAL_NUMBERING = {
    "1": {"1.1": 3, "1.2": 3, "1.3": 3},
    "2": {"2.1": 0, "2.2": 3, "2.3": 2, "2.4": 3, "2.5": 3},
    "3": {"3.1": 3, "3.2": 3, "3.3": 3},
    "4": {"4.1": 2, "4.2": 3, "4.3": 2, "4.4": 2},
}


def test_the_2566_catalogue_follows_the_manuals_numbering() -> None:
    expected = []
    for dim, subs in MANUAL_NUMBERING.items():
        expected.append(dim)
        for sub, n in subs.items():
            expected += [sub, *(f"{sub}.{k}" for k in range(1, n + 1))]
    assert CATALOGUE_2566.numbering() == expected
    assert CATALOGUE_2561.numbering() == expected  # kept from 2561-2564


def test_dimension_2_was_renamed_in_2566() -> None:
    titles = {d.number: d.title for d in CATALOGUE_2566.dimensions}
    assert titles[2] == "การบริหารราชการด้วยความโปร่งใส"
    assert CATALOGUE_2561.dimensions[1].title == "การบริหารราชการเพื่อป้องกันการทุจริต"
    sub = CATALOGUE_2566.sub_item("2.1")
    assert sub is not None
    assert sub.title == "แสดงเจตจำนงทางการเมืองในการต่อต้านการทุจริตของผู้บริหาร"


def test_the_sheets_of_the_two_rounds() -> None:
    ten = [(h["number"], h["title"]) for h in sheet_headings("2561-2564")]
    nine = [(h["number"], h["title"]) for h in sheet_headings("2566-2570")]
    assert len(ten) == 10 and ten[4] == (5, "พื้นที่ดำเนินการ") and ten[9][1] == "ตัวชี้วัด/ผลลัพธ์"
    assert nine == [
        (1, "ชื่อโครงการ"),
        (2, "หลักการและเหตุผล"),
        (3, "วัตถุประสงค์"),
        (4, "เป้าหมาย"),
        (5, "วิธีดำเนินการ"),
        (6, "ระยะเวลาดำเนินการ"),
        (7, "งบประมาณดำเนินการ"),
        (8, "ผู้รับผิดชอบโครงการ"),
        (9, "ผลผลิต/ผลลัพธ์"),
    ]


def test_a_plan_is_drafted_from_a_template_default_the_newest() -> None:
    assert decide(Plan, [], lambda p: p.draft("แผน", 2566, 2570)) == [
        PlanDrafted("แผน", 2566, 2570, CATALOGUE_2566, "2566-2570")
    ]
    # The next round, drafted now, starts from the newest template.
    assert decide(Plan, [], lambda p: p.draft("แผน", 2571, 2575))[0].template_id == "2566-2570"  # type: ignore[attr-defined]
    chosen = decide(Plan, [], lambda p: p.draft("แผน", 2566, 2570, template_id="2561-2564"))
    assert chosen == [PlanDrafted("แผน", 2566, 2570, CATALOGUE_2561, "2561-2564")]
    with pytest.raises(UnknownTemplate, match="2566-2570"):
        decide(Plan, [], lambda p: p.draft("แผน", 2566, 2570, template_id="2599"))
    assert default_template(2561).template_id == "2561-2564"


def test_plans_drafted_before_templates_are_2561s() -> None:
    v1 = to_data(PlanDrafted("แผน", 2561, 2564, CATALOGUE_2561))
    del v1["template_id"]
    stored = StoredEvent(
        uuid.uuid4(), 1, "plan", ID, 1, uuid.uuid4(), "PlanDrafted", 1, v1, {},
        datetime(2018, 1, 1, tzinfo=UTC), b"", b"",
    )  # fmt: skip
    up = domain_upcasters().upcast(stored)
    assert (up.schema_version, up.data["template_id"]) == (2, "2561-2564")
    plan = Plan.replay(ID, [event_from("PlanDrafted", up.data)])
    assert plan.template.layout.heading("area") is not None  # the ten-heading sheet
    assert plan_summary(plan)["template_id"] == "2561-2564"
    # A catalogue stored before sub-sub-items existed still reads.
    sub = {"number": "2.1", "title": "ก"}
    old = {"dimensions": [{"number": 2, "title": "มิติ", "sub_items": [sub]}]}
    assert event_from("CatalogueChanged", {"catalogue": old})


def test_a_new_round_is_data() -> None:
    data = to_data(TEMPLATES["2566-2570"])
    data.update(template_id="2571-2575", first_year=2571, last_year=2575)
    made = template_from_data(data)
    assert made.catalogue == CATALOGUE_2566 and made.layout == TEMPLATES["2566-2570"].layout
    data["layout"]["headings"][0]["field"] = "colour"
    with pytest.raises(ValueError, match="colour"):
        template_from_data(data)


# -- item numbers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored", "shown"),
    [
        ("2.1.1", "2.1.1", "2.1.1"),
        (" ๒.๑.๑ ", "2.1.1", "2.1.1"),
        ("1.1.1 ๑)", "1.1.1.1", "1.1.1 ๑)"),
        ("1.1.1 2)", "1.1.1.2", "1.1.1 ๒)"),
        ("1.1.1(3)", "1.1.1.3", "1.1.1 ๓)"),
        ("1.1.1.10", "1.1.1.10", "1.1.1 ๑๐)"),
    ],
)
def test_item_numbers_as_laos_write_them(typed: str, stored: str, shown: str) -> None:
    assert canonical(typed) == stored
    assert item_number_text(stored) == shown


def test_items_under_a_sub_sub_item_sort_after_it() -> None:
    numbers = ["1.1.2", "1.1.1.2", "1.1.1", "1.1.1.1", "2.1.1"]
    assert sorted(numbers, key=sort_key) == ["1.1.1", "1.1.1.1", "1.1.1.2", "1.1.2", "2.1.1"]
    with pytest.raises(InvalidItemNumber, match=re.escape("1.1.1 ๑")):
        parse_item_number("1.1.1.1.1")


def test_an_item_under_a_sub_sub_item_of_the_catalogue() -> None:
    drafted = PlanDrafted("แผน", 2566, 2570, CATALOGUE_2566, "2566-2570")
    item = uuid.uuid4()
    assert decide(
        Plan, [drafted], lambda p: p.add_item(item, "1.1.2 ๑)", ItemKind.GUIDELINE, "แนวปฏิบัติ")
    ) == [ItemAdded(item, "1.1.2.1", ItemKind.GUIDELINE, "แนวปฏิบัติ")]
    with pytest.raises(UnknownSubItem, match=re.escape("2.1.1")):  # 2.1 has no sub-sub-items
        decide(Plan, [drafted], lambda p: p.add_item(item, "2.1.1 ๑)", ItemKind.PROJECT, "ก"))
    assert ItemKind.GUIDELINE.thai == "แนวปฏิบัติ"


# -- lengths the sheet allows ------------------------------------------------------------------


def test_lengths_match_the_sheet() -> None:
    drafted = PlanDrafted("แผน", 2566, 2570, CATALOGUE_2566, "2566-2570")
    with pytest.raises(TooLong) as e:
        decide(
            Plan,
            [drafted],
            lambda p: p.add_item(uuid.uuid4(), "2.1.1", ItemKind.PROJECT, "ก" * 5000),
        )
    assert e.value.message.startswith("ชื่อโครงการ/กิจกรรม/มาตรการยาว 5,000 ตัวอักษร")
    assert "ไม่เกิน 300" in e.value.message
    plan = PlanContext(YearSpan(2566, 2570), closed=False)
    with pytest.raises(TooLong, match="วัตถุประสงค์"):
        decide(
            Item, [], lambda i: i.edit_headings(plan, ItemHeadingsEdited(objectives=("ก" * 1001,)))
        )
    assert decide(
        Item, [], lambda i: i.edit_headings(plan, ItemHeadingsEdited(rationale="ก" * 10_000))
    )


# -- closing and choosing plans -------------------------------------------------------------------


def test_a_plan_is_closed_once_its_years_have_ended() -> None:
    drafted = PlanDrafted("แผน", 2561, 2564, CATALOGUE_2561)
    with pytest.raises(PlanYearsNotOver, match=re.escape("30 ก.ย. 2564")):
        decide(Plan, [drafted], lambda p: p.close(date(2021, 9, 29), date(2026, 12, 3)))
    with pytest.raises(PlanYearsNotOver, match="ยังมาไม่ถึง"):
        decide(Plan, [drafted], lambda p: p.close(date(2027, 1, 1), date(2026, 12, 3)))
    assert decide(Plan, [drafted], lambda p: p.close(date(2021, 9, 30), date(2026, 12, 3))) == [
        PlanClosedEvent(date(2021, 9, 30))  # its last day
    ]


def test_the_current_plan_is_the_one_chosen_else_the_one_running() -> None:
    old = PlanDrafted("แผน ๒๕๖๑", 2561, 2564, CATALOGUE_2561)
    new = PlanDrafted("แผน ๒๕๖๖", 2566, 2570, CATALOGUE_2566, "2566-2570")
    on = date(2022, 9, 1)
    plans = {
        "old": [old, PlanPromulgated(on, "นายก", None)],
        "new": [new, PlanPromulgated(on, "นายก", None)],
        "next": [PlanDrafted("แผน ๒๕๗๑", 2571, 2575, CATALOGUE_2566, "2566-2570")],
    }

    def summaries(extra: dict[str, list[object]]) -> list[dict[str, object]]:
        out = []
        for n, (key, events) in enumerate(plans.items()):
            plan = Plan.replay(uuid.UUID(int=n + 1), [*events, *extra.get(key, [])])  # type: ignore[list-item]
            out.append(plan_summary(plan))
        return out

    today = date(2026, 12, 3)
    assert current_plan(summaries({}), today)["title"] == "แผน ๒๕๖๖"  # type: ignore[index]
    chosen = {"next": [PlanMadeCurrent(date(2026, 12, 1))]}
    assert current_plan(summaries(chosen), today)["title"] == "แผน ๒๕๗๑"  # type: ignore[index]
    # Nothing chosen: the promulgated plan running in FY 2566; with none running, the open
    # plan that starts latest.
    closed_old = {"old": [PlanClosedEvent(date(2021, 10, 1))]}
    assert current_plan(summaries(closed_old), date(2021, 11, 1))["title"] == "แผน ๒๕๗๑"  # type: ignore[index]
    assert current_plan(summaries(closed_old), date(2022, 11, 1))["title"] == "แผน ๒๕๖๖"  # type: ignore[index]
    with pytest.raises(PlanClosed):
        decide(Plan, [old, PlanClosedEvent(date(2021, 10, 1))], lambda p: p.make_current(today))
