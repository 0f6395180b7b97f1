"""Assemble a ProgressReport from the read models' dicts (``domain.plans.views`` shapes).

Inputs are what pages read: the plan summary (``plan_summary``), the detail sheets
(``sheet_of``), the declarations (``declaration_view``) and the dates of what the service
counts by itself (declarations published and announced, plans promulgated, complaints).
The round's cut-off is the as-of date, or the round's end when that is earlier: a step
completed after the cut-off counts as not done, an announcement after it is left out.
Ordering is numeric (item 2.1.10 after 2.1.9), so the same inputs give the same report.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from domain.plans.views import sort_key, with_attainment
from domain.reporting.model import (
    AnnouncementLine,
    Attainment,
    DeclarationPart,
    DimensionLine,
    EvidenceLine,
    ItemLine,
    Organisation,
    OutcomeLine,
    OutputLine,
    PlanPart,
    ProgressReport,
    StepLine,
    StepState,
    SubItemLine,
)
from domain.reporting.rounds import ReportingRound
from domain.shared.fiscal import fiscal_year

Data = Mapping[str, Any]


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _number_key(number: str) -> tuple[int, ...]:
    return tuple(int(p) if p.isdigit() else 0 for p in number.split("."))


def plan_for(summaries: Iterable[Data], fy: int) -> Data | None:
    """The plan whose fiscal years cover ``fy`` (the latest-starting one if several do)."""
    covering = [s for s in summaries if s["first_year"] <= fy <= s["last_year"]]
    return max(covering, key=lambda s: (s["first_year"], s["plan_id"]), default=None)


def counted_by_year(
    measured: Mapping[str, Sequence[date]], until: date
) -> dict[str, dict[int, int]]:
    """{measure: {fiscal year: how many on or before ``until``}} (what ``with_attainment``
    takes as ``counted``)."""
    out: dict[str, dict[int, int]] = {}
    for measure, days in measured.items():
        for d in days:
            if d <= until:
                per_year = out.setdefault(measure, {})
                per_year[fiscal_year(d)] = per_year.get(fiscal_year(d), 0) + 1
    return out


def _count(days: Sequence[date], start: date, end: date) -> Decimal:
    return Decimal(sum(1 for d in days if start <= d <= end))


class _Cut:
    """The round, the cut-off and when a deadline has passed."""

    def __init__(self, rnd: ReportingRound, as_of: date) -> None:
        self.round = rnd
        self.start = rnd.start
        self.cutoff = min(as_of, rnd.end)
        # A closed round is judged at the end of its last day; an open one on the as-of date.
        self.limit = self.cutoff + timedelta(days=1) if as_of >= rnd.end else self.cutoff

    def state(self, step: Data) -> tuple[StepState, date | None]:
        done = _day(step["completed_on"])
        if done is not None and done <= self.cutoff:
            return (StepState.DONE if done >= self.start else StepState.DONE_EARLIER), done
        due = _day(step["due"])
        if due is not None and due < self.limit:
            return StepState.OVERDUE, None
        started = _day(step["started_on"])
        if started is not None and started <= self.cutoff:
            return StepState.IN_PROGRESS, None
        return StepState.NOT_DUE, None

    def within(self, on: date | None) -> bool:
        return on is not None and self.start <= on <= self.cutoff


def _evidence(
    ev: Data, item: str, step: str, indicator: str, context: str, on: date | None
) -> EvidenceLine:
    return EvidenceLine(
        item_number=item,
        step_number=step,
        indicator_id=indicator,
        context=context,
        name=ev.get("name", ""),
        kind=ev.get("kind", "file"),
        media_type=ev.get("media_type", ""),
        size=int(ev.get("size", 0)),
        sha256=ev.get("sha256", ""),
        url=ev.get("url", ""),
        on=on,
    )


def _result(o: Data, fy: int) -> Data | None:
    return next((r for r in o.get("results", ()) if r["fiscal_year"] == fy), None)


def _item(
    sheet: Data,
    cut: _Cut,
    measured: Mapping[str, Sequence[date]],
    evidence: list[EvidenceLine],
    span_from: int,
) -> ItemLine:
    fy = cut.round.fiscal_year
    number = sheet["number"]
    steps = []
    for st in sorted(sheet["steps"], key=lambda s: _number_key(s["number"])):
        state, completed = cut.state(st)
        names = tuple(e.get("name", "") for e in st.get("evidence", ()))
        if state is StepState.DONE:
            for e in st.get("evidence", ()):
                evidence.append(
                    _evidence(e, number, st["number"], "", f"ขั้นตอนที่ {st['number']}", completed)
                )
        steps.append(
            StepLine(
                st["number"],
                st["title"],
                _day(st["due"]),
                tuple(st["responsible"]),
                state,
                completed,
                st["note"] if completed else "",
                names if completed else (),
            )
        )
    counted = counted_by_year(measured, cut.cutoff)
    attained = with_attainment(dict(sheet), [fy], counted, cut.limit, span_from=span_from)
    outputs = []
    for o in attained["outputs"]:
        by = o["by_year"][0]
        recorded = _result(o, fy)
        for e in recorded["evidence"] if recorded else ():
            evidence.append(_evidence(e, number, "", o["indicator_id"], "ผลตัวชี้วัด", None))
        outputs.append(
            OutputLine(
                o["indicator_id"],
                o["text"],
                o["comparator"],
                Decimal(o["target"]),
                o["unit"],
                None if by["value"] is None else Decimal(by["value"]),
                by["source"],
                Attainment(by["attainment"]),
            )
        )
    outcomes = []
    year_before = (cut.start.replace(year=cut.start.year - 1), _year_earlier(cut.cutoff))
    for c in sheet["outcomes"]:
        measure = c.get("measure", "")
        now, before = _result(c, fy), _result(c, fy - 1)
        days = measured.get(measure, ())
        value = Decimal(now["value"]) if now else None
        previous = Decimal(before["value"]) if before else None
        if measure and value is None:
            value = _count(days, cut.start, cut.cutoff)
        if measure and previous is None:
            previous = _count(days, *year_before)
        outcomes.append(OutcomeLine(c["indicator_id"], c["text"], measure, value, previous))
    budget = sheet["budget"].get(str(fy)) if sheet["budget"] else None
    d, s = sort_key(number)[:2]
    return ItemLine(
        number=number,
        kind=sheet["kind"],
        name=sheet["name"],
        dimension=d,
        sub_item=f"{d}.{s}",
        responsible_unit=sheet["responsible_unit"],
        no_budget=bool(sheet["no_budget"]),
        budget=None if budget is None else Decimal(budget),
        steps=tuple(steps),
        outputs=tuple(outputs),
        outcomes=tuple(outcomes),
    )


def _year_earlier(d: date) -> date:
    return d.replace(year=d.year - 1) if (d.month, d.day) != (2, 29) else date(d.year - 1, 2, 28)


def _in_year(sheet: Data, fy: int) -> bool:
    years = sheet.get("fiscal_years") or []
    return not years or fy in years


def _dimensions(summary: Data, items: Sequence[ItemLine]) -> tuple[DimensionLine, ...]:
    out = []
    for dim in summary["catalogue"]["dimensions"]:
        mine = [i for i in items if i.dimension == dim["number"]]
        out.append(
            DimensionLine(
                number=dim["number"],
                title=dim["title"],
                sub_items=tuple(SubItemLine(s["number"], s["title"]) for s in dim["sub_items"]),
                items=len(mine),
                budget=sum((i.budget or Decimal(0) for i in mine), Decimal("0.00")),
                steps_total=sum(len(i.steps) for i in mine),
                steps_done=sum(i.steps_done for i in mine),
                overdue=sum(i.overdue for i in mine),
                outputs_met=sum(i.outputs_met for i in mine),
                outputs_total=sum(len(i.outputs) for i in mine),
            )
        )
    return tuple(out)


def _declaration(
    views: Iterable[Data], cut: _Cut, evidence: list[EvidenceLine]
) -> DeclarationPart | None:
    """The latest declaration published by the cut-off (or, if none is, the latest draft)."""
    published = [v for v in views if (p := _day(v["published_on"])) and p <= cut.cutoff]
    if published:
        view = max(published, key=lambda v: (v["published_on"], v["declaration_id"]))
    else:
        drafts = sorted(views, key=lambda v: v["declaration_id"])
        if not drafts:
            return None
        view = drafts[-1]
    on = _day(view["published_on"]) if published else None
    if cut.within(on) and view.get("document"):
        evidence.append(_evidence(view["document"], "", "", "", "ประกาศเจตจำนง", on))
    announcements = []
    for a in sorted(view["announcements"], key=lambda a: (a["on"], a["channel"], a["detail"])):
        day = date.fromisoformat(a["on"])
        if not published or day > cut.cutoff:
            continue
        announcements.append(AnnouncementLine(a["channel"], a["channel_th"], day, a["detail"]))
        if cut.within(day):
            for e in a.get("evidence", ()):
                evidence.append(_evidence(e, "", "", "", "การประกาศต่อสาธารณชน", day))
    return DeclarationPart(view["text"], tuple(view["signers"]), on, tuple(announcements))


def progress_report(
    organisation: Organisation,
    rnd: ReportingRound,
    as_of: date,
    *,
    plans: Iterable[Data],
    sheets: Iterable[Data],
    declarations: Iterable[Data],
    measured: Mapping[str, Sequence[date]],
) -> ProgressReport:
    """The report of ``rnd`` as it stood on ``as_of``. ``plans`` are plan summaries (the one
    covering the round's fiscal year is used); ``sheets`` the detail sheets of the plans'
    items (``sheet_of``, with ``plan_id``); ``measured``: {measure: dates} as the service
    counts them ("declarations_published", ..., "complaints_received")."""
    if as_of < rnd.start:
        raise ValueError(
            f"a report of {rnd.code} as of {as_of} would be empty: it opens {rnd.start}"
        )
    cut = _Cut(rnd, as_of)
    fy = rnd.fiscal_year
    summary = plan_for(plans, fy)
    evidence: list[EvidenceLine] = []
    items: list[ItemLine] = []
    plan = None
    dimensions: tuple[DimensionLine, ...] = ()
    if summary is not None:
        mine = [
            s
            for s in sheets
            if s.get("plan_id", summary["plan_id"]) == summary["plan_id"] and _in_year(s, fy)
        ]
        for sheet in sorted(mine, key=lambda s: (sort_key(s["number"]), s["item_id"])):
            items.append(_item(sheet, cut, measured, evidence, summary["first_year"]))
        promulgated = _day(summary["promulgated_on"])
        plan = PlanPart(
            summary["title"],
            summary["first_year"],
            summary["last_year"],
            promulgated if promulgated is not None and promulgated <= cut.cutoff else None,
            summary["promulgated_by"] or "",
        )
        dimensions = _dimensions(summary, items)
    declaration = _declaration(list(declarations), cut, evidence)
    return ProgressReport(
        organisation=organisation,
        round=rnd,
        as_of=as_of,
        plan=plan,
        dimensions=dimensions,
        items=tuple(items),
        declaration=declaration,
        evidence=tuple(evidence),
    )
