"""The LAO's registers: complaints received and resolved, the timeline of who did what, the
history page's timeline, and the deadline calendar."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from domain.complaints.handlers import ReceiveComplaint, ResolveComplaint, handle_complaint_command
from domain.shared.access import Action, Actor
from domain.shared.ports import Saved
from infra.queries import registers as queries
from infra.repository import EventSourcedRepository
from services.usecases.bootstrap import Services
from services.usecases.scope import Call, authorize, context, reading, today


async def receive_complaint(
    services: Services,
    actor: Actor,
    call: Call,
    complaint_id: uuid.UUID,
    on: date,
    channel: str,
    category: str,
) -> Saved:
    authorize(actor, Action.KEEP_REGISTERS)
    return await handle_complaint_command(
        EventSourcedRepository(services.store),
        context(actor, call),
        ReceiveComplaint(complaint_id, on, channel, category),
    )


async def resolve_complaint(
    services: Services, actor: Actor, call: Call, complaint_id: uuid.UUID, on: date
) -> Saved:
    authorize(actor, Action.KEEP_REGISTERS)
    return await handle_complaint_command(
        EventSourcedRepository(services.store),
        context(actor, call),
        ResolveComplaint(complaint_id, on),
    )


async def complaints_per_year(services: Services, actor: Actor) -> list[dict[str, Any]]:
    """Complaints received (and resolved) per fiscal year."""
    authorize(actor, Action.READ)
    async with reading(services, actor) as conn:
        return await queries.complaints_per_year(conn)


async def timeline(
    services: Services, actor: Actor, before: int | None, limit: int
) -> list[dict[str, Any]]:
    """Who did what, when: newest first, ``limit`` (1-200) events before ``before``."""
    authorize(actor, Action.READ)
    async with reading(services, actor) as conn:
        rows = await queries.timeline(conn, before, max(1, min(limit, 200)))
    return [dict(r) for r in rows]


async def history(
    services: Services,
    actor: Actor,
    before: int | None,
    streams: Sequence[str],
    events: Sequence[str],
    hidden: Sequence[str],
    limit: int,
) -> list[Any]:
    """The history page's entries (see infra.queries.registers.history)."""
    authorize(actor, Action.READ)
    async with reading(services, actor) as conn:
        return await queries.history(conn, before, streams, events, hidden, limit)


async def deadlines(
    services: Services, actor: Actor, start: date | None, end: date | None
) -> list[dict[str, Any]]:
    """Steps due between ``start`` and ``end`` (default: the next 90 days and everything
    overdue), with whether each is overdue today."""
    authorize(actor, Action.READ)
    now = today(services.clock)
    async with reading(services, actor) as conn:
        rows = await queries.deadlines(conn, start, end or now + timedelta(days=90))
    return [
        {**dict(r), "overdue": r["status"] != "completed" and r["due_date"] < now} for r in rows
    ]
