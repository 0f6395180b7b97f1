"""The round table's form: one row of plain inputs per item, named ``<field>-<item id>``."""

from __future__ import annotations

import uuid
from typing import Any

from domain.reporting.entries import (
    MAX_REMARK,
    CannotReason,
    InvalidEntry,
    ItemRoundEntry,
    RoundStatus,
    parse_baht,
)

AMOUNTS = ("budget_plan", "budget_ordinance", "disbursed")


def _one(form: Any, name: str, limit: int) -> str:
    value = form.get(name, "")
    return (value if isinstance(value, str) else "")[:limit]


def parse_entries(
    form: Any, item_ids: list[uuid.UUID]
) -> tuple[list[ItemRoundEntry], dict[str, str], dict[str, str]]:
    """(entries, errors by field id, what was typed by field id)."""
    entries, errors, typed = [], {}, {}
    for item in item_ids:
        row: dict[str, Any] = {}
        for field in (*AMOUNTS, "status", "reason", "remark"):
            fid = f"{field}-{item}"
            typed[fid] = _one(form, fid, MAX_REMARK + 1 if field == "remark" else 40)
        for field in AMOUNTS:
            fid = f"{field}-{item}"
            try:
                row[field] = parse_baht(typed[fid])
            except ValueError as e:
                errors[fid] = str(e)
        for field in ("in_ordinance", "in_operating_plan"):
            typed[f"{field}-{item}"] = "1" if form.get(f"{field}-{item}") else ""
        status_text, reason_text = typed[f"status-{item}"], typed[f"reason-{item}"]
        try:
            status = RoundStatus(status_text) if status_text else None
        except ValueError:
            errors[f"status-{item}"] = "เลือกสถานะจากรายการ"
            status = None
        try:
            reason = CannotReason(reason_text) if reason_text else None
        except ValueError:
            errors[f"reason-{item}"] = "เลือกเหตุผลจากรายการ"
            reason = None
        if any(k.endswith(str(item)) for k in errors):
            continue
        entry = ItemRoundEntry(
            item,
            row["budget_plan"],
            row["budget_ordinance"],
            row["disbursed"],
            bool(typed[f"in_ordinance-{item}"]),
            bool(typed[f"in_operating_plan-{item}"]),
            status,
            reason,
            typed[f"remark-{item}"].strip(),
        )
        try:
            entry.check()
        except InvalidEntry as e:
            field = "remark" if "หมายเหตุ" in e.message else "reason"
            errors[f"{field}-{item}"] = e.message
            continue
        entries.append(entry)
    return entries, errors, typed
