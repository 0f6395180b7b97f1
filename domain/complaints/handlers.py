"""Handlers of the complaints register."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from domain.complaints.complaint import Complaint
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
class ResolveComplaint(Command):
    complaint_id: uuid.UUID
    on: date


async def handle_complaint_command(
    repo: Repository, ctx: Context, cmd: ReceiveComplaint | ResolveComplaint
) -> Saved:
    if (prior := await repo.prior(ctx)) is not None:
        return prior
    complaint = await repo.load(Complaint, ctx.tenant_id, cmd.complaint_id)
    match cmd:
        case ReceiveComplaint():
            complaint.receive(cmd.on, cmd.channel, cmd.category)
        case ResolveComplaint():
            if complaint.version == 0:
                raise NotFound("ไม่พบเรื่องร้องเรียนนี้")
            complaint.resolve(cmd.on)
    return await repo.save(ctx, complaint)
