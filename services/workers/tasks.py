"""Celery tasks. Each is idempotent and synchronous, running async code on the process loop."""

from __future__ import annotations

import logging

from infra.db.pool import connect
from infra.eventstore.verify import verify_log
from infra.settings import load_settings
from services.workers.celery_app import app
from services.workers.runtime import run

log = logging.getLogger("sujarit.tasks")


@app.task(name="sujarit.verify_log")
def verify_log_task() -> dict[str, object]:
    """Recompute every tenant's hash chain; log and return the broken links."""
    settings = load_settings()

    async def _verify() -> dict[str, object]:
        conn = await connect(settings.database_url)
        try:
            report = await verify_log(conn)
        finally:
            await conn.close()
        for link in report.broken:
            log.error("event log broken: %s", link)
        return {
            "tenants": report.tenants,
            "events": report.events,
            "broken": [str(b) for b in report.broken],
        }

    return run(_verify)
