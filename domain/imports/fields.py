"""Reading the values of the headings: items, steps, years, budget, indicators, number, kind."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from domain.imports.text import clean_line, to_int
from domain.plans.values import Comparator, ItemKind
from domain.shared.fiscal import arabic_digits

D = r"\d"  # Thai and Arabic digits alike (str patterns match Unicode digits)
_BULLET = re.compile(
    r"^\s*(?:[-–•*·●○▪]+|\(?\d{1,2}(?:\s*[.]\s*\d{1,2}){0,2}\s*[.)]?)\s+|^\s*[-–•*]"
)
_STEP = re.compile(r"^\s*(?:ขั้นตอนที่\s*)?\(?(\d{1,2})(?:\s*[.]\s*(\d{1,2}))?\s*[.)]?\s+(?=\S)(.*)$")
_ITEM_NUMBER = re.compile(r"(\d{1,2})\s*\.\s*(\d{1,2})\s*\.\s*(\d{1,2})")
_YEAR = r"(?:2[45]\d\d|๒[๔๕][๐-๙][๐-๙])"
_RANGE = re.compile(rf"({_YEAR})\s*(?:[-–—]|ถึง|ถึงปี|จนถึง)\s*(?:พ\.?\s*ศ\.?\s*)?({_YEAR})")
_ONE_YEAR = re.compile(rf"(?<!\d)({_YEAR})(?!\d)")
_AMOUNT = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(?:บาท|\.-)")
_PER_YEAR = re.compile(r"ปีละ|ต่อปี|ทุกปี|แต่ละปี")
_KINDS = {"โครงการ": ItemKind.PROJECT, "กิจกรรม": ItemKind.ACTIVITY, "มาตรการ": ItemKind.MEASURE}
_QUOTES = "“”\"'‘’«»"
# Compared without tone marks, ์ and ็ (a text layer that dropped them still says the same):
# "ไมนอยกวา รอยละ 80" is at least 80 %.
_PERIODS = "ปี|เดือน|ไตรมาส|สัปดาห|ภาคเรียน"  # bare: สัปดาห์ without ์
_PER = rf"(?:(?:{_PERIODS})ละ|ตอ(?:{_PERIODS}))?\s*"
_COMPARATORS = (
    (
        re.compile(rf"(?:อยางนอย|ไมนอยกวา|ไมตำกวา|มากกวาหรือเทากับ)\s*{_PER}(?:รอยละ\s*)?$"),
        Comparator.AT_LEAST,
    ),
    (
        re.compile(rf"(?:ไมเกิน|ไมมากกวา|นอยกวาหรือเทากับ)\s*{_PER}(?:รอยละ\s*)?$"),
        Comparator.AT_MOST,
    ),
    (re.compile(rf"(?:จำนวน|ครบ|เทากับ)\s*{_PER}(?:รอยละ\s*)?$"), Comparator.EXACTLY),
)
_PER_BEFORE = re.compile(rf"((?:{_PERIODS}))ละ\s*(?:รอยละ\s*)?$")
_PERIOD_WORDS = {"สัปดาห": "สัปดาห์"}
# Counting words: "มีคำสั่งแต่งตั้ง... ๑ ฉบับ" is exactly one ฉบับ even without จำนวน.
CLASSIFIERS = frozenset(
    [
        "ฉบับ",
        "ครั้ง",
        "คน",
        "ราย",
        "เรื่อง",
        "แห่ง",
        "หมู่บ้าน",
        "ชุมชน",
        "หลักสูตร",
        "รุ่น",
        "ชุด",
        "ป้าย",
        "เล่ม",
        "แผน",
        "ช่องทาง",
        "หน่วยงาน",
        "ประกาศ",
        "คำสั่ง",
        "โครงการ",
        "กิจกรรม",
        "มาตรการ",
        "ระบบ",
        "คู่มือ",
        "ฐานข้อมูล",
        "กลุ่ม",
        "ศูนย์",
        "ครัวเรือน",
        "โรงเรียน",
        "คณะ",
    ]
)
_MARKS = str.maketrans(dict.fromkeys("\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c"))


def bare(text: str) -> str:
    """``text`` without tone marks, ์ and ็."""
    return text.translate(_MARKS)


_NUMBER = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(%|[ก-๎]+(?:ต่อ[ก-๎]+)?)?")


def items(lines: list[str]) -> list[str]:
    """The entries of a heading: one per numbered or bulleted line; unmarked lines continue
    the entry above (or are entries themselves when nothing is marked)."""
    lines = [clean_line(x) for x in lines if clean_line(x)]
    marked = [bool(_BULLET.match(x)) for x in lines]
    out: list[str] = []
    for line, mark in zip(lines, marked, strict=True):
        text = _BULLET.sub("", line, count=1).strip() if mark else line
        if not text:
            continue
        if mark or not any(marked) or not out:
            out.append(text)
        else:
            out[-1] = _join(out[-1], text)
    return out


def _join(a: str, b: str) -> str:
    """A line carried over: Thai wraps at word boundaries, so a space is never wrong."""
    return f"{a} {b}"


def paragraphs(lines: list[str]) -> str:
    out = [clean_line(x) for x in lines]
    return "\n".join(x for x in out if x)


def one_line(lines: list[str]) -> str:
    return " ".join(clean_line(x) for x in lines if clean_line(x))


def steps(lines: list[str]) -> tuple[list[tuple[str, str]], list[str]]:
    """("6.1", title) for each numbered step; unnumbered lines continue the step above, or
    are steps themselves (numbered 6.1, 6.2, ...) when no line has a number."""
    found: list[tuple[str, str]] = []
    loose: list[str] = []
    for raw in lines:
        line = clean_line(raw)
        if not line:
            continue
        m = _STEP.match(line)
        if m:
            n = to_int(m[2]) if m[2] else to_int(m[1])
            found.append((f"6.{n}", m[3].strip()))
        elif found:
            number, title = found[-1]
            found[-1] = (number, _join(title, line.lstrip("-•* ")))
        else:
            loose.append(line.lstrip("-•* "))
    if not found and loose:
        return [(f"6.{i}", t) for i, t in enumerate(loose, 1)], []
    return found, loose


def fiscal_years(text: str) -> list[int]:
    m = _RANGE.search(text)
    if m:
        first, last = to_int(m[1]), to_int(m[2])
        if first <= last <= first + 9:
            return list(range(first, last + 1))
    return sorted({to_int(y) for y in _ONE_YEAR.findall(text)})


@dataclass(frozen=True)
class Budget:
    no_budget: bool
    amounts: dict[int, Decimal]
    understood: bool
    total: Decimal | None = None  # "รวม ... บาท" as written, checked against the years

    @property
    def total_differs(self) -> bool:
        return (
            self.total is not None
            and bool(self.amounts)
            and self.total != sum(self.amounts.values(), Decimal(0))
        )


_TOTAL = re.compile(
    r"(?:รวม|ทั้งสิ้น)[^\d\n]{0,40}?(?:\d+\s*ปี[^\d\n]{0,20}?)?(\d[\d,]*(?:\.\d+)?)\s*(?:บาท|\.-)"
)
_SPAN_PER_YEAR = re.compile(
    rf"({_YEAR})\s*(?:[-–—]|ถึง|ถึงปี|จนถึง)\s*(?:พ\.?\s*ศ\.?\s*)?({_YEAR})[^\d\n]{{0,30}}?"
    r"(?:ปีละ|ปีงบประมาณละ|ต่อปี|ละ)\s*(?:จำนวน\s*)?(\d[\d,]*(?:\.\d+)?)\s*(?:บาท|\.-)"
)
_NO_BUDGET = r"ไม่ใช้งบประมาณ|ไม่ได้ใช้งบประมาณ|ไม่มีงบประมาณ"


def budget(text: str, years: list[int]) -> Budget:
    """ไม่ใช้งบประมาณ, or baht per fiscal year ("ปี 2562 จำนวน 20,000 บาท"; "ปีละ 5,000 บาท"
    for every year of heading 7; "ปี 2566-2568 ปีละ 5,000 บาท" for each year of that span).
    A total ("รวม 25,000 บาท") is kept apart and checked against the years, never split."""
    total: Decimal | None = None
    totals = list(_TOTAL.finditer(text))
    if totals:
        total = _decimal(totals[-1][1])
        for m in reversed(totals):
            text = text[: m.start()] + text[m.end() :]
    flat = clean_line(text.replace("\n", " "))
    amounts: dict[int, Decimal] = {}
    for m in _SPAN_PER_YEAR.finditer(text):
        first, last = to_int(m[1]), to_int(m[2])
        if first <= last <= first + 9:
            for y in range(first, last + 1):
                amounts[y] = _decimal(m[3])
    text = _SPAN_PER_YEAR.sub(" ", text)
    for line in (clean_line(x) for x in text.split("\n")):
        for part in re.split(r"(?=ปี(?:งบประมาณ)?\s*(?:พ\.?\s*ศ\.?)?\s*" + _YEAR + ")", line):
            year = _ONE_YEAR.search(part)
            amount = _AMOUNT.search(part)
            if year and amount:
                amounts[to_int(year[1])] = _decimal(amount[1])
            elif year and re.search(_NO_BUDGET, part):
                amounts[to_int(year[1])] = Decimal(0)
    if amounts:
        return Budget(False, amounts, True, total)
    if re.search(_NO_BUDGET + r"|^\s*-\s*$", flat):
        return Budget(True, {}, True)
    found = _AMOUNT.findall(clean_line(text.replace("\n", " ")))
    if len(found) == 1 and years and (_PER_YEAR.search(flat) or len(years) == 1):
        return Budget(False, {y: _decimal(found[0]) for y in years}, True, total)
    if not found and total is not None and len(years) == 1:
        return Budget(False, {years[0]: total}, True, total)
    return Budget(False, {}, False, total)


def _decimal(text: str) -> Decimal:
    try:
        return Decimal(arabic_digits(text).replace(",", ""))
    except InvalidOperation:
        return Decimal(0)


@dataclass(frozen=True)
class Measured:
    comparator: Comparator
    target: Decimal
    unit: str


def measured(text: str) -> Measured | None:
    """ "อย่างน้อย ๑ ฉบับ" -> at least 1 ฉบับ; "ร้อยละ ๘๐" / "80%" -> a percentage; "จำนวน ๑
    ฉบับ" -> exactly 1; "อย่างน้อยปีละ 1 ครั้ง" -> at least 1 ครั้งต่อปี; "... ๑ ฉบับ" at the
    end -> exactly 1 ฉบับ. The last number with a comparator word before it counts."""
    best: Measured | None = None
    last_counted: Measured | None = None
    for m in _NUMBER.finditer(text):
        before = bare(text[: m.start()])
        percent = m[2] == "%" or bool(re.search(r"รอยละ\s*$", before))
        unit = "%" if percent else (m[2] or "")
        per = _PER_BEFORE.search(before)
        if per and unit and unit != "%" and "ต่อ" not in unit:
            unit += "ต่อ" + _PERIOD_WORDS.get(per[1], per[1])
        for rx, comparator in _COMPARATORS:
            if rx.search(before):
                best = Measured(comparator, _decimal(m[1]), unit)
                break
        else:
            if percent and best is None:
                best = Measured(Comparator.AT_LEAST, _decimal(m[1]), "%")
            elif m[2] and _classifier(m[2]) and not text[m.end() :].strip(" .;)"):
                last_counted = Measured(Comparator.EXACTLY, _decimal(m[1]), unit)
    return best or last_counted


def _classifier(unit: str) -> bool:
    head = unit.split("ต่อ")[0]
    return head in CLASSIFIERS


_LISTED_UNDER = re.compile(
    r"^\s*(\d{1,2})\s*\.\s*(\d{1,2})(?:\s*\.\s*(\d{1,2}))?(?!\s*\.?\s*\d)\s*(?:\S.*)?$"
)
_LISTED_ITEM = re.compile(r"^\s*\(?(\d{1,2})\)\s*(?:โครงการ|กิจกรรม|มาตรการ)")
_LISTED_INLINE = re.compile(r"(\d{1,2})\s*\.\s*(\d{1,2})\s*\.\s*(\d{1,2})\s*\((\d{1,2})\)")


def listed_as(header: str) -> str | None:
    """ "1.1.1 (2)": the second item under sub-sub-item 1.1.1, or "1.3 (1)": the first under
    sub-item 1.3 (the 2566 plans' numbering), from the sub-(sub-)item line above the item's
    "๒) โครงการ..." label, or "ลำดับที่ 1.1.1 (2)"."""
    m = _LISTED_INLINE.search(header)
    if m:
        d, s, q, n = (to_int(g) for g in m.groups())
        return f"{d}.{s}.{q} ({n})"
    under: str | None = None
    for line in header.split("\n"):
        u = _LISTED_UNDER.match(line)
        if u:
            under = ".".join(str(to_int(g)) for g in u.groups() if g is not None)
            continue
        item = _LISTED_ITEM.match(line)
        if item and under is not None:
            return f"{under} ({to_int(item[1])})"
    return None


def number_of(header: str) -> str | None:
    m = _ITEM_NUMBER.search(header)
    if not m:
        return None
    return ".".join(str(to_int(g)) for g in m.groups())


def kind_and_name(text: str) -> tuple[ItemKind | None, str]:
    """ "กิจกรรม “ประกาศเจตจำนง...”" -> (activity, "ประกาศเจตจำนง...")."""
    text = clean_line(text.replace("\n", " "))
    for word, kind in _KINDS.items():
        if text.startswith(word):
            return kind, _unquote(text[len(word) :])
    return None, _unquote(text)


def _unquote(text: str) -> str:
    return text.strip().strip(_QUOTES).strip()
