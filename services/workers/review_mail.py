"""Review mail tasks: the scan (beat, with the reminders' period) hands every pending row of
the outbox to ``send_review_mail``; each send claims its row in PostgreSQL, retries SMTP
failures with backoff, and after ``REMINDER_RETRIES`` leaves the row failed."""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime
from typing import Any

import asyncpg
from celery.exceptions import Retry

from infra.db.pool import connect, create_pool
from infra.reviews.mail import MailKey, note_failure, pending, send_one
from infra.settings import Settings, load_settings
from services.workers.celery_app import app
from services.workers.runtime import run

log = logging.getLogger("sujarit.review_mail")
_pools: dict[int, asyncpg.Pool] = {}


async def _app_pool(settings: Settings) -> asyncpg.Pool:
    pid = os.getpid()
    if pid not in _pools:
        _pools[pid] = await create_pool(settings.app_url, min_size=1, max_size=4)
    return _pools[pid]


@app.task(name="sujarit.scan_review_mail")
def scan_review_mail() -> dict[str, int]:
    """Enqueue one send per pending row of the review mail outbox."""
    settings = load_settings()

    async def _scan() -> list[MailKey]:
        scanner = await connect(settings.projector_url)
        try:
            return await pending(scanner)
        finally:
            await scanner.close()

    keys = run(_scan)
    for key in keys:
        send_review_mail.apply_async(args=[key.to_task()])
    log.info("review mail scan: %d pending", len(keys))
    return {"pending": len(keys)}


@app.task(name="sujarit.send_review_mail", bind=True, max_retries=None)
def send_review_mail(self: Any, raw: dict[str, Any]) -> dict[str, Any]:
    """Send one row of the outbox (claimed in PostgreSQL); an SMTP, network or database
    failure is counted and retried with backoff, then left failed for good."""
    settings, key = load_settings(), MailKey(**raw)
    try:
        sent = run(lambda: _send(settings, key))
    except Retry:
        raise
    except Exception as exc:
        final = self.request.retries >= settings.reminder_retries
        error = f"{type(exc).__name__}: {exc}"
        run(lambda: _failed(settings, key, error, final))
        if not final:
            backoff = settings.reminder_backoff_seconds * 2 ** min(self.request.retries, 10)
            raise self.retry(exc=exc, countdown=backoff) from exc
        return {"sent": False, "failed": True}
    return {"sent": sent}


async def _send(settings: Settings, key: MailKey) -> bool:
    return await send_one(await _app_pool(settings), settings, key, datetime.now(UTC))


async def _failed(settings: Settings, key: MailKey, error: str, final: bool) -> None:
    await note_failure(await _app_pool(settings), key, error, datetime.now(UTC), final=final)
    if final:
        log.error("review mail to %s failed for good: %s", key.recipient, error)
