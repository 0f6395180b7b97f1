"""The import corpus: detail sheets written as LAOs write them, in both layouts (the ten
headings of 2561 and the nine of the 2566-2570 manual), with each kind of text-layer damage,
each with its expected reading. Prints the per-field accuracy (pytest -s) and asserts 100 %.

A field the parser does not understand must be empty and flagged, never guessed: the expected
JSON says so (an empty value with a flag), and a value where the expectation is empty fails.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from domain.imports.sheet import ParsedSheet, parse_document
from infra.imports.lexicon import thai_lexicon

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "imports"
FIELDS = (
    "number",
    "kind",
    "name",
    "steps",
    "fiscal_years",
    "budget",
    "output_indicators",
    "outcomes",
    "responsible",
)
CORPUS = sorted(p for p in SAMPLES.glob("*.txt") if p.with_suffix(".expected.json").exists())


def _read(path: Path) -> tuple[list[ParsedSheet], list[dict[str, Any]]]:
    sheets = parse_document(path.read_text(encoding="utf-8"), thai_lexicon())
    expected = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
    return sheets, expected


def test_the_corpus_covers_both_layouts_and_every_kind_of_damage() -> None:
    text = "\n".join(p.read_text(encoding="utf-8") for p in CORPUS)
    assert len(CORPUS) >= 7
    for damage in (
        "\u0e4d\u0e32",  # sara am as nikhahit + sara aa
        "Œ",  # a tone mark through cp1252
        "‹",
        "\uf70b",  # a Private Use Area glyph variant
        "ปูอง",  # ู for ้
        "มคี วาม",  # a space inside a word, the vowel moved past the next consonant
        "วัตถุประสงค\n",  # a heading that lost ์
        "ผลลัพธ\n",
        "ไมนอยกวา รอยละ",  # a comparator that lost its marks
        "ผูรับผิดชอบโครงการ",
        "เป้า หมาย",  # a heading with a space inside a word
        "ปีละ",
        "รวมทั้งสิ้น",
        "อย่างน้อยปีละ",
        "๑) โครงการ",
    ):
        assert damage in text, damage
    assert "๕. วิธีด" in text and "๙. ผลผลิต/ผลลัพธ" in text  # the nine-heading layout


def test_field_accuracy_on_the_corpus(capsys: pytest.CaptureFixture[str]) -> None:
    right = dict.fromkeys(FIELDS, 0)
    total = dict.fromkeys(FIELDS, 0)
    wrong: list[str] = []
    for path in CORPUS:
        sheets, expected = _read(path)
        assert len(sheets) == len(expected), path.name
        for n, (sheet, want) in enumerate(zip(sheets, expected, strict=True), 1):
            got = sheet.to_json()
            for field in FIELDS:
                total[field] += 1
                if got[field] == want[field]:
                    right[field] += 1
                else:
                    wrong.append(f"{path.name} #{n} {field}: {got[field]!r} != {want[field]!r}")
    lines = [f"{'field':<20}{'right':>7}{'of':>5}{'accuracy':>11}"]
    for field in FIELDS:
        lines.append(
            f"{field:<20}{right[field]:>7}{total[field]:>5}"
            f"{100 * right[field] / total[field]:>10.1f}%"
        )
    all_right, all_total = sum(right.values()), sum(total.values())
    lines.append(
        f"{'all fields':<20}{all_right:>7}{all_total:>5}{100 * all_right / all_total:>10.1f}%"
    )
    with capsys.disabled():
        print("\nimport corpus: " + ", ".join(p.name for p in CORPUS))
        print("\n".join(lines))
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_repairs_and_flags_are_listed(path: Path) -> None:
    """Every repair the expectation names is made and listed, every flag raised; no repair
    beyond them (a change not listed there would be an invented one)."""
    sheets, expected = _read(path)
    for sheet, want in zip(sheets, expected, strict=True):
        got = sheet.to_json()
        assert [[r["before"], r["after"]] for r in got["repairs"]] == want["repairs"]
        assert [[u["kind"], u["heading"], u["text"]] for u in got["unparsed"]] == want["flags"]


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_nothing_is_invented(path: Path) -> None:
    """An empty expected field is empty in the reading and its heading is flagged."""
    sheets, expected = _read(path)
    for sheet, want in zip(sheets, expected, strict=True):
        got = sheet.to_json()
        flagged = {u["heading"] for u in got["unparsed"]}
        if want["number"] is None:
            assert got["number"] is None and "" in flagged
        if want["kind"] is None:
            assert got["kind"] is None and "1" in flagged
        if want["budget"] == {}:
            assert got["budget"] == {} and "8" in flagged
