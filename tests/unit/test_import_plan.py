"""A whole plan in one document: the round, the summary table's items placed under their
dimensions and sub-items with their budgets, each matched to its detail sheet. The same plan
is read from text, from Word (the table a real Word table) and from a PDF's text layer."""

from __future__ import annotations

import html
import io
import json
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest

from domain.imports.plan import (
    DIMENSION_2_FROM_2566,
    ParsedPlan,
    has_table,
    known_templates,
    parse_plan,
    template_for,
)
from domain.plans.catalogue import TEMPLATE_2561, Catalogue, Dimension, SubItem
from infra.imports.files import read_documents
from infra.imports.lexicon import thai_lexicon
from infra.imports.parse import NoPlanFound, parse_plan_upload, parse_upload

PLANS = Path(__file__).resolve().parents[1] / "samples" / "imports" / "plans"
PLAN = PLANS / "phonsawan-2566-2570-plan.txt"
_TABLE_START = "มิติที่ ๑ การสร้างสังคม"
_TABLE_END = "รวมทั้งสิ้น"


def read(text: str) -> ParsedPlan:
    return parse_plan(text, thai_lexicon(), known_templates())


def summary(plan: ParsedPlan) -> dict[str, Any]:
    """What the expected JSON pins: the round and, per item, where it went and what it holds."""
    out: dict[str, Any] = {
        "title": plan.title,
        "years": list(plan.years) if plan.years else None,
        "round": plan.round_name,
        "dimension_2": plan.catalogue.dimensions[1].title,
        "problems": [u.why for u in plan.problems],
        "items": [],
    }
    years = plan.years or (0, 0)
    for item in plan.items:
        sheet = item.sheet_json(years)
        out["items"].append(
            {
                "number": item.number,
                "listed_as": item.table.listed_as if item.table else None,
                "matched_by": item.matched_by,
                "has_sheet": item.sheet is not None,
                "kind": sheet["kind"],
                "name": sheet["name"],
                "budget": sheet["budget"],
                "table_budget": item.table.to_json()["budget"] if item.table else None,
                "steps": len(sheet["steps"]),
                "outputs": [
                    [o["comparator"], o["target"], o["unit"]] for o in sheet["output_indicators"]
                ],
                "notes": [u.why for u in item.notes],
            }
        )
    return out


def expected() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        PLAN.with_suffix(".expected.json").read_text(encoding="utf-8")
    )
    return data


def test_a_whole_plan_from_text() -> None:
    assert summary(read(PLAN.read_text(encoding="utf-8"))) == expected()


def test_every_item_is_placed_under_its_dimension_and_sub_item() -> None:
    plan = read(PLAN.read_text(encoding="utf-8"))
    data = plan.to_json()
    placed = {
        s["number"]: [i["number"] for i in s["items"]]
        for d in data["dimensions"]
        for s in d["sub_items"]
        if s["items"]
    }
    assert placed == {
        "1.1": ["1.1.1", "1.1.2", "1.1.3"],
        "1.3": ["1.3.1"],
        "2.2": ["2.2.1"],
        "3.1": ["3.1.1"],
    }
    assert data["unplaced"] == []
    assert data["counts"] == {"table_items": 6, "sheets": 5, "matched": 5}
    # The item without a sheet keeps only what the table says, and says so.
    (alone,) = [i for i in plan.items if i.sheet is None]
    sheet = alone.sheet_json((2566, 2570))
    assert sheet["steps"] == [] and sheet["output_indicators"] == [] and sheet["rationale"] == ""
    assert sheet["unparsed"][-1]["kind"] == "missing_heading"


def _split(text: str) -> tuple[str, list[str], str]:
    start = text.index(_TABLE_START)
    end = text.index("\n", text.index(_TABLE_END)) + 1
    return text[:start], text[start:end].strip().split("\n"), text[end:]


_ROW = r"^(.*?)((?:\s+(?:[\d๐-๙][\d๐-๙,]*|-))+)\s*(ไม่ใช้งบประมาณ)?$"


def _cells(row: str) -> list[str]:
    """A table row as its cells: the item, one amount per year, the remark."""
    import re

    m = re.match(_ROW, row)
    if not m:
        return [row, "", "", "", "", "", ""]
    amounts = m[2].split()
    return [m[1], *amounts, m[3] or ""][:7] + [""] * (7 - len(amounts) - 2)


def docx_plan() -> bytes:
    import docx

    cover, rows, sheets = _split(PLAN.read_text(encoding="utf-8"))
    joined: list[str] = []
    for row in rows:  # a wrapped row is one cell in Word
        if joined and row.startswith("("):
            joined[-1] = joined[-1].split(" ๕,")[0] + " " + row
        else:
            joined.append(row)
    d = docx.Document()
    for line in cover.split("\n"):
        d.add_paragraph(line)
    table = d.add_table(rows=0, cols=7)
    for row in joined:
        cells = table.add_row().cells
        for cell, value in zip(cells, _cells(row), strict=True):
            cell.text = value
    for line in sheets.split("\n"):
        d.add_paragraph(line)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def test_the_same_plan_from_word() -> None:
    (doc,) = read_documents("phonsawan.docx", docx_plan())
    assert summary(read(doc.text)) == expected()


def pdf_plan() -> bytes:
    import weasyprint

    cover, rows, sheets = _split(PLAN.read_text(encoding="utf-8"))

    def paragraphs(text: str) -> str:
        return "".join(f"<p>{html.escape(x) or '&nbsp;'}</p>" for x in text.split("\n"))

    trs = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in _cells(r)) + "</tr>" for r in rows
    )
    font = files("fontpkg_sarabun") / "files" / "Sarabun-Regular.ttf"
    css = (
        f"@font-face {{ font-family: Sarabun; src: url('file://{font}'); }} "
        "body { font-family: Sarabun; font-size: 12pt } p { margin: 0 } "
        "table { border-collapse: collapse; width: 100% } td { border: 1px solid #000 }"
    )
    body = f"{paragraphs(cover)}<table>{trs}</table>{paragraphs(sheets)}"
    return weasyprint.HTML(
        string=f"<html lang='th'><head><style>{css}</style></head><body>{body}</body></html>"
    ).write_pdf()


def test_the_same_plan_from_a_pdf_text_layer() -> None:
    plan = parse_plan_upload("phonsawan.pdf", pdf_plan())
    got, want = summary(plan), expected()
    assert got["years"] == want["years"] and got["round"] == want["round"]
    assert [(i["number"], i["matched_by"], i["table_budget"]) for i in got["items"]] == [
        (i["number"], i["matched_by"], i["table_budget"]) for i in want["items"]
    ]
    assert [i["budget"] for i in got["items"]] == [i["budget"] for i in want["items"]]


def test_a_file_without_a_plan_is_refused_by_name() -> None:
    with pytest.raises(NoPlanFound) as e:
        parse_plan_upload("notes.txt", "บันทึกการประชุม\nไม่มีตาราง".encode())
    assert "notes.txt" in e.value.message


def test_the_round_takes_its_template_or_the_2561_numbering() -> None:
    name, catalogue = template_for(2566, {2561: TEMPLATE_2561})
    assert name == "2566-2570"
    assert catalogue.dimensions[1].title == DIMENSION_2_FROM_2566
    assert [s.number for s in catalogue.dimensions[1].sub_items] == [
        s.number for s in TEMPLATE_2561.dimensions[1].sub_items
    ]
    own = Catalogue((Dimension(1, "มิติหนึ่ง", (SubItem("1.1", "ภารกิจ"),)),))
    assert template_for(2566, {2561: TEMPLATE_2561, 2566: own})[1] is own
    assert template_for(2562, {2561: TEMPLATE_2561, 2566: own})[1] is TEMPLATE_2561


def test_a_table_row_whose_columns_do_not_fit_the_years_is_flagged_not_guessed() -> None:
    text = PLAN.read_text(encoding="utf-8").replace(
        "ค่ายเยาวชนต้านโกง) ๕,๐๐๐ ๕,๐๐๐ ๕,๐๐๐ ๕,๐๐๐ ๕,๐๐๐", "ค่ายเยาวชนต้านโกง) ๕,๐๐๐ ๕,๐๐๐ ๕,๐๐๐"
    )
    plan = read(text)
    (youth,) = [i for i in plan.items if i.number == "1.3.1"]
    assert youth.table is not None and youth.table.budget == {}
    assert any("ไม่เท่ากับจำนวนปี" in u.why for u in plan.problems)
    # The sheet's own budget (ปีละ ๕,๐๐๐ บาท over the five years) still stands.
    assert youth.sheet_json((2566, 2570))["budget"] == {str(y): 5000 for y in range(2566, 2571)}


def test_the_sheets_upload_takes_a_summary_table_too() -> None:
    """A file holding the table (alone, or with the sheets) is no longer refused: its items
    come out as sheets, numbered in table order; those without a sheet say so."""
    text = PLAN.read_text(encoding="utf-8")
    whole = parse_upload([("plan.txt", text.encode())])
    assert [s.number for _, s in whole.sheets] == [
        "1.1.1",
        "1.1.2",
        "1.1.3",
        "1.3.1",
        "2.2.1",
        "3.1.1",
    ]
    table_only = parse_upload([("table.txt", text[: text.index("ส่วนที่ ๓")].encode())])
    sheets = [s for _, s in table_only.sheets]
    assert len(sheets) == 6 and all(s.steps == () for s in sheets)
    assert all(s.unparsed[-1].kind.value == "missing_heading" for s in sheets)
    assert sheets[0].budget == {y: 10000 for y in range(2566, 2571)} and sheets[1].budget is None


def test_a_single_2566_sheet_is_not_taken_for_a_table() -> None:
    sheet = (PLANS.parent / "banphaeng-2566-1.1.1-nine.txt").read_text(encoding="utf-8")
    assert not has_table(sheet)
    assert has_table(PLAN.read_text(encoding="utf-8"))


def test_a_sheet_not_in_the_table_is_reported_not_dropped() -> None:
    extra = (PLANS.parent / "tharae-1.1.2.txt").read_text(encoding="utf-8")
    plan = read(PLAN.read_text(encoding="utf-8") + "\n" + extra)
    (alone,) = [i for i in plan.items if i.table is None]
    assert alone.sheet is not None and alone.number == "1.1.2"
    whys = [u.why for u in alone.notes]
    assert any("ไม่มีในตารางบัญชีโครงการ" in w for w in whys)
    assert any("ซ้ำกับรายการในตาราง" in w for w in whys)  # the table's 1.1.1 (2) is 1.1.2
    assert len(plan.items) == 7
