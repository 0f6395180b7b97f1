"""The provincial summary of a round: one row per LAO of the province, made from each LAO's
progress report, so that the office's numbers and the LAO's own report cannot disagree."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.reporting.model import ProgressReport, percent
from domain.reporting.rounds import ReportingRound


@dataclass(frozen=True)
class SummaryRow:
    code: str
    name: str
    district: str
    has_plan: bool  # a plan covers the round's fiscal year
    promulgated_on: date | None
    declared_on: date | None  # the declaration of intent, published by the cut-off
    announcements: int  # its public announcements by the cut-off
    items: int
    steps_total: int
    steps_done: int
    overdue: int
    outputs_met: int
    outputs_total: int
    report_submitted_on: date | None

    @property
    def percent_done(self) -> Decimal:
        return percent(self.steps_done, self.steps_total)


@dataclass(frozen=True)
class ProvincialSummary:
    province: str
    office: str  # สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัด...
    round: ReportingRound
    as_of: date
    rows: tuple[SummaryRow, ...]

    @property
    def cutoff(self) -> date:
        return min(self.as_of, self.round.end)

    @property
    def declared(self) -> int:
        return sum(1 for r in self.rows if r.declared_on is not None)

    @property
    def announced(self) -> int:
        return sum(1 for r in self.rows if r.announcements > 0)

    @property
    def promulgated(self) -> int:
        return sum(1 for r in self.rows if r.promulgated_on is not None)

    @property
    def submitted(self) -> int:
        return sum(1 for r in self.rows if r.report_submitted_on is not None)

    @property
    def steps_total(self) -> int:
        return sum(r.steps_total for r in self.rows)

    @property
    def steps_done(self) -> int:
        return sum(r.steps_done for r in self.rows)

    @property
    def percent_done(self) -> Decimal:
        """Of all the province's steps (not the mean of the LAOs' percentages)."""
        return percent(self.steps_done, self.steps_total)

    @property
    def overdue(self) -> int:
        return sum(r.overdue for r in self.rows)

    @property
    def outputs_met(self) -> int:
        return sum(r.outputs_met for r in self.rows)

    @property
    def outputs_total(self) -> int:
        return sum(r.outputs_total for r in self.rows)


def summary_row(report: ProgressReport, submitted_on: date | None = None) -> SummaryRow:
    d = report.declaration
    org = report.organisation
    return SummaryRow(
        code=org.code,
        name=org.name,
        district=org.district,
        has_plan=report.plan is not None,
        promulgated_on=report.plan.promulgated_on if report.plan else None,
        declared_on=d.published_on if d else None,
        announcements=len(d.announcements) if d else 0,
        items=len(report.items),
        steps_total=report.steps_total,
        steps_done=report.steps_done,
        overdue=report.overdue,
        outputs_met=report.outputs_met,
        outputs_total=report.outputs_total,
        report_submitted_on=submitted_on,
    )


def provincial_summary(
    province: str,
    office: str,
    rnd: ReportingRound,
    as_of: date,
    reports: Iterable[ProgressReport],
    submitted: Mapping[str, date] | None = None,
) -> ProvincialSummary:
    """``reports``: each LAO's report of ``rnd`` as of ``as_of``; ``submitted``: {LAO code:
    the day its report for the round was submitted} (the reporting events supply it).
    Rows are in the order of the LAOs' codes."""
    submitted = submitted or {}
    rows = []
    for r in sorted(reports, key=lambda r: r.organisation.code):
        if r.round != rnd or r.as_of != as_of:
            raise ValueError(f"{r.organisation.code}: a report of another round or date")
        rows.append(summary_row(r, submitted.get(r.organisation.code)))
    return ProvincialSummary(province, office, rnd, as_of, tuple(rows))
