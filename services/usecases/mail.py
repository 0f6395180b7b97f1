"""Mail queued by a use case: recorded in the outbox inside the use case's transaction
(infra.mail_outbox), then handed to the workers once that transaction has committed. If the
hand-over fails, beat's relay finds the row."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from domain.shared.access import Action, Actor
from infra.mail_outbox import SEND_MAIL, Queued, failed
from services.usecases.bootstrap import Services
from services.usecases.scope import authorize

log = logging.getLogger("sujarit.mail")


async def hand_over(services: Services, queued: list[Queued]) -> None:
    for q in queued:
        try:
            await asyncio.to_thread(services.queue, SEND_MAIL, q.to_task())
        except Exception as exc:  # the broker is away: the relay sends it later
            log.warning("mail %s left for the relay: %s", q.id, exc)


async def failed_mail(services: Services, actor: Actor) -> list[Any]:
    """Mail that failed for good (invitations, resets, ...), for the operator."""
    authorize(actor, Action.OPERATE)
    async with services.db.acquire() as conn:
        return await failed(conn)
