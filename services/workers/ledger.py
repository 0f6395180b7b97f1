"""The transparency log's beat task: issue the checkpoints that are due and have the
witnesses cosign them (services.usecases.ledger). Runs as the projector role (it reads every
tenant's tree and writes the log's public tables); idempotent (a checkpoint is keyed by the
tenant and the tree size, under an advisory lock per tenant)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import asyncpg

from domain.ledger.note import ED25519
from infra.db.pool import create_pool
from infra.settings import Settings, load_settings
from infra.tlog.keys import load_or_create
from infra.tlog.witnesses import parse_witnesses
from services.usecases.ledger import issue_due
from services.workers.celery_app import app
from services.workers.runtime import run

log = logging.getLogger("sujarit.ledger")
_pools: dict[str, asyncpg.Pool] = {}


async def issue_checkpoints(settings: Settings, now: datetime) -> dict[str, object]:
    url = settings.projector_url
    if url not in _pools:
        _pools[url] = await create_pool(url, min_size=1, max_size=2)
    signer = load_or_create(settings.log_key_path, settings.log_origin_name, ED25519)
    issued = await issue_due(
        _pools[url],
        signer,
        parse_witnesses(settings.witnesses),
        now=now,
        every=timedelta(seconds=settings.checkpoint_seconds),
    )
    for i in issued:
        if i.refused:
            log.error("checkpoint %s of %s refused by %s", i.size, i.code, ", ".join(i.refused))
    return {
        "issued": [i.code for i in issued if i.new],
        "refused": {i.code: i.refused for i in issued if i.refused},
        "unreachable": {i.code: i.unreachable for i in issued if i.unreachable},
    }


@app.task(name="sujarit.issue_checkpoints", soft_time_limit=120, time_limit=150)
def issue_checkpoints_task() -> dict[str, object]:
    settings = load_settings()
    return run(lambda: issue_checkpoints(settings, datetime.now(UTC)))
