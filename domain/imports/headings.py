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
    "4": ("เป้าหมาย/ผลผลิต", ("เป้าหมาย", "กลุ่มเป้าหมาย", "ผลผลิต")),
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
    "10": ("ตัวชี้วัด/ผลลัพธ์", ("ตัวชี้วัด", "ผลผลิต", "ผลลัพธ์")),
    "10.1": ("ผลผลิต", ("ผลผลิต", "ตัวชี้วัด")),
    "10.2": ("ผลลัพธ์", ("ผลลัพธ์",)),
}
ORDER = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "10")
# The 2566-2570 manual's sheet has nine headings: no area, and every heading from the method
# on numbered one less (5 วิธีดำเนินการ ... 9 ผลผลิต/ผลลัพธ์). Headings are told by their words;
# a number is only checked to be one of the two layouts' numbers for those words.
_NUMBERS = {k: {int(k)} | ({int(k) - 1} if int(k) >= 6 else set()) for k in ORDER}
_MARKS = str.maketrans(
    {
        "\u0e48": None,
        "\u0e49": None,
        "\u0e4a": None,
        "\u0e4b": None,
        "\u0e4c": None,
        "\u0e47": None,
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
_NUMBER_LINE = re.compile(
    r"ล\s*[ำา]?\s*ดับที่|^\s*\d{1,2}\s*\.\s*\d{1,2}\s*\.\s*\d{1,2}\s*(?:\(?\d{1,2}\)\s*)?$"
)


# "๑) โครงการ..." under a sub-sub-item (2566 plans): an item's label, not the name heading.
ITEM_LABEL = re.compile(r"^\s*\(?(\d{1,2})\)\s*(?=โครงการ|กิจกรรม|มาตรการ)")


def skeleton(text: str) -> str:
    """``text`` without what scanning and extraction most often damage: tone marks, ์ and ็,
    the nikhahit of a split sara am, spaces, and letters scanning confuses."""
    return text.translate(_MARKS)


_SKELETONS = {k: tuple(skeleton(w) for w in words) for k, (_, words) in HEADINGS.items()}


@dataclass(frozen=True)
class Heading:
    key: str  # "1".."10", "10.1", "10.2" (the nine-heading layout's keys are mapped to these)
    line: int
    rest: str  # the text after the heading's label on its line
    number: int = 0  # its number in the document (0: unnumbered or a sub-list)


def _label_end(rest: str, key: str) -> int:
    """Where the heading's label ends in ``rest``: its words joined by '/' or 'และ', then an
    optional colon ("ชื่อโครงการ/กิจกรรม/มาตรการ กิจกรรม ..." ends before " กิจกรรม")."""
    words = sorted({*HEADINGS[key][1], *_EXTRA_LABEL_WORDS}, key=len, reverse=True)
    pos = _word_at(rest, 0, sorted(HEADINGS[key][1], key=len, reverse=True))
    if pos is None:
        return 0
    while True:
        sep = re.match(r"\s*(?:/|และ)\s*", rest[pos:])
        nxt = _word_at(rest, pos + sep.end(), words) if sep else None
        if nxt is None:
            break
        pos = nxt
    tail = re.match(r"\s*\((?:output|outcome|outputs|outcomes)\)|\s*[:：]", rest[pos:], re.I)
    while tail:
        pos += tail.end()
        tail = re.match(r"\s*[:：]", rest[pos:])
    return pos


# Words a label may carry after its own ("ผลผลิต/ผลลัพธ์", "หลักการและเหตุผล/ที่มาของโครงการ").
_EXTRA_LABEL_WORDS = ("ผลลัพธ์", "ผลผลิต", "ที่มาของโครงการ", "ตัวชี้วัด", "กิจกรรม", "มาตรการ")


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


def _key_of(text: str, after: int, numbered: bool) -> str | None:
    """The heading whose words ``text`` starts with, among those after heading ``after``."""
    sk = skeleton(text)[:40]
    if not numbered and not sk:
        return None
    for key in ORDER[after:]:
        if key == "4" and after >= 5:
            continue
        if key == "10" and not numbered and not _is_results(sk):
            continue
        if any(sk.startswith(w) for w in _SKELETONS[key]):
            if key == "4" and sk.startswith(skeleton("ผลผลิต")) and after >= 3:
                continue  # "ผลผลิต/ผลลัพธ์" after the objectives is the last heading
            return key
    if after >= 3 and _is_results(sk):
        return "10"
    return None


def _is_results(sk: str) -> bool:
    return any(
        sk.startswith(skeleton(w)) for w in ("ผลผลิต/ผลลัพธ์", "ผลผลิตและผลลัพธ์", "ตัวชี้วัด/ผลลัพธ์", "ตัวชี้วัด")
    )


def _sub_key(text: str) -> str | None:
    """ "ผลผลิต" or "ผลลัพธ์" (a sub-list of the last heading), or None."""
    body = text.strip().lstrip("-•*·").strip()
    for key in ("10.1", "10.2"):
        if _matches(key, body):
            return key
    return None


def find_headings(lines: list[str]) -> list[Heading]:
    """The headings of one sheet, in order; each at most once, in either layout."""
    found: list[Heading] = []
    last = 0  # index in ORDER of the last heading found
    last_number = 0  # its number in the document
    in_ten = False
    for i, line in enumerate(lines):
        m = _NUMBERED.match(line)
        stripped = line.strip()
        if in_ten:
            sub = _sub_heading(m, stripped, last_number)
            if sub is not None and not any(h.key == sub[0] for h in found):
                found.append(Heading(sub[0], i, sub[1]))
                continue
        if m and m[2] is None and not ITEM_LABEL.match(line):
            major, rest = int(m[1]), m[3]
            key = _key_of(rest, last, True)
            if key is not None and major in _NUMBERS[key] and major > last_number:
                found.append(Heading(key, i, rest[_label_end(rest, key) :].strip(), major))
                last, last_number, in_ten = ORDER.index(key) + 1, major, key == "10"
                continue
        elif not m and stripped and last < 10 and len(stripped) <= 60:
            key = _key_of(stripped, last, False)
            if key is not None and ORDER.index(key) <= last + 1:
                end = _label_end(stripped, key)
                if not stripped[end:].strip() or stripped[end - 1 : end] in ":：":
                    found.append(Heading(key, i, stripped[end:].strip()))
                    last, in_ten = ORDER.index(key) + 1, key == "10"
                    last_number += 1
                    continue
    return found


def _sub_heading(m: re.Match[str] | None, stripped: str, number: int) -> tuple[str, str] | None:
    """ "10.1 ผลผลิต", "9.2 ผลลัพธ์", "ผลผลิต", "- ผลลัพธ์ :" ... (key, the text after it)."""
    if m and m[2] is not None and int(m[1]) == number:
        rest = m[3]
        key = _sub_key(rest)
        if key is None and int(m[2]) in (1, 2) and number == 10 and _matches("10", rest):
            key = f"10.{int(m[2])}"
        if key is not None:
            return key, rest[_label_end(rest, key) :].strip()
        return None
    if m is None or m[2] is None:
        body = stripped.lstrip("-•*·").strip()
        key = _sub_key(body)
        if key is None:
            return None
        end = _label_end(body, key)
        after = body[end:].strip()
        if not after or body[end - 1 : end] in ":：" or len(body) <= 30:
            return key, after
    return None


def nine_headings(found: list[Heading]) -> bool:
    """The 2566-2570 layout: a heading from the method on numbered one less than its key."""
    return any(h.number and h.key in ORDER and h.number == int(h.key) - 1 for h in found)


def split_sheets(lines: list[str]) -> list[tuple[int, int]]:
    """(first line, end) of each sheet: a sheet starts at its heading 1, with the title and
    number lines just above it."""
    starts: list[int] = []
    last = 0
    for i, line in enumerate(lines):
        m = _NUMBERED.match(line)
        if ITEM_LABEL.match(line):
            continue
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
            or ITEM_LABEL.match(lines[first - 1])
            or re.match(
                r"^\s*(?:มิติที่|\d{1,2}\s*\.\s*\d{1,2}(?:\s*\.\s*\d{1,2})?\s+\S)", lines[first - 1]
            )
        ):
            first -= 1
        if n == 0:
            first = 0
        elif bounds:
            bounds[-1] = (bounds[-1][0], first)
        bounds.append((first, len(lines)))
        previous_end = start + 1
    return bounds
