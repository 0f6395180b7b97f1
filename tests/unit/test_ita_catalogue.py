"""The ITA catalogue is data per assessment year: codes unique within a year, the numbering of
the domain notes (2564: O34 declaration, O39 plan; 2568: O25 plan, O26 report)."""

from __future__ import annotations

from domain.ita import CATALOGUE, Evidence, item_of, years


def test_codes_are_unique_per_year_and_numbered_as_documented() -> None:
    for year, items in CATALOGUE.items():
        codes = [i.code for i in items]
        assert len(codes) == len(set(codes)), year
    assert item_of(2564, "o39") is not None and item_of(2564, "O39").evidence is Evidence.PLAN  # type: ignore[union-attr]
    assert item_of(2564, "O34").evidence is Evidence.DECLARATION  # type: ignore[union-attr]
    assert item_of(2568, "O25").evidence is Evidence.PLAN  # type: ignore[union-attr]
    assert item_of(2568, "O39") is None and item_of(2599, "O25") is None
    assert years() == sorted(CATALOGUE, reverse=True)
