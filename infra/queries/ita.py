"""The public evidence behind ITA addresses that is not in the public read model's tables:
the reports an LAO submitted to its provincial office (the PDF of the latest submission of
each round), read as the role ``sujarit_public`` (migration 0026: submitted PDFs only, and
not who submitted them)."""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg

_SUBMITTED = (
    "SELECT DISTINCT ON (round) round, sha256, size, as_of, submitted_at FROM reports "
    "WHERE tenant_id = $1 AND format = 'pdf' AND submitted_at IS NOT NULL "
)


async def submitted_reports(conn: asyncpg.Connection, tenant_id: uuid.UUID) -> list[dict[str, Any]]:
    """The latest submitted PDF of each round (round, sha256, size, as_of, submitted_at)."""
    rows = await conn.fetch(_SUBMITTED + "ORDER BY round, submitted_at DESC", tenant_id)
    return [dict(r) for r in rows]


async def submitted_report(
    conn: asyncpg.Connection, tenant_id: uuid.UUID, round_code: str
) -> dict[str, Any] | None:
    row = await conn.fetchrow(
        _SUBMITTED + "AND round = $2 ORDER BY round, submitted_at DESC", tenant_id, round_code
    )
    return None if row is None else dict(row)
