"""Accepting a reviewed sheet: the ordinary plan commands that add its item.

An accepted sheet leaves no trace of the import in the plan: the item is added, its headings,
budget, steps and indicators set by the same commands a clerk's own typing would send.
"""

from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from domain.plans import commands as c
from domain.plans.events import ItemHeadingsEdited
from domain.plans.values import Comparator, ItemKind, OutcomeIndicator, OutputIndicator
from domain.shared.errors import DomainError


class SheetNotReady(DomainError):
    """The sheet lacks what an item needs; the reviewer edits it first."""

    code = "import-sheet-not-ready"


class SheetAlreadyDecided(DomainError):
    code = "import-sheet-decided"
    status = 409


def commands_for(sheet: dict[str, Any], plan_id: uuid.UUID, item_id: uuid.UUID) -> list[Any]:
    """AddItem (plan stream), then the item stream's commands, in order."""
    problems = []
    if not sheet.get("number"):
        problems.append("ลำดับที่ของรายการ (เช่น 2.1.1)")
    if sheet.get("kind") not in {k.value for k in ItemKind}:
        problems.append("ประเภท (โครงการ / กิจกรรม / มาตรการ)")
    if not str(sheet.get("name") or "").strip():
        problems.append("ชื่อ (หัวข้อ 1)")
    if not sheet.get("budget") and any(u.get("heading") == "8" for u in sheet.get("unparsed", [])):
        problems.append("งบประมาณ (หัวข้อ 8) ที่อ่านไม่ออก")
    if problems:
        raise SheetNotReady(
            "แก้ไขรายการนำเข้าก่อนยอมรับ: ยังขาด " + ", ".join(problems), missing=problems
        )
    cmds: list[Any] = [
        c.AddItem(plan_id, item_id, sheet["number"], ItemKind(sheet["kind"]), sheet["name"]),
        c.EditItemHeadings(
            plan_id,
            item_id,
            ItemHeadingsEdited(
                rationale=sheet.get("rationale") or None,
                objectives=tuple(sheet.get("objectives") or ()) or None,
                targets=tuple(sheet.get("targets") or ()) or None,
                area=sheet.get("area") or None,
                fiscal_years=tuple(int(y) for y in sheet.get("fiscal_years") or ()) or None,
                responsible_unit=sheet.get("responsible") or None,
            ),
        ),
    ]
    budget = sheet.get("budget")
    cmds.append(
        c.SetBudget(
            plan_id,
            item_id,
            None if budget is None else {int(y): _amount(a) for y, a in budget.items()},
        )
    )
    for step in sheet.get("steps") or ():
        cmds.append(c.ScheduleStep(plan_id, item_id, step["number"], step["title"]))
    for n, o in enumerate(sheet.get("output_indicators") or (), 1):
        cmds.append(
            c.DefineIndicator(
                plan_id,
                item_id,
                OutputIndicator(
                    f"o{n}", o["text"], Comparator(o["comparator"]), _amount(o["target"]), o["unit"]
                ),
            )
        )
    for n, text in enumerate(sheet.get("outcomes") or (), 1):
        cmds.append(c.DefineIndicator(plan_id, item_id, OutcomeIndicator(f"r{n}", text)))
    return cmds


def _amount(value: object) -> Decimal:
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise SheetNotReady(f"จำนวน '{value}' ไม่ใช่ตัวเลข", value=str(value)) from None
