"""Reminder tasks: the scan (beat, every few minutes) and one digest per (tenant, recipient).

The scan reads across tenants as the projector role and writes nothing; each digest works as
the web role inside its own tenant (row-level security). SMTP failures retry with backoff;
after ``REMINDER_RETRIES`` the reminders show as failed on the operator's page.
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, date, datetime
from typing import Any

from infra.db.pool import connect
from infra.reminders.scan import due_digests
from infra.reminders.send import digest_of, note_failure, record_sent, send_digest, unrecorded
from infra.settings import load_settings
from services.workers.celery_app import app
from services.workers.runtime import Failure, run, run_or_retry, services_of

log = logging.getLogger("sujarit.reminders")


def _now(value: str | None) -> datetime:
    return datetime.fromisoformat(value) if value else datetime.now(UTC)


@app.task(name="sujarit.scan_reminders")
def scan_reminders(now: str | None = None) -> dict[str, int]:
    """Enqueue one digest task per (tenant, recipient) with something due and unsent."""
    settings = load_settings()
    at = _now(now)

    async def _scan() -> tuple[list[Any], dict[Any, list[Any]]]:
        scanner = await connect(settings.projector_url)
        try:
            return await due_digests(scanner, at), await unrecorded(scanner)
        finally:
            await scanner.close()

    digests, missing = run(_scan)
    for d in digests:
        send_digest_task.apply_async(args=[d.to_task(), at.isoformat()])

    async def _record() -> None:
        store = (await services_of(settings)).store
        for (tenant, recipient), rows in missing.items():
            await record_sent(store, tenant, recipient, rows)

    if missing:
        run(_record)
    log.info("reminder scan: %d digests, %d recorded late", len(digests), len(missing))
    return {"digests": len(digests), "recorded_late": len(missing)}


@app.task(name="sujarit.send_digest", bind=True, max_retries=None)
def send_digest_task(self: Any, raw: dict[str, Any], now: str | None = None) -> dict[str, Any]:
    settings = load_settings()
    digest = digest_of(raw)
    at = _now(now)

    async def _send() -> int:
        built = await services_of(settings)
        sent = await send_digest(built.db, settings, digest, at)
        if not sent:
            log.info("digest to %s: nothing pending (sent already)", digest.recipient)
        if sent:
            await record_sent(
                built.store,
                digest_tenant(digest),
                digest.recipient,
                [(e.subject, _date(e.due_date), e.kind) for e in sent],
            )
        return len(sent)

    async def _note(failed: Failure) -> None:
        built = await services_of(settings)
        await note_failure(built.db, digest, failed.error, built.clock.now(), final=failed.final)
        if failed.final:
            log.error("reminders to %s failed for good: %s", digest.recipient, failed.error)

    sent = run_or_retry(self, settings, _send, _note)
    return {"sent": sent} if sent is not None else {"sent": 0, "failed": len(digest.entries)}


def digest_tenant(digest: Any) -> uuid.UUID:
    return uuid.UUID(digest.tenant_id)


def _date(value: str) -> date:
    return date.fromisoformat(value)
