"""The plan officer's members page, and every member's API tokens page."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from litestar import Controller, get, post
from litestar.di import NamedDependency as Dep
from litestar.params import FromPath
from litestar.response import Redirect, Template

from domain.shared.errors import DomainError, NotFound
from domain.tenancy.members import LAO_ROLES, ROLE_NAMES_TH
from infra.auth import mails
from infra.auth.orgs import Org
from infra.auth.sessions import Session
from infra.email import send
from services.api.edge import actor_of_session
from services.api.pages.common import AnyRequest, lao_of, not_found, page, posted, text
from services.api.state import Services
from services.usecases import members

log = logging.getLogger("sujarit.pages.members")
ROLE_CHOICES = [(r, ROLE_NAMES_TH[r]) for r in LAO_ROLES]


class MemberPages(Controller):
    path = "/t/{org_code:str}"
    include_in_schema = False

    async def _org(self, services: Services, code: str) -> Org | None:
        return await lao_of(services, code)

    async def _members_page(
        self, services: Services, org: Org, viewer: Session, status: int = 200, **extra: Any
    ) -> Template:
        members = await services.accounts.members(org)
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
        self, org_code: FromPath[str], viewer: Dep[Session], services: Dep[Services]
    ) -> Template:
        org = await self._org(services, org_code)
        if org is None or viewer.role != "plan_officer":
            return not_found()
        return await self._members_page(services, org, viewer, notice="")

    @post("/members", status_code=200)
    async def invite(
        self,
        org_code: FromPath[str],
        request: AnyRequest,
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Template | Redirect:
        org = await self._org(services, org_code)
        if org is None or viewer.role != "plan_officer":
            return not_found()
        form = await posted(request, viewer)
        typed = {k: text(form, k, 254) for k in ("email", "name", "role")}
        errors: dict[str, str] = {}
        if not typed["name"]:
            errors["name"] = "กรุณากรอกชื่อ-สกุล"
        if not typed["email"]:
            errors["email"] = "กรุณากรอกอีเมล"
        if typed["role"] not in LAO_ROLES:
            errors["role"] = "กรุณาเลือกบทบาท"
        if not errors:
            try:
                _, link = await services.accounts.invite(
                    org, typed["email"], typed["name"], typed["role"], viewer.email
                )
            except DomainError as e:
                errors[str(e.details.get("field", "email"))] = e.message
            else:
                mail = mails.invitation(
                    services.settings,
                    org,
                    typed["name"],
                    typed["email"].lower(),
                    typed["role"],
                    link,
                )
                try:
                    await send(services.settings, mail)
                except OSError as exc:
                    log.warning("invitation email failed: %s", exc)
                    return await self._members_page(
                        services,
                        org,
                        viewer,
                        502,
                        notice="บันทึกคำเชิญแล้ว แต่ส่งอีเมลไม่สำเร็จ กรุณากดเชิญอีกครั้งในภายหลัง",
                    )
                return Redirect(f"/t/{org.code}/members?invited=1", status_code=303)
        return await self._members_page(services, org, viewer, 400, errors=errors, form=typed)

    @post("/members/{account_id:uuid}", status_code=200)
    async def change(
        self,
        org_code: FromPath[str],
        account_id: FromPath[uuid.UUID],
        request: AnyRequest,
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Template | Redirect:
        org = await self._org(services, org_code)
        if org is None or viewer.role != "plan_officer":
            return not_found()
        form = await posted(request, viewer)
        action = text(form, "action", 20)
        if (await services.accounts.load(org, account_id)).exists is False:
            return not_found()
        if action not in ("role", "disable", "enable"):
            return await self._members_page(services, org, viewer, 400, notice="ไม่รู้จักคำสั่งนี้")
        if str(account_id) == viewer.account_id and action != "enable":
            return await self._members_page(
                services, org, viewer, 400, notice="เปลี่ยนบทบาทหรือระงับบัญชีของตัวเองไม่ได้"
            )
        try:
            await services.accounts.change(
                org, account_id, viewer.email, action, text(form, "role", 20)
            )
        except DomainError as e:
            return await self._members_page(services, org, viewer, 400, notice=e.message)
        if action in ("role", "disable"):
            await services.sessions.destroy_all(str(account_id))
        return Redirect(f"/t/{org.code}/members", status_code=303)

    # -- API tokens ---------------------------------------------------------------------
    async def _tokens_page(
        self, services: Services, org: Org, viewer: Session, status: int = 200, **extra: Any
    ) -> Template:
        tokens = await members.own_tokens(services, actor_of_session(viewer))
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
        self, org_code: FromPath[str], viewer: Dep[Session], services: Dep[Services]
    ) -> Template:
        org = await self._org(services, org_code)
        if org is None:
            return not_found()
        return await self._tokens_page(services, org, viewer)

    @post("/tokens", status_code=200)
    async def create_token(
        self,
        org_code: FromPath[str],
        request: AnyRequest,
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Template:
        org = await self._org(services, org_code)
        if org is None:
            return not_found()
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
        token = await members.create_own_token(services, actor_of_session(viewer), name)
        return await self._tokens_page(services, org, viewer, 201, created=token)

    @post("/tokens/{token_id:uuid}/revoke", status_code=200)
    async def revoke_token(
        self,
        org_code: FromPath[str],
        token_id: FromPath[uuid.UUID],
        request: AnyRequest,
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Template | Redirect:
        org = await self._org(services, org_code)
        if org is None:
            return not_found()
        await posted(request, viewer)
        try:
            await members.revoke_own_token(services, actor_of_session(viewer), token_id)
        except NotFound:
            return not_found()
        return Redirect(f"/t/{org.code}/tokens", status_code=303)


PAGES = (MemberPages,)
