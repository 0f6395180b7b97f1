"""The demo data file (demo/sujarit-demo-2570.json) passes the plan's rules as of its day, and
shows what the demo is for: December 2569 (FY 2570), Phang Khwang's 2561-2564 plan closed and
its 2566-2570 plan current, steps on time, late and overdue, indicator results of ended years."""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from domain.plans.events import ItemHeadingsEdited
from domain.plans.item import Item, PlanContext
from domain.plans.plan import Plan, PlanStatus
from domain.plans.templates import missing_headings
from domain.plans.values import (
    Comparator,
    Evidence,
    ItemKind,
    OutcomeIndicator,
    OutputIndicator,
    StepSchedule,
)
from domain.plans.views import current_plan, item_sheet, plan_summary, with_attainment
from domain.reporting.entries import RoundSheet, round_sheet_id
from domain.reporting.rounds import ReportingRound
from domain.shared.fiscal import fiscal_year
from services.usecases.demo import round_entries

DEMO = Path(__file__).resolve().parents[2] / "demo" / "sujarit-demo-2570.json"
DATA: dict[str, Any] = json.loads(DEMO.read_text(encoding="utf-8"))
AS_OF = date.fromisoformat(DATA["as_of"])


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _pdf(name: str) -> Evidence:
    """The evidence file the loader makes for ``name`` (a PDF; its hash stands in here)."""
    return Evidence.file(name, hashlib.sha256(name.encode()).hexdigest(), "application/pdf", 1000)


def _run(plan_data: dict[str, Any]) -> tuple[Plan, dict[str, Item]]:
    """The plan written through the aggregates' decisions, as the loader would (each decision
    raising if the data break a rule)."""
    plan = Plan(uuid.uuid4())
    plan.draft(
        plan_data["title"],
        plan_data["first_year"],
        plan_data["last_year"],
        template_id=plan_data["template_id"],
    )
    items: dict[str, Item] = {}
    for it in plan_data["items"]:
        item_id = uuid.uuid4()
        plan.add_item(item_id, it["number"], ItemKind(it["kind"]), it["name"])
        items[it["number"]] = _item(plan, item_id, it)
    if plan_data["promulgated"]:
        p = plan_data["promulgated"]
        plan.promulgate(date.fromisoformat(p["on"]), p["by"], None)
    if plan_data["closed_on"]:
        plan.close(date.fromisoformat(plan_data["closed_on"]), AS_OF)
    if plan_data["current"]:
        plan.make_current(AS_OF)
    return Plan.replay(plan.id, plan.pending()), items


def _item(plan: Plan, item_id: uuid.UUID, it: dict[str, Any]) -> Item:
    ctx = PlanContext(plan.years(), closed=False, today=AS_OF)
    item = Item(item_id)
    item.edit_headings(
        ctx,
        ItemHeadingsEdited(
            rationale=it["rationale"],
            objectives=tuple(it["objectives"]),
            targets=tuple(it["targets"]),
            area=it["area"] or None,
            fiscal_years=tuple(it["fiscal_years"]),
            responsible_unit=it["responsible_unit"],
        ),
    )
    if it["budget"] is None:
        item.declare_no_budget(ctx)
    else:
        item.set_budget(ctx, {int(y): Decimal(a) for y, a in it["budget"].items()})
    for s in it["steps"]:
        first = s["reschedules"][0]["from_due"] if s["reschedules"] else s["due"]
        item.schedule_step(
            ctx, s["number"], s["title"], StepSchedule(_day(first), s["fiscal_year"]),
            tuple(s["responsible"]),
        )  # fmt: skip
        for r in s["reschedules"]:
            item.reschedule_step(ctx, s["number"], StepSchedule(_day(r["to_due"])), r["reason"])
        if s["started_on"]:
            item.start_step(ctx, s["number"], date.fromisoformat(s["started_on"]))
        if s["completed_on"]:
            evidence = tuple(_pdf(e["name"]) for e in s["evidence"])
            item.complete_step(
                ctx, s["number"], date.fromisoformat(s["completed_on"]), s["note"], evidence
            )
    for o in it["outputs"]:
        item.define_output(
            ctx,
            OutputIndicator(
                o["indicator_id"], o["text"], Comparator(o["comparator"]), Decimal(o["target"]),
                o["unit"], o["measure"],
            ),
        )  # fmt: skip
    for o in it["outcomes"]:
        item.define_outcome(ctx, OutcomeIndicator(o["indicator_id"], o["text"], o["measure"]))
    for r in it["results"]:
        assert fiscal_year(AS_OF) > r["fiscal_year"], "results only for ended years"
        item.record_result(ctx, r["indicator_id"], r["fiscal_year"], Decimal(r["value"]), r["note"])
    return Item.replay(item_id, item.pending())


PLANS = [(o["code"], p) for o in DATA["organisations"] for p in o["plans"]]


@pytest.mark.parametrize(("code", "plan_data"), PLANS, ids=[p["key"] for _, p in PLANS])
def test_every_plan_passes_the_rules(code: str, plan_data: dict[str, Any]) -> None:
    plan, items = _run(plan_data)
    assert plan.template_id == plan_data["template_id"]
    if plan.status is not PlanStatus.DRAFT:
        # Promulgated plans have every required heading filled in.
        layout = plan.template.layout
        for entry in plan.items.values():
            assert missing_headings(items[entry.number], entry.name, layout) == [], entry.number


def test_it_is_december_2569_and_phang_khwangs_current_plan_is_2566_2570() -> None:
    assert (AS_OF.year, AS_OF.month, fiscal_year(AS_OF)) == (2026, 12, 2570)
    pk = next(o for o in DATA["organisations"] if o["code"] == "6470101")
    plans = [_run(p) for p in pk["plans"]]
    summaries = [plan_summary(p) for p, _ in plans]
    assert [s["status"] for s in summaries] == ["closed", "promulgated"]
    current = current_plan(summaries, AS_OF)
    assert current is not None and (current["first_year"], current["last_year"]) == (2566, 2570)
    _, items = plans[1]
    dims = {int(n.split(".")[0]) for n in items}
    assert dims == {1, 2, 3, 4}
    steps = [s for it in items.values() for s in it.steps.values()]
    on_time = [s for s in steps if s.completed_on and s.days_late == 0]
    late = [s for s in steps if s.days_late > 0]
    overdue = [s for s in steps if s.overdue(AS_OF)]
    assert len(on_time) > 10 and len(late) >= 3 and len(overdue) >= 2
    assert any(s.reschedules for s in steps)
    assert "2.2.2.1" in items  # an item under a sub-sub-item ("2.2.2 ๑)"), a guideline


def test_indicators_of_ended_years_tell_met_missed_and_not_recorded() -> None:
    pk = next(o for o in DATA["organisations"] if o["code"] == "6470101")
    _, items = _run(pk["plans"][1])
    seen = set()
    for item in items.values():
        sheet = with_attainment(item_sheet(item), [2566, 2567, 2568, 2569, 2570], {}, AS_OF)
        seen |= {y["attainment"] for o in sheet["outputs"] for y in o["by_year"]}
    assert {"met", "missed", "not_recorded", "not_yet", "not_applicable"} <= seen


@pytest.mark.parametrize(("code", "plan_data"), PLANS, ids=[p["key"] for _, p in PLANS])
def test_round_tables_pass_the_rounds_rules(code: str, plan_data: dict[str, Any]) -> None:
    """Each round's entries as the loader records them: every item of the plan once, the
    round of the plan's years and begun by the demo's day, the entries' own rules."""
    ids = {it["number"]: uuid.uuid4() for it in plan_data["items"]}
    for r in plan_data["rounds"]:
        rnd = ReportingRound.parse(r["round"])
        assert rnd.end < AS_OF, "rounds that have ended"
        assert sorted(e["number"] for e in r["entries"]) == sorted(ids)
        plan_id = uuid.uuid4()
        sheet = RoundSheet(round_sheet_id(uuid.uuid4(), plan_id, rnd.code))
        entries = round_entries(r, ids, plan_data["items"])
        years = (plan_data["first_year"], plan_data["last_year"])
        at = datetime(2026, 12, 1, tzinfo=UTC)
        assert sheet.record(
            plan_id, rnd, years, frozenset(ids.values()), entries, AS_OF, at
        ) == len(ids)


def test_phang_khwangs_current_plan_reports_the_rounds_of_fiscal_2569() -> None:
    pk = next(o for o in DATA["organisations"] if o["code"] == "6470101")
    assert [r["round"] for r in pk["plans"][1]["rounds"]] == ["2569-6", "2569-12"]


def test_complaints_pass_the_registers_rules() -> None:
    from domain.complaints.complaint import CHANNEL_NAMES, OUTCOMES

    seen = 0
    for org in DATA["organisations"]:
        for c in org.get("complaints", []):
            received = date.fromisoformat(c["received_on"])
            assert c["channel"] in CHANNEL_NAMES and received <= AS_OF
            if c.get("resolved_on"):
                assert received <= date.fromisoformat(c["resolved_on"]) <= AS_OF
                assert c["outcome"] in OUTCOMES, c
                seen += 1
    assert seen == 14
