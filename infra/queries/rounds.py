"""Reads for round reporting: a plan's summary and its items with their planned budgets."""

from __future__ import annotations

import uuid
from typing import Any


async def plan_summary(conn: Any, plan_id: uuid.UUID) -> dict[str, Any] | None:
    row = await conn.fetchrow("SELECT summary FROM plan_views WHERE plan_id = $1", plan_id)
    return None if row is None else dict(row["summary"])


async def round_items(conn: Any, plan_id: uuid.UUID) -> list[Any]:
    """The plan's items in their order, with their sheets' budget per fiscal year,
    objectives, targets and fiscal years."""
    return list(
        await conn.fetch(
            "SELECT item_id, number, kind, registered_name, "
            "coalesce((sheet->>'no_budget')::boolean, false) AS no_budget, "
            "coalesce(sheet->'budget', '{}'::jsonb) AS budget, "
            "coalesce(sheet->'objectives', '[]'::jsonb) AS objectives, "
            "coalesce(sheet->'targets', '[]'::jsonb) AS targets, "
            "coalesce(sheet->'fiscal_years', '[]'::jsonb) AS fiscal_years "
            "FROM item_views WHERE plan_id = $1 ORDER BY sort_key",
            plan_id,
        )
    )
