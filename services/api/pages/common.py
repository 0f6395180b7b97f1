"""What every page shares: rendering, the anonymous forms' CSRF cookie, the org of the path."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import fields, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from litestar import Request, Response
from litestar.datastructures import Cookie
from litestar.di import NamedDependency as Dep
from litestar.response import Redirect, Template
from markupsafe import Markup

from domain.plans.values import MAX_EVIDENCE_BYTES
from domain.shared.fiscal import arabic_digits
from domain.tenancy.members import ROLE_NAMES_TH
from infra.auth.orgs import Org, find_org
from infra.auth.sessions import COOKIE, Session
from services.api.i18n import lang_var, path_var, translator
from services.api.state import Services

FORM_CSRF = "sujarit_form"
AnyRequest = Request[Any, Any, Any]


def form_body_limit(files: int) -> int:
    """The largest body a page's form may send with up to ``files`` evidence files: theirs,
    and 1 MiB for its fields."""
    return files * MAX_EVIDENCE_BYTES + 1024 * 1024


ONE_FILE_FORM = form_body_limit(1)


def page(
    template: str,
    status: int = 200,
    /,
    *,
    cookies: list[Cookie] | None = None,
    headers: dict[str, str] | None = None,
    session: Session | None = None,
    **context: Any,
) -> Template:
    context.setdefault("errors", {})
    context["session"] = session
    lang = lang_var.get()
    _ = translator(lang)
    context["lang"], context["_"], context["here"] = lang, _, path_var.get()
    if session is not None:
        context["role_name"] = _(ROLE_NAMES_TH.get(session.role, session.role))
        context.setdefault("home_url", f"/t/{session.org_code}/")
        context["nav"] = nav_for(session, _)
        if session.viewing:
            name = context["org"].name if context.get("org") is not None else session.viewing
            context["banner"] = (
                _("กำลังดูข้อมูลของ")
                + f" {name} "
                + _("แบบอ่านอย่างเดียว (สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัด)")
            )
    return Template(
        template_name=template,
        context=context,
        status_code=status,
        cookies=cookies or [],
        headers={"Cache-Control": "no-store", **(headers or {})},
    )


def view_context(view: Any, *, leave_out: tuple[str, ...] = ()) -> dict[str, Any]:
    """A use case's view (a dataclass) as a template's context: its fields by name, as they
    are (``dataclasses.asdict`` would copy them into plain dicts)."""
    return {f.name: getattr(view, f.name) for f in fields(view) if f.name not in leave_out}


# An LAO's pages in its members' menu: (address below /t/<code>, label).
LAO_MENU = (
    ("/", "หน้าหลัก"),
    ("/plan", "แผนปฏิบัติการ"),
    ("/declaration", "ประกาศเจตจำนง"),
    ("/complaints/", "ทะเบียนเรื่องร้องเรียน"),
    ("/history", "ประวัติ"),
    ("/reviews", "ความเห็นจังหวัด"),
    ("/reports", "รายงาน"),
    ("/rounds/", "รายงานผลรายรอบ"),
    ("/organisation/", "ข้อมูลองค์กร"),
    ("/ita/", "ITA"),
)
# What a provincial reviewer reads of an LAO (read-only): the reviews are its own comments.
REVIEWER_READS = ("/", "/plan", "/declaration", "/complaints/", "/history", "/reviews")
REVIEWER_LABELS = dict(LAO_MENU) | {"/reviews": "ความเห็นและคำขอแก้ไข"}


def nav_for(session: Session, _: Any) -> list[tuple[str, str]]:
    """The menu of a signed-in member: what their role can reach."""
    base = f"/t/{session.org_code}"
    if session.viewing:  # a reviewer inside an LAO: its pages, read-only
        lao = f"/t/{session.viewing}"
        reads = [(f"{lao}{path}", _(REVIEWER_LABELS[path])) for path in REVIEWER_READS]
        return [(f"{base}/", _("อปท. ในจังหวัด")), *reads]
    if session.scope == "lao":
        items = [(f"{base}{path}", _(label)) for path, label in LAO_MENU]
        if session.role in ("plan_officer", "executive"):
            items.append((f"{base}/imports", _("นำเข้าเอกสารแผน")))
        if session.role == "plan_officer":
            items.append((f"{base}/members", _("สมาชิก")))
        items.append((f"{base}/reminders", _("การแจ้งเตือน")))
        items.append((f"{base}/tokens", _("API token")))
        return items
    if session.scope == "office":
        return [(f"{base}/province", _("อปท. ในจังหวัด"))]
    return [
        (f"{base}/", _("หน้าหลัก")),
        (f"{base}/national", _("ภาพรวมทั้งประเทศ")),
        (f"{base}/reminders", _("อีเมลที่ส่งไม่สำเร็จ")),
    ]


def not_found(title: str = "ไม่พบหน้านี้") -> Template:
    return page(
        "message.html",
        404,
        title=title,
        message="ที่อยู่นี้ไม่มีอยู่ หรือคุณไม่มีสิทธิ์เข้าถึง กรุณาตรวจสอบที่อยู่อีกครั้ง",
        link="/",
        link_text="กลับหน้าแรก",
    )


def refused(
    org: Org, viewer: Session, message: str, link: str = "", link_text: str = "กลับหน้าหลัก"
) -> Template:
    """The 403 page of a role that may not do what it asked: what it tried and who can."""
    return page(
        "message.html",
        403,
        session=viewer,
        org=org,
        title="ทำรายการนี้ไม่ได้",
        message=message,
        link=link or f"/t/{org.code}/",
        link_text=link_text,
    )


async def org_of(services: Services, code: str) -> Org | None:
    if len(code) > 40:
        return None
    async with services.db.acquire() as conn:
        return await find_org(conn, code)


async def lao_of(services: Services, code: str) -> Org | None:
    """The LAO (a tenant) of this code; None for an unknown code, an office or the operator."""
    org = await org_of(services, code)
    return org if org is not None and org.tenant_id is not None else None


def form_token(request: AnyRequest, secure: bool) -> tuple[str, list[Cookie]]:
    """The CSRF token of a form shown to someone not signed in (double-submit cookie)."""
    token = request.cookies.get(FORM_CSRF) or secrets.token_urlsafe(24)
    cookie = Cookie(
        key=FORM_CSRF, value=token, httponly=True, secure=secure, samesite="strict", path="/t/"
    )
    return token, [cookie]


def form_token_ok(request: AnyRequest, sent: str) -> bool:
    kept = request.cookies.get(FORM_CSRF, "")
    if not kept or not sent or not hmac.compare_digest(kept, sent):
        return False
    origin = request.headers.get("origin")
    if origin and origin != "null":
        host = request.headers.get("host", "")
        return origin.split("://", 1)[-1] == host
    return True


def text(form: Any, name: str, limit: int = 500) -> str:
    value = form.get(name, "")
    return value.strip()[:limit] if isinstance(value, str) else ""


def number_of(raw: str) -> Decimal | None:
    """A number as typed (Thai digits, thousands separators); None: not a finite number."""
    try:
        value = Decimal(arabic_digits(raw).replace(",", "").strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


class SignInRequired(Exception):
    """A page needs a signed-in member of the org in its address."""

    def __init__(self, org_code: str) -> None:
        super().__init__(org_code)
        self.org_code = org_code


def to_sign_in(request: AnyRequest, exc: SignInRequired) -> Response[Any]:
    return Redirect(f"/t/{exc.org_code}/signin", status_code=303)


class PageNotFound(Exception):
    """Not there, or not yours: the same Thai 'not found' page either way (``title``: what
    was not found, when the page says so)."""

    def __init__(self, title: str = "ไม่พบหน้านี้") -> None:
        super().__init__(title)
        self.title = title


def page_not_found(request: AnyRequest, exc: PageNotFound) -> Response[Any]:
    return not_found(exc.title)


async def provide_viewer(request: AnyRequest, services: Dep[Services]) -> Session:
    """The guard of every signed-in page: the session of a member of the org in the path, or
    a provincial reviewer reading an LAO of its province (read-only: the session comes back
    with ``viewing`` and the LAO as its tenant; the database checks the province too)."""
    code = str(request.path_params.get("org_code", ""))
    session = await services.sessions.get(request.cookies.get(COOKIE))
    if session is None:
        raise SignInRequired(code)
    if session.org_code == code:
        return session
    if session.scope == "office":
        lao = await org_of(services, code)
        if lao is None or lao.tenant_id is None or lao.province != session.province:
            raise PageNotFound
        return replace(session, tenant_id=str(lao.tenant_id), viewing=lao.code)
    if session.scope == "lao":
        raise PageNotFound  # another LAO's address: it does not exist for this member
    raise SignInRequired(code)


async def provide_page_org(org_code: str, services: Dep[Services], viewer: Dep[Session]) -> Org:
    """The organisation in a signed-in page's address (after the viewer's guard): a
    controller's ``org`` dependency; an unknown code is the 'not found' page."""
    org = await org_of(services, org_code)
    if org is None:
        raise PageNotFound
    return org


async def provide_page_lao(org_code: str, services: Dep[Services], viewer: Dep[Session]) -> Org:
    """As ``provide_page_org``, for pages that only an LAO has."""
    org = await provide_page_org(org_code, services, viewer)
    if org.tenant_id is None:
        raise PageNotFound
    return org


class FormRefused(Exception):
    """A signed-in page's form came without the session's CSRF token."""


def form_refused(request: AnyRequest, exc: FormRefused) -> Response[Any]:
    return page(
        "message.html",
        403,
        title="ส่งแบบฟอร์มไม่สำเร็จ",
        message="แบบฟอร์มนี้หมดอายุหรือไม่ได้มาจากหน้าของระบบ กรุณากลับไปโหลดหน้าใหม่แล้วลองอีกครั้ง",
        link=request.headers.get("referer") or "/",
        link_text="กลับไปหน้าเดิม",
    )


async def posted(request: AnyRequest, session: Session) -> Any:
    """The form of a signed-in page, after checking its CSRF token (field ``csrf_token`` or
    header ``X-CSRF-Token``, which HTMX sends from the page's body)."""
    form = await request.form()
    sent = request.headers.get("x-csrf-token") or text(form, "csrf_token", 200)
    if not sent or not hmac.compare_digest(sent, session.csrf):
        raise FormRefused
    return form


async def cached_fragment(
    request: AnyRequest,
    services: Services,
    key: str,
    template: str,
    make: Any,
    ttl: int = 300,
) -> Markup:
    """A page's heavy part rendered once per ``key`` (which must name everything the part
    shows: its data's version, the day, the query, the language) and kept in Redis; ``make``
    is an async function giving the template's context on a miss. Nothing of a session may
    be in it."""
    full = f"frag:{key}:{lang_var.get()}"
    hit = await services.redis.get(full)
    if hit is not None:
        text_ = hit.decode() if isinstance(hit, bytes) else str(hit)
        return Markup(text_)  # noqa: S704 - our own rendered template, escaped by Jinja
    context = await make()
    lang = lang_var.get()
    engine = request.app.template_engine
    assert engine is not None
    html = engine.engine.get_template(template).render(
        **context, _=translator(lang), lang=lang, here=path_var.get()
    )
    await services.redis.set(full, html.encode(), ex=ttl)
    return Markup(html)  # noqa: S704 - rendered by Jinja with autoescape
