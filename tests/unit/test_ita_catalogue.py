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


def test_2567_2569_and_2570_are_there_and_say_they_are_not_checked() -> None:
    from domain.ita import SOURCES

    assert {2564, 2567, 2568, 2569, 2570} <= set(CATALOGUE)
    for year in (2567, 2569, 2570):
        assert CATALOGUE[year] and not any(i.checked for i in CATALOGUE[year]), year
        assert "ยังไม่ได้ตรวจ" in SOURCES[year]
    for year in (2564, 2568):
        assert all(i.checked for i in CATALOGUE[year]) and "ตรวจแล้ว" in SOURCES[year]
    # 2569 and 2570 carry 2568's items (the national office's 2568-2570 criteria).
    same = [(i.code, i.evidence) for i in CATALOGUE[2568]]
    assert [(i.code, i.evidence) for i in CATALOGUE[2569]] == same
    assert [(i.code, i.evidence) for i in CATALOGUE[2570]] == same
    assert item_of(2567, "O40").evidence is Evidence.REPORT_6  # type: ignore[union-attr]
    assert item_of(2567, "O41").evidence is Evidence.REPORT_12  # type: ignore[union-attr]
    assert item_of(2570, "O25").evidence is Evidence.PLAN  # type: ignore[union-attr]
    # The items the service answers: plan, declaration, reports, complaint statistics.
    assert item_of(2568, "O26").covered and item_of(2568, "O19").covered  # type: ignore[union-attr]
    assert item_of(2568, "O21").covered  # type: ignore[union-attr]  # No Gift: a declaration
    assert not item_of(2568, "O18").covered  # type: ignore[union-attr]  # channels: the LAO's


def test_a_no_gift_declaration_is_known_by_its_words() -> None:
    from domain.ita import is_no_gift

    assert is_no_gift("ประกาศนโยบาย  No  Gift Policy ของผู้บริหาร")
    assert is_no_gift("ขอประกาศว่าจะไม่รับของขวัญและของกำนัลทุกชนิด")
    assert is_no_gift('"งดรับ งดให้" ของขวัญ ของกำนัล')
    assert not is_no_gift("ขอประกาศเจตจำนงว่าจะบริหารงานด้วยความซื่อสัตย์สุจริต")
