"""Handlers of the complaints register."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from domain.complaints.complaint import Complaint
from domain.shared.clock import Clock, SystemClock, bangkok_date
from domain.shared.errors import NotFound
from domain.shared.messages import Command
from domain.shared.ports import Context, Repository, Saved


@dataclass(frozen=True)
class ReceiveComplaint(Command):
    complaint_id: uuid.UUID
    on: date
    channel: str
    category: str


@dataclass(frozen=True)
class TakeUpComplaint(Command):
    complaint_id: uuid.UUID
    on: date


@dataclass(frozen=True)
class ResolveComplaint(Command):
    complaint_id: uuid.UUID
    on: date
    outcome: str


ComplaintCommand = ReceiveComplaint | TakeUpComplaint | ResolveComplaint


async def handle_complaint_command(
    repo: Repository, ctx: Context, cmd: ComplaintCommand, *, clock: Clock | None = None
) -> Saved:
    """``clock``: which day it is (no day of the register may be after it); None: today's."""
    if (prior := await repo.prior(ctx)) is not None:
        return prior
    today = bangkok_date((clock or SystemClock()).now())
    complaint = await repo.load(Complaint, ctx.tenant_id, cmd.complaint_id)
    match cmd:
        case ReceiveComplaint():
            complaint.receive(cmd.on, cmd.channel, cmd.category, today)
        case TakeUpComplaint():
            if complaint.version == 0:
                raise NotFound("ไม่พบเรื่องร้องเรียนนี้")
            complaint.take_up(cmd.on, today)
        case ResolveComplaint():
            if complaint.version == 0:
                raise NotFound("ไม่พบเรื่องร้องเรียนนี้")
            complaint.resolve(cmd.on, cmd.outcome, today)
    return await repo.save(ctx, complaint)
