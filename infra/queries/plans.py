"""The plans' and items' read models, each SELECT written once (plain functions taking a
connection already in the actor's transaction, or the pool for the one-round-trip overview)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

import asyncpg

from domain.plans.plan import ItemEntry
from domain.plans.values import ItemKind
from domain.shared.fiscal import fiscal_year

# What the service counts by itself, with the day each was counted: the indicators with a
# ``measure`` (item sheets, the home page, the progress report).
MEASURED = """
SELECT 'declarations_published' AS m, published_on AS d FROM declaration_views
 WHERE published_on IS NOT NULL
UNION ALL
SELECT 'declarations_announced', (a->>'on')::date FROM declaration_views,
       jsonb_array_elements(view->'announcements') AS a
UNION ALL
SELECT 'plans_promulgated', (summary->>'promulgated_on')::date FROM plan_views
 WHERE summary->>'promulgated_on' IS NOT NULL
UNION ALL
SELECT 'complaints_received', received_on FROM complaint_views
"""

# The plan's version, its overview template (its parts only when their digest is not the one
# this process holds) and what fills it today (migrations 0011, 0019 and 0032). It takes the
# tenant first and sets it for itself: one statement, one round trip. Its one row is NULLs
# when the plan is not found (or not the tenant's): no row then.
OVERVIEW = (
    "SELECT version, digest, overview_parts, fillers, total, summary "
    "FROM app_plan_overview_row($1, $2, $3, $4) WHERE version IS NOT NULL"
)


def entry_of(row: Any) -> ItemEntry:
    """An item's entry in the plan, from a row of item_views."""
    return ItemEntry(row["item_id"], row["number"], ItemKind(row["kind"]), row["registered_name"])


async def counted(conn: Any, as_of: date | None = None) -> dict[str, dict[int, int]]:
    """What the service counts by itself, per fiscal year (up to ``as_of``)."""
    out: dict[str, dict[int, int]] = {}
    for r in await conn.fetch(MEASURED):
        if as_of is None or r["d"] <= as_of:
            fy = fiscal_year(r["d"])
            out.setdefault(r["m"], {}).setdefault(fy, 0)
            out[r["m"]][fy] += 1
    return out


async def plan_summaries(conn: Any) -> list[dict[str, Any]]:
    """Every plan's summary, the latest first."""
    rows = await conn.fetch("SELECT summary FROM plan_views ORDER BY summary->>'first_year' DESC")
    return [dict(r["summary"]) for r in rows]


# The list of plans: each summary without its catalogue (~7.5 KB of the ~7.8 KB a summary is),
# dropped by PostgreSQL so that it is neither sent nor decoded.
PLAN_LIST = (
    "SELECT summary - 'catalogue' AS summary FROM plan_views ORDER BY summary->>'first_year' DESC"
)


async def plan_list(conn: Any) -> list[dict[str, Any]]:
    """Every plan's summary without its catalogue, the latest first."""
    rows = await conn.fetch(PLAN_LIST)
    return [dict(r["summary"]) for r in rows]


async def plan_overview_row(
    conn: Any, tenant_id: uuid.UUID, plan_id: uuid.UUID, today: date, digest: bytes | None
) -> asyncpg.Record | None:
    row: asyncpg.Record | None = await conn.fetchrow(OVERVIEW, tenant_id, plan_id, today, digest)
    return row


async def item_briefs(conn: Any, plan_id: uuid.UUID) -> list[Any]:
    """The plan's items with their briefs (the overview before migration 0011 wrote it)."""
    return list(
        await conn.fetch(
            "SELECT item_id, number, kind, registered_name, brief FROM item_views "
            "WHERE plan_id = $1",
            plan_id,
        )
    )


async def item_sheets(conn: Any, plan_id: uuid.UUID) -> list[Any]:
    """The plan's items with their detail sheets."""
    return list(
        await conn.fetch(
            "SELECT item_id, number, kind, registered_name, sheet FROM item_views "
            "WHERE plan_id = $1",
            plan_id,
        )
    )


async def item_sheet_row(conn: Any, plan_id: uuid.UUID, item_id: uuid.UUID) -> Any:
    """One item's detail sheet, its version and its plan's summary; None: no such item."""
    return await conn.fetchrow(
        "SELECT i.item_id, i.number, i.kind, i.registered_name, i.sheet, i.version, "
        "p.summary FROM item_views i JOIN plan_views p USING (tenant_id, plan_id) "
        "WHERE i.plan_id = $1 AND i.item_id = $2",
        plan_id,
        item_id,
    )


async def promulgation_document(
    conn: Any, plan_id: uuid.UUID, until: datetime | None
) -> dict[str, Any] | None:
    """The file of the plan's (latest) promulgation recorded by ``until``; None: none."""
    data = await conn.fetchval(
        "SELECT data->'document' FROM events WHERE stream_id = $1 "
        "AND event_type = 'PlanPromulgated' AND ($2::timestamptz IS NULL OR recorded_at <= $2)"
        " ORDER BY sequence DESC LIMIT 1",
        plan_id,
        until,
    )
    return data if isinstance(data, dict) and data.get("sha256") else None


async def open_revisions(conn: Any) -> list[Any]:
    """The province's revision requests still open or answered (the home page's tasks)."""
    return list(
        await conn.fetch(
            "SELECT subject, text, office, status, requested_at FROM review_threads "
            "WHERE kind = 'revision' AND status IN ('open', 'answered') "
            "ORDER BY requested_at"
        )
    )
