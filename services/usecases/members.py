"""Members and their own accounts: API tokens (a member's own, shown once, stored hashed)."""

from __future__ import annotations

import uuid
from typing import Any

from domain.shared.access import Action, Actor
from domain.shared.errors import NotFound
from infra.auth.orgs import Org, find_org, org_transaction
from services.usecases.bootstrap import Services
from services.usecases.scope import authorize


async def own_org(services: Services, actor: Actor) -> Org:
    """The actor's own organisation (never the LAO a reviewer is reading)."""
    async with services.db.acquire() as conn:
        org = await find_org(conn, actor.org_code)
    if org is None:
        raise NotFound("ไม่พบหน่วยงานของคุณ")
    return org


def _me(actor: Actor) -> uuid.UUID:
    if actor.account_id is None:
        raise NotFound("ไม่พบบัญชีของคุณ")
    return actor.account_id


async def own_tokens(services: Services, actor: Actor) -> list[Any]:
    authorize(actor, Action.OWN_ACCOUNT)
    org = await own_org(services, actor)
    async with org_transaction(services.db, org, readonly=True) as conn:
        return list(
            await conn.fetch(
                "SELECT token_id, name, role, created_at, revoked_at FROM api_tokens "
                "WHERE account_id = $1 ORDER BY created_at DESC",
                _me(actor),
            )
        )


async def create_own_token(services: Services, actor: Actor, name: str) -> str:
    """A new API token of the actor's own role in its own organisation; the secret is returned
    once."""
    authorize(actor, Action.OWN_ACCOUNT)
    return await services.accounts.create_token(await own_org(services, actor), _me(actor), name)


async def revoke_own_token(services: Services, actor: Actor, token_id: uuid.UUID) -> None:
    authorize(actor, Action.OWN_ACCOUNT)
    org = await own_org(services, actor)
    me = _me(actor)
    if token_id not in (await services.accounts.load(org, me)).tokens:
        raise NotFound("ไม่พบ token นี้")
    await services.accounts.revoke_token(org, me, token_id, actor.email)
