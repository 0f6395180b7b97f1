"""The mail outbox: what must be sent, recorded in the transaction of what caused it, and
sent once by a worker.

- ``enqueue(conn, tenant, kind, recipient, subject, text, html, key)`` inside the caller's
  transaction (scoped to the tenant, or to the org for office and operator accounts: tenant
  None). ``key`` names what the mail is for within (tenant, kind); enqueuing the same key
  again records nothing. Returns the row's id (the same for the same key).
- ``deliver(pool, settings, tenant, id, now)``: the worker's claim. The row is locked in a
  transaction that spans the SMTP send and is marked sent before it commits: a worker killed
  before the commit leaves it pending (sent again by the redelivered task: the only duplicates
  are mail SMTP accepted just before the kill); a second worker given the same task waits on
  the lock, then finds it sent.
- ``note_failure`` counts a failed attempt and sets the next one (doubling backoff), or marks
  the row failed for good; ``unsent(scanner, now)`` is what beat hands Celery again.

A mail's text may hold a one-time link (which ``account_links`` keeps only hashed): the body
is blanked once the row is sent or has failed for good.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import asyncpg

from infra.db.pool import set_tenant
from infra.email import Mail, build, send_now
from infra.settings import Settings

_IDS = uuid.UUID("0b7e4a52-6c1d-4f3e-9a8b-1d2c3e4f5a60")
SEND_MAIL = "sujarit.send_mail"  # the Celery task that delivers one row
GRACE = timedelta(seconds=60)  # a row this late past its attempt time is handed out again


@dataclass(frozen=True)
class Queued:
    """A row to hand to the worker: its id and tenant (None: an office's or the operator's)."""

    id: uuid.UUID
    tenant_id: uuid.UUID | None

    def to_task(self) -> list[str | None]:
        return [str(self.id), str(self.tenant_id) if self.tenant_id else None]

    @staticmethod
    def of_task(outbox_id: str, tenant_id: str | None) -> Queued:
        return Queued(uuid.UUID(outbox_id), uuid.UUID(tenant_id) if tenant_id else None)


async def enter(conn: asyncpg.Connection, tenant: uuid.UUID | None) -> None:
    """Scope the transaction to the tenant's rows, or the org's (tenant None)."""
    if tenant is not None:
        await set_tenant(conn, tenant)
        return
    await conn.execute(
        "SELECT set_config('app.scope', 'org', true), "
        "set_config('app.tenant_id', '00000000-0000-0000-0000-000000000000', true)"
    )


async def enqueue(
    conn: asyncpg.Connection,
    tenant: uuid.UUID | None,
    kind: str,
    recipient: str,
    subject: str,
    text: str,
    html: str,
    key: str,
    *,
    now: datetime,
) -> Queued:
    outbox_id = uuid.uuid5(_IDS, f"{tenant}:{kind}:{key}")
    await conn.execute(
        "INSERT INTO mail_outbox (id, tenant_id, kind, key, recipient, subject, body_text, "
        "body_html, created_at, next_attempt_at, updated_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $9) ON CONFLICT DO NOTHING",
        outbox_id,
        tenant,
        kind,
        key,
        recipient,
        subject,
        text,
        html,
        now,
    )
    return Queued(outbox_id, tenant)


async def enqueue_mail(
    conn: asyncpg.Connection,
    tenant: uuid.UUID | None,
    kind: str,
    mail: Mail,
    key: str,
    *,
    now: datetime,
) -> Queued:
    """``enqueue`` of a built ``Mail`` (no attachments: the outbox keeps text and HTML)."""
    return await enqueue(
        conn, tenant, kind, mail.to, mail.subject, mail.text, mail.html, key, now=now
    )


async def deliver(pool: asyncpg.Pool, settings: Settings, queued: Queued, now: datetime) -> bool:
    """Send the row if it is still pending; True if this call sent it."""
    async with pool.acquire() as conn, conn.transaction():
        await enter(conn, queued.tenant_id)
        row = await conn.fetchrow(
            "SELECT recipient, subject, body_text, body_html, status FROM mail_outbox "
            "WHERE id = $1 FOR UPDATE",
            queued.id,
        )
        if row is None or row["status"] != "pending":
            return False
        mail = Mail(row["recipient"], row["subject"], row["body_text"], row["body_html"])
        await asyncio.to_thread(send_now, settings, build(settings, mail, at=now))
        await conn.execute(
            "UPDATE mail_outbox SET status = 'sent', sent_at = $2, updated_at = $2, "
            "attempts = attempts + 1, last_error = '', body_text = '', body_html = '' "
            "WHERE id = $1",
            queued.id,
            now,
        )
    return True


async def note_failure(
    pool: asyncpg.Pool,
    queued: Queued,
    error: str,
    now: datetime,
    *,
    retry_in: timedelta | None,
) -> None:
    """Count a failed attempt; the next one after ``retry_in``, or none (failed for good)."""
    async with pool.acquire() as conn, conn.transaction():
        await enter(conn, queued.tenant_id)
        await conn.execute(
            "UPDATE mail_outbox SET attempts = attempts + 1, last_error = $2, "
            "updated_at = $3::timestamptz, next_attempt_at = $3::timestamptz + $4::interval, "
            "status = CASE WHEN $5 THEN 'failed' ELSE status END, "
            "body_text = CASE WHEN $5 THEN '' ELSE body_text END, "
            "body_html = CASE WHEN $5 THEN '' ELSE body_html END "
            "WHERE id = $1 AND status = 'pending'",
            queued.id,
            error[:500],
            now,
            retry_in or timedelta(0),
            retry_in is None,
        )


async def unsent(scanner: asyncpg.Connection, now: datetime, limit: int = 1000) -> list[Queued]:
    """Rows still pending well past their attempt time (their task was lost, or never sent):
    read across tenants by the projector role."""
    rows = await scanner.fetch(
        "SELECT id, tenant_id FROM mail_outbox WHERE status = 'pending' "
        "AND next_attempt_at < $1 ORDER BY next_attempt_at LIMIT $2",
        now - GRACE,
        limit,
    )
    return [Queued(r["id"], r["tenant_id"]) for r in rows]


async def failed(conn: asyncpg.Connection) -> list[Any]:
    """Mail that failed for good (the operator's page)."""
    return list(await conn.fetch("SELECT * FROM app_failed_mail()"))
