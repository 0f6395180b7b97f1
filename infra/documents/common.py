"""What the PDF and XLSX renderers share: the Jinja environment and its Thai filters, the
Sarabun font files, and the small fixes that make a PDF byte-identical and its text
extractable (searchable, copyable) when it is rebuilt from the same data."""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from domain.shared.thai import (
    grouped,
    plain_number,
    thai_date,
    thai_datetime,
    thai_digits,
)

TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True)
class RecordMark:
    """What the footer says of the LAO's public record: the sequence of the last entry the
    document's data reflects, and the page that checks the file (printed and as a QR code)."""

    sequence: int
    verify_url: str

    def qr(self) -> str:
        """The QR code as a PNG data URI (the PDFs): WeasyPrint draws an SVG code module by
        module (~0.2 s a page), a PNG is placed as one image (drawn unsmoothed)."""
        import base64

        return "data:image/png;base64," + base64.b64encode(self.qr_png()).decode()

    def qr_png(self) -> bytes:
        """The QR code as PNG (the .docx)."""
        import segno

        out = io.BytesIO()
        segno.make(self.verify_url, error="m").save(out, kind="png", scale=6, border=2)
        return out.getvalue()

    def text(self) -> str:
        """The footer's sentence (Thai digits), the PDFs' and the .docx's."""
        from domain.shared.thai import thai_digits

        return (
            "ข้อมูลในเอกสารนี้เป็นไปตามบันทึกสาธารณะถึงลำดับที่ "
            f"{thai_digits(str(self.sequence))} · ตรวจสอบว่าไฟล์นี้ตรงกับที่บันทึกไว้และ"
            f"ไม่ถูกแก้ไขย้อนหลังได้ที่ {self.verify_url}"
        )


DASH = "–"  # shown for a date or number there is none of


def sarabun_dir() -> Path:
    import fontpkg_sarabun

    return Path(fontpkg_sarabun.ROOT) / "files"


def font_faces() -> str:
    """@font-face rules for Sarabun regular, italic, bold and bold italic (file:// URLs)."""
    rules = []
    for weight, style, name in (
        (400, "normal", "Regular"),
        (400, "italic", "Italic"),
        (700, "normal", "Bold"),
        (700, "italic", "BoldItalic"),
    ):
        url = (sarabun_dir() / f"Sarabun-{name}.ttf").as_uri()
        rules.append(
            f'@font-face {{ font-family: "Sarabun"; src: url("{url}"); '
            f"font-weight: {weight}; font-style: {style}; }}"
        )
    return "\n".join(rules)


def _or_dash(f: Any) -> Any:
    def wrapped(value: Any, *args: Any, **kwargs: Any) -> str:
        return DASH if value is None else str(f(value, *args, **kwargs))

    return wrapped


def _th(value: Any) -> str:
    return thai_digits(str(value))


def _date(value: date) -> str:
    return thai_date(value, numerals=True)


def _short_date(value: date) -> str:
    return thai_date(value, short=True, numerals=True)


def _number(value: int | Decimal) -> str:
    return grouped(value, numerals=True)


def _money(value: Decimal) -> str:
    return grouped(value, places=2, numerals=True)


def _plain(value: Decimal) -> str:
    return plain_number(value, numerals=True)


def _size(value: int) -> str:
    if value >= 1024 * 1024:
        return f"{grouped(Decimal(value) / (1024 * 1024), places=1, numerals=True)} MB"
    return f"{grouped(max(1, round(value / 1024)), numerals=True)} KB"


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(("html", "xml")),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        th=_or_dash(_th),
        thdate=_or_dash(_date),
        thdate_short=_or_dash(_short_date),
        num=_or_dash(_number),
        money=_or_dash(_money),
        plain=_or_dash(_plain),
        size=_or_dash(_size),
        thdatetime=lambda at: thai_datetime(at, numerals=True),
    )
    return env


def pdf_date(at: datetime) -> str:
    """An ISO time for the PDF's created and modified dates (UTC, to the second)."""
    return utc(at).strftime("%Y-%m-%dT%H:%M:%SZ")


def utc(at: datetime) -> datetime:
    if at.tzinfo is None:
        raise ValueError("generated_at must be timezone-aware")
    return at.astimezone(UTC).replace(microsecond=0)


def identifier(content_hash: str, at: datetime) -> bytes:
    """The PDF file identifier: from the content and the generation time, never random."""
    return hashlib.sha256(f"{content_hash}|{pdf_date(at)}".encode()).hexdigest()[:32].encode()


@cache
def _sarabun_text() -> dict[int, str]:
    """Glyph id -> the character it draws, from Sarabun's cmap (every weight shares it)."""
    from fontTools.ttLib import TTFont

    font = TTFont(sarabun_dir() / "Sarabun-Regular.ttf")
    order = {name: gid for gid, name in enumerate(font.getGlyphOrder())}
    out: dict[int, str] = {}
    for codepoint, name in sorted(font.getBestCmap().items()):
        out.setdefault(order[name], chr(codepoint))
    return out


_BFCHAR = re.compile(rb"^<([0-9a-f]{4})> <([0-9a-f]*)>$")


def fix_thai_text_map(document: Any, pdf: Any) -> None:
    """A WeasyPrint finisher: map each Sarabun glyph back to the character it draws.

    HarfBuzz draws sara am (ำ) as two glyphs, nikhahit and sara aa, in one cluster; WeasyPrint
    maps a glyph to the text of the first cluster it met it in, so the nikhahit got no text
    and sara aa turned into ำ everywhere after it (pdftotext read ดำเนิน as "ดาเนิน").
    Glyphs that Sarabun's cmap names are mapped to their own character instead (ำ reads as
    ํา, its compatibility decomposition); other glyphs keep WeasyPrint's mapping.
    """
    import pydyf

    fonts = {
        obj["ToUnicode"]: obj["BaseFont"]
        for obj in pdf.objects
        if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/Font" and "ToUnicode" in obj
    }
    text = _sarabun_text()
    for obj in pdf.objects:
        if not isinstance(obj, pydyf.Stream) or "Sarabun" not in str(fonts.get(obj.reference)):
            continue
        lines = []
        for line in obj.stream:
            m = _BFCHAR.match(line) if isinstance(line, bytes) else None
            if m and int(m[1], 16) in text:
                hexed = text[int(m[1], 16)].encode("utf-16-be").hex().encode()
                line = b"<" + m[1] + b"> <" + hexed + b">"
            lines.append(line)
        obj.stream = lines
