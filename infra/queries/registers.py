"""The registers: complaints per fiscal year and the register of a year, the timeline (who did
what, when), the history page's timeline with the names it shows, and the deadline calendar."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import asyncpg


async def complaints_per_year(conn: asyncpg.Connection) -> list[dict[str, Any]]:
    rows = await conn.fetch(
        "SELECT fiscal_year, count(*) AS received, count(resolved_on) AS resolved "
        "FROM complaint_views GROUP BY fiscal_year ORDER BY fiscal_year"
    )
    return [dict(r) for r in rows]


COMPLAINT_COLUMNS = (
    "complaint_id, received_on, fiscal_year, channel, category, taken_up_on, resolved_on, outcome, "
    "CASE WHEN resolved_on IS NOT NULL THEN 'resolved' "
    "WHEN taken_up_on IS NOT NULL THEN 'in_progress' ELSE 'received' END AS status"
)


async def complaints_of_year(conn: asyncpg.Connection, year: int) -> list[dict[str, Any]]:
    """The register of fiscal year ``year``: newest received first."""
    rows = await conn.fetch(
        f"SELECT {COMPLAINT_COLUMNS} FROM complaint_views WHERE fiscal_year = $1 "
        "ORDER BY received_on DESC, complaint_id",
        year,
    )
    return [dict(r) for r in rows]


async def complaint(conn: asyncpg.Connection, complaint_id: Any) -> dict[str, Any] | None:
    row = await conn.fetchrow(
        f"SELECT {COMPLAINT_COLUMNS} FROM complaint_views WHERE complaint_id = $1", complaint_id
    )
    return dict(row) if row is not None else None


async def timeline(conn: asyncpg.Connection, before: int | None, limit: int) -> list[Any]:
    return list(
        await conn.fetch(
            "SELECT sequence, recorded_at, event_type, stream_type, stream_id, version, "
            "actor FROM timeline WHERE ($1::bigint IS NULL OR sequence < $1) "
            "ORDER BY sequence DESC LIMIT $2",
            before,
            limit,
        )
    )


HISTORY = """
SELECT t.sequence, t.recorded_at, t.event_type, t.stream_type, t.stream_id, t.actor, e.data,
       i.number AS item_number, m.name AS actor_name, s.name AS subject_name,
       s.email AS subject_email
FROM timeline t
JOIN events e ON e.tenant_id = t.tenant_id AND e.sequence = t.sequence
LEFT JOIN item_views i ON i.tenant_id = t.tenant_id
  AND i.item_id = coalesce((e.data->>'item_id')::uuid, t.stream_id)
LEFT JOIN members m ON m.tenant_id = t.tenant_id AND m.email = t.actor
LEFT JOIN members s ON s.tenant_id = t.tenant_id AND s.account_id = t.stream_id
WHERE ($1::bigint IS NULL OR t.sequence < $1)
  AND (cardinality($2::text[]) = 0 OR t.stream_type = ANY($2))
  AND (CASE WHEN cardinality($3::text[]) = 0 THEN t.event_type <> ALL($4::text[])
            ELSE t.event_type = ANY($3) END)
ORDER BY t.sequence DESC
LIMIT $5
"""


async def history(
    conn: asyncpg.Connection,
    before: int | None,
    streams: Sequence[str],
    events: Sequence[str],
    hidden: Sequence[str],
    limit: int,
) -> list[Any]:
    """The timeline with each event's data, its item's number and the people's names: of the
    stream types ``streams`` (all when empty), the event types ``events`` (when empty: all but
    ``hidden``)."""
    return list(await conn.fetch(HISTORY, before, list(streams), list(events), list(hidden), limit))


async def deadlines(conn: asyncpg.Connection, start: date | None, end: date) -> list[Any]:
    """Steps due up to ``end`` and from ``start`` (when None: every step not completed)."""
    return list(
        await conn.fetch(
            "SELECT d.due_date, d.plan_id, d.item_id, i.number AS item_number, "
            "coalesce(nullif(i.sheet->>'name', ''), i.registered_name) AS item_name, "
            "d.number AS step_number, d.title, d.status, d.completed_on "
            "FROM step_deadlines d JOIN item_views i USING (tenant_id, item_id) "
            "WHERE d.due_date <= $2 AND (d.due_date >= $1 OR ($1::date IS NULL "
            "AND d.status <> 'completed')) ORDER BY d.due_date, i.sort_key, d.number",
            start,
            end,
        )
    )
