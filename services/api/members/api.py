"""/api/v1: who I am, the organisation's members (invite, role, disable), my API tokens, and
the operator's onboarding (invite an LAO's first executive or a provincial reviewer)."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Response, delete, get, patch, post
from litestar.di import NamedDependency as Dep
from litestar.params import FromPath, JSONBody

from domain.shared.access import Actor
from domain.tenancy.members import Member
from services.api.members.schemas import InviteIn, OnboardIn, RoleIn, TokenIn
from services.api.pages.common import AnyRequest
from services.api.state import Services
from services.api.v1.common import LIMITED, PROBLEMS
from services.usecases import members as usecase


def invited_json(invited: usecase.Invited) -> dict[str, Any]:
    return {
        "id": str(invited.id),
        "email": invited.email,
        "name": invited.name,
        "role": invited.role,
        "status": invited.status,
    }


def member_json(account_id: uuid.UUID, member: Member) -> dict[str, Any]:
    return {
        "id": str(account_id),
        "email": member.email,
        "role": member.role,
        "status": member.status,
    }


async def _changed(
    services: Services, actor: Actor, account_id: uuid.UUID, change: str, role: str = ""
) -> dict[str, Any]:
    """Change a member (``role``, ``disable``, ``enable``) and show it as it is now."""
    return member_json(
        account_id, await usecase.change_member(services, actor, account_id, change, role)
    )


class MembersController(Controller):
    path = "/api/v1"
    tags = ["members"]  # noqa: RUF012

    @get("/me", responses=PROBLEMS)
    async def me(self, actor: Dep[Actor]) -> dict[str, Any]:
        return {
            "account_id": str(actor.account_id) if actor.account_id else None,
            "email": actor.email,
            "role": actor.role,
            "scope": actor.scope,
            "org": actor.org_code or actor.tenant_code,
            "province": actor.province or None,
            "via": actor.via,
        }

    @get("/members", responses=PROBLEMS)
    async def list_members(
        self, actor: Dep[Actor], services: Dep[Services]
    ) -> list[dict[str, Any]]:
        _, rows = await usecase.members_of(services, actor)
        return [{**r, "account_id": str(r["account_id"])} for r in rows]

    @post("/members", status_code=201, responses=LIMITED)
    async def invite_member(
        self,
        data: JSONBody[InviteIn],
        actor: Dep[Actor],
        services: Dep[Services],
        request: AnyRequest,
    ) -> dict[str, Any]:
        ip = request.client.host if request.client else ""
        invited = await usecase.invite(services, actor, data.email, data.name, data.role, ip=ip)
        return invited_json(invited)

    @patch("/members/{account_id:uuid}", responses=PROBLEMS)
    async def change_role(
        self,
        account_id: FromPath[uuid.UUID],
        data: JSONBody[RoleIn],
        actor: Dep[Actor],
        services: Dep[Services],
    ) -> dict[str, Any]:
        return await _changed(services, actor, account_id, "role", data.role)

    @post("/members/{account_id:uuid}/disable", status_code=200, responses=PROBLEMS)
    async def disable_member(
        self, account_id: FromPath[uuid.UUID], actor: Dep[Actor], services: Dep[Services]
    ) -> dict[str, Any]:
        return await _changed(services, actor, account_id, "disable")

    @post("/members/{account_id:uuid}/enable", status_code=200, responses=PROBLEMS)
    async def enable_member(
        self, account_id: FromPath[uuid.UUID], actor: Dep[Actor], services: Dep[Services]
    ) -> dict[str, Any]:
        return await _changed(services, actor, account_id, "enable")

    # -- API tokens: made by a member for programs, shown once ------------------------------
    @get("/tokens", responses=PROBLEMS)
    async def list_tokens(self, actor: Dep[Actor], services: Dep[Services]) -> list[dict[str, Any]]:
        rows = await usecase.own_tokens(services, actor)
        return [{**dict(r), "token_id": str(r["token_id"])} for r in rows]

    @post("/tokens", status_code=201, responses=PROBLEMS)
    async def create_token(
        self, data: JSONBody[TokenIn], actor: Dep[Actor], services: Dep[Services]
    ) -> Response[dict[str, Any]]:
        token = await usecase.create_own_token(services, actor, data.name)
        body = {
            "token": token,
            "token_id": str(uuid.UUID(hex=token.split("_")[1])),
            "note": "เก็บ token นี้ไว้ให้ดี ระบบจะไม่แสดงอีก",
        }
        return Response(body, status_code=201, headers={"Cache-Control": "no-store"})

    @delete("/tokens/{token_id:uuid}", status_code=204, responses=PROBLEMS)
    async def revoke_token(
        self, token_id: FromPath[uuid.UUID], actor: Dep[Actor], services: Dep[Services]
    ) -> None:
        await usecase.revoke_own_token(services, actor, token_id)


class OperatorController(Controller):
    path = "/api/v1/operator"
    tags = ["operator"]  # noqa: RUF012

    @post("/invitations", status_code=201, responses=LIMITED)
    async def onboard(
        self,
        data: JSONBody[OnboardIn],
        actor: Dep[Actor],
        services: Dep[Services],
        request: AnyRequest,
    ) -> dict[str, Any]:
        """Invite an LAO's first executive, or a provincial office's reviewer."""
        ip = request.client.host if request.client else ""
        invited = await usecase.onboard(
            services, actor, data.org, data.email, data.name, data.role, ip=ip
        )
        return invited_json(invited)
