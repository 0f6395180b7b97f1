"""Declarations of intent: the read model ``declaration_views``."""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg


async def all_views(conn: asyncpg.Connection) -> list[dict[str, Any]]:
    """Every declaration's view, drafts first, then the newest published."""
    rows = await conn.fetch(
        "SELECT view FROM declaration_views ORDER BY published_on DESC NULLS FIRST, declaration_id"
    )
    return [dict(r["view"]) for r in rows]


async def one_view(
    conn: asyncpg.Connection, declaration_id: uuid.UUID
) -> tuple[dict[str, Any], int] | None:
    """One declaration's view and its version (the ETag), or None."""
    row = await conn.fetchrow(
        "SELECT view, version FROM declaration_views WHERE declaration_id = $1", declaration_id
    )
    return (dict(row["view"]), row["version"]) if row is not None else None
