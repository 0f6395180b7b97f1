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
_COMPARATORS = (
    (
        re.compile(r"(?:อย่างน้อย|ไม่น้อยกว่า|ไม่ต่ำกว่า|มากกว่าหรือเท่ากับ)\s*(?:ร้อยละ\s*)?$"),
        Comparator.AT_LEAST,
    ),
    (re.compile(r"(?:ไม่เกิน|ไม่มากกว่า|น้อยกว่าหรือเท่ากับ)\s*(?:ร้อยละ\s*)?$"), Comparator.AT_MOST),
    (re.compile(r"(?:จำนวน|ครบ|เท่ากับ)\s*(?:ร้อยละ\s*)?$"), Comparator.EXACTLY),
)
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


def budget(text: str, years: list[int]) -> Budget:
    """ไม่ใช้งบประมาณ, or baht per fiscal year ("ปี 2562 จำนวน 20,000 บาท"; "ปีละ 5,000 บาท"
    for every year of heading 7)."""
    flat = clean_line(text.replace("\n", " "))
    amounts: dict[int, Decimal] = {}
    for line in (clean_line(x) for x in text.split("\n")):
        for part in re.split(r"(?=ปี(?:งบประมาณ)?\s*(?:พ\.?\s*ศ\.?)?\s*" + _YEAR + ")", line):
            year = _ONE_YEAR.search(part)
            amount = _AMOUNT.search(part)
            if year and amount:
                amounts[to_int(year[1])] = _decimal(amount[1])
            elif year and re.search(r"ไม่ใช้งบประมาณ|ไม่ได้ใช้งบประมาณ", part):
                amounts[to_int(year[1])] = Decimal(0)
    if amounts:
        return Budget(False, amounts, True)
    if re.search(r"ไม่ใช้งบประมาณ|ไม่ได้ใช้งบประมาณ|ไม่มีงบประมาณ|^\s*-\s*$", flat):
        return Budget(True, {}, True)
    found = _AMOUNT.findall(flat)
    if len(found) == 1 and years and (_PER_YEAR.search(flat) or len(years) == 1):
        return Budget(False, {y: _decimal(found[0]) for y in years}, True)
    return Budget(False, {}, False)


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
    ฉบับ" -> exactly 1. The last number with a comparator word before it counts."""
    best: Measured | None = None
    for m in _NUMBER.finditer(text):
        before = text[: m.start()]
        percent = m[2] == "%" or bool(re.search(r"ร้อยละ\s*$", before))
        unit = "%" if percent else (m[2] or "")
        for rx, comparator in _COMPARATORS:
            if rx.search(before):
                best = Measured(comparator, _decimal(m[1]), unit)
                break
        else:
            if percent and best is None:
                best = Measured(Comparator.AT_LEAST, _decimal(m[1]), "%")
    return best


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
