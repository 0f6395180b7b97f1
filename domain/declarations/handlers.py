"""Handlers of declarations of intent."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from domain.declarations.declaration import Channel, Declaration
from domain.plans.values import Evidence
from domain.shared.errors import NotFound, PreconditionFailed
from domain.shared.messages import Command
from domain.shared.ports import Context, Repository, Saved, save_as_expected


@dataclass(frozen=True)
class DraftDeclaration(Command):
    declaration_id: uuid.UUID
    text: str
    signers: tuple[str, ...]


@dataclass(frozen=True)
class PublishDeclaration(Command):
    declaration_id: uuid.UUID
    on: date
    document: Evidence | None = None


@dataclass(frozen=True)
class AnnounceDeclaration(Command):
    declaration_id: uuid.UUID
    channel: Channel
    on: date
    detail: str = ""
    evidence: tuple[Evidence, ...] = ()


DeclarationCommand = DraftDeclaration | PublishDeclaration | AnnounceDeclaration


async def handle_declaration_command(
    repo: Repository, ctx: Context, cmd: DeclarationCommand, *, if_match: int | None = None
) -> Saved:
    if (prior := await repo.prior(ctx)) is not None:
        return prior
    d = await repo.load(Declaration, ctx.tenant_id, cmd.declaration_id)
    if d.version == 0 and not isinstance(cmd, DraftDeclaration):
        raise NotFound("ไม่พบประกาศเจตจำนงนี้")
    if if_match is not None and if_match != d.version:
        raise PreconditionFailed(if_match, d.version)
    match cmd:
        case DraftDeclaration():
            d.draft(cmd.text, cmd.signers)
        case PublishDeclaration():
            d.publish(cmd.on, cmd.document)
        case AnnounceDeclaration():
            d.announce(cmd.channel, cmd.on, cmd.detail, cmd.evidence)
    return await save_as_expected(repo, ctx, d, if_match)
