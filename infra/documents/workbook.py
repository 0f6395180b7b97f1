"""A small SpreadsheetML (Office Open XML, .xlsx) writer: typed cells with Thai-era date
formats, bold headers, frozen header rows, filters, column widths, and a save that gives the
same bytes for the same content.

Written by hand instead of with openpyxl, which took ~0.13 s of CPU for a report of 80 items
(~18 % of the report's cost): the parts are strings put together directly. Only what the
reports use is here: inline strings, numbers, booleans, dates; bold, number formats, wrapped
text; frozen panes, an autofilter and column widths; the document's title, author and times.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache
from io import BytesIO
from typing import Any

from infra.documents.common import utc

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Arabic digits (01), the Thai Buddhist calendar (07), Thai (041E): 31 มี.ค. 2568.
DATE_FORMAT = "[$-107041E]d mmm yyyy"
MONEY_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.00"
ISO_DATE_FORMAT = "yyyy-mm-dd"
MODIFIED_BY = "Sujarit (สุจริต)"
Row = Sequence[Any]


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_like(value: Any) -> bool:
    """Text a spreadsheet could take for a formula (CSV/XLSX formula injection). The writer
    stores every ``str`` as text, never as a formula, so in an XLSX such text is harmless."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_text(value: Any) -> Any:
    """A CSV cell: text that a spreadsheet could run as a formula gets a leading apostrophe,
    so it stays text (OWASP's advice for CSV injection)."""
    return "'" + value if formula_like(value) else value


# -- text --------------------------------------------------------------------------------------

# XML 1.0 allows tab, LF, CR and every character from U+0020 but the surrogates, U+FFFE and
# U+FFFF: user text with any other (a pasted form feed, a NUL) loses it instead of making the
# file unreadable.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Text for an XML element or a double-quoted attribute. A CR is written as a character
    reference: a parser would read a literal one as a line feed."""
    if _ILLEGAL.search(text):
        text = _ILLEGAL.sub("", text)
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("\r", "&#13;")
    )


@cache
def _marks() -> re.Pattern[str]:
    """The combining marks of the Basic Multilingual Plane (Thai vowels above and below, tone
    marks, ...), which take no width of their own."""
    marks = [chr(c) for c in range(0x300, 0x10000) if unicodedata.category(chr(c))[0] == "M"]
    return re.compile("[" + "".join(re.escape(m) for m in marks) + "]")


def text_width(text: str) -> int:
    """How many characters of ``text`` take a place of their own (not combining marks)."""
    if text.isascii():
        return len(text)
    if max(text) > "\uffff":  # rare: count as the definition says
        return sum(1 for c in text if not unicodedata.category(c).startswith("M"))
    return len(text) - len(_marks().findall(text))


def _width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, date):
        return 12
    if isinstance(value, Decimal | float):
        return len(f"{value:,.2f}")
    return text_width(value if isinstance(value, str) else str(value))


def _number_format(label: str, value: Any) -> str | None:
    if isinstance(value, date):
        return DATE_FORMAT
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        if "บาท" in label:
            return MONEY_FORMAT
        if "ร้อยละ" in label:
            return PERCENT_FORMAT
    return None


# -- cells -------------------------------------------------------------------------------------

MAX_ROWS, MAX_COLUMNS = 1_048_576, 16_384


@cache
def column_letter(column: int) -> str:
    """1 -> A, 27 -> AA."""
    if not 1 <= column <= MAX_COLUMNS:
        raise ValueError(f"column {column} is outside 1..{MAX_COLUMNS}")
    letters = ""
    while column:
        column, r = divmod(column - 1, 26)
        letters = chr(65 + r) + letters
    return letters


_EPOCH = datetime(1899, 12, 30)
_EPOCH_DATE = _EPOCH.date()


def excel_serial(value: date) -> int | float:
    """The 1900 date system's serial number: days since 1899-12-30 (a datetime with the time
    as a fraction; an aware one in UTC), one less up to 1900-02-28, as Excel counts a
    29 February 1900 that never was."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        delta = value - _EPOCH
        days = delta.days - 1 if delta.days <= 60 else delta.days
        if not (delta.seconds or delta.microseconds):
            return days
        return days + (delta.seconds + delta.microseconds / 1_000_000) / 86_400
    days = (value - _EPOCH_DATE).days
    return days - 1 if days <= 60 else days


def _number(value: float | Decimal) -> str | None:
    """A number as a cell's <v>, exactly (a Decimal is not put through a float, and loses
    only its trailing zeros: 25.00 is written 25); None for NaN and the infinities, which a
    spreadsheet cannot hold (they are written as text)."""
    if isinstance(value, Decimal):
        if not value.is_finite():
            return None
        text = format(value, "f")  # never an exponent, and no rounding (as normalize has)
        return text.rstrip("0").rstrip(".") if "." in text else text
    return repr(value) if value - value == 0 else None


def _cell(value: Any, style: int) -> str:
    """A cell's XML after ``<c r="A1"``; "" for no cell (nothing to write, no style)."""
    s = f' s="{style}"' if style else ""
    kind = type(value)
    if kind is int:
        return f"{s}><v>{value}</v></c>"
    if kind is str and value:
        text = value
    elif value is None or value == "":  # an empty cell, as openpyxl writes "" too
        return f"{s}/>" if style else ""
    elif isinstance(value, bool):
        return f'{s} t="b"><v>{int(value)}</v></c>'
    elif isinstance(value, int):
        return f"{s}><v>{int(value)}</v></c>"
    elif isinstance(value, float | Decimal):
        number = _number(value)
        if number is not None:
            return f"{s}><v>{number}</v></c>"
        text = str(value)
    elif isinstance(value, date):
        return f"{s}><v>{excel_serial(value)}</v></c>"
    elif isinstance(value, str):
        text = str(value)
    else:
        raise TypeError(f"a cell cannot hold {kind.__name__}: {value!r}")
    # Inline text: never a formula, whatever it starts with.
    xml = xml_text(text)
    if not xml:  # nothing left but characters XML forbids
        return f"{s}/>" if style else ""
    space = (
        ' xml:space="preserve"'
        if text[:1].isspace() or text[-1:].isspace() or not text.isprintable()
        else ""
    )
    return f'{s} t="inlineStr"><is><t{space}>{xml}</t></is></c>'


# -- styles ------------------------------------------------------------------------------------

Style = tuple[bool, str | None, bool]  # bold, number format, wrapped (and aligned to the top)
PLAIN: Style = (False, None, False)


class _Styles:
    """The cell formats a book uses (cellXfs), numbered in the order of first use; custom
    number formats from 164, as the built-in ones end at 163."""

    def __init__(self) -> None:
        self.xfs: dict[Style, int] = {PLAIN: 0}
        self.formats: dict[str, int] = {}

    def index(self, style: Style) -> int:
        found = self.xfs.get(style)
        if found is None:
            fmt = style[1]
            if fmt is not None and fmt not in self.formats:
                self.formats[fmt] = 164 + len(self.formats)
            found = self.xfs[style] = len(self.xfs)
        return found

    def xml(self) -> str:
        formats = "".join(
            f'<numFmt numFmtId="{n}" formatCode="{xml_text(code)}"/>'
            for code, n in self.formats.items()
        )
        xfs = []
        for bold, fmt, wrap in self.xfs:
            attrs = f'numFmtId="{self.formats[fmt] if fmt else 0}" fontId="{int(bold)}"'
            attrs += ' fillId="0" borderId="0" xfId="0"'
            attrs += ' applyNumberFormat="1"' if fmt else ""
            attrs += ' applyFont="1"' if bold else ""
            if wrap:
                xfs.append(
                    f'<xf {attrs} applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>'
                )
            else:
                xfs.append(f"<xf {attrs}/>")
        font = '<sz val="11"/><name val="Calibri"/><family val="2"/>'
        return (
            f'{_DECLARATION}<styleSheet xmlns="{_MAIN}">'
            + (f'<numFmts count="{len(self.formats)}">{formats}</numFmts>' if formats else "")
            + f'<fonts count="2"><font>{font}</font><font><b/>{font}</font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>'
            "</borders>"
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
            "</cellStyleXfs>"
            f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            "</styleSheet>"
        )


# -- sheets and the book -----------------------------------------------------------------------

_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_SELECTED = ' tabSelected="1"'
_CELL_REF = re.compile(r"([A-Z]{1,3})([1-9][0-9]*)")
_BAD_TITLE = re.compile(r"[\\/*?:\[\]]")


class Sheet:
    """One worksheet: cells by row and column (from 1), a frozen pane, an autofilter and
    column widths."""

    def __init__(self, styles: _Styles, title: str) -> None:
        self.title = title
        self._styles = styles
        self._rows: dict[int, dict[int, tuple[Any, int]]] = {}
        self._widths: dict[int, float] = {}
        self._freeze: str | None = None
        self._filter: str | None = None

    def cell(
        self,
        row: int,
        column: int,
        value: Any,
        *,
        bold: bool = False,
        number_format: str | None = None,
        wrap: bool = False,
    ) -> None:
        """Write one cell (``None``: an empty one). A ``str`` is always text, never a formula;
        ``wrap`` wraps it and aligns it to the top."""
        if not 1 <= row <= MAX_ROWS:
            raise ValueError(f"row {row} is outside 1..{MAX_ROWS}")
        column_letter(column)  # checks the column
        style = (
            self._styles.index((bold, number_format, wrap)) if bold or number_format or wrap else 0
        )
        self._rows.setdefault(row, {})[column] = (value, style)

    def table(
        self, headers: Row, rows: Sequence[Row], start: int = 1, *, keyed: bool = False
    ) -> None:
        """Headers (bold) then rows, from row ``start``. Dates, baht and percentages get their
        number formats, by the column's header (or, ``keyed``, by the row's first cell); text
        longer than 40 characters wraps."""
        if not 1 <= start <= MAX_ROWS - len(rows) or len(headers) > MAX_COLUMNS:
            raise ValueError("the table does not fit in a worksheet")
        index = self._styles.index
        bold = index((True, None, False))
        self._rows.setdefault(start, {}).update(
            (col, (h, bold)) for col, h in enumerate(headers, start=1)
        )
        labels = [str(h) for h in headers]
        for r, row in enumerate(rows, start=start + 1):
            if len(row) > MAX_COLUMNS:
                raise ValueError("the row does not fit in a worksheet")
            cells = self._rows.setdefault(r, {})
            key = str(row[0]) if keyed and row else ""
            for col, value in enumerate(row, start=1):
                kind = type(value)
                if kind is str:
                    cells[col] = (value, index((False, None, True)) if len(value) > 40 else 0)
                elif value is None:
                    cells[col] = (None, 0)
                else:
                    label = key if keyed else labels[col - 1]
                    fmt = _number_format(label, value)
                    wrap = isinstance(value, str) and len(value) > 40
                    cells[col] = (value, index((False, fmt, wrap)) if fmt or wrap else 0)

    def finish(self, headers: Row, rows: Sequence[Row], *, filtered: bool = True) -> None:
        """The header row frozen; a filter over the table of ``headers`` and ``rows`` (when
        ``filtered`` and it has rows); every column as wide as its widest cell: 8 to 60
        characters, with two to spare."""
        self.freeze("A2")
        if filtered and rows:
            self._filter = f"A1:{column_letter(len(headers))}{len(rows) + 1}"
        widest: dict[int, int] = {}
        widths: dict[str, int] = {}
        for cells in self._rows.values():
            for col, (value, _) in cells.items():
                if type(value) is str:
                    w = widths.get(value)
                    if w is None:
                        w = widths[value] = text_width(value)
                else:
                    w = _width(value)
                if w > widest.get(col, -1):
                    widest[col] = w
        for col in range(1, max(widest, default=1) + 1):
            self._widths[col] = min(60, max(8, widest.get(col, 0) + 2))

    def width(self, column: int, characters: float) -> None:
        column_letter(column)
        self._widths[column] = characters

    def freeze(self, cell: str = "A2") -> None:
        """Freeze the rows above and the columns left of ``cell`` ("A2": the first row)."""
        if not _CELL_REF.fullmatch(cell) or cell == "A1":
            raise ValueError(f"cannot freeze panes at {cell!r}")
        self._freeze = cell

    def _pane(self) -> str:
        if self._freeze is None:
            return ""
        m = _CELL_REF.fullmatch(self._freeze)
        assert m is not None
        letters, row = m.groups()
        columns = 0
        for ch in letters:
            columns = columns * 26 + ord(ch) - 64
        x, y, cell = columns - 1, int(row) - 1, self._freeze
        if x and y:
            return (
                f'<pane xSplit="{x}" ySplit="{y}" topLeftCell="{cell}" activePane="bottomRight"'
                ' state="frozen"/>'
                f'<selection pane="topRight"/><selection pane="bottomLeft"/>'
                f'<selection pane="bottomRight" activeCell="{cell}" sqref="{cell}"/>'
            )
        if y:
            return (
                f'<pane ySplit="{y}" topLeftCell="{cell}" activePane="bottomLeft" state="frozen"/>'
                f'<selection pane="bottomLeft" activeCell="{cell}" sqref="{cell}"/>'
            )
        return (
            f'<pane xSplit="{x}" topLeftCell="{cell}" activePane="topRight" state="frozen"/>'
            f'<selection pane="topRight" activeCell="{cell}" sqref="{cell}"/>'
        )

    def _xml(self, selected: bool) -> str:
        rows = sorted(self._rows)
        last_column = max((max(cells) for cells in self._rows.values() if cells), default=1)
        dimension = f"A1:{column_letter(last_column)}{rows[-1]}" if rows else "A1"
        parts = [
            f'{_DECLARATION}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
            f'<dimension ref="{dimension}"/>'
            f'<sheetViews><sheetView{_SELECTED if selected else ""} workbookViewId="0">'
            f"{self._pane()}</sheetView></sheetViews>"
            '<sheetFormatPr defaultRowHeight="15"/>'
        ]
        if self._widths:
            parts.append("<cols>")
            parts.extend(
                f'<col min="{c}" max="{c}" width="{w:g}" customWidth="1"/>'
                for c, w in sorted(self._widths.items())
            )
            parts.append("</cols>")
        parts.append("<sheetData>")
        letters = [""] + [column_letter(c) for c in range(1, last_column + 1)]
        texts: dict[tuple[str, int], str] = {}  # a report repeats its names: escaped once
        for r in rows:
            cells = self._rows[r]
            row = []
            for c in sorted(cells):
                value, style = cells[c]
                if type(value) is str:
                    body = texts.get((value, style))
                    if body is None:
                        body = texts[value, style] = _cell(value, style)
                else:
                    body = _cell(value, style)
                if body:
                    row.append(f'<c r="{letters[c]}{r}"{body}')
            if row:
                parts.append(f'<row r="{r}">{"".join(row)}</row>')
        parts.append("</sheetData>")
        if self._filter:
            parts.append(f'<autoFilter ref="{self._filter}"/>')
        parts.append(
            '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>'
            "</worksheet>"
        )
        return "".join(parts)

    def _filter_name(self, index: int) -> str:
        """The hidden name Excel keeps for a sheet's autofilter range."""
        assert self._filter is not None
        first, last = self._filter.split(":")
        absolute = ":".join(re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", ref) for ref in (first, last))
        quoted = "'" + self.title.replace("'", "''") + "'"
        return (
            f'<definedName name="_xlnm._FilterDatabase" localSheetId="{index}" hidden="1">'
            f"{xml_text(quoted)}!{absolute}</definedName>"
        )


class Book:
    """A workbook: sheets in the order they are made, and ``save`` for the .xlsx bytes."""

    def __init__(self) -> None:
        self._styles = _Styles()
        self.sheets: list[Sheet] = []

    def sheet(self, title: str) -> Sheet:
        if not title or len(title) > 31 or _BAD_TITLE.search(title) or title[0] == "'":
            raise ValueError(f"not a worksheet name: {title!r}")
        if any(s.title.casefold() == title.casefold() for s in self.sheets):
            raise ValueError(f"two worksheets named {title!r}")
        ws = Sheet(self._styles, title)
        self.sheets.append(ws)
        return ws

    def save(self, title: str, author: str, generated_at: datetime) -> bytes:
        """The .xlsx: the same sheets and ``generated_at`` give the same bytes (the document's
        times and every zip entry's are ``generated_at``, in UTC)."""
        if not self.sheets:
            raise ValueError("a workbook needs a worksheet")
        at = utc(generated_at).replace(tzinfo=None)
        parts = [
            ("[Content_Types].xml", self._content_types()),
            ("_rels/.rels", _ROOT_RELS),
            ("docProps/app.xml", _APP),
            ("docProps/core.xml", _core(title, author, at)),
            ("xl/workbook.xml", self._workbook()),
            ("xl/_rels/workbook.xml.rels", self._rels()),
            ("xl/styles.xml", self._styles.xml()),
            *(
                (f"xl/worksheets/sheet{n}.xml", ws._xml(n == 1))
                for n, ws in enumerate(self.sheets, start=1)
            ),
        ]
        out = BytesIO()
        stamp = (max(at.year, 1980), at.month, at.day, at.hour, at.minute, at.second)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for name, xml in parts:
                entry = zipfile.ZipInfo(name, date_time=stamp)
                entry.compress_type = zipfile.ZIP_DEFLATED
                entry.external_attr = 0o600 << 16
                z.writestr(entry, xml.encode("utf-8"))
        return out.getvalue()

    def _content_types(self) -> str:
        kinds = "application/vnd.openxmlformats-officedocument"
        sheets = "".join(
            f'<Override PartName="/xl/worksheets/sheet{n}.xml"'
            f' ContentType="{kinds}.spreadsheetml.worksheet+xml"/>'
            for n in range(1, len(self.sheets) + 1)
        )
        return (
            f"{_DECLARATION}"
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{kinds}.spreadsheetml.sheet.'
            'main+xml"/>'
            f"{sheets}"
            f'<Override PartName="/xl/styles.xml" ContentType="{kinds}.spreadsheetml.styles+xml"/>'
            '<Override PartName="/docProps/core.xml" ContentType="application/vnd.'
            'openxmlformats-package.core-properties+xml"/>'
            f'<Override PartName="/docProps/app.xml" ContentType="{kinds}.extended-properties'
            '+xml"/>'
            "</Types>"
        )

    def _workbook(self) -> str:
        sheets = "".join(
            f'<sheet name="{xml_text(ws.title)}" sheetId="{n}" r:id="rId{n}"/>'
            for n, ws in enumerate(self.sheets, start=1)
        )
        names = "".join(
            ws._filter_name(n) for n, ws in enumerate(self.sheets) if ws._filter is not None
        )
        return (
            f'{_DECLARATION}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
            '<workbookPr/><bookViews><workbookView activeTab="0"/></bookViews>'
            f"<sheets>{sheets}</sheets>"
            + (f"<definedNames>{names}</definedNames>" if names else "")
            + "</workbook>"
        )

    def _rels(self) -> str:
        n = len(self.sheets)
        sheets = "".join(
            f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, n + 1)
        )
        return (
            f'{_DECLARATION}<Relationships xmlns="{_PACKAGE_REL}">{sheets}'
            f'<Relationship Id="rId{n + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
            "</Relationships>"
        )


_ROOT_RELS = (
    f'{_DECLARATION}<Relationships xmlns="{_PACKAGE_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    f'<Relationship Id="rId2" Type="{_PACKAGE_REL}/metadata/core-properties"'
    ' Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{_REL}/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)
_APP = (
    f"{_DECLARATION}"
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"'
    ' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    "<Application>Sujarit</Application></Properties>"
)


def _core(title: str, author: str, at: datetime) -> str:
    when = at.strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        f"{_DECLARATION}"
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:dcterms="http://purl.org/dc/terms/"'
        ' xmlns:dcmitype="http://purl.org/dc/dcmitype/"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{xml_text(title)}</dc:title>"
        f"<dc:creator>{xml_text(author)}</dc:creator>"
        f"<cp:lastModifiedBy>{xml_text(MODIFIED_BY)}</cp:lastModifiedBy>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified>'
        "</cp:coreProperties>"
    )


def sheet(book: Book, title: str, headers: Row, rows: Sequence[Row]) -> Sheet:
    """A sheet of one table: bold headers, the rows, the header frozen, a filter, widths."""
    ws = book.sheet(title)
    ws.table(headers, rows)
    ws.finish(headers, rows)
    return ws
