"""An LAO's first steps (the home page's first-run checklist), read in its own transaction."""

from __future__ import annotations

from typing import Any

import asyncpg


async def first_steps(conn: asyncpg.Connection) -> dict[str, Any]:
    """What the LAO has done so far: plans drafted and promulgated, declarations published,
    members other than the first, whether reminders were set."""
    row = await conn.fetchrow(
        "SELECT (SELECT count(*) FROM plan_views) AS plans, "
        "(SELECT count(*) FROM plan_views WHERE summary->>'status' = 'promulgated') "
        "AS promulgated, "
        "(SELECT count(*) FROM declaration_views WHERE published_on IS NOT NULL) AS declared, "
        "(SELECT count(*) FROM members WHERE status IN ('invited', 'active')) AS members, "
        "(SELECT count(*) FROM reminder_policies) AS reminders"
    )
    return dict(row) if row else {}
