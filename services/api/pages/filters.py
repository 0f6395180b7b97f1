"""Jinja filters of the pages: Buddhist Era dates, fiscal years, baht."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from domain.shared.bedate import days_late_text
from domain.shared.clock import BANGKOK
from domain.shared.thai import MONTHS, baht, fiscal_year_label, thai_date, thai_datetime
from services.api.i18n import lang_var


def _as_date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.astimezone(BANGKOK).date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def be_date(value: Any, short: bool = False) -> str:
    """'31 มีนาคม 2568' (English pages: '31 Mar 2025')."""
    on = _as_date(value)
    if on is None:
        return "—"
    if lang_var.get() == "en":
        return f"{on.day} {on.strftime('%b')} {on.year}"
    return thai_date(on, short=short)


def be_datetime(value: Any) -> str:
    if not isinstance(value, datetime):
        return be_date(value)
    if lang_var.get() == "en":
        return value.astimezone(BANGKOK).strftime("%d %b %Y %H:%M")
    return thai_datetime(value)


def fiscal(value: Any) -> str:
    if value in (None, ""):
        return "—"
    fy = int(value)
    return f"FY {fy - 543}" if lang_var.get() == "en" else fiscal_year_label(fy)


def money(value: Any) -> str:
    """'80,000.00 บาท' (English pages: '80,000.00 baht')."""
    if value in (None, ""):
        return "—"
    text = baht(Decimal(str(value)))
    return text.replace("บาท", "baht") if lang_var.get() == "en" else text


def be_parts(value: Any) -> dict[str, str]:
    """The three date fields' values of a day (empty when there is none)."""
    on = _as_date(value)
    if on is None:
        return {"d": "", "m": "", "y": ""}
    return {"d": str(on.day), "m": str(on.month), "y": str(on.year + 543)}


def days_late(value: Any) -> str:
    """'เสร็จล่าช้า 12 วัน' (English pages: 'completed 12 days late')."""
    days = int(value or 0)
    if lang_var.get() == "en":
        return f"completed {days} days late" if days > 0 else ""
    return days_late_text(days)


THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def arabic(value: Any) -> str:
    """The text with Thai digits as Arabic ones ('(พ.ศ. ๒๕๖๖ - ๒๕๗๐)' -> '(พ.ศ. 2566 - 2570)'):
    a public page writes its numbers one way only."""
    return "" if value is None else str(value).translate(THAI_DIGITS)


GLOBALS = {"thai_months": MONTHS}
FILTERS = {
    "be_parts": be_parts,
    "days_late": days_late,
    "be_date": be_date,
    "be_datetime": be_datetime,
    "fiscal": fiscal,
    "baht": money,
    "arabic": arabic,
}
