"""The review mail outbox (table ``review_mail``, migration 0022): find what is pending, send
one row, count a failure.

The claim is a row lock: the row is locked (``FOR UPDATE SKIP LOCKED``, only while pending) in
a transaction that spans the SMTP send and marks it sent before it commits. A worker killed
before the commit leaves it pending (sent again by the retry or the next scan: the only
duplicate window is between SMTP accepting and that commit); a second worker given the same
row skips it.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

import asyncpg

from infra.db.pool import set_tenant
from infra.email import Mail, build, send_now
from infra.settings import Settings

KEY = "tenant_id = $1 AND thread_id = $2 AND event_version = $3 AND recipient = $4"


@dataclass(frozen=True)
class MailKey:
    tenant_id: str
    thread_id: str
    event_version: int
    recipient: str

    def args(self) -> tuple[uuid.UUID, uuid.UUID, int, str]:
        return (
            uuid.UUID(self.tenant_id),
            uuid.UUID(self.thread_id),
            self.event_version,
            self.recipient,
        )

    def to_task(self) -> dict[str, Any]:
        return asdict(self)


async def pending(conn: asyncpg.Connection, limit: int = 1000) -> list[MailKey]:
    """What is still to send, oldest first (the scan: the projector role, across tenants)."""
    rows = await conn.fetch(
        "SELECT tenant_id, thread_id, event_version, recipient FROM review_mail "
        "WHERE status = 'pending' ORDER BY created_at LIMIT $1",
        limit,
    )
    return [
        MailKey(str(r["tenant_id"]), str(r["thread_id"]), r["event_version"], r["recipient"])
        for r in rows
    ]


def revision_mail(settings: Settings, row: asyncpg.Record) -> Mail:
    link = f"{settings.base_url}/t/{row['code']}/reviews"
    return Mail(
        to=row["recipient"],
        subject=f"[สุจริต] สถจ. ขอให้แก้ไข — {row['name_th']}",
        text=f"เรียน {row['name']}\n\nสำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดขอให้แก้ไข:\n\n"
        f"{row['text']}\n\nตอบหรือดูรายละเอียดได้ที่ {link}",
    )


async def send_one(pool: asyncpg.Pool, settings: Settings, key: MailKey, now: datetime) -> bool:
    """Send the row if it is still pending and no one else holds it; True when sent."""
    async with pool.acquire() as conn, conn.transaction():
        await set_tenant(conn, uuid.UUID(key.tenant_id))
        row = await conn.fetchrow(
            "SELECT m.recipient, m.name, m.text, o.code, o.name_th FROM review_mail m "
            "JOIN organisations o ON o.id = m.tenant_id WHERE m.tenant_id = $1 "
            "AND m.thread_id = $2 AND m.event_version = $3 AND m.recipient = $4 "
            "AND m.status = 'pending' FOR UPDATE OF m SKIP LOCKED",
            *key.args(),
        )
        if row is None:
            return False
        message = build(settings, revision_mail(settings, row), at=now)
        await asyncio.to_thread(send_now, settings, message)
        await conn.execute(
            "UPDATE review_mail SET status = 'sent', sent_at = $5, attempts = attempts + 1, "
            f"updated_at = $5, last_error = '' WHERE {KEY}",
            *key.args(),
            now,
        )
    return True


async def note_failure(
    pool: asyncpg.Pool, key: MailKey, error: str, now: datetime, *, final: bool
) -> None:
    """Count a failed attempt; after the last retry the row shows as failed."""
    async with pool.acquire() as conn, conn.transaction():
        await set_tenant(conn, uuid.UUID(key.tenant_id))
        await conn.execute(
            "UPDATE review_mail SET attempts = attempts + 1, last_error = $5, updated_at = $6, "
            f"status = CASE WHEN $7 THEN 'failed' ELSE status END WHERE {KEY} "
            "AND status = 'pending'",
            *key.args(),
            error[:500],
            now,
            final,
        )
