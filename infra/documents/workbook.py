"""Workbook helpers: typed cells with Thai-era date formats, bold headers, frozen header
rows, filters, column widths, and a save that gives the same bytes for the same content."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from infra.documents.common import utc

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Arabic digits (01), the Thai Buddhist calendar (07), Thai (041E): 31 มี.ค. 2568.
DATE_FORMAT = "[$-107041E]d mmm yyyy"
MONEY_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.00"
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
Row = Sequence[Any]


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_like(value: Any) -> bool:
    """Text a spreadsheet could take for a formula (CSV/XLSX formula injection)."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_text(value: Any) -> Any:
    """A CSV cell: text that a spreadsheet could run as a formula gets a leading apostrophe,
    so it stays text (OWASP's advice for CSV injection)."""
    return "'" + value if formula_like(value) else value


def put(ws: Worksheet, row: int, column: int, value: Any) -> Any:
    """Write one cell; text that looks like a formula is stored as text, never a formula."""
    cell = ws.cell(row=row, column=column, value=value)
    if formula_like(value):
        cell.data_type = "s"
    return cell


def _width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, date):
        return 12
    if isinstance(value, Decimal | float):
        return len(f"{value:,.2f}")
    text = str(value)
    return sum(1 for c in text if not unicodedata.category(c).startswith("M"))


def _number_format(label: str, value: Any) -> str | None:
    if isinstance(value, date):
        return DATE_FORMAT
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        if "บาท" in label:
            return MONEY_FORMAT
        if "ร้อยละ" in label:
            return PERCENT_FORMAT
    return None


def table(
    ws: Worksheet, headers: Row, rows: Sequence[Row], start: int = 1, *, keyed: bool = False
) -> None:
    """Headers (bold) then rows, from row ``start``. Dates, baht and percentages get their
    number formats, by the column's header (or, ``keyed``, by the row's first cell)."""
    for col, h in enumerate(headers, start=1):
        put(ws, start, col, h).font = BOLD
    for r, row in enumerate(rows, start=start + 1):
        for col, value in enumerate(row, start=1):
            cell = put(ws, r, col, value)
            label = str(row[0]) if keyed else str(headers[col - 1])
            if fmt := _number_format(label, value):
                cell.number_format = fmt
            if isinstance(value, str) and len(value) > 40:
                cell.alignment = WRAP


def finish(ws: Worksheet, headers: Row, rows: Sequence[Row], *, filtered: bool = True) -> None:
    ws.freeze_panes = "A2"
    if filtered and rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
    for col in range(1, ws.max_column + 1):
        values = [ws.cell(row=r, column=col).value for r in range(1, ws.max_row + 1)]
        ws.column_dimensions[get_column_letter(col)].width = min(
            60, max(8, *(_width(v) + 2 for v in values))
        )


def sheet(wb: Workbook, title: str, headers: Row, rows: Sequence[Row]) -> Worksheet:
    ws = wb.create_sheet(title)
    table(ws, headers, rows)
    finish(ws, headers, rows)
    return ws


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def save(wb: Workbook, title: str, author: str, generated_at: datetime) -> bytes:
    at = utc(generated_at).replace(tzinfo=None)  # openpyxl writes these as UTC
    wb.properties.title = title
    wb.properties.creator = author
    wb.properties.lastModifiedBy = "Sujarit (สุจริต)"
    wb.properties.created = at
    wb.properties.modified = at
    raw = io.BytesIO()
    wb.save(raw)
    # zipfile stamps each entry with the time of writing: restamp them with generated_at.
    out = io.BytesIO()
    stamp = (max(at.year, 1980), at.month, at.day, at.hour, at.minute, at.second)
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                # openpyxl's save sets "modified" to the time of saving, whatever we said.
                data = _MODIFIED.sub(
                    rb"\g<1>" + at.strftime("%Y-%m-%dT%H:%M:%SZ").encode() + rb"\g<2>", data
                )
            dst.writestr(entry, data)
    return out.getvalue()
