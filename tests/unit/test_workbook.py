"""The hand-written XLSX writer (infra.documents.workbook): what it writes, openpyxl reads back
as it was meant (values and their types, formats, bold, wrapped text, the frozen header, the
filter, widths, the document's properties), and the same book gives the same bytes."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import openpyxl
import pytest

from infra.documents.workbook import (
    DATE_FORMAT,
    ISO_DATE_FORMAT,
    MONEY_FORMAT,
    PERCENT_FORMAT,
    Book,
    column_letter,
    excel_serial,
    sheet,
    text_width,
)

AT = datetime(2026, 9, 30, 20, 30, 15, 999, tzinfo=UTC)
HEADERS = ["ชื่อ", "งบประมาณ (บาท)", "ร้อยละ", "กำหนดเสร็จ", "เมื่อ", "ใช้งบ", "จำนวน", "หมายเหตุ"]
LONG = "โครงการส่งเสริมคุณธรรมจริยธรรมและความโปร่งใสของบุคลากรในองค์กร"  # > 40 characters
ROWS: list[list[Any]] = [
    [
        "ก & <ข> \"ค\" 'ง'",
        Decimal("2500.25"),
        Decimal("33.33"),
        date(2026, 3, 31),
        datetime(2026, 3, 31, 18, 0),
        True,
        7,
        LONG,
    ],
    ["=SUM(A1:A2)", 1500, 25, date(1900, 1, 1), None, False, 3.5, None],
    [
        "  ช่องว่างหน้าหลัง  ",
        Decimal("12345678901234567.89"),
        Decimal("0.00"),
        None,
        datetime(2026, 1, 1, 12, 0, tzinfo=timezone(timedelta(hours=7))),
        None,
        -2,
        "บรรทัดหนึ่ง\nสอง\r\nสาม",
    ],
]


def _book() -> bytes:
    wb = Book()
    ws = sheet(wb, "รายการ", HEADERS, ROWS)
    ws.width(8, 30)
    about = wb.sheet("ข้อมูล")
    about.table(
        ["หัวข้อ", "ค่า"],
        [("งบประมาณรวม (บาท)", 900), ("ร้อยละ", 50), ("วันที่", date(2026, 1, 2))],
        keyed=True,
    )
    about.cell(5, 2, "รวม", bold=True)
    about.cell(5, 3, Decimal("12.5"), bold=True, number_format=PERCENT_FORMAT)
    about.finish(["หัวข้อ", "ค่า"], [], filtered=False)
    return wb.save("รายงาน ทดสอบ", "อบต. ทดสอบ", AT)


def test_every_kind_of_cell_reads_back_as_written() -> None:
    wb = openpyxl.load_workbook(io.BytesIO(_book()))
    assert wb.sheetnames == ["รายการ", "ข้อมูล"]
    ws = wb["รายการ"]
    assert [c.value for c in ws[1]] == HEADERS
    assert all(c.font.bold for c in ws[1])
    assert not any(c.font.bold for c in ws[2])
    a2, b2, c2, d2, e2, f2, g2, h2 = ws[2]
    assert a2.value == "ก & <ข> \"ค\" 'ง'" and a2.data_type == "s"
    assert b2.value == 2500.25 and b2.number_format == MONEY_FORMAT
    assert c2.value == 33.33 and c2.number_format == PERCENT_FORMAT
    assert d2.value == datetime(2026, 3, 31) and d2.number_format == DATE_FORMAT
    assert e2.value == datetime(2026, 3, 31, 18, 0) and e2.number_format == DATE_FORMAT
    assert f2.value is True and f2.data_type == "b"
    assert g2.value == 7 and type(g2.value) is int and g2.number_format == "General"
    assert h2.value == LONG and h2.alignment.wrap_text and h2.alignment.vertical == "top"
    assert not a2.alignment.wrap_text
    a3, b3, c3, d3, e3, f3, g3, h3 = ws[3]
    assert a3.value == "=SUM(A1:A2)" and a3.data_type == "s"  # text, never a formula
    assert b3.value == 1500 and b3.number_format == MONEY_FORMAT
    assert c3.value == 25 and c3.number_format == PERCENT_FORMAT
    assert d3.value == datetime(1900, 1, 1)  # serial 1, before Excel's 29 February 1900
    assert e3.value is None and h3.value is None
    assert f3.value is False and g3.value == 3.5 and g3.number_format == "General"
    a4, b4, c4, _, e4, *_, h4 = ws[4]
    assert a4.value == "  ช่องว่างหน้าหลัง  "
    assert b4.value == 12345678901234567.89  # as a spreadsheet holds it: a double
    assert c4.value == 0 and c4.number_format == PERCENT_FORMAT
    assert e4.value == datetime(2026, 1, 1, 5, 0)  # an aware datetime, in UTC
    assert h4.value == "บรรทัดหนึ่ง\nสอง\r\nสาม"  # the CR kept
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:H4"
    widths = {k: ws.column_dimensions[k].width for k in "ABCDEFGH"}
    # "  ช่องว่างหน้าหลัง  ": 16 places (4 of its 20 characters are marks); 25 for the
    # money as "12,345,678,901,234,567.89", 12 for a date; 2 to spare, 8 at least. H is set.
    assert widths == {"A": 18, "B": 27, "C": 8, "D": 14, "E": 14, "F": 8, "G": 8, "H": 30}
    about = wb["ข้อมูล"]
    assert about["B2"].value == 900 and about["B2"].number_format == MONEY_FORMAT  # keyed
    assert about["B3"].number_format == PERCENT_FORMAT
    assert about["B4"].number_format == DATE_FORMAT
    assert about["B5"].font.bold and about["C5"].font.bold
    assert about["C5"].value == 12.5 and about["C5"].number_format == PERCENT_FORMAT
    assert about.freeze_panes == "A2" and about.auto_filter.ref is None
    assert about.column_dimensions["A"].width == 19  # "งบประมาณรวม (บาท)": 17 places
    props = wb.properties
    assert props.title == "รายงาน ทดสอบ" and props.creator == "อบต. ทดสอบ"
    assert props.lastModifiedBy == "Sujarit (สุจริต)"
    assert props.created == props.modified == datetime(2026, 9, 30, 20, 30, 15)


def test_the_decimal_is_written_exactly() -> None:
    wb = Book()
    exact = Decimal("12345678901234567890123456789.25")  # more digits than a context keeps
    values = [exact, Decimal("25.00"), Decimal("-0.50"), Decimal("1E+3"), Decimal("0.00")]
    wb.sheet("ก").table(["ค่า"], [[v] for v in values])
    xml = zipfile.ZipFile(io.BytesIO(wb.save("t", "a", AT))).read("xl/worksheets/sheet1.xml")
    for written in (str(exact), "25", "-0.5", "1000", "0"):
        assert f"<v>{written}</v>".encode() in xml


def test_the_same_book_gives_the_same_bytes() -> None:
    first = _book()
    assert _book() == first
    wb = Book()
    sheet(wb, "รายการ", HEADERS, ROWS)
    assert wb.save("t", "a", AT) == wb.save("t", "a", AT + timedelta(microseconds=1))
    assert wb.save("t", "a", AT) != wb.save("t", "a", AT + timedelta(seconds=1))
    z = zipfile.ZipFile(io.BytesIO(first))
    assert z.namelist()[:3] == ["[Content_Types].xml", "_rels/.rels", "docProps/app.xml"]
    for info in z.infolist():
        assert info.date_time == (2026, 9, 30, 20, 30, 14)  # DOS times count two seconds
        assert info.compress_type == zipfile.ZIP_DEFLATED
        assert info.external_attr == 0o600 << 16
    assert z.testzip() is None


def test_characters_xml_forbids_are_dropped() -> None:
    wb = Book()
    ws = wb.sheet("ก")
    ws.table(["ข้อความ"], [["a\x00b\x01c\x0bd\x0ce\x1ff\ufffeg\tทดสอบ"], ["\x07"]])
    ws.finish(["ข้อความ"], [[1], [2]])
    data = wb.save("ชื่อ\x00เรื่อง", "ผู้\x1fเขียน", AT)
    back = openpyxl.load_workbook(io.BytesIO(data))
    assert back["ก"]["A2"].value == "abcdefg\tทดสอบ"
    assert back["ก"]["A3"].value is None  # nothing left: an empty cell
    assert back.properties.title == "ชื่อเรื่อง" and back.properties.creator == "ผู้เขียน"


@pytest.mark.parametrize("text", ["=1+1", "+1", "-2+3", "@SUM(1)", "\t=1", "\r=1", '=A1&"x"'])
def test_formula_like_text_stays_text(text: str) -> None:
    wb = Book()
    wb.sheet("ก").cell(1, 1, text)
    cell = openpyxl.load_workbook(io.BytesIO(wb.save("t", "a", AT)))["ก"]["A1"]
    assert cell.data_type == "s" and cell.value == text


def test_a_sheet_with_no_rows() -> None:
    wb = Book()
    sheet(wb, "ว่าง", ["ชื่อ", "ค่า"], [])
    wb.sheet("ไม่มีอะไร")
    back = openpyxl.load_workbook(io.BytesIO(wb.save("t", "a", AT)))
    ws = back["ว่าง"]
    assert [c.value for c in ws[1]] == ["ชื่อ", "ค่า"] and ws.max_row == 1
    assert ws.auto_filter.ref is None and ws.freeze_panes == "A2"
    assert ws.column_dimensions["A"].width == 8
    empty = back["ไม่มีอะไร"]
    assert empty.max_row == 1 and empty["A1"].value is None and empty.freeze_panes is None


def test_thai_text_and_its_width() -> None:
    name = "องค์การบริหารส่วนตำบลพังขว้าง"  # 29 characters, 5 of them marks above or below
    assert text_width(name) == 24 and text_width("abc") == 3 and text_width("ก\U0001d165") == 1
    wb = Book()
    ws = sheet(wb, "อปท.", ["ชื่อ อปท."], [[name]])
    ws.freeze("C2")
    back = openpyxl.load_workbook(io.BytesIO(wb.save(name, name, AT)))
    ws2 = back["อปท."]
    assert ws2["A2"].value == name and ws2.column_dimensions["A"].width == 26
    assert ws2.freeze_panes == "C2"
    assert back.properties.title == name


def test_other_formats_and_filters_across_sheets() -> None:
    wb = Book()
    sheet(wb, "it's", ["ก", "ข"], [[1, 2]])
    ws = wb.sheet("ข")
    ws.cell(1, 1, date(2026, 11, 1), number_format=ISO_DATE_FORMAT)
    sheet(wb, "ค", ["ก"], [[1], [2]])
    data = wb.save("t", "a", AT)
    back = openpyxl.load_workbook(io.BytesIO(data))
    assert back["ข"]["A1"].number_format == ISO_DATE_FORMAT
    assert back["it's"].auto_filter.ref == "A1:B2" and back["ค"].auto_filter.ref == "A1:A3"
    workbook = zipfile.ZipFile(io.BytesIO(data)).read("xl/workbook.xml").decode()
    assert "'it''s'!$A$1:$B$2" in workbook and 'localSheetId="2"' in workbook


def test_what_a_worksheet_cannot_hold_is_refused() -> None:
    wb = Book()
    with pytest.raises(ValueError):
        wb.sheet("a/b")
    with pytest.raises(ValueError):
        wb.sheet("x" * 32)
    ws = wb.sheet("ก")
    with pytest.raises(ValueError):
        wb.sheet("ก")
    with pytest.raises(ValueError):
        ws.cell(0, 1, 1)
    with pytest.raises(ValueError):
        ws.cell(1, 16_385, 1)
    ws.cell(1, 1, object())
    with pytest.raises(TypeError):
        wb.save("t", "a", AT)
    with pytest.raises(ValueError):
        Book().save("t", "a", AT)
    with pytest.raises(ValueError):
        Book().save("t", "a", datetime(2026, 1, 1))  # naive: which zone?


def test_serials_and_letters() -> None:
    assert excel_serial(date(2026, 3, 31)) == 46112
    assert excel_serial(date(1900, 3, 1)) == 61 and excel_serial(date(1900, 2, 28)) == 59
    assert excel_serial(datetime(2026, 3, 31, 18, 0)) == 46112.75
    assert [column_letter(n) for n in (1, 26, 27, 52, 703, 16384)] == [
        "A", "Z", "AA", "AZ", "AAA", "XFD"
    ]  # fmt: skip
