"""/api/v1: who I am, the organisation's members (invite, role, disable), my API tokens, and
the operator's onboarding (invite an LAO's first executive or a provincial reviewer)."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from litestar import Controller, Response, delete, get, patch, post
from litestar.di import NamedDependency as Dep
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromPath, JSONBody
from msgspec import Struct

from domain.shared.errors import DomainError
from infra.auth import mails
from infra.auth.orgs import Org, find_org, org_transaction
from infra.email import send
from services.api.state import Services
from services.api.v1.auth import MEMBER_ADMIN, Principal
from services.api.v1.common import PROBLEMS

log = logging.getLogger("sujarit.members")
ADMINS = {"lao": MEMBER_ADMIN, "office": frozenset(), "operator": frozenset({"operator"})}


class InviteIn(Struct, forbid_unknown_fields=True, kw_only=True):
    email: str
    name: str
    role: str


class OnboardIn(InviteIn, forbid_unknown_fields=True, kw_only=True):
    org: str  # an LAO's code, or po-<province code> for a provincial office's reviewer


class RoleIn(Struct, forbid_unknown_fields=True, kw_only=True):
    role: str


class TokenIn(Struct, forbid_unknown_fields=True, kw_only=True):
    name: str = ""


class EmailFailed(DomainError):
    code = "email-failed"
    status = 502


async def _org(services: Services, code: str) -> Org:
    async with services.db.acquire() as conn:
        org = await find_org(conn, code)
    if org is None:
        raise NotFoundException("ไม่พบหน่วยงานนี้")
    return org


async def _principal_org(principal: Principal, services: Services) -> Org:
    return await _org(services, principal.org_code or principal.tenant_code)


def _admin(principal: Principal) -> None:
    if principal.role not in ADMINS.get(principal.scope, frozenset()):
        raise PermissionDeniedException("บทบาทของคุณจัดการสมาชิกไม่ได้")


async def _invite(services: Services, org: Org, body: InviteIn, by: str) -> dict[str, Any]:
    account_id, link = await services.accounts.invite(org, body.email, body.name, body.role, by)
    mail = mails.invitation(
        services.settings, org, body.name, body.email.strip().lower(), body.role, link
    )
    try:
        await send(services.settings, mail)
    except Exception as exc:
        log.warning("invitation email to %s failed: %s", org.code, exc)
        raise EmailFailed(
            "บันทึกคำเชิญแล้ว แต่ส่งอีเมลไม่สำเร็จ กรุณาลองเชิญอีกครั้งในภายหลัง",
            id=str(account_id),
        ) from exc
    return {
        "id": str(account_id),
        "email": body.email.strip().lower(),
        "name": body.name,
        "role": body.role,
        "status": "invited",
    }


class MembersController(Controller):
    path = "/api/v1"
    tags = ["members"]  # noqa: RUF012

    @get("/me", responses=PROBLEMS)
    async def me(self, principal: Dep[Principal]) -> dict[str, Any]:
        return {
            "account_id": str(principal.account_id) if principal.account_id else None,
            "email": principal.actor,
            "role": principal.role,
            "scope": principal.scope,
            "org": principal.org_code or principal.tenant_code,
            "province": principal.province or None,
            "via": "session" if principal.session else "token",
        }

    @get("/members", responses=PROBLEMS)
    async def list_members(
        self, principal: Dep[Principal], services: Dep[Services]
    ) -> list[dict[str, Any]]:
        _admin(principal)
        rows = await services.accounts.members(await _principal_org(principal, services))
        return [{**r, "account_id": str(r["account_id"])} for r in rows]

    @post("/members", status_code=201, responses=PROBLEMS)
    async def invite_member(
        self, data: JSONBody[InviteIn], principal: Dep[Principal], services: Dep[Services]
    ) -> dict[str, Any]:
        _admin(principal)
        org = await _principal_org(principal, services)
        return await _invite(services, org, data, principal.actor)

    @patch("/members/{account_id:uuid}", responses=PROBLEMS)
    async def change_role(
        self,
        account_id: FromPath[uuid.UUID],
        data: JSONBody[RoleIn],
        principal: Dep[Principal],
        services: Dep[Services],
    ) -> dict[str, Any]:
        return await self._change(principal, services, account_id, "role", data.role)

    @post("/members/{account_id:uuid}/disable", status_code=200, responses=PROBLEMS)
    async def disable_member(
        self,
        account_id: FromPath[uuid.UUID],
        principal: Dep[Principal],
        services: Dep[Services],
    ) -> dict[str, Any]:
        return await self._change(principal, services, account_id, "disable")

    @post("/members/{account_id:uuid}/enable", status_code=200, responses=PROBLEMS)
    async def enable_member(
        self,
        account_id: FromPath[uuid.UUID],
        principal: Dep[Principal],
        services: Dep[Services],
    ) -> dict[str, Any]:
        return await self._change(principal, services, account_id, "enable")

    async def _change(
        self,
        principal: Principal,
        services: Services,
        account_id: uuid.UUID,
        action: str,
        role: str = "",
    ) -> dict[str, Any]:
        _admin(principal)
        org = await _principal_org(principal, services)
        if (await services.accounts.load(org, account_id)).exists is False:
            raise NotFoundException("ไม่พบสมาชิกคนนี้")
        if action in ("role", "disable") and account_id == principal.account_id:
            raise PermissionDeniedException("เปลี่ยนบทบาทหรือระงับบัญชีของตัวเองไม่ได้")
        member = await services.accounts.change(org, account_id, principal.actor, action, role)
        if action in ("role", "disable"):
            await services.sessions.destroy_all(str(account_id))  # sign in again, or never
        return {
            "id": str(account_id),
            "email": member.email,
            "role": member.role,
            "status": member.status,
        }

    # -- API tokens: made by a member for programs, shown once ------------------------------
    @get("/tokens", responses=PROBLEMS)
    async def list_tokens(
        self, principal: Dep[Principal], services: Dep[Services]
    ) -> list[dict[str, Any]]:
        org = await self._token_org(principal, services)
        async with org_transaction(services.db, org, readonly=True) as conn:
            rows = await conn.fetch(
                "SELECT token_id, name, role, created_at, revoked_at FROM api_tokens "
                "WHERE account_id = $1 ORDER BY created_at DESC",
                principal.account_id,
            )
        return [{**dict(r), "token_id": str(r["token_id"])} for r in rows]

    @post("/tokens", status_code=201, responses=PROBLEMS)
    async def create_token(
        self, data: JSONBody[TokenIn], principal: Dep[Principal], services: Dep[Services]
    ) -> Response[dict[str, Any]]:
        org = await self._token_org(principal, services)
        assert principal.account_id is not None
        token = await services.accounts.create_token(org, principal.account_id, data.name)
        body = {
            "token": token,
            "token_id": str(uuid.UUID(hex=token.split("_")[1])),
            "note": "เก็บ token นี้ไว้ให้ดี ระบบจะไม่แสดงอีก",
        }
        return Response(body, status_code=201, headers={"Cache-Control": "no-store"})

    @delete("/tokens/{token_id:uuid}", status_code=204, responses=PROBLEMS)
    async def revoke_token(
        self, token_id: FromPath[uuid.UUID], principal: Dep[Principal], services: Dep[Services]
    ) -> None:
        org = await self._token_org(principal, services)
        assert principal.account_id is not None
        member = await services.accounts.load(org, principal.account_id)
        if token_id not in member.tokens:
            raise NotFoundException("ไม่พบ API token นี้")
        await services.accounts.revoke_token(org, principal.account_id, token_id, principal.actor)

    async def _token_org(self, principal: Principal, services: Services) -> Org:
        if principal.account_id is None or principal.scope != "lao":
            raise PermissionDeniedException("API token สร้างได้โดยสมาชิกของ อปท. ที่เข้าสู่ระบบ")
        return await _principal_org(principal, services)


class OperatorController(Controller):
    path = "/api/v1/operator"
    tags = ["operator"]  # noqa: RUF012

    @post("/invitations", status_code=201, responses=PROBLEMS)
    async def onboard(
        self, data: JSONBody[OnboardIn], principal: Dep[Principal], services: Dep[Services]
    ) -> dict[str, Any]:
        """Invite an LAO's first executive, or a provincial office's reviewer."""
        if principal.role != "operator":
            raise PermissionDeniedException("เฉพาะผู้ดูแลระบบ")
        org = await _org(services, data.org)
        return await _invite(services, org, data, principal.actor)
