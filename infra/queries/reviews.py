"""Review threads (``review_threads``) and what a reviewer may comment on."""

from __future__ import annotations

from typing import Any

import asyncpg


async def threads(conn: asyncpg.Connection, *, open_first: bool = False) -> list[Any]:
    order = "(status IN ('open', 'answered')) DESC, " if open_first else ""
    return list(await conn.fetch(f"SELECT * FROM review_threads ORDER BY {order}requested_at DESC"))


async def subjects(conn: asyncpg.Connection) -> list[tuple[str, str]]:
    """The plans and items a comment may be about: (subject, label)."""
    plans = await conn.fetch("SELECT plan_id, summary->>'title' AS title FROM plan_views")
    items = await conn.fetch(
        "SELECT item_id, number, registered_name FROM item_views ORDER BY sort_key"
    )
    return [(f"plan:{r['plan_id']}", f"แผน: {r['title']}") for r in plans] + [
        (f"item:{r['item_id']}", f"{r['number']} {r['registered_name']}") for r in items
    ]
