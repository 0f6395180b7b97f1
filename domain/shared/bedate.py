"""Days as people in Thai offices type and read them: day, month, Buddhist Era year.

Pure (stdlib only). Pages and emails read and write these; the JSON API speaks ISO 8601
(``iso_day`` reads it, and says so when a BE year was sent where CE is expected).

Accepted: "31/3/2570", "31-03-2570", "31.3.2570", "๓๑/๓/๒๕๖๙", "31 มี.ค. 2570",
"31 มีนาคม 2570", "31 มี.ค. 70" (a two-digit year is 25xx), "2570-03-31" (a BE year in ISO
order) and three separate fields (``be_day_from_parts``). A CE year where BE is expected is
recognised and explained ("ปี 2027 เป็นปี ค.ศ. หมายถึง พ.ศ. 2570 ใช่ไหม ..."), never guessed.

>>> parse_be_day("31 มี.ค. 2570")
datetime.date(2027, 3, 31)
>>> be_day(date(2027, 3, 31))
'31 มี.ค. 2570'
>>> be_day(date(2027, 3, 31), full=True)
'31 มีนาคม 2570'
>>> be_numeric(date(2027, 3, 1))
'01/03/2570'
"""

from __future__ import annotations

import re
from datetime import date

from domain.shared.errors import DomainError
from domain.shared.fiscal import BE_OFFSET, arabic_digits, thai_digits, to_be, to_ce
from domain.shared.thai import MONTHS, MONTHS_SHORT

# BE years a plan, a step or a report can name; CE years a person may type by mistake.
BE_MIN, BE_MAX = 2400, 2700
CE_MIN, CE_MAX = BE_MIN - BE_OFFSET, BE_MAX - BE_OFFSET
EXAMPLE = "31/03/2570"
FORMAT_HINT = f"วัน/เดือน/ปี พ.ศ. เช่น {EXAMPLE} หรือ 31 มี.ค. 2570"


class InvalidDay(DomainError):
    """A day that cannot be read; the message says what was wrong and how to write it."""

    code = "invalid-date"


class CeYearWhereBe(InvalidDay):
    """A CE year typed where a BE year is expected (2027 for 2570)."""

    code = "ce-year-where-be-expected"


class BeYearWhereCe(InvalidDay):
    """A BE year sent where the API expects ISO 8601 (CE): 2570-03-31 for 2027-03-31."""

    code = "be-year-where-ce-expected"


def _month_names() -> dict[str, int]:
    names: dict[str, int] = {}
    for i, (full, short) in enumerate(zip(MONTHS, MONTHS_SHORT, strict=True), start=1):
        names[full] = i
        names[short] = i
        names[short.replace(".", "")] = i  # "มีค"
        names[short.replace(".", ". ").strip()] = i  # "มี. ค."
    return names


MONTH_NUMBERS = _month_names()


def _month(text: str) -> int:
    t = text.strip()
    if t.isdigit():
        m = int(t)
        if 1 <= m <= 12:
            return m
        raise InvalidDay(f"เดือน {t} ไม่มี เดือนต้องเป็น 1 ถึง 12", month=t)
    named = MONTH_NUMBERS.get(t) or MONTH_NUMBERS.get(t.replace(" ", ""))
    if named is None:
        raise InvalidDay(
            f"ไม่รู้จักเดือน '{t}' กรุณาพิมพ์ชื่อเดือน เช่น มีนาคม หรือ มี.ค. หรือเลขเดือน 1 ถึง 12",
            month=t,
        )
    return named


def be_year_to_ce(year: int) -> int:
    """The CE year of a BE ``year`` a person typed; a CE year is explained, not guessed."""
    if CE_MIN <= year <= CE_MAX:
        raise CeYearWhereBe(
            f"ปี {year} เป็นปี ค.ศ. หมายถึง พ.ศ. {to_be(year)} ใช่ไหม "
            f"กรุณากรอกปีเป็น พ.ศ. เช่น {to_be(year)}",
            year=year,
            be_year=to_be(year),
        )
    if not BE_MIN <= year <= BE_MAX:
        raise InvalidDay(f"ปี พ.ศ. {year} ไม่ถูกต้อง กรุณากรอกปี พ.ศ. 4 หลัก เช่น 2570", year=year)
    return to_ce(year)


def _year(text: str) -> int:
    t = text.strip()
    if not t.isdigit():
        raise InvalidDay(f"ปี '{t}' ไม่ใช่ตัวเลข กรุณากรอกปี พ.ศ. เช่น 2570", year=t)
    if len(t) == 2:  # "31 มี.ค. 70": the Thai short form of 2570
        return to_ce(2500 + int(t))
    return be_year_to_ce(int(t))


def be_day_from_parts(day: str, month: str, year: str) -> date:
    """A day from three fields: วัน, เดือน (number or Thai name), ปี พ.ศ."""
    d, m, y = (arabic_digits(p).strip() for p in (day, month, year))
    missing = [n for n, v in (("วัน", d), ("เดือน", m), ("ปี พ.ศ.", y)) if not v]
    if missing:
        raise InvalidDay(f"กรุณากรอก{' '.join(missing)}ให้ครบ", missing=missing)
    if not d.isdigit():
        raise InvalidDay(f"วันที่ '{d}' ไม่ใช่ตัวเลข กรุณากรอกวันที่ 1 ถึง 31", day=d)
    ce, mm = _year(y), _month(m)
    try:
        return date(ce, mm, int(d))
    except ValueError:
        raise InvalidDay(
            f"ไม่มีวันที่ {int(d)} {MONTHS[mm - 1]} {to_be(ce)} กรุณาตรวจวันที่อีกครั้ง",
            day=d,
            month=mm,
            year=to_be(ce),
        ) from None


_NUMERIC = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2}|\d{4})$")
_ISO_ORDER = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_WORDS = re.compile(r"^(\d{1,2})\s*([^\d\s][^\d]*?)\s*(?:พ\.\s*ศ\.\s*)?(\d{2}|\d{4})$")


def parse_be_day(text: str) -> date:
    """The day a person typed, with a BE year (see the module's notes for the forms)."""
    t = " ".join(arabic_digits(text).split())
    if not t:
        raise InvalidDay(f"กรุณากรอกวันที่ ({FORMAT_HINT})")
    if m := _NUMERIC.match(t):
        return be_day_from_parts(m[1], m[2], m[3])
    if m := _ISO_ORDER.match(t):
        return be_day_from_parts(m[3], m[2], m[1])
    if m := _WORDS.match(t):
        return be_day_from_parts(m[1], m[2], m[3])
    raise InvalidDay(f"อ่านวันที่ '{text.strip()}' ไม่ได้ กรุณากรอกเป็น {FORMAT_HINT}", text=text)


def iso_day(text: str) -> date:
    """An API's ISO 8601 day (CE); a BE year sent by mistake is explained."""
    t = text.strip()
    m = _ISO_ORDER.match(t)
    if m is None or len(m[2]) != 2 or len(m[3]) != 2:
        raise InvalidDay(f"'{t}' ไม่ใช่วันที่แบบ ISO 8601 (YYYY-MM-DD, ปี ค.ศ.) เช่น 2027-03-31")
    year = int(m[1])
    if BE_MIN <= year <= BE_MAX:
        raise BeYearWhereCe(
            f"ปี {year} เป็นปี พ.ศ. หมายถึง ค.ศ. {to_ce(year)} ใช่ไหม "
            f"วันที่ใน API ใช้ปี ค.ศ. (ISO 8601) เช่น {to_ce(year)}-{m[2]}-{m[3]}",
            year=year,
            ce_year=to_ce(year),
        )
    try:
        return date.fromisoformat(t)
    except ValueError:
        raise InvalidDay(f"ไม่มีวันที่ {t} กรุณาตรวจวันที่อีกครั้ง") from None


def be_day(on: date, *, full: bool = False, numerals: bool = False) -> str:
    """'31 มี.ค. 2570'; full: '31 มีนาคม 2570'; numerals: Thai digits."""
    month = (MONTHS if full else MONTHS_SHORT)[on.month - 1]
    text = f"{on.day} {month} {to_be(on.year)}"
    return thai_digits(text) if numerals else text


def be_numeric(on: date) -> str:
    """'31/03/2570': what a date field holds."""
    return f"{on.day:02d}/{on.month:02d}/{to_be(on.year)}"


def be_parts(on: date) -> tuple[int, int, int]:
    """(day, month, BE year): what three separate fields hold."""
    return on.day, on.month, to_be(on.year)


def days_late_text(days: int, *, numerals: bool = False) -> str:
    """'เสร็จล่าช้า 12 วัน' (nothing for a step done on time)."""
    if days <= 0:
        return ""
    text = f"เสร็จล่าช้า {days} วัน"
    return thai_digits(text) if numerals else text
