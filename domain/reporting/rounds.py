"""Reporting rounds: the 6-month round (October to March) and the 12-month round (the whole
fiscal year) of a fiscal year, with the date a round's report is due.

FY 2561's 6-month round runs 1 October 2017 to 31 March 2018; its 12-month round to
30 September 2018. A report is due by the end of the month after the round closes (30 April,
31 October): the service's default, a policy a caller may change with ``months_to_report``.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from domain.shared.fiscal import YearSpan, fiscal_year, fiscal_year_end, fiscal_year_start, to_ce


class RoundKind(StrEnum):
    SIX_MONTH = "six_month"  # รอบ ๖ เดือน
    TWELVE_MONTH = "twelve_month"  # รอบ ๑๒ เดือน

    @property
    def months(self) -> int:
        return 6 if self is RoundKind.SIX_MONTH else 12

    @property
    def thai(self) -> str:
        return f"รอบ {self.months} เดือน"


_CODE = re.compile(r"^(\d{4})-(6|12)$")


@dataclass(frozen=True)
class ReportingRound:
    """One round of one fiscal year (BE)."""

    fiscal_year: int
    kind: RoundKind

    def __post_init__(self) -> None:
        YearSpan(self.fiscal_year, self.fiscal_year)  # raises on a year that is no fiscal year

    @property
    def start(self) -> date:
        return fiscal_year_start(self.fiscal_year)

    @property
    def end(self) -> date:
        """The round's last day: 31 March, or 30 September (the end of the fiscal year)."""
        if self.kind is RoundKind.SIX_MONTH:
            return date(to_ce(self.fiscal_year), 3, 31)
        return fiscal_year_end(self.fiscal_year)

    def due(self, months_to_report: int = 1) -> date:
        """The last day for the round's report: the end of the month ``months_to_report``
        months after the round closes."""
        month0 = self.end.month - 1 + months_to_report
        year, month = self.end.year + month0 // 12, month0 % 12 + 1
        return date(year, month, calendar.monthrange(year, month)[1])

    def __contains__(self, on: object) -> bool:
        return isinstance(on, date) and self.start <= on <= self.end

    @property
    def code(self) -> str:
        """'2561-6' or '2561-12': a round in a URL, a file name or a task key."""
        return f"{self.fiscal_year}-{self.kind.months}"

    @staticmethod
    def parse(code: str) -> ReportingRound:
        m = _CODE.match(code.strip())
        if not m:
            raise ValueError(f"not a reporting round: {code!r} (e.g. 2561-6, 2561-12)")
        kind = RoundKind.SIX_MONTH if m[2] == "6" else RoundKind.TWELVE_MONTH
        return ReportingRound(int(m[1]), kind)

    @property
    def sort_key(self) -> tuple[int, int]:
        return (self.fiscal_year, self.kind.months)

    def __str__(self) -> str:
        return f"ปีงบประมาณ {self.fiscal_year} {self.kind.thai}"


def six_month(fy: int) -> ReportingRound:
    return ReportingRound(fy, RoundKind.SIX_MONTH)


def twelve_month(fy: int) -> ReportingRound:
    return ReportingRound(fy, RoundKind.TWELVE_MONTH)


def rounds_of(span: YearSpan) -> list[ReportingRound]:
    """Every round of a plan's fiscal years, in the order they close."""
    return [r for fy in span.years for r in (six_month(fy), twelve_month(fy))]


def current_round(on: date) -> ReportingRound:
    """The round open on ``on``: the 6-month round until 31 March, then the 12-month one."""
    fy = fiscal_year(on)
    r = six_month(fy)
    return r if on <= r.end else twelve_month(fy)


def last_closed_round(on: date) -> ReportingRound:
    """The latest round that closed before ``on`` (the one whose report is now being written)."""
    fy = fiscal_year(on)
    r = six_month(fy)
    return r if on > r.end else twelve_month(fy - 1)
