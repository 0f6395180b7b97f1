"""Sending one digest: claim in PostgreSQL, send over SMTP, mark sent, then record the
ReminderSent events.

The claim is a row lock: the rows of the digest are inserted (or found pending) and locked
in one transaction that spans the SMTP send and marks them sent before it commits. A worker
killed before the commit leaves nothing claimed (the task is redelivered and sends again:
the only duplicates are those SMTP accepted just before the kill); a second worker running
the same digest (a Redis redelivery after the visibility timeout) waits on the lock and then
finds them sent. The events are written after the commit, idempotently; a sweep writes any
that a crash left out.
"""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from datetime import date, datetime
from typing import Any

import asyncpg

from domain.registry import event_data
from domain.reminders.events import ReminderSent
from infra.db.pool import set_tenant
from infra.email import build, send_now
from infra.eventstore.postgres import PostgresEventStore
from infra.eventstore.records import NewEvent
from infra.reminders.mail import reminder_mail
from infra.reminders.scan import Digest, Entry
from infra.settings import Settings

_STREAMS = uuid.UUID("5b0c7a8e-3f7d-4c52-9d0e-2a61f4b7c913")
KEY_SQL = "(subject, due_date, kind) IN (SELECT * FROM unnest($3::text[], $4::date[], $5::text[]))"


def digest_of(raw: dict[str, Any]) -> Digest:
    return Digest(**{**raw, "entries": [Entry(**e) for e in raw["entries"]]})


def _keys(entries: list[Entry]) -> tuple[list[str], list[date], list[str]]:
    return (
        [e.subject for e in entries],
        [date.fromisoformat(e.due_date) for e in entries],
        [e.kind for e in entries],
    )


async def send_digest(
    pool: asyncpg.Pool, settings: Settings, digest: Digest, now: datetime
) -> list[Entry]:
    """Send what of ``digest`` is still pending; return the entries sent (empty: nothing)."""
    tenant = uuid.UUID(digest.tenant_id)
    async with pool.acquire() as conn, conn.transaction():
        await set_tenant(conn, tenant)
        await conn.executemany(
            "INSERT INTO reminder_claims (tenant_id, subject, due_date, kind, recipient, "
            "updated_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
            [
                (tenant, e.subject, date.fromisoformat(e.due_date), e.kind, digest.recipient, now)
                for e in digest.entries
            ],
        )
        rows = await conn.fetch(
            "SELECT subject, due_date, kind FROM reminder_claims WHERE tenant_id = $1 "
            f"AND recipient = $2 AND status = 'pending' AND {KEY_SQL} FOR UPDATE SKIP LOCKED",
            tenant,
            digest.recipient,
            *_keys(digest.entries),
        )
        pending = {(r["subject"], r["due_date"].isoformat(), r["kind"]) for r in rows}
        mine = [e for e in digest.entries if (e.subject, e.due_date, e.kind) in pending]
        if not mine:
            return []
        message = build(settings, reminder_mail(settings, digest, mine, now), at=now)
        await asyncio.to_thread(send_now, settings, message)
        await conn.execute(
            "UPDATE reminder_claims SET status = 'sent', sent_at = $6, attempts = attempts + 1,"
            " updated_at = $6, last_error = '' WHERE tenant_id = $1 AND recipient = $2 "
            f"AND {KEY_SQL}",
            tenant,
            digest.recipient,
            *_keys(mine),
            now,
        )
    return mine


async def note_failure(
    pool: asyncpg.Pool, digest: Digest, error: str, now: datetime, *, final: bool
) -> None:
    """Count a failed attempt (and, after the last retry, show the reminders as failed)."""
    tenant = uuid.UUID(digest.tenant_id)
    async with pool.acquire() as conn, conn.transaction():
        await set_tenant(conn, tenant)
        await conn.executemany(
            "INSERT INTO reminder_claims AS c (tenant_id, subject, due_date, kind, recipient, "
            "attempts, last_error, status, updated_at) VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $8)"
            " ON CONFLICT (tenant_id, subject, due_date, kind, recipient) DO UPDATE SET "
            "attempts = c.attempts + 1, last_error = EXCLUDED.last_error, "
            "status = CASE WHEN c.status = 'sent' THEN 'sent' ELSE EXCLUDED.status END, "
            "updated_at = EXCLUDED.updated_at",
            [
                (
                    tenant,
                    e.subject,
                    date.fromisoformat(e.due_date),
                    e.kind,
                    digest.recipient,
                    error[:500],
                    "failed" if final else "pending",
                    now,
                )
                for e in digest.entries
            ],
        )


async def record_sent(
    store: PostgresEventStore, tenant: uuid.UUID, recipient: str, rows: list[tuple[str, date, str]]
) -> None:
    """ReminderSent events for claims marked sent (idempotent), then flag them recorded."""
    if not rows:
        return
    ordered = sorted(rows)
    key = hashlib.sha256(
        "\n".join(f"{s}|{d.isoformat()}|{k}|{recipient}" for s, d, k in ordered).encode()
    ).hexdigest()
    events = [
        NewEvent(ReminderSent.event_type(), event_data(ReminderSent(s, d, k, recipient)))
        for s, d, k in ordered
    ]
    await store.append(
        tenant,
        uuid.uuid5(_STREAMS, f"{tenant}:{recipient}"),
        "reminders",
        None,
        events,
        idempotency_key=f"reminders:{key[:48]}",
        metadata={"actor": "sujarit-reminders"},
    )
    async with store.pool.acquire() as conn, conn.transaction():
        await set_tenant(conn, tenant)
        await conn.execute(
            "UPDATE reminder_claims SET recorded = true WHERE tenant_id = $1 AND recipient = $2"
            f" AND {KEY_SQL}",
            tenant,
            recipient,
            [s for s, _, _ in ordered],
            [d for _, d, _ in ordered],
            [k for _, _, k in ordered],
        )


async def unrecorded(scanner: asyncpg.Connection) -> dict[tuple[uuid.UUID, str], list[Any]]:
    """Claims sent whose events a crash left unwritten, by (tenant, recipient)."""
    out: dict[tuple[uuid.UUID, str], list[Any]] = {}
    for r in await scanner.fetch(
        "SELECT tenant_id, recipient, subject, due_date, kind FROM reminder_claims "
        "WHERE status = 'sent' AND NOT recorded LIMIT 5000"
    ):
        out.setdefault((r["tenant_id"], r["recipient"]), []).append(
            (r["subject"], r["due_date"], r["kind"])
        )
    return out
