"""The plan officer's members page, and every member's API tokens page."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import get, post
from litestar.di import NamedDependency as Dep
from litestar.params import FromPath
from litestar.response import Redirect, Template

from domain.shared.access import EXECUTIVE, Action, Forbidden, may
from domain.shared.errors import DomainError, NotFound
from domain.tenancy.members import LAO_ROLES, ROLE_NAMES_TH
from services.api.pages.common import not_found, text
from services.api.pages.visit import LaoPages, Visit
from services.usecases import members as usecase

ROLE_CHOICES = [(r, ROLE_NAMES_TH[r]) for r in LAO_ROLES]


class MemberPages(LaoPages):
    async def _members_page(self, visit: Visit, status: int = 200, **extra: Any) -> Template:
        actor = visit.actor
        _, members = await usecase.members_of(visit.services, actor)
        return visit.render(
            "members.html",
            status,
            title="สมาชิกและบทบาท",
            members=members,
            roles=[
                (r, label)
                for r, label in ROLE_CHOICES
                if r != EXECUTIVE or may(actor, Action.GRANT_EXECUTIVE)
            ],
            role_names=ROLE_NAMES_TH,
            form=extra.pop("form", {}),
            **extra,
        )

    @get("/members")
    async def members(self, visit: Dep[Visit]) -> Template:
        try:
            return await self._members_page(visit, notice="")
        except Forbidden:
            return not_found()

    @post("/members", status_code=200)
    async def invite(self, visit: Dep[Visit]) -> Template | Redirect:
        form = await visit.form()
        typed = {k: text(form, k, 254) for k in ("email", "name", "role")}
        status = 400
        try:
            await usecase.invite(
                visit.services,
                visit.actor,
                typed["email"],
                typed["name"],
                typed["role"],
                ip=visit.request.client.host if visit.request.client else "",
            )
        except usecase.InvalidInvitation as e:
            errors = e.errors
        except Forbidden as e:  # the executive role is the executive's to give
            errors, status = {"role": e.message}, 403
        except DomainError as e:
            errors = {str(e.details.get("field", "email")): e.message}
            status = 429 if e.status == 429 else 400  # too many invitations: wait and retry
        else:
            return visit.see_other("/members?invited=1")
        try:
            return await self._members_page(visit, status, errors=errors, form=typed)
        except Forbidden:
            return not_found()

    @post("/members/{account_id:uuid}", status_code=200)
    async def change(
        self, visit: Dep[Visit], account_id: FromPath[uuid.UUID]
    ) -> Template | Redirect:
        form = await visit.form()
        action, role = text(form, "action", 20), text(form, "role", 20)
        try:
            if action == "resend":
                ip = visit.request.client.host if visit.request.client else ""
                await usecase.resend_invitation(visit.services, visit.actor, account_id, ip=ip)
            elif action == "revoke":
                await usecase.revoke_invitation(visit.services, visit.actor, account_id)
            else:
                await usecase.change_member(visit.services, visit.actor, account_id, action, role)
        except NotFound:
            return not_found()
        except DomainError as e:  # refused (e.g. one's own role, the executive role) or wrong
            try:
                return await self._members_page(visit, e.status, notice=e.message)
            except Forbidden:
                return not_found()
        done = {"resend": "?invited=1", "revoke": "?revoked=1"}.get(action, "")
        return visit.see_other(f"/members{done}")

    # -- API tokens ---------------------------------------------------------------------
    async def _tokens_page(self, visit: Visit, status: int = 200, **extra: Any) -> Template:
        tokens = await usecase.own_tokens(visit.services, visit.actor)
        return visit.render(
            "tokens.html",
            status,
            title="API token",
            tokens=tokens,
            role_names=ROLE_NAMES_TH,
            **extra,
        )

    @get("/tokens")
    async def tokens(self, visit: Dep[Visit]) -> Template:
        return await self._tokens_page(visit)

    @post("/tokens", status_code=200)
    async def create_token(self, visit: Dep[Visit]) -> Template:
        form = await visit.form()
        name = text(form, "name", 100)
        if not name:
            problem = {"name": "กรุณาตั้งชื่อ token ว่าใช้กับโปรแกรมใด"}
            return await self._tokens_page(visit, 400, errors=problem, token_name=name)
        token = await usecase.create_own_token(visit.services, visit.actor, name)
        return await self._tokens_page(visit, 201, created=token)

    @post("/tokens/{token_id:uuid}/revoke", status_code=200)
    async def revoke_token(
        self, visit: Dep[Visit], token_id: FromPath[uuid.UUID]
    ) -> Template | Redirect:
        await visit.form()
        try:
            await usecase.revoke_own_token(visit.services, visit.actor, token_id)
        except NotFound:
            return not_found()
        return visit.see_other("/tokens")
