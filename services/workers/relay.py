"""The job outbox's relay: beat runs it every few seconds; it gives Celery every order still
unsent (a hand-off that failed, Redis away at the time) and marks it sent once Redis took it.
Runs as the projector role (every tenant's orders, and the scheduler's province jobs)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from infra import jobs
from infra.settings import load_settings
from services.workers.celery_app import app
from services.workers.runtime import run, shared_pool

log = logging.getLogger("sujarit.relay")
_dispatchers: dict[str, jobs.Dispatcher] = {}


def _dispatcher(redis_url: str) -> jobs.Dispatcher:
    if redis_url not in _dispatchers:
        _dispatchers[redis_url] = jobs.Dispatcher(redis_url)
    return _dispatchers[redis_url]


@app.task(name="sujarit.relay_jobs", soft_time_limit=50, time_limit=60)
def relay_jobs() -> dict[str, int]:
    settings = load_settings()

    async def _go() -> tuple[int, int]:
        pool = await shared_pool(settings.projector_url)
        return await jobs.relay(pool, _dispatcher(settings.redis_url), datetime.now(UTC))

    sent, failed = run(_go)
    if sent or failed:
        log.info("job outbox: %d handed to the queue, %d still waiting", sent, failed)
    return {"sent": sent, "failed": failed}
