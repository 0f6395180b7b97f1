"""What the plan and item pages share: reading what was typed (days, amounts, lines, the
version the form was drawn from) and the pages that say no."""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar.response import Template

from domain.shared.access import REFUSED, Forbidden
from domain.shared.fiscal import arabic_digits
from infra.auth.orgs import Org
from infra.auth.sessions import Session
from services.api.pages.bedays import read_day
from services.api.pages.common import page, text

BAD_DAY = "วันที่ที่ระบุไม่ถูกต้อง ต้องอยู่ในรูปแบบ ปี ค.ศ.-เดือน-วัน เช่น 2026-03-31"


def parse_day(raw: str) -> date | None:
    try:
        return date.fromisoformat(arabic_digits(raw.strip())[:10])
    except ValueError:
        return None


def parse_as_of(query: Any, today: date, too_old: str = BAD_DAY) -> tuple[date | None, str]:
    """The "as of" day of an address (a past or present day) and what is wrong with it: the
    pages' form sends it as three fields in the Buddhist Era (``as_of-d``, ``as_of-m``,
    ``as_of-y``); links and the API use ``as_of=YYYY-MM-DD``."""
    parts = {k: text(query, f"as_of-{k}", 20) for k in ("d", "m", "y")}
    if any(parts.values()):
        on, problem = read_day(parts, "วันที่ที่ต้องการดูแผน", today, past_only=True)
        if problem:
            return None, problem
    else:
        raw = query.get("as_of") if query is not None else None
        if not raw:
            return None, ""
        on = parse_day(str(raw))
        if on is None:
            return None, BAD_DAY
    assert on is not None
    if on > today:
        return None, "เลือกได้เฉพาะวันนี้หรือวันที่ผ่านมาแล้ว"
    if on.year < 1900:
        return None, too_old
    return on, ""


def day_error(
    raw: str, what: str, today: date, *, past_only: bool = False
) -> tuple[date | None, str]:
    on = parse_day(raw) if raw else None
    if on is None:
        return None, f"กรุณาระบุ{what} เช่น 31/03/2569 (เลือกจากปฏิทิน)"
    if past_only and on > today:
        return None, f"{what}ต้องไม่เลยวันนี้"
    if on.year < 1900 or on.year > 2200:
        return None, f"{what}ไม่ถูกต้อง"
    return on, ""


def version_of(form: Any) -> int | None:
    raw = text(form, "version", 12)
    return int(raw) if raw.isdigit() else None


def lines(value: str) -> tuple[str, ...]:
    return tuple(ln.strip() for ln in value.splitlines() if ln.strip())


def message_page(
    org: Org, viewer: Session, status: int, title: str, message: str, link: str, link_text: str
) -> Template:
    return page(
        "message.html",
        status,
        session=viewer,
        org=org,
        title=title,
        message=message,
        link=link,
        link_text=link_text,
    )


def refused(
    org: Org, viewer: Session, back: str, error: Forbidden | None = None, *, what: str = ""
) -> Template:
    """The role may not (a step not assigned to the member: the rule's own words)."""
    if error is not None and error.message != REFUSED:
        message = error.message
    else:
        message = f"บทบาทของคุณทำรายการนี้ไม่ได้ หากต้องการแก้ไข{what} กรุณาติดต่อเจ้าหน้าที่ผู้รับผิดชอบแผนหรือผู้บริหาร"
    link_text = "กลับไปหน้าแผน" if what else "กลับไปหน้ารายการ"
    return message_page(org, viewer, 403, "ทำรายการนี้ไม่ได้", message, back, link_text)
