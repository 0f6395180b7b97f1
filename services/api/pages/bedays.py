"""Days typed on the pages: three fields (วัน / เดือน / ปี พ.ศ.) read with domain.shared.bedate;
a CE year where BE is expected is explained in Thai, and what was typed goes back to the form."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.shared.bedate import InvalidDay, be_day_from_parts, parse_be_day
from services.api.pages.common import text

Typed = dict[str, str]


def typed_day(form: Any, name: str) -> Typed:
    """What was typed in the three fields of ``name`` (a single field ``name``, e.g. "31/03/2570"
    from a script, is read into them)."""
    parts = {k: text(form, f"{name}-{k}", 20) for k in ("d", "m", "y")}
    single = text(form, name, 40)
    if not any(parts.values()) and single:
        try:
            on = parse_be_day(single)
        except InvalidDay:
            return {"d": single, "m": "", "y": ""}
        return {"d": str(on.day), "m": str(on.month), "y": str(on.year + 543)}
    return parts


def empty(parts: Typed) -> bool:
    return not any(v.strip() for v in parts.values())


def read_day(
    parts: Typed,
    what: str,
    today: date,
    *,
    past_only: bool = False,
    required: bool = True,
) -> tuple[date | None, str]:
    """The day of the three fields and what is wrong with it ("" when right; (None, "") when
    left empty and not required)."""
    if empty(parts):
        if required:
            return None, f"กรุณากรอก{what} (วัน เดือน และปี พ.ศ.) เช่น 31 มีนาคม 2570"
        return None, ""
    try:
        on = be_day_from_parts(parts["d"], parts["m"], parts["y"])
    except InvalidDay as e:
        return None, f"{what}: {e.message}"
    if past_only and on > today:
        return None, f"{what}ต้องไม่เลยวันนี้"
    return on, ""
