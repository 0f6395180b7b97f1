"""Mail queued by a use case: recorded in the outbox inside the use case's transaction
(infra.mail_outbox), then handed to the workers once that transaction has committed. If the
hand-over fails, beat's relay finds the row."""

from __future__ import annotations

from typing import Any

from domain.shared.access import Action, Actor
from infra.mail_outbox import SEND_MAIL, Queued, failed
from services.usecases.bootstrap import Services
from services.usecases.scope import authorize


async def hand_over(services: Services, queued: list[Queued]) -> None:
    for q in queued:  # the broker away: the row stays unsent and beat's relay hands it over
        await services.jobs.try_send(SEND_MAIL, q.to_task())


async def failed_mail(services: Services, actor: Actor) -> list[Any]:
    """Mail that failed for good (invitations, resets, ...), for the operator."""
    authorize(actor, Action.OPERATE)
    async with services.db.acquire() as conn, conn.transaction(readonly=True):
        await conn.execute("SELECT set_config('app.scope', 'operator', true)")
        return await failed(conn)
