"""Signing in and out, accepting an invitation, resetting a password: /t/<org>/...

``<org>`` is an LAO's code, ``po-<province code>`` for a provincial office, or ``operator``.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from litestar import Controller, get, post
from litestar.datastructures import Cookie
from litestar.di import NamedDependency as Dep
from litestar.params import FromPath
from litestar.response import Redirect, Template

from domain.shared.errors import DomainError
from domain.tenancy.members import check_password
from infra.auth import mails
from infra.auth.orgs import Org, org_transaction
from infra.auth.passwords import verify_password
from infra.auth.sessions import COOKIE
from infra.email import send
from services.api.pages.common import (
    AnyRequest,
    form_token,
    form_token_ok,
    not_found,
    org_of,
    page,
    text,
)
from services.api.state import Services

log = logging.getLogger("sujarit.signin")
BAD_CREDENTIALS = "อีเมลหรือรหัสผ่านไม่ถูกต้อง"
STALE_FORM = "แบบฟอร์มนี้หมดอายุ กรุณาลองส่งอีกครั้ง"


def session_cookie(services: Services, value: str, *, end: bool = False) -> Cookie:
    s = services.settings
    return Cookie(
        key=COOKIE,
        value="" if end else value,
        httponly=True,
        secure=s.cookie_secure,
        samesite="lax",
        path="/",
        max_age=0 if end else s.session_absolute_hours * 3600,
    )


def _ip(request: AnyRequest) -> str:
    return request.client.host if request.client else "unknown"


class SignInPages(Controller):
    path = "/t/{org_code:str}"
    include_in_schema = False

    @get("/signin")
    async def signin_form(
        self, org_code: FromPath[str], request: AnyRequest, services: Dep[Services]
    ) -> Template:
        org = await org_of(services, org_code)
        if org is None:
            return not_found("ไม่พบหน่วยงานนี้")
        csrf, cookies = form_token(request, services.settings.cookie_secure)
        notice = {
            "reset": "ตั้งรหัสผ่านใหม่แล้ว กรุณาเข้าสู่ระบบ",
            "joined": "ยินดีต้อนรับ ตั้งรหัสผ่านแล้ว กรุณาเข้าสู่ระบบ",
            "out": "ออกจากระบบแล้ว",
        }.get(request.query_params.get("done", ""), "")
        return page(
            "signin.html",
            org=org,
            csrf=csrf,
            cookies=cookies,
            title="เข้าสู่ระบบ",
            email="",
            notice=notice,
        )

    @post("/signin", status_code=200)
    async def signin(
        self, org_code: FromPath[str], request: AnyRequest, services: Dep[Services]
    ) -> Template | Redirect:
        org = await org_of(services, org_code)
        if org is None:
            return not_found("ไม่พบหน่วยงานนี้")
        form = await request.form()
        email, password = text(form, "email", 254).lower(), str(form.get("password", ""))[:256]
        csrf, cookies = form_token(request, services.settings.cookie_secure)

        def again(status: int, errors: dict[str, str], **extra: Any) -> Template:
            return page(
                "signin.html",
                status,
                org=org,
                csrf=csrf,
                cookies=cookies,
                title="เข้าสู่ระบบ",
                email=email,
                errors=errors,
                **extra,
            )

        if not form_token_ok(request, text(form, "csrf_token")):
            return again(403, {"email": STALE_FORM})
        errors = {}
        if not email:
            errors["email"] = "กรุณากรอกอีเมล"
        if not password:
            errors["password"] = "กรุณากรอกรหัสผ่าน"  # noqa: S105 - a message
        if errors:
            return again(400, errors)
        ip = _ip(request)
        verdict = await services.throttle.check(org.code, email, ip)
        if verdict.retry_after:
            minutes = max(1, round(verdict.retry_after / 60))
            return again(
                429,
                {
                    "email": f"ลองเข้าสู่ระบบผิดหลายครั้งเกินไป กรุณารออีกประมาณ {minutes} นาที"
                    " หรือใช้ 'ลืมรหัสผ่าน'"
                },
                headers={"Retry-After": str(verdict.retry_after)},
            )
        if verdict.delay:
            await asyncio.sleep(verdict.delay)
        async with org_transaction(services.db, org, readonly=True) as conn:
            account = await services.accounts.find(conn, org, email=email)
        ok = await verify_password(account.password_hash if account else None, password)
        if account is None or not ok or account.status != "active":
            await services.throttle.failed(org.code, email, ip)
            if account is not None:
                reason = (
                    "wrong_password"
                    if not ok
                    else {"disabled": "disabled", "invited": "not_joined"}.get(
                        account.status, "other"
                    )
                )
                await services.accounts.record_sign_in(org, account.account_id, ip, reason)
            return again(401, {"email": BAD_CREDENTIALS})
        await services.throttle.succeeded(org.code, email, ip)
        await services.sessions.destroy(request.cookies.get(COOKIE))  # never reuse an id
        session_id, _ = await services.sessions.create(
            account_id=str(account.account_id),
            scope=org.scope.value,
            org_code=org.code,
            tenant_id=str(org.tenant_id or ""),
            province=org.province if org.tenant_id is None else "",
            role=account.role,
            email=account.email,
            name=account.name,
        )
        await services.accounts.record_sign_in(org, account.account_id, ip)
        return Redirect(
            f"/t/{org.code}/", status_code=303, cookies=[session_cookie(services, session_id)]
        )

    @post("/signout", status_code=303)
    async def signout(
        self, org_code: FromPath[str], request: AnyRequest, services: Dep[Services]
    ) -> Redirect:
        session = await services.sessions.get(request.cookies.get(COOKIE))
        form = await request.form()
        if session is not None and text(form, "csrf_token") != session.csrf:
            # Not from our own page (no CSRF token): keep the session, go home.
            return Redirect(f"/t/{session.org_code}/", status_code=303)
        await services.sessions.destroy(request.cookies.get(COOKIE))
        return Redirect(
            f"/t/{org_code}/signin?done=out",
            status_code=303,
            cookies=[session_cookie(services, "", end=True)],
        )

    # -- invitations and password resets -------------------------------------------------
    async def _password_page(
        self, request: AnyRequest, services: Services, org: Org, link: str, purpose: str
    ) -> Template:
        csrf, cookies = form_token(request, services.settings.cookie_secure)
        try:
            account = await services.accounts.link_account(org, link, purpose)
        except DomainError as e:
            return page(
                "message.html",
                410,
                org=org,
                title="ลิงก์ใช้ไม่ได้",
                message=e.message,
                link=f"/t/{org.code}/reset",
                link_text="ขอลิงก์ใหม่",
            )
        joining = purpose == "invitation"
        return page(
            "password_form.html",
            org=org,
            csrf=csrf,
            cookies=cookies,
            account=account,
            ask_name=joining,
            name_value=account.name,
            title="ตอบรับคำเชิญ" if joining else "ตั้งรหัสผ่านใหม่",
            action=f"/t/{org.code}/{'invitation' if joining else 'reset'}/{link}",
        )

    async def _password_post(
        self, request: AnyRequest, services: Services, org: Org, link: str, purpose: str
    ) -> Template | Redirect:
        form = await request.form()
        joining = purpose == "invitation"
        csrf, cookies = form_token(request, services.settings.cookie_secure)
        password, confirm = str(form.get("password", "")), str(form.get("confirm", ""))
        name = text(form, "name", 200)
        errors: dict[str, str] = {}
        if not form_token_ok(request, text(form, "csrf_token")):
            errors["password"] = STALE_FORM
        try:
            check_password(password)
        except DomainError as e:
            errors["password"] = e.message
        if password != confirm:
            errors["confirm"] = "รหัสผ่านทั้งสองช่องไม่ตรงกัน"
        if joining and not name:
            errors["name"] = "กรุณากรอกชื่อ-สกุล"
        if not errors:
            try:
                if joining:
                    account_id = await services.accounts.accept(org, link, name, password)
                else:
                    account_id = await services.accounts.reset(org, link, password)
                    await services.sessions.destroy_all(str(account_id))
                done = "joined" if joining else "reset"
                return Redirect(f"/t/{org.code}/signin?done={done}", status_code=303)
            except DomainError as e:
                errors["password"] = e.message
        return page(
            "password_form.html",
            400,
            org=org,
            csrf=csrf,
            cookies=cookies,
            ask_name=joining,
            name_value=name,
            errors=errors,
            title="ตอบรับคำเชิญ" if joining else "ตั้งรหัสผ่านใหม่",
            action=f"/t/{org.code}/{'invitation' if joining else 'reset'}/{link}",
        )

    @get("/invitation/{link:str}")
    async def invitation_form(
        self,
        org_code: FromPath[str],
        link: FromPath[str],
        request: AnyRequest,
        services: Dep[Services],
    ) -> Template:
        org = await org_of(services, org_code)
        if org is None:
            return not_found("ไม่พบหน่วยงานนี้")
        return await self._password_page(request, services, org, link, "invitation")

    @post("/invitation/{link:str}", status_code=200)
    async def accept_invitation(
        self,
        org_code: FromPath[str],
        link: FromPath[str],
        request: AnyRequest,
        services: Dep[Services],
    ) -> Template | Redirect:
        org = await org_of(services, org_code)
        if org is None:
            return not_found("ไม่พบหน่วยงานนี้")
        return await self._password_post(request, services, org, link, "invitation")

    @get("/reset")
    async def reset_request_form(
        self, org_code: FromPath[str], request: AnyRequest, services: Dep[Services]
    ) -> Template:
        org = await org_of(services, org_code)
        if org is None:
            return not_found("ไม่พบหน่วยงานนี้")
        csrf, cookies = form_token(request, services.settings.cookie_secure)
        return page(
            "reset_request.html", org=org, csrf=csrf, cookies=cookies, title="ตั้งรหัสผ่านใหม่", email=""
        )

    @post("/reset", status_code=200)
    async def reset_request(
        self, org_code: FromPath[str], request: AnyRequest, services: Dep[Services]
    ) -> Template:
        org = await org_of(services, org_code)
        if org is None:
            return not_found("ไม่พบหน่วยงานนี้")
        form = await request.form()
        email = text(form, "email", 254)
        csrf, cookies = form_token(request, services.settings.cookie_secure)
        if not form_token_ok(request, text(form, "csrf_token")) or not email:
            errors = {"email": STALE_FORM if email else "กรุณากรอกอีเมล"}
            return page(
                "reset_request.html",
                400,
                org=org,
                csrf=csrf,
                cookies=cookies,
                title="ตั้งรหัสผ่านใหม่",
                email=email,
                errors=errors,
            )
        # The same answer whether or not the address has an account (no enumeration); the
        # email goes out in the background so the timing doesn't tell either.
        found = await services.accounts.request_reset(org, email)
        if found is not None:
            account, link = found
            mail = mails.password_reset(services.settings, org, account.name, account.email, link)
            _background(send(services.settings, mail), "password reset")
        return page("reset_request.html", org=org, title="ตั้งรหัสผ่านใหม่", sent=True)

    @get("/reset/{link:str}")
    async def reset_form(
        self,
        org_code: FromPath[str],
        link: FromPath[str],
        request: AnyRequest,
        services: Dep[Services],
    ) -> Template:
        org = await org_of(services, org_code)
        if org is None:
            return not_found("ไม่พบหน่วยงานนี้")
        return await self._password_page(request, services, org, link, "reset")

    @post("/reset/{link:str}", status_code=200)
    async def reset(
        self,
        org_code: FromPath[str],
        link: FromPath[str],
        request: AnyRequest,
        services: Dep[Services],
    ) -> Template | Redirect:
        org = await org_of(services, org_code)
        if org is None:
            return not_found("ไม่พบหน่วยงานนี้")
        return await self._password_post(request, services, org, link, "reset")


_pending: set[asyncio.Task[None]] = set()


def _background(coro: Any, what: str) -> None:
    async def run() -> None:
        try:
            await coro
        except Exception:
            log.exception("sending the %s email failed", what)

    task = asyncio.get_running_loop().create_task(run())
    _pending.add(task)
    task.add_done_callback(_pending.discard)


PAGES = (SignInPages,)
