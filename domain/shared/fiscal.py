"""Thai fiscal years (ปีงบประมาณ) and Buddhist Era years.

FY 2561 runs 1 October 2017 to 30 September 2018 and is named by the BE year in which it ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

BE_OFFSET = 543
THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
ARABIC_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def to_be(ce_year: int) -> int:
    return ce_year + BE_OFFSET


def to_ce(be_year: int) -> int:
    return be_year - BE_OFFSET


def fiscal_year(on: date) -> int:
    """The fiscal year (BE) that ``on`` falls in."""
    return to_be(on.year + 1) if on.month >= 10 else to_be(on.year)


def fiscal_year_start(fy: int) -> date:
    return date(to_ce(fy) - 1, 10, 1)


def fiscal_year_end(fy: int) -> date:
    return date(to_ce(fy), 9, 30)


def thai_digits(text: object) -> str:
    return str(text).translate(THAI_DIGITS)


def arabic_digits(text: str) -> str:
    return text.translate(ARABIC_DIGITS)


@dataclass(frozen=True, order=True)
class YearSpan:
    """A plan's fiscal years, first to last inclusive (1 to 5 years)."""

    first: int
    last: int

    def __post_init__(self) -> None:
        if not (2400 <= self.first <= self.last <= 2700):
            raise ValueError(f"not a span of fiscal years: {self.first}-{self.last}")

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(range(self.first, self.last + 1))

    @property
    def start(self) -> date:
        return fiscal_year_start(self.first)

    @property
    def end(self) -> date:
        return fiscal_year_end(self.last)

    def __contains__(self, item: object) -> bool:
        if isinstance(item, date):
            return self.start <= item <= self.end
        if isinstance(item, int):
            return self.first <= item <= self.last
        return False

    def __str__(self) -> str:
        return f"{self.first}-{self.last}" if self.first != self.last else str(self.first)
