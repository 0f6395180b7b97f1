"""Import batches and their sheets as they wait for review (``import_batches``,
``import_sheets``), read on a connection scoped to the tenant (RLS)."""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg

from domain.shared.errors import NotFound
from infra.imports.review import SHEET_COLUMNS, sheet_view


async def batch(conn: asyncpg.Connection, batch_id: uuid.UUID) -> dict[str, Any]:
    """The batch and its sheets; NotFound for a batch the tenant does not have."""
    found = await conn.fetchrow(
        "SELECT batch_id, created_at, created_by, files FROM import_batches WHERE batch_id = $1",
        batch_id,
    )
    if found is None:
        raise NotFound("ไม่พบชุดนำเข้านี้", batch_id=str(batch_id))
    rows = await conn.fetch(
        f"SELECT {SHEET_COLUMNS} FROM import_sheets WHERE batch_id = $1 ORDER BY position",
        batch_id,
    )
    return {
        "batch_id": str(found["batch_id"]),
        "created_at": found["created_at"].isoformat(),
        "created_by": found["created_by"],
        "files": found["files"],
        "sheets": [sheet_view(r) for r in rows],
    }


_BATCHES = (
    "SELECT b.batch_id, b.created_at, b.created_by, b.files, count(s.*) AS sheets, "
    "count(s.*) FILTER (WHERE s.status = 'pending') AS pending, "
    "count(s.*) FILTER (WHERE s.status = 'accepted') AS accepted, "
    "count(s.*) FILTER (WHERE s.status = 'rejected') AS rejected "
    "FROM import_batches b LEFT JOIN import_sheets s USING (tenant_id, batch_id) "
    "GROUP BY b.batch_id, b.created_at, b.created_by, b.files "
    "ORDER BY b.created_at DESC LIMIT 200"
)


async def batch_rows(conn: asyncpg.Connection) -> list[dict[str, Any]]:
    """The newest 200 batches with their files and how many sheets are pending, accepted and
    rejected (the pages' list)."""
    return [dict(r) for r in await conn.fetch(_BATCHES)]


async def batches(conn: asyncpg.Connection) -> list[dict[str, Any]]:
    """The same batches as the API lists them: ids and times as text, sheets and pending."""
    return [
        {
            "batch_id": str(r["batch_id"]),
            "created_at": r["created_at"].isoformat(),
            "created_by": r["created_by"],
            "sheets": r["sheets"],
            "pending": r["pending"],
        }
        for r in await batch_rows(conn)
    ]
