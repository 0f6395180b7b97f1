"""Mail tasks: deliver one outbox row (claimed in PostgreSQL before sending, retried with
doubling backoff, then shown as failed on the operator's page), and the relay that beat runs to
hand Celery whatever is still unsent (a task lost with Redis, or queued by a process that
could not reach it)."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from infra.db.pool import connect
from infra.mail_outbox import SEND_MAIL, Queued, deliver, note_failure, unsent
from infra.settings import load_settings
from services.workers.celery_app import app
from services.workers.runtime import Failure, run, run_or_retry, services_of

log = logging.getLogger("sujarit.mail")


@app.task(name=SEND_MAIL, bind=True, max_retries=None, soft_time_limit=90, time_limit=120)
def send_mail(self: Any, outbox_id: str, tenant_id: str | None = None) -> dict[str, Any]:
    settings = load_settings()
    queued = Queued.of_task(outbox_id, tenant_id)

    async def _send() -> bool:
        built = await services_of(settings)
        return await deliver(built.db, settings, queued, built.clock.now())

    async def _note(failed: Failure) -> None:
        built = await services_of(settings)
        retry_in = None if failed.final else timedelta(seconds=failed.delay)
        await note_failure(built.db, queued, failed.error, built.clock.now(), retry_in=retry_in)
        if failed.final:
            log.error("mail %s failed for good: %s", outbox_id, failed.error)

    sent = run_or_retry(self, settings, _send, _note)
    return {"sent": bool(sent)} if sent is not None else {"sent": False, "failed": True}


@app.task(name="sujarit.relay_mail", soft_time_limit=60, time_limit=90)
def relay_mail() -> dict[str, int]:
    """Hand Celery the outbox rows still unsent past their time (read as the projector)."""
    settings = load_settings()

    async def _scan() -> list[Queued]:
        built = await services_of(settings)
        scanner = await connect(settings.projector_url)
        try:
            return await unsent(scanner, built.clock.now())
        finally:
            await scanner.close()

    rows = run(_scan)
    for q in rows:
        send_mail.apply_async(args=q.to_task())
    if rows:
        log.info("mail relay: %d queued again", len(rows))
    return {"queued": len(rows)}
