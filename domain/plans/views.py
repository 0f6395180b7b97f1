"""What pages, the API and reports read, as plain data, computed from aggregate state.

The read-model tables store these (written in the append transaction); as-of reads compute the
same views from the events up to a date. One function, so the two cannot disagree.
"""

from __future__ import annotations

import hashlib
import json
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from domain.plans.catalogue import Catalogue
from domain.plans.item import Item, Step, StepStatus, days_late
from domain.plans.plan import ItemEntry, Plan
from domain.plans.revisions import revisions_view
from domain.plans.values import parse_item_number
from domain.shared.serialization import to_data


def plan_summary(plan: Plan) -> dict[str, Any]:
    span = plan.years()
    return {
        "plan_id": str(plan.id),
        "title": plan.title,
        "first_year": span.first,
        "last_year": span.last,
        "status": plan.status.value,
        "promulgated_on": plan.promulgated_on.isoformat() if plan.promulgated_on else None,
        "promulgated_by": plan.promulgated_by,
        "revision": plan.revision,
        "version": plan.version,
        "catalogue": catalogue_data(plan.catalogue),
        "template_id": plan.template_id,
        "made_current_on": plan.made_current_on.isoformat() if plan.made_current_on else None,
        # items added after promulgation that wait for the executive: {item id: why returned}
        "pending_additions": {str(i): why for i, why in plan.pending_additions.items()},
    }


@lru_cache(maxsize=64)
def _catalogue_json(catalogue: Catalogue) -> str:
    return json.dumps(to_data(catalogue), ensure_ascii=False)


def catalogue_data(catalogue: Catalogue) -> Any:
    """``to_data(catalogue)``, a new copy each time: a plan's catalogue is converted once per
    distinct catalogue (a rebuild makes the summary of every plan; most share a template's)."""
    try:
        text = _catalogue_json(catalogue)
    except TypeError:  # not hashable: converted every time
        return to_data(catalogue)
    return json.loads(text)


def changed_by_revision(plan: dict[str, Any], item_id: Any) -> bool:
    """Whether a change to the item's sheet is a revision for the executive (the plan is
    promulgated and the item is part of it), not an edit: an item added after promulgation is
    edited directly until its addition is approved."""
    return plan.get("status") != "draft" and str(item_id) not in plan.get("pending_additions", {})


def sheet_headings(template_id: str) -> list[dict[str, Any]]:
    """The detail sheet's headings of a plan's template, in order: number, title, the item's
    field it shows, and whether promulgation needs it (domain.plans.templates)."""
    from domain.plans.templates import template

    return [to_data(h) for h in template(template_id).layout.headings]


def current_plan(summaries: Sequence[dict[str, Any]], today: date) -> dict[str, Any] | None:
    """The organisation's current plan among its plan summaries: the one last chosen
    (``made_current_on``) that is not closed; else the promulgated plan whose years cover
    ``today``'s fiscal year; else the open plan that starts latest."""
    from domain.shared.fiscal import fiscal_year

    open_ = [s for s in summaries if s["status"] != "closed"]
    chosen = [s for s in open_ if s.get("made_current_on")]
    if chosen:
        return max(chosen, key=lambda s: (s["made_current_on"], s["plan_id"]))
    fy = fiscal_year(today)
    covering = [
        s for s in open_ if s["status"] == "promulgated" and s["first_year"] <= fy <= s["last_year"]
    ]
    return max(covering or open_, key=lambda s: (s["first_year"], s["plan_id"]), default=None)


def sort_key(number: str) -> list[int]:
    return list(parse_item_number(number))


def step_view(step: Step) -> dict[str, Any]:
    # Made for every step of every item a rebuild folds: the enum's value read as its plain
    # attribute, and no walk through an empty evidence tuple.
    due = step.schedule.due_date()
    completed_on = step.completed_on
    return {
        "number": step.number,
        "title": step.title,
        "due": due.isoformat() if due else None,
        "fiscal_year": step.schedule.fiscal_year,
        "responsible": list(step.responsible),
        "status": step.status._value_,
        "started_on": step.started_on.isoformat() if step.started_on else None,
        "completed_on": completed_on.isoformat() if completed_on else None,
        "note": step.note,
        "evidence": to_data(step.evidence) if step.evidence else [],
        # Completed after its due date: pages, print and reports say "เสร็จล่าช้า N วัน"
        # (Step.days_late, with the due date found above once).
        "days_late": days_late(completed_on, due),
        # Every postponement with its reason: the due date before and after (ISO).
        "reschedules": [
            {
                "from_due": _iso(r.previous.due_date()),
                "to_due": _iso(r.schedule.due_date()),
                "reason": r.reason,
            }
            for r in step.reschedules
        ]
        if step.reschedules
        else [],
    }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def item_sheet(item: Item) -> dict[str, Any]:
    """The item stream's part of the ten-heading sheet (number and kind are the plan's)."""
    h = item.headings
    return {
        "name": h.name,
        "rationale": h.rationale,
        "objectives": list(h.objectives),
        "targets": list(h.targets),
        "area": h.area,
        "steps": [step_view(s) for s in item.ordered_steps()],
        "fiscal_years": list(h.fiscal_years),
        "no_budget": item.no_budget,
        "budget": {str(y): str(a) for y, a in sorted(item.budget.items())},
        "responsible_unit": h.responsible_unit,
        "outputs": [
            {
                **to_data(ind),
                "results": _results(item, ind.indicator_id),
                "overrides": [
                    {"fiscal_year": fy, "value": str(v), "reason": why, "by": by}
                    for fy, (v, why, by) in sorted(item.overrides.get(ind.indicator_id, {}).items())
                ],
            }
            for ind in item.outputs.values()
        ],
        "outcomes": [
            {**to_data(ind), "results": _results(item, ind.indicator_id)}
            for ind in item.outcomes.values()
        ],
        # Proposed, approved and returned revisions (after promulgation); the headings above
        # are the approved ones. Not public (infra.projections.public keeps its own fields).
        "revisions": revisions_view(item.revisions) if item.revisions else [],
        "version": item.version,
    }


def _results(item: Item, indicator_id: str) -> list[dict[str, Any]]:
    return [
        {
            "fiscal_year": r.fiscal_year,
            "value": str(r.value),
            "note": r.note,
            "evidence": to_data(r.evidence),
        }
        for _, r in sorted(item.results.get(indicator_id, {}).items())
    ]


ATTAINMENTS = {
    "met": "บรรลุ",
    "missed": "ไม่บรรลุ",  # only once the fiscal year has ended, with a value short of target
    "not_yet": "ยังไม่สิ้นปีงบประมาณ",  # the year is not over and the target not yet met
    "not_recorded": "ยังไม่บันทึก",  # the year has ended and no result was recorded
    "not_applicable": "ไม่อยู่ในระยะเวลาดำเนินการ",  # not one of the item's fiscal years
}


def counted_value(
    measure: str, counted: dict[str, dict[int, int]], fy: int, span_from: int
) -> Decimal:
    """What the service counts for ``measure`` in fiscal year ``fy``: per year, or, for the
    plan's own outputs (SPAN_MEASURES), everything from the year before ``span_from`` (the
    plan's first fiscal year) to ``fy``."""
    from domain.plans.values import SPAN_MEASURES

    per_year = counted.get(measure, {})
    if measure in SPAN_MEASURES:
        return Decimal(sum(n for y, n in per_year.items() if span_from - 1 <= y <= fy))
    return Decimal(per_year.get(fy, 0))


def with_attainment(
    sheet: dict[str, Any],
    years: list[int],
    counted: dict[str, dict[int, int]],
    today: date,
    *,
    span_from: int | None = None,
) -> dict[str, Any]:
    """The sheet with, per output indicator and fiscal year in ``years``: the value and its
    attainment (ATTAINMENTS). An indicator is judged only in the item's own fiscal years
    (heading "ระยะเวลาดำเนินการ"; all of ``years`` when it names none). A value is recorded by
    the organisation, or, for indicators with a ``measure``, counted by the service (typed
    results of those are not used) unless the plan officer overrode the count for that year
    (source "override", with its reason). ``span_from``: the plan's first fiscal year (the
    first of ``years`` when not given), from which plan-level outputs are counted."""
    from domain.plans.values import Comparator, OutputIndicator
    from domain.shared.fiscal import fiscal_year_end

    first = span_from if span_from is not None else min(years, default=0)
    item_years = set(sheet.get("fiscal_years") or years)
    outputs = []
    for o in sheet["outputs"]:
        ind = OutputIndicator(
            o["indicator_id"],
            o["text"],
            Comparator(o["comparator"]),
            Decimal(o["target"]),
            o["unit"],
            o.get("measure", ""),
        )
        recorded = {r["fiscal_year"]: Decimal(r["value"]) for r in o["results"]}
        overrides = {r["fiscal_year"]: r for r in o.get("overrides", ())}
        by_year = []
        for fy in years:
            value: Decimal | None = None
            source: str | None = None
            reason = ""
            if fy not in item_years:
                attainment = "not_applicable"
            else:
                if fy in overrides:
                    value, source = Decimal(overrides[fy]["value"]), "override"
                    reason = overrides[fy]["reason"]
                elif ind.measure:
                    value, source = counted_value(ind.measure, counted, fy, first), "counted"
                elif fy in recorded:
                    value, source = recorded[fy], "recorded"
                over = today > fiscal_year_end(fy)
                if value is not None and ind.met_by(value):
                    attainment = "met"
                elif value is None:
                    attainment = "not_recorded" if over else "not_yet"
                else:
                    attainment = "missed" if over else "not_yet"
            row: dict[str, Any] = {
                "fiscal_year": fy,
                "value": None if value is None else str(value),
                "source": source,
                "attainment": attainment,
            }
            if reason:
                row["override_reason"] = reason
            by_year.append(row)
        outputs.append({**o, "by_year": by_year})
    return {**sheet, "outputs": outputs}


def sheet_of(entry: ItemEntry, sheet: dict[str, Any]) -> dict[str, Any]:
    """The whole detail sheet: the plan's number and kind, the item's headings."""
    return {
        "item_id": str(entry.item_id),
        "number": entry.number,
        "kind": entry.kind.value,
        **sheet,
        "name": sheet.get("name") or entry.name,
    }


_COMPLETED = StepStatus.COMPLETED.value  # read per step: an enum member's value is a property


@lru_cache(maxsize=4096)
def _day(iso: str) -> date:
    """A due date of a view (ISO text; a plan has a few hundred distinct ones at most)."""
    return date.fromisoformat(iso)


@lru_cache(maxsize=4096)
def _iso_day(iso: str) -> str:
    return date.fromisoformat(iso).isoformat()


@lru_cache(maxsize=4096)
def _json_text(value: str) -> str:
    """A step number as JSON text (a plan's numbers repeat: 6.1, 6.2, ...)."""
    return json.dumps(value, ensure_ascii=False)


def _in_order(value: Any) -> Any:
    return dict(sorted(value.items())) if isinstance(value, dict) else value


def overview(summary: dict[str, Any], items: list[dict[str, Any]], today: date) -> dict[str, Any]:
    """The plan overview: per dimension and sub-item, each item with its budget per fiscal
    year (the official summary table), % of steps done and overdue steps."""
    years = list(range(summary["first_year"], summary["last_year"] + 1))
    year_keys = [(y, str(y)) for y in years]
    by_sub: dict[str, list[dict[str, Any]]] = {}
    steps_total = steps_done = 0
    # A template is made with ``today`` = date.min: then nothing is overdue, no date compared.
    compare = today > date.min
    for it in sorted(items, key=lambda i: parse_item_number(i["number"])):
        d, s = parse_item_number(it["number"])[:2]
        steps = it["steps"]
        done = [st["status"] for st in steps].count(_COMPLETED)
        steps_total += len(steps)
        steps_done += done
        overdue = (
            [
                st["number"]
                for st in steps
                if st["status"] != _COMPLETED and st["due"] and _day(st["due"]) < today
            ]
            if compare
            else []
        )
        by_sub.setdefault(f"{d}.{s}", []).append(
            {
                "item_id": it["item_id"],
                "number": it["number"],
                "kind": it["kind"],
                "name": it["name"],
                "no_budget": it["no_budget"],
                # Only the item's own fiscal years have an amount (None: the item does not run
                # that year, shown as a dash, not as "0.00 บาท").
                "budget": _budget_of(it, years, year_keys),
                "steps_total": len(steps),
                "steps_done": done,
                "percent_done": round(100 * done / len(steps)) if steps else 0,
                "overdue": overdue,
            }
        )
    dimensions = []
    totals = {str(y): Decimal(0) for y in years}
    for dim in summary["catalogue"]["dimensions"]:
        subs = []
        for sub in dim["sub_items"]:
            rows = by_sub.get(sub["number"], [])
            for r in rows:
                for y, amount in r["budget"].items():  # the plan's years, in order
                    if amount is not None:
                        totals[y] += Decimal(amount)
            subs.append({"number": sub["number"], "title": sub["title"], "items": rows})
        dimensions.append({"number": dim["number"], "title": dim["title"], "sub_items": subs})
    return {
        # In a fixed order, whatever order the summary came in (from JSONB, which sorts an
        # object's keys, or from the plan, in the order of its events): its mappings too.
        **{k: _in_order(summary[k]) for k in sorted(summary) if k != "catalogue"},
        "fiscal_years": years,
        "dimensions": dimensions,
        "budget_totals": {y: str(v) for y, v in totals.items()},
        "items": len(items),
        "steps_total": steps_total,
        "steps_done": steps_done,
        "percent_done": round(100 * steps_done / steps_total) if steps_total else 0,
        "overdue": sum(len(r["overdue"]) for rows in by_sub.values() for r in rows),
        "as_of_today": today.isoformat(),
    }


def _budget_of(
    item: dict[str, Any], years: list[int], year_keys: list[tuple[int, str]]
) -> dict[str, str | None]:
    """Heading 8 per fiscal year of the plan: the amount ("0.00" when none was given) in the
    item's own years (all the plan's when it names none), None in the others unless an
    amount was set for them. ``year_keys``: (year, str(year)) for ``years``, made once."""
    budget = item["budget"] or {}
    own = set(item.get("fiscal_years") or years)
    return {k: budget.get(k, "0.00") if y in own or k in budget else None for y, k in year_keys}


def item_brief(sheet: dict[str, Any]) -> dict[str, Any]:
    """The part of an item's sheet the plan overview reads (kept beside the sheet, so that the
    overview never decodes whole sheets)."""
    return {
        "name": sheet["name"],
        "no_budget": sheet["no_budget"],
        "budget": sheet["budget"],
        "fiscal_years": sheet.get("fiscal_years", []),
        "steps": [
            {"number": st["number"], "status": st["status"], "due": st["due"]}
            for st in sheet["steps"]
        ],
    }


@dataclass(frozen=True)
class OverviewTemplate:
    """The plan overview as JSON text with holes for what depends on the day it is read.

    ``parts``: the text around the holes: one hole per shown item (its overdue step numbers),
    then the plan's overdue count, then the day. The overdue steps change only when the day
    passes a due date of a step not completed: ``breaks`` are those dates (ISO, ascending,
    items no sub-item of the catalogue shows included); once ``k`` of them have passed, the
    holes take ``fillers[k]`` (each shown item's overdue list, JSON text) and ``totals[k]``.
    """

    parts: tuple[str, ...]
    breaks: tuple[str, ...]
    fillers: tuple[tuple[str, ...], ...]
    totals: tuple[int, ...]

    def period(self, today: date) -> int:
        """How many breaks are before ``today`` (ISO dates sort as text)."""
        return bisect_left(self.breaks, today.isoformat())

    def render(self, today: date) -> str:
        """The overview on ``today``: equal to ``overview(summary, items, today)``."""
        k = self.period(today)
        parts = [p.encode() for p in self.parts]
        fillers = FILLER_SEPARATOR.join(f.encode() for f in self.fillers[k])
        return render_overview(parts, fillers, self.totals[k], today).decode()


FILLER_SEPARATOR = b"\x1f"  # between a period's fillers; JSON text never holds it raw


def render_overview(parts: Sequence[bytes], fillers: bytes, total: int, today: date) -> bytes:
    """The overview on ``today`` (UTF-8 JSON) from a template's parts, encoded, and the
    fillers of ``today``'s period joined by FILLER_SEPARATOR, and its total. Bytes throughout:
    the parts are never decoded."""
    n = len(parts) - 3
    out = [b""] * (2 * n + 5)
    out[0 : 2 * n : 2] = parts[:n]
    if n:
        filled = fillers.split(FILLER_SEPARATOR)
        if len(filled) != n:
            raise ValueError(f"the template has {n} holes and {len(filled)} fillers")
        out[1 : 2 * n : 2] = filled
    out[2 * n :] = [
        parts[-3],
        str(total).encode(),
        parts[-2],
        today.isoformat().encode(),
        parts[-1],
    ]
    return b"".join(out)


def template_digest(parts: Sequence[bytes]) -> bytes:
    """SHA-256 over the template's parts, each preceded by its length (4 bytes, big-endian):
    migration 0020 computes the same in SQL."""
    h = hashlib.sha256()
    for part in parts:
        h.update(len(part).to_bytes(4, "big"))
        h.update(part)
    return h.digest()


_HOLE = "\x00hole\x00"  # never in stored text: event data refuses NUL characters


def compact_json(value: Any) -> str:
    """JSON text as the overview is stored: compact, non-ASCII as is."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def overview_template(
    summary: dict[str, Any],
    items: list[dict[str, Any]],
    dumps: Callable[[Any], str] = compact_json,
) -> OverviewTemplate:
    """``overview(summary, items, today)`` for every ``today`` at once (see OverviewTemplate).
    ``dumps``: ``compact_json`` or an encoder that writes the same text faster (a rebuild
    makes a template per plan; infra passes msgspec's)."""
    body = overview(summary, items, date.min)  # nothing is overdue before the first day
    slots: dict[str, int] = {}
    for dim in body["dimensions"]:
        for sub in dim["sub_items"]:
            for row in sub["items"]:
                slots[row["item_id"]] = len(slots)
                row["overdue"] = _HOLE
    body["overdue"] = _HOLE
    body["as_of_today"] = _HOLE
    parts = dumps(body).split(json.dumps(_HOLE))
    # The day is a JSON string: its quotes stay in the text around it.
    parts[-2] += '"'
    parts[-1] = '"' + parts[-1]
    assert len(parts) == len(slots) + 3, "a hole's text appeared in the overview"
    late: list[list[tuple[str, str]]] = [[] for _ in slots]  # per slot: (due, number) open
    dues = []
    for it in items:
        open_steps = [
            (_iso_day(st["due"]), _json_text(st["number"]))
            for st in it["steps"]
            if st["status"] != _COMPLETED and st["due"]
        ]
        dues += [due for due, _ in open_steps]
        if (slot := slots.get(it["item_id"])) is not None:
            late[slot] = open_steps
    breaks = tuple(sorted(set(dues)))
    # Once k breaks have passed, a step is overdue when its due date is before the next break:
    # when the due date is one of the first k breaks. A slot's filler changes only at the
    # breaks of its own steps: made once per such break, not once per break and slot.
    rank = {due: i for i, due in enumerate(breaks)}
    periods = len(breaks) + 1
    columns = []
    for s in late:
        column: list[str] = []
        text = "[]"
        for r in sorted({rank[d] for d, _ in s}):
            column += [text] * (r + 1 - len(column))
            text = "[" + ",".join(n for d, n in s if rank[d] <= r) + "]"
        column += [text] * (periods - len(column))
        columns.append(column)
    fillers = list(zip(*columns, strict=True)) if columns else [()] * periods
    dues.sort()
    totals = [bisect_left(dues, bound) for bound in (*breaks, "~")]  # "~": after every date
    return OverviewTemplate(tuple(parts), breaks, tuple(fillers), tuple(totals))
