"""The declaration of intent against corruption: drafted and redrafted by the plan officer or
the executive, published (signed) by the executive, announced to the public."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from domain.declarations.declaration import Channel
from domain.declarations.handlers import (
    AnnounceDeclaration,
    DeclarationCommand,
    DraftDeclaration,
    PublishDeclaration,
    handle_declaration_command,
)
from domain.plans.values import Evidence
from domain.shared.access import Action, Actor
from domain.shared.errors import NotFound
from domain.shared.ports import Saved
from infra.queries import declarations as queries
from infra.repository import EventSourcedRepository
from services.usecases import evidence
from services.usecases.bootstrap import Services
from services.usecases.scope import Call, authorize, context, reading

NOT_FOUND = "ไม่พบประกาศเจตจำนงนี้"


async def declarations(services: Services, actor: Actor) -> list[dict[str, Any]]:
    authorize(actor, Action.READ)
    async with reading(services, actor) as conn:
        return await queries.all_views(conn)


async def declaration(
    services: Services, actor: Actor, declaration_id: uuid.UUID
) -> tuple[dict[str, Any], int]:
    """One declaration's view and version; NotFound when the tenant has none such."""
    authorize(actor, Action.READ)
    async with reading(services, actor) as conn:
        found = await queries.one_view(conn, declaration_id)
    if found is None:
        raise NotFound(NOT_FOUND)
    return found


async def _run(services: Services, actor: Actor, call: Call, cmd: DeclarationCommand) -> Saved:
    return await handle_declaration_command(
        EventSourcedRepository(services.store), context(actor, call), cmd, if_match=call.if_match
    )


async def draft(
    services: Services,
    actor: Actor,
    call: Call,
    declaration_id: uuid.UUID,
    text: str,
    signers: Sequence[str],
    *,
    existing: bool = False,
) -> Saved:
    """A new draft under ``declaration_id`` (the edge's new id), or (``existing``) a new text
    or signers for a draft that exists: a redraft never creates one."""
    authorize(actor, Action.EDIT_DECLARATION)
    if existing:
        await declaration(services, actor, declaration_id)
    return await _run(services, actor, call, DraftDeclaration(declaration_id, text, tuple(signers)))


async def publish(
    services: Services,
    actor: Actor,
    call: Call,
    declaration_id: uuid.UUID,
    on: date,
    document: Evidence | None = None,
    document_sha: str | None = None,
) -> Saved:
    """The executive publishes the signed declaration: the document kept already, or one
    uploaded before and named by its SHA-256."""
    authorize(actor, Action.PUBLISH_DECLARATION)
    if document is None and document_sha:
        [document] = await evidence.resolve_files(services, actor, [document_sha])
    return await _run(services, actor, call, PublishDeclaration(declaration_id, on, document))


async def announce(
    services: Services,
    actor: Actor,
    call: Call,
    declaration_id: uuid.UUID,
    channel: Channel,
    on: date,
    detail: str,
    cites: Sequence[Evidence] = (),
    links: Sequence[tuple[str, str]] = (),
    files: Sequence[str] = (),
) -> Saved:
    """An announcement to the public, citing evidence already made (``cites``: links, kept
    files), links (url, name) and files uploaded before (``files``: their SHA-256)."""
    authorize(actor, Action.EDIT_DECLARATION)
    made = (*cites, *(Evidence.link(url, name) for url, name in links))
    proof = await evidence.cited(services, actor, made, files)
    return await _run(
        services, actor, call, AnnounceDeclaration(declaration_id, channel, on, detail, proof)
    )
