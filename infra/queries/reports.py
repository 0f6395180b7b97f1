"""Reads of reports, report jobs and provincial summaries."""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg

REPORT_COLUMNS = (
    "id, round, format, sha256, size, content_hash, as_of, generated_at, submitted_at, submitted_by"
)


async def reports(conn: asyncpg.Connection, round_code: str | None = None) -> list[Any]:
    """The tenant's report files, latest round first."""
    return list(
        await conn.fetch(
            f"SELECT {REPORT_COLUMNS} FROM reports WHERE ($1::text IS NULL OR round = $1) "
            "ORDER BY round DESC, generated_at DESC, format",
            round_code,
        )
    )


async def report(conn: asyncpg.Connection, report_id: uuid.UUID) -> asyncpg.Record | None:
    row: asyncpg.Record | None = await conn.fetchrow(
        "SELECT round, format, sha256 FROM reports WHERE id = $1", report_id
    )
    return row


async def job(conn: asyncpg.Connection, job_id: uuid.UUID) -> asyncpg.Record | None:
    row: asyncpg.Record | None = await conn.fetchrow(
        "SELECT * FROM report_jobs WHERE id = $1 AND scope = 'tenant'", job_id
    )
    return row


async def job_files(conn: asyncpg.Connection, job: asyncpg.Record) -> list[Any]:
    """The files a finished job made (its generation's, by content hash)."""
    if not job["content_hash"]:
        return []
    return list(
        await conn.fetch(
            f"SELECT {REPORT_COLUMNS} FROM reports WHERE round = $1 AND content_hash = $2 "
            "ORDER BY format",
            job["round"],
            job["content_hash"],
        )
    )


async def pending_jobs(conn: asyncpg.Connection) -> list[uuid.UUID]:
    """The tenant's jobs still queued or running, of the last hour, latest first."""
    rows = await conn.fetch(
        "SELECT id FROM report_jobs WHERE status IN ('queued', 'running') "
        "AND created_at > now() - interval '1 hour' ORDER BY created_at DESC LIMIT 5"
    )
    return [r["id"] for r in rows]


async def province_reports(
    conn: asyncpg.Connection, round_code: str | None, report_id: uuid.UUID | None = None
) -> list[Any]:
    """The summaries of the province the transaction is scoped to (``app.province``: the
    database shows a row only to a transaction of its province)."""
    return list(
        await conn.fetch(
            "SELECT id, round, format, sha256, size, content_hash, as_of, generated_at, "
            "lao_count FROM province_reports WHERE ($1::text IS NULL OR round = $1) "
            "AND ($2::uuid IS NULL OR id = $2) ORDER BY round DESC, generated_at DESC, format",
            round_code,
            report_id,
        )
    )


async def running_jobs(conn: asyncpg.Connection, except_job: uuid.UUID) -> int:
    """The tenant's jobs queued or running (not counting ``except_job``: a retry of it)."""
    return int(
        await conn.fetchval(
            "SELECT count(*) FROM report_jobs WHERE status IN ('queued', 'running') "
            "AND created_at > now() - interval '1 hour' AND id <> $1",
            except_job,
        )
    )
