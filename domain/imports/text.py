"""Normalising extracted text: NFC, stray characters, page numbers and continuation marks.

A page of an official document ends with a continuation mark (``/องค์กร...``: the first word
of the next page) and the next starts with its number (``-๒-``). Both are removed, and a
paragraph cut by the page break is joined again. Each removal is listed as a repair.
"""

from __future__ import annotations

import re
import unicodedata

from domain.imports.damage import private_use
from domain.imports.values import Repair

_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile("[ \t\u00a0\u2002-\u200a\u3000]+")
_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
PAGE_NUMBER = re.compile(r"^\s*[-–—]\s*\d{1,3}\s*[-–—]\s*$|^\s*(?:หน้า|page)\s*\d{1,3}\s*$", re.I)
CONTINUATION = re.compile(r"^\s*/\s*(\S{1,30}?)\s*(?:\.{2,}|…)\s*$")
# Sara am written as nikhahit + sara aa (how some PDFs store the glyph): the same letter.
_SPLIT_AM = re.compile("\u0e4d([\u0e48-\u0e4b]?)\u0e32")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def clean_line(line: str) -> str:
    """One line's spacing made plain (tabs and runs of spaces become one space)."""
    return _SPACES.sub(" ", line).strip()


def normalise(raw: str) -> tuple[str, list[Repair]]:
    """NFC text with page furniture removed; the repairs say what was removed or joined."""
    text = nfc(raw).replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE.sub("", _BOOKMARK.sub("", text))
    text, repairs = private_use(text)

    text, split_am = _SPLIT_AM.subn(lambda m: m[1] + "\u0e33", text)
    if split_am:
        repairs.append(
            Repair(
                "\u0e4d\u0e32",
                "\u0e33",
                "ทั้งเอกสาร",
                f"สระอำที่เก็บเป็นนิคหิตกับสระอา (ตัวอักษรเดียวกัน) {split_am} แห่ง",
            )
        )
    lines = [_SPACES.sub(" ", line).rstrip() for line in text.split("\n")]
    out: list[str] = []
    join_next: str | None = None  # the continuation word the next page starts with
    for line in lines:
        if PAGE_NUMBER.match(line):
            repairs.append(Repair(line.strip(), "", "รอยต่อหน้า", "เลขหน้า ตัดออก"))
            continue
        m = CONTINUATION.match(line)
        if m:
            repairs.append(Repair(line.strip(), "", "รอยต่อหน้า", "คำต่อหน้า (คำแรกของหน้าถัดไป) ตัดออก"))
            join_next = m[1]
            continue
        if join_next is not None:
            if not line.strip():
                continue
            start = line.strip()
            while out and not out[-1].strip():
                out.pop()
            if out and start.startswith(join_next):
                out[-1] = out[-1].rstrip() + start
                repairs.append(
                    Repair(
                        "\n" + start[: len(join_next)],
                        start[: len(join_next)],
                        "รอยต่อหน้า",
                        f"ย่อหน้าที่ถูกตัดด้วยการขึ้นหน้าใหม่ ต่อกันตามคำต่อหน้า '{join_next}'",
                    )
                )
                join_next = None
                continue
            join_next = None
        out.append(line)
    return "\n".join(out), repairs


def to_int(digits: str) -> int:
    """Thai or Arabic digits (``int`` reads both)."""
    return int(digits.replace(",", ""))
