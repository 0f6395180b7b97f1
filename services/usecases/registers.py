"""The LAO's registers: complaints received and resolved, the timeline of who did what, the
history page's timeline, and the deadline calendar."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from domain.complaints.handlers import (
    ComplaintCommand,
    ReceiveComplaint,
    ResolveComplaint,
    TakeUpComplaint,
    handle_complaint_command,
)
from domain.shared.access import Action, Actor
from domain.shared.errors import NotFound
from domain.shared.fiscal import fiscal_year
from domain.shared.ports import Saved
from infra.queries import registers as queries
from infra.repository import EventSourcedRepository
from services.usecases.bootstrap import Services
from services.usecases.scope import Call, authorize, context, reading, today


async def complaint_command(
    services: Services, actor: Actor, call: Call, cmd: ComplaintCommand
) -> Saved:
    """Receive, take up or resolve a complaint (the plan officer and the executive)."""
    authorize(actor, Action.KEEP_REGISTERS)
    return await handle_complaint_command(
        EventSourcedRepository(services.store), context(actor, call), cmd, clock=services.clock
    )


async def receive_complaint(
    services: Services,
    actor: Actor,
    call: Call,
    complaint_id: uuid.UUID,
    on: date,
    channel: str,
    category: str,
) -> Saved:
    return await complaint_command(
        services, actor, call, ReceiveComplaint(complaint_id, on, channel, category)
    )


async def take_up_complaint(
    services: Services, actor: Actor, call: Call, complaint_id: uuid.UUID, on: date
) -> Saved:
    return await complaint_command(services, actor, call, TakeUpComplaint(complaint_id, on))


async def resolve_complaint(
    services: Services, actor: Actor, call: Call, complaint_id: uuid.UUID, on: date, outcome: str
) -> Saved:
    return await complaint_command(
        services, actor, call, ResolveComplaint(complaint_id, on, outcome)
    )


async def complaints_of_year(
    services: Services, actor: Actor, year: int | None
) -> tuple[int, list[dict[str, Any]]]:
    """The register of fiscal year ``year`` (None: this one): (the year, its complaints)."""
    authorize(actor, Action.READ)
    year = year or fiscal_year(today(services.clock))
    async with reading(services, actor) as conn:
        return year, await queries.complaints_of_year(conn, year)


async def complaint(services: Services, actor: Actor, complaint_id: uuid.UUID) -> dict[str, Any]:
    authorize(actor, Action.READ)
    async with reading(services, actor) as conn:
        found = await queries.complaint(conn, complaint_id)
    if found is None:
        raise NotFound("ไม่พบเรื่องร้องเรียนนี้")
    return found


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
