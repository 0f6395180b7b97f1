"""Signing in and out, accepting an invitation, resetting a password: /t/<org>/...

``<org>`` is an LAO's code, ``po-<province code>`` for a provincial office, or ``operator``.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Response, get, post
from litestar.datastructures import Cookie
from litestar.di import NamedDependency as Dep
from litestar.di import Provide
from litestar.params import FromPath
from litestar.response import Redirect, Template

from domain.shared.errors import DomainError
from infra.auth.orgs import Org
from infra.auth.passwords import check_password
from infra.auth.sessions import COOKIE
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
from services.usecases import accounts as usecase
from services.usecases.accounts import INVITATION, RESET
from services.usecases.mail_limits import TooManyMails

STALE_FORM = "แบบฟอร์มนี้หมดอายุ กรุณาลองส่งอีกครั้ง"
SIGN_IN, SET_PASSWORD = "เข้าสู่ระบบ", "ตั้งรหัสผ่านใหม่"
NOTICES = {
    "reset": "ตั้งรหัสผ่านใหม่แล้ว กรุณาเข้าสู่ระบบ",
    "out": "ออกจากระบบแล้ว",
}


class NoSuchOrg(Exception):
    """The address names no organisation."""


async def provide_org(org_code: str, services: Dep[Services]) -> Org:
    org = await org_of(services, org_code)
    if org is None:
        raise NoSuchOrg
    return org


def no_such_org(request: AnyRequest, exc: NoSuchOrg) -> Response[Any]:
    return not_found("ไม่พบหน่วยงานนี้")


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


LINKS = [f"/{INVITATION}/{{link:str}}", f"/{RESET}/{{link:str}}"]


def purpose_of(request: AnyRequest) -> str:
    """Which link was opened: ``invitation`` or ``reset`` (/t/<org>/<purpose>/<link>)."""
    return request.url.path.split("/")[-2]


def ip_of(request: AnyRequest) -> str:
    return request.client.host if request.client else "unknown"


def form_page(
    template: str,
    request: AnyRequest,
    services: Services,
    org: Org,
    status: int = 200,
    **context: Any,
) -> Template:
    """A form shown to someone not signed in, with its CSRF token (double-submit cookie)."""
    csrf, cookies = form_token(request, services.settings.cookie_secure)
    return page(template, status, org=org, csrf=csrf, cookies=cookies, **context)


def password_form(
    request: AnyRequest,
    services: Services,
    org: Org,
    link: str,
    purpose: str,
    status: int = 200,
    **context: Any,
) -> Template:
    joining = purpose == INVITATION
    return form_page(
        "password_form.html",
        request,
        services,
        org,
        status,
        ask_name=joining,
        title="ตอบรับคำเชิญ" if joining else SET_PASSWORD,
        action=f"/t/{org.code}/{purpose}/{link}",
        **context,
    )


async def show_password_form(
    request: AnyRequest, services: Services, org: Org, link: str, purpose: str
) -> Template:
    try:
        account = await usecase.link_account(services, org, link, purpose)
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
    return password_form(
        request, services, org, link, purpose, account=account, name_value=account.name
    )


async def set_password(
    request: AnyRequest, services: Services, org: Org, link: str, purpose: str
) -> Template | Redirect:
    form = await request.form()
    password, confirm = str(form.get("password", "")), str(form.get("confirm", ""))
    name = text(form, "name", 200)
    errors: dict[str, str] = {}
    if not form_token_ok(request, text(form, "csrf_token")):
        errors["password"] = STALE_FORM
    try:
        check_password(password, name)
    except DomainError as e:
        errors["password"] = e.message
    if password != confirm:
        errors["confirm"] = "รหัสผ่านทั้งสองช่องไม่ตรงกัน"
    if purpose == INVITATION and not name:
        errors["name"] = "กรุณากรอกชื่อ-สกุล"
    if not errors:
        try:
            if purpose == INVITATION:  # accepted: signed in at once, on one's landing page
                signed = await usecase.accept_invitation(
                    services, org, link, name, password, ip_of(request), request.cookies.get(COOKIE)
                )
                return Redirect(
                    usecase.landing(org),
                    status_code=303,
                    cookies=[session_cookie(services, signed.session_id)],
                )
            await usecase.use_link(services, org, link, purpose, password, name)
            return Redirect(f"/t/{org.code}/signin?done=reset", status_code=303)
        except DomainError as e:
            errors["password"] = e.message
    return password_form(request, services, org, link, purpose, 400, name_value=name, errors=errors)


class SignInPages(Controller):
    path = "/t/{org_code:str}"
    include_in_schema = False
    dependencies = {"org": Provide(provide_org)}  # noqa: RUF012
    exception_handlers = {NoSuchOrg: no_such_org}  # noqa: RUF012

    @get("/signin")
    async def signin_form(
        self, org: Dep[Org], request: AnyRequest, services: Dep[Services]
    ) -> Template:
        notice = NOTICES.get(request.query_params.get("done", ""), "")
        return form_page(
            "signin.html", request, services, org, title=SIGN_IN, email="", notice=notice
        )

    @post("/signin", status_code=200)
    async def signin(
        self, org: Dep[Org], request: AnyRequest, services: Dep[Services]
    ) -> Template | Redirect:
        form = await request.form()
        email, password = text(form, "email", 254).lower(), str(form.get("password", ""))[:256]

        def again(status: int, errors: dict[str, str], **extra: Any) -> Template:
            return form_page(
                "signin.html",
                request,
                services,
                org,
                status,
                title=SIGN_IN,
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
        try:
            signed = await usecase.sign_in(
                services, org, email, password, ip_of(request), request.cookies.get(COOKIE)
            )
        except usecase.TooManyAttempts as e:
            return again(429, {"email": e.message}, headers={"Retry-After": str(e.retry_after)})
        except usecase.BadCredentials as e:
            return again(401, {"email": e.message})
        return Redirect(
            usecase.landing(org),
            status_code=303,
            cookies=[session_cookie(services, signed.session_id)],
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
        await usecase.sign_out(services, request.cookies.get(COOKIE))
        return Redirect(
            f"/t/{org_code}/signin?done=out",
            status_code=303,
            cookies=[session_cookie(services, "", end=True)],
        )

    @get("/reset")
    async def reset_request_form(
        self, org: Dep[Org], request: AnyRequest, services: Dep[Services]
    ) -> Template:
        return form_page("reset_request.html", request, services, org, title=SET_PASSWORD, email="")

    @post("/reset", status_code=200)
    async def reset_request(
        self, org: Dep[Org], request: AnyRequest, services: Dep[Services]
    ) -> Template:
        form = await request.form()
        email = text(form, "email", 254)
        if not form_token_ok(request, text(form, "csrf_token")) or not email:
            errors = {"email": STALE_FORM if email else "กรุณากรอกอีเมล"}
            return form_page(
                "reset_request.html",
                request,
                services,
                org,
                400,
                title=SET_PASSWORD,
                email=email,
                errors=errors,
            )
        # The same answer whether or not the address has an account (no enumeration); the
        # email goes out from the worker, so the timing doesn't tell either.
        try:
            await usecase.request_reset(services, org, email, ip_of(request))
        except TooManyMails as e:
            return form_page(
                "reset_request.html",
                request,
                services,
                org,
                429,
                headers={"Retry-After": str(e.retry_after)},
                title=SET_PASSWORD,
                email=email,
                errors={"email": e.message},
            )
        return page("reset_request.html", org=org, title=SET_PASSWORD, sent=True)

    # -- the link in an invitation or a password reset email: set a password -------------
    @get(LINKS)
    async def link_form(
        self, org: Dep[Org], link: FromPath[str], request: AnyRequest, services: Dep[Services]
    ) -> Template:
        return await show_password_form(request, services, org, link, purpose_of(request))

    @post(LINKS, status_code=200)
    async def use_link(
        self, org: Dep[Org], link: FromPath[str], request: AnyRequest, services: Dep[Services]
    ) -> Template | Redirect:
        return await set_password(request, services, org, link, purpose_of(request))
