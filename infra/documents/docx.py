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

from domain.shared.thai import grouped
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
    _centre(doc, "บัญชีโครงการ/กิจกรรม/มาตรการ")
    _centre(doc, t["title"])
    _centre(doc, t["org_name"])
    _centre(doc, f"ปีงบประมาณ พ.ศ. {t['first_year']} – {t['last_year']}", bold=False)
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
