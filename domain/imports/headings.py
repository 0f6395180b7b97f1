"""Finding the ten headings of a detail sheet, and where one sheet ends and the next begins.

Headings come as "๖. วิธีดำเนินการ", "6 วิธีดำเนินการ :", "6.วิธีด าเนินการ" or, rarely, without
a number. A heading is recognised by its number and its words compared as a skeleton: without
spaces, tone marks and the letters scanning confuses (so "วิธีด าเนินการ" still matches).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

HEADINGS: dict[str, tuple[str, tuple[str, ...]]] = {
    "1": (
        "ชื่อโครงการ",
        ("ชื่อโครงการ", "ชื่อกิจกรรม", "ชื่อมาตรการ", "ชื่อ", "โครงการ", "กิจกรรม", "มาตรการ"),
    ),
    "2": (
        "หลักการและเหตุผล",
        ("หลักการและเหตุผล", "หลักการ", "เหตุผล", "ที่มาของโครงการ", "ที่มา", "ความเป็นมา"),
    ),
    "3": ("วัตถุประสงค์", ("วัตถุประสงค์",)),
    "4": ("เป้าหมาย/ผลผลิต", ("เป้าหมาย", "ผลผลิต")),
    "5": ("พื้นที่ดำเนินการ", ("พื้นที่ดำเนินการ", "พื้นที่ดำเนินงาน", "พื้นที่", "สถานที่")),
    "6": (
        "วิธีดำเนินการ",
        ("วิธีดำเนินการ", "วิธีการดำเนินการ", "วิธีดำเนินงาน", "วิธีการดำเนินงาน", "ขั้นตอน"),
    ),
    "7": ("ระยะเวลาดำเนินการ", ("ระยะเวลาดำเนินการ", "ระยะเวลาการดำเนินการ", "ระยะเวลา")),
    "8": ("งบประมาณดำเนินการ", ("งบประมาณดำเนินการ", "งบประมาณ")),
    "9": (
        "ผู้รับผิดชอบ",
        ("ผู้รับผิดชอบโครงการ", "ผู้รับผิดชอบ", "หน่วยงานที่รับผิดชอบ", "หน่วยงานรับผิดชอบ"),
    ),
    "10": ("ตัวชี้วัด/ผลลัพธ์", ("ตัวชี้วัด", "ผลลัพธ์")),
    "10.1": ("ผลผลิต", ("ผลผลิต", "ตัวชี้วัด")),
    "10.2": ("ผลลัพธ์", ("ผลลัพธ์",)),
}
ORDER = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "10")
_MARKS = str.maketrans(
    {
        "\u0e48": None,
        "\u0e49": None,
        "\u0e4a": None,
        "\u0e4b": None,
        "\u0e4d": None,
        " ": None,
        "\t": None,
        "\u0e33": "\u0e32",
        "ซ": "ช",
        "\u0e35": "\u0e34",
        "\u0e37": "\u0e36",
        "บ": "ป",
    }
)
_NUMBERED = re.compile(
    r"^\s*(\d{1,2})(?:\s*[.)]\s*(\d{1,2})(?!\s*[.]?\s*\d))?(?!\d)\s*[.):]?\s*(.*)$"
)
_TITLE = re.compile(r"^\s*รายละเอียด")
_NUMBER_LINE = re.compile(r"ล\s*[ำา]?\s*ดับที่|^\s*\d{1,2}\s*\.\s*\d{1,2}\s*\.\s*\d{1,2}\s*$")


def skeleton(text: str) -> str:
    """``text`` without what scanning and extraction most often damage."""
    return text.translate(_MARKS)


_SKELETONS = {k: tuple(skeleton(w) for w in words) for k, (_, words) in HEADINGS.items()}


@dataclass(frozen=True)
class Heading:
    key: str  # "1".."10", "10.1", "10.2"
    line: int
    rest: str  # the text after the heading's label on its line


def _label_end(rest: str, key: str) -> int:
    """Where the heading's label ends in ``rest``: its words joined by '/' or 'และ', then an
    optional colon ("ชื่อโครงการ/กิจกรรม/มาตรการ กิจกรรม ..." ends before " กิจกรรม")."""
    words = sorted(HEADINGS[key][1], key=len, reverse=True)
    pos = _word_at(rest, 0, words)
    if pos is None:
        return 0
    while True:
        sep = re.match(r"\s*(?:/|และ)\s*", rest[pos:])
        nxt = _word_at(rest, pos + sep.end(), words) if sep else None
        if nxt is None:
            break
        pos = nxt
    colon = re.match(r"\s*[:：]", rest[pos:])
    return pos + (colon.end() if colon else 0)


def _word_at(text: str, start: int, words: list[str]) -> int | None:
    for word in words:
        end = _match_prefix(text, start, word)
        if end is not None:
            return end
    return None


def _match_prefix(text: str, start: int, word: str) -> int | None:
    """The end of ``word`` at ``start`` of ``text``, compared as skeletons."""
    target = skeleton(word)
    got = ""
    i = start
    while i < len(text) and len(got) < len(target):
        got += skeleton(text[i])
        i += 1
    if got == target:
        while i < len(text) and skeleton(text[i]) == "" and text[i] not in " \t":
            i += 1
        return i
    return None


def _matches(key: str, text: str) -> bool:
    sk = skeleton(text)[:40]
    return any(sk.startswith(w) for w in _SKELETONS[key])


def find_headings(lines: list[str]) -> list[Heading]:
    """The headings of one sheet, in order; each number at most once."""
    found: list[Heading] = []
    last = 0
    in_ten = False
    for i, line in enumerate(lines):
        m = _NUMBERED.match(line)
        if m:
            major, minor, rest = int(m[1]), m[2], m[3]
            if minor is None and str(major) in HEADINGS and major > last:
                key = str(major)
                if _matches(key, rest):
                    found.append(Heading(key, i, rest[_label_end(rest, key) :].strip()))
                    last, in_ten = major, major == 10
                    continue
            if minor is not None and in_ten and major == 10 and f"10.{int(minor)}" in HEADINGS:
                key = f"10.{int(minor)}"
                found.append(Heading(key, i, rest[_label_end(rest, key) :].strip()))
                continue
        elif line.strip() and last < 10:
            key = str(last + 1)
            stripped = line.strip()
            if len(stripped) <= 60 and _matches(key, stripped):
                end = _label_end(stripped, key)
                if not stripped[end:].strip() or stripped[end - 1 : end] in ":：":
                    found.append(Heading(key, i, stripped[end:].strip()))
                    last, in_ten = last + 1, last + 1 == 10
                    continue
        if in_ten and not m and line.strip():
            stripped = line.strip()
            for key in ("10.1", "10.2"):
                if len(stripped) <= 30 and _matches(key, stripped.lstrip("-•* ")):
                    if not any(h.key == key for h in found):
                        found.append(Heading(key, i, ""))
                    break
    return found


def split_sheets(lines: list[str]) -> list[tuple[int, int]]:
    """(first line, end) of each sheet: a sheet starts at its heading 1, with the title and
    number lines just above it."""
    starts: list[int] = []
    last = 0
    for i, line in enumerate(lines):
        m = _NUMBERED.match(line)
        if m and m[2] is None and m[1] and int(m[1]) == 1 and _matches("1", m[3]):
            starts.append(i)
            last = 1
        elif m and m[2] is None and m[1] and int(m[1]) > last:
            last = int(m[1])
    if not starts:
        return [(0, len(lines))] if any(line.strip() for line in lines) else []
    bounds: list[tuple[int, int]] = []
    previous_end = 0
    for n, start in enumerate(starts):
        first = start
        while first > previous_end and (
            not lines[first - 1].strip()
            or _TITLE.match(lines[first - 1])
            or _NUMBER_LINE.search(lines[first - 1])
            or re.match(r"^\s*(?:มิติที่|\d{1,2}\s*\.\s*\d{1,2}\s+\S)", lines[first - 1])
        ):
            first -= 1
        if n == 0:
            first = 0
        elif bounds:
            bounds[-1] = (bounds[-1][0], first)
        bounds.append((first, len(lines)))
        previous_end = start + 1
    return bounds
