"""Thai text for documents and pages: digits, Buddhist Era dates, month names, baht.

Pure (stdlib only). Fiscal years and the BE offset are ``domain.shared.fiscal``'s; they are
re-exported here so that a template needs one module.

>>> thai_date(date(2025, 3, 31))
'31 มีนาคม 2568'
>>> thai_date(date(2025, 3, 31), short=True, numerals=True)
'๓๑ มี.ค. ๖๘'
>>> baht(Decimal("1234.5"))
'1,234.50 บาท'
>>> baht_text(Decimal("1234.50"))
'หนึ่งพันสองร้อยสามสิบสี่บาทห้าสิบสตางค์'
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from domain.shared.clock import BANGKOK
from domain.shared.fiscal import arabic_digits, fiscal_year, thai_digits, to_be

__all__ = [
    "MONTHS",
    "MONTHS_SHORT",
    "arabic_digits",
    "baht",
    "baht_text",
    "fiscal_year",
    "fiscal_year_label",
    "grouped",
    "number_text",
    "plain_number",
    "thai_date",
    "thai_datetime",
    "thai_digits",
    "thai_month_year",
    "to_be",
]

MONTHS = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
MONTHS_SHORT = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)


def _digits(text: str, numerals: bool) -> str:
    return thai_digits(text) if numerals else text


def thai_date(on: date, *, short: bool = False, numerals: bool = False) -> str:
    """'31 มีนาคม 2568'; short: '31 มี.ค. 68'; numerals: Thai digits ('๓๑ มีนาคม ๒๕๖๘')."""
    be = to_be(on.year)
    if short:
        text = f"{on.day} {MONTHS_SHORT[on.month - 1]} {be % 100:02d}"
    else:
        text = f"{on.day} {MONTHS[on.month - 1]} {be}"
    return _digits(text, numerals)


def thai_month_year(on: date, *, numerals: bool = False) -> str:
    """'มีนาคม 2568'."""
    return _digits(f"{MONTHS[on.month - 1]} {to_be(on.year)}", numerals)


def thai_datetime(at: datetime, *, numerals: bool = False) -> str:
    """'31 มีนาคม 2568 เวลา 14.05 น.' in Asia/Bangkok (a naive time is taken as Bangkok's)."""
    local = at.astimezone(BANGKOK) if at.tzinfo else at
    return _digits(f"{thai_date(local.date())} เวลา {local:%H.%M} น.", numerals)


def fiscal_year_label(fy: int, *, numerals: bool = False) -> str:
    """'ปีงบประมาณ พ.ศ. 2561'."""
    return _digits(f"ปีงบประมาณ พ.ศ. {fy}", numerals)


def grouped(value: int | Decimal, *, places: int = 0, numerals: bool = False) -> str:
    """'1,234' or, with places=2, '1,234.50' (rounded half up)."""
    q = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return _digits(f"{q:,.{places}f}", numerals)


def plain_number(value: int | Decimal, *, numerals: bool = False) -> str:
    """A value as people write it: '1', '12.5', '80' (no trailing zeros, no exponent)."""
    d = Decimal(value)
    text = f"{d:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return _digits(text if text not in ("", "-0") else "0", numerals)


def baht(amount: Decimal | int, *, numerals: bool = False) -> str:
    """'1,234.50 บาท'."""
    return f"{grouped(amount, places=2, numerals=numerals)} บาท"


_WORDS = ("ศูนย์", "หนึ่ง", "สอง", "สาม", "สี่", "ห้า", "หก", "เจ็ด", "แปด", "เก้า")
_PLACES = ("", "สิบ", "ร้อย", "พัน", "หมื่น", "แสน")


def _below_million(n: int) -> str:
    """Words for 1..999,999; units of 1 after a higher digit are 'เอ็ด' (สิบเอ็ด, ร้อยเอ็ด)."""
    out = []
    digits = [int(c) for c in str(n)]
    size = len(digits)
    for i, d in enumerate(digits):
        place = size - i - 1
        if d == 0:
            continue
        if place == 1 and d == 1:
            out.append("สิบ")
        elif place == 1 and d == 2:
            out.append("ยี่สิบ")
        elif place == 0 and d == 1 and size > 1:
            out.append("เอ็ด")
        else:
            out.append(_WORDS[d] + _PLACES[place])
    return "".join(out)


def number_text(n: int) -> str:
    """Thai words for a whole number ≥ 0: 21 -> 'ยี่สิบเอ็ด', 1,000,000 -> 'หนึ่งล้าน'."""
    if n < 0:
        raise ValueError("number_text takes a number of zero or more")
    if n == 0:
        return _WORDS[0]
    millions, rest = divmod(n, 1_000_000)
    head = number_text(millions) + "ล้าน" if millions else ""
    return head + (_below_million(rest) if rest else "")


def baht_text(amount: Decimal | int) -> str:
    """An amount in words, as on a cheque: 'หนึ่งร้อยบาทถ้วน', 'ห้าสิบสตางค์'."""
    q = Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if q < 0:
        raise ValueError("baht_text takes an amount of zero or more")
    whole = int(q)
    satang = int((q - whole) * 100)
    if satang == 0:
        return f"{number_text(whole)}บาทถ้วน"
    head = f"{number_text(whole)}บาท" if whole else ""
    return f"{head}{number_text(satang)}สตางค์"
