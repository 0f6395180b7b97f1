"""Mail queued by a use case: recorded in the outbox inside the use case's transaction
(infra.mail_outbox), then handed to the workers once that transaction has committed. If the
hand-over fails, beat's relay finds the row."""

from __future__ import annotations

import asyncio
import logging

from infra.mail_outbox import SEND_MAIL, Queued
from services.usecases.bootstrap import Services

log = logging.getLogger("sujarit.mail")


async def hand_over(services: Services, queued: list[Queued]) -> None:
    for q in queued:
        try:
            await asyncio.to_thread(services.queue, SEND_MAIL, q.to_task())
        except Exception as exc:  # the broker is away: the relay sends it later
            log.warning("mail %s left for the relay: %s", q.id, exc)
