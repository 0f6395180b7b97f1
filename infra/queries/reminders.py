"""Reminders' read models: what was sent to a member, their delivery choice, the LAO's policy,
the reminders that failed for good (the operator's)."""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg


async def sent_to(conn: asyncpg.Connection, recipient: str, limit: int = 100) -> list[Any]:
    return list(
        await conn.fetch(
            "SELECT subject, due_date, kind, sent_at, detail FROM reminder_claims "
            "WHERE recipient = $1 AND status = 'sent' ORDER BY sent_at DESC LIMIT $2",
            recipient,
            limit,
        )
    )


async def preference(conn: asyncpg.Connection, account_id: uuid.UUID | None) -> Any:
    return await conn.fetchrow(
        "SELECT mode, hour FROM reminder_preferences WHERE account_id = $1", account_id
    )


async def policy(conn: asyncpg.Connection) -> Any:
    """The LAO's policy as stored (JSON), or None."""
    return await conn.fetchval("SELECT policy FROM reminder_policies")


async def failed(conn: asyncpg.Connection) -> list[Any]:
    return list(await conn.fetch("SELECT * FROM app_failed_reminders()"))
