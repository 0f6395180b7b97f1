"""The plan officer's members page, and every member's API tokens page."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, get, post
from litestar.di import NamedDependency as Dep
from litestar.di import Provide
from litestar.params import FromPath
from litestar.response import Redirect, Template

from domain.shared.access import Forbidden
from domain.shared.errors import DomainError, NotFound
from domain.tenancy.members import LAO_ROLES, ROLE_NAMES_TH
from infra.auth.orgs import Org
from infra.auth.sessions import Session
from services.api.edge import actor_of_session
from services.api.pages.common import (
    AnyRequest,
    not_found,
    page,
    posted,
    provide_page_lao,
    text,
)
from services.api.state import Services
from services.usecases import members as usecase

ROLE_CHOICES = [(r, ROLE_NAMES_TH[r]) for r in LAO_ROLES]


class MemberPages(Controller):
    path = "/t/{org_code:str}"
    include_in_schema = False
    dependencies = {"org": Provide(provide_page_lao)}  # noqa: RUF012

    async def _members_page(
        self, services: Services, org: Org, viewer: Session, status: int = 200, **extra: Any
    ) -> Template:
        _, members = await usecase.members_of(services, actor_of_session(viewer))
        return page(
            "members.html",
            status,
            session=viewer,
            org=org,
            title="สมาชิกและบทบาท",
            members=members,
            roles=ROLE_CHOICES,
            role_names=ROLE_NAMES_TH,
            form=extra.pop("form", {}),
            **extra,
        )

    @get("/members")
    async def members(
        self, org: Dep[Org], viewer: Dep[Session], services: Dep[Services]
    ) -> Template:
        try:
            return await self._members_page(services, org, viewer, notice="")
        except Forbidden:
            return not_found()

    @post("/members", status_code=200)
    async def invite(
        self,
        org: Dep[Org],
        request: AnyRequest,
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Template | Redirect:
        form = await posted(request, viewer)
        typed = {k: text(form, k, 254) for k in ("email", "name", "role")}
        status = 400
        try:
            await usecase.invite(
                services,
                actor_of_session(viewer),
                typed["email"],
                typed["name"],
                typed["role"],
                ip=request.client.host if request.client else "",
            )
        except Forbidden:
            return not_found()
        except usecase.InvalidInvitation as e:
            errors = e.errors
        except DomainError as e:
            errors = {str(e.details.get("field", "email")): e.message}
            status = 429 if e.status == 429 else 400  # too many invitations: wait and retry
        else:
            return Redirect(f"/t/{org.code}/members?invited=1", status_code=303)
        return await self._members_page(services, org, viewer, status, errors=errors, form=typed)

    @post("/members/{account_id:uuid}", status_code=200)
    async def change(
        self,
        org: Dep[Org],
        account_id: FromPath[uuid.UUID],
        request: AnyRequest,
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Template | Redirect:
        form = await posted(request, viewer)
        try:
            await usecase.change_member(
                services,
                actor_of_session(viewer),
                account_id,
                text(form, "action", 20),
                text(form, "role", 20),
            )
        except usecase.OwnAccount as e:
            return await self._members_page(services, org, viewer, 400, notice=e.message)
        except (Forbidden, NotFound):
            return not_found()
        except DomainError as e:
            return await self._members_page(services, org, viewer, 400, notice=e.message)
        return Redirect(f"/t/{org.code}/members", status_code=303)

    # -- API tokens ---------------------------------------------------------------------
    async def _tokens_page(
        self, services: Services, org: Org, viewer: Session, status: int = 200, **extra: Any
    ) -> Template:
        tokens = await usecase.own_tokens(services, actor_of_session(viewer))
        return page(
            "tokens.html",
            status,
            session=viewer,
            org=org,
            title="API token",
            tokens=tokens,
            role_names=ROLE_NAMES_TH,
            **extra,
        )

    @get("/tokens")
    async def tokens(
        self, org: Dep[Org], viewer: Dep[Session], services: Dep[Services]
    ) -> Template:
        return await self._tokens_page(services, org, viewer)

    @post("/tokens", status_code=200)
    async def create_token(
        self,
        org: Dep[Org],
        request: AnyRequest,
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Template:
        form = await posted(request, viewer)
        name = text(form, "name", 100)
        if not name:
            return await self._tokens_page(
                services,
                org,
                viewer,
                400,
                errors={"name": "กรุณาตั้งชื่อ token ว่าใช้กับโปรแกรมใด"},
                token_name=name,
            )
        token = await usecase.create_own_token(services, actor_of_session(viewer), name)
        return await self._tokens_page(services, org, viewer, 201, created=token)

    @post("/tokens/{token_id:uuid}/revoke", status_code=200)
    async def revoke_token(
        self,
        org: Dep[Org],
        token_id: FromPath[uuid.UUID],
        request: AnyRequest,
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Template | Redirect:
        await posted(request, viewer)
        try:
            await usecase.revoke_own_token(services, actor_of_session(viewer), token_id)
        except NotFound:
            return not_found()
        return Redirect(f"/t/{org.code}/tokens", status_code=303)
