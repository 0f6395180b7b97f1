"""Word (.docx) renderings, since offices edit their documents in Word: the plan's summary
table (A4 landscape). Sarabun (the official TH Sarabun's family), Buddhist Era years."""

from __future__ import annotations

import io
from datetime import datetime
from decimal import Decimal
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from domain.reporting.letter import CoverLetter
from domain.shared.fiscal import thai_digits
from domain.shared.thai import grouped, thai_date
from infra.documents.common import RecordMark

DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FONT = "TH Sarabun New"


def _money(value: Decimal | None) -> str:
    return "–" if value is None else grouped(value, places=2)


def _document(landscape: bool) -> Any:
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(14)
    style.element.rPr.rFonts.set(qn("w:cs"), FONT)  # the complex-script (Thai) font too
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    section.left_margin, section.right_margin = Cm(2), Cm(1.5)
    section.top_margin, section.bottom_margin = Cm(2), Cm(1.5)
    return doc


def _centre(doc: Any, text: str, bold: bool = True) -> None:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(text)
    run.bold = bold


def _save(doc: Any, title: str, author: str, at: datetime) -> bytes:
    doc.core_properties.title = title
    doc.core_properties.author = author
    doc.core_properties.created = at.replace(tzinfo=None)
    doc.core_properties.modified = at.replace(tzinfo=None)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _record_footer(doc: Any, record: RecordMark) -> None:
    """The record mark in every page's footer: the QR code to the verify page and the
    sentence of the PDFs (the log's sequence the data reflects and that page's address)."""
    footer = doc.sections[0].footer
    p = footer.paragraphs[0]
    p.add_run().add_picture(io.BytesIO(record.qr_png()), width=Cm(2))
    run = p.add_run("  " + record.text())
    run.font.size = Pt(11)


def plan_table_docx(
    t: dict[str, Any], generated_at: datetime, record: RecordMark | None = None
) -> bytes:
    """The plan's summary table (A4 landscape), with its record mark in the footer, if given."""
    doc = _document(landscape=True)
    if record is not None:
        _record_footer(doc, record)
    for line in t["heading"]:
        _centre(doc, line)
    _centre(doc, t["period"], bold=False)
    years = t["years"]
    headers = ["ที่", "โครงการ/กิจกรรม/มาตรการ", "ประเภท", *(f"งบประมาณ {y} (บาท)" for y in years)]
    headers.append("หมายเหตุ")
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True

    def row(values: list[str], bold: bool = False) -> None:
        cells = table.add_row().cells
        for i, (cell, text) in enumerate(zip(cells, values, strict=True)):
            cell.text = text
            if 3 <= i < 3 + len(years):
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
            for run in cell.paragraphs[0].runs:
                run.bold = bold

    def counts(c: dict[str, int]) -> str:
        text = f"โครงการ {c['project']} กิจกรรม {c['activity']} มาตรการ {c['measure']}"
        return text + (f" แนวปฏิบัติ {c['guideline']}" if c.get("guideline") else "")

    for d in t["dimensions"]:
        dim = table.add_row().cells
        merged = dim[0].merge(dim[-1])
        merged.text = f"มิติที่ {d['number']} {d['title']}"
        merged.paragraphs[0].runs[0].bold = True
        for r in d["rows"]:
            row([r["number"], r["name"], r["kind"], *map(_money, r["budget"]), r["remark"]])
        if not d["rows"]:
            row(["", "ไม่มีรายการในมิตินี้", "", *([""] * len(years)), ""])
        row(
            ["", f"รวมมิติที่ {d['number']}: {counts(d['counts'])}", "", *map(_money, d["budget"]), ""],
            True,
        )
    row(["", f"รวมทั้งสิ้น: {counts(t['counts'])}", "", *map(_money, t["budget"]), ""], True)
    widths = [Cm(1.4), Cm(9.5), Cm(2.2), *([Cm(2.6)] * len(years)), Cm(2.6)]
    for r in table.rows:
        for cell, w in zip(r.cells, widths, strict=True):
            cell.width = w
    return _save(doc, f"บัญชีโครงการ {t['org_name']}", t["org_name"], generated_at)


def cover_letter_docx(letter: CoverLetter, generated_at: datetime) -> bytes:
    """The cover letter of a round's report (หนังสือนำส่ง) in the official letter layout, A4
    portrait, 16 pt, Thai digits; the top 3 cm left for the Garuda (กระดาษตราครุฑ)."""
    doc = _document(landscape=False)
    doc.styles["Normal"].font.size = Pt(16)
    section = doc.sections[0]
    section.top_margin, section.left_margin, section.right_margin = Cm(4.5), Cm(3), Cm(2)
    half = (section.page_width - section.left_margin - section.right_margin) // 2

    def para(text: str = "", *, left: Any = None, first: Any = None, before: int = 0) -> Any:
        p = doc.add_paragraph(thai_digits(text) if "@" not in text else text)
        fmt = p.paragraph_format
        fmt.space_after, fmt.space_before = Pt(0), Pt(before)
        if left is not None:
            fmt.left_indent = left
        if first is not None:
            fmt.first_line_indent = first
        return p

    head = doc.add_table(rows=1, cols=2)
    head.autofit = False
    left, right = head.rows[0].cells
    left.text = thai_digits(f"ที่ {letter.number}")
    right.text = thai_digits("\n".join(letter.sender))
    right.paragraphs[0].paragraph_format.left_indent = Cm(2)
    left.width, right.width = Cm(9), Cm(7)
    para(thai_date(letter.on, numerals=True), left=half, before=6)
    label = Cm(2.6)
    for name, value in (
        ("เรื่อง", letter.subject),
        ("เรียน", letter.addressee),
        *((("อ้างถึง", letter.reference),) if letter.reference else ()),
        ("สิ่งที่ส่งมาด้วย", "\n".join(letter.enclosures)),
    ):
        p = para(f"{name}\t{value}", left=label, first=-label, before=6 if name == "เรื่อง" else 0)
        p.paragraph_format.tab_stops.add_tab_stop(label)
    for text in letter.paragraphs:
        p = para(text, first=Cm(2.5), before=6)
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        p.paragraph_format.keep_with_next = text is letter.paragraphs[-1]
    closing = [
        para(letter.closing, first=Cm(2.5), before=6),
        para("ขอแสดงความนับถือ", left=half + Cm(1.5), before=12),
        para(),
        para(),
        para(f"({letter.signer_name or '.' * 40})", left=half - Cm(2)),
    ]
    closing[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    position = para(letter.signer_position, left=half - Cm(2))
    position.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for p in closing:  # the signature block stays on the page of its text
        p.paragraph_format.keep_with_next = True
    para()
    for line in letter.unit:
        para(line)
    return _save(doc, f"{letter.subject} {letter.org_name}", letter.org_name, generated_at)
