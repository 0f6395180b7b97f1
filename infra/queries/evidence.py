"""Evidence files the tenant uploaded (``evidence_files``)."""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg


async def files(conn: asyncpg.Connection, shas: Sequence[str]) -> dict[str, asyncpg.Record]:
    """The listed files among ``shas``, by SHA-256 (name, media_type, size)."""
    rows = await conn.fetch(
        "SELECT sha256, name, media_type, size FROM evidence_files WHERE sha256 = ANY($1)",
        list(shas),
    )
    return {r["sha256"]: r for r in rows}


async def one_file(conn: asyncpg.Connection, sha256: str) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "SELECT name, media_type FROM evidence_files WHERE sha256 = $1", sha256
    )
