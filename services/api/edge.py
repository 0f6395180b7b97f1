"""The edge: who asks (an ``Actor``) and what the request says besides its command (a ``Call``),
read once from the session, the API token or the form. Pages and API routes hand both to the
same use case; they differ only in parsing and rendering.

A session (cookie) request that changes anything must carry the session's CSRF token (header
``X-CSRF-Token`` or form field ``csrf_token``). A provincial reviewer names the LAO it reads
with the header ``Sujarit-Tenant: <code>`` (or ``?tenant=<code>``); it must be of the
reviewer's province, and the database checks that too.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

from litestar import Request, Router
from litestar.di import NamedDependency as Dep
from litestar.di import Provide
from litestar.exceptions import (
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
    ValidationException,
)

from domain.shared.access import NIL, Actor
from infra.auth.sessions import COOKIE, Session
from infra.logs import request_id_var, tenant_var
from services.api.state import Services
from services.usecases.scope import Call, new_id_for

if TYPE_CHECKING:
    from services.api.v1.auth import Principal

AnyRequest = Request[Any, Any, Any]
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SIGN_IN_OR_TOKEN = "ต้องเข้าสู่ระบบหรือส่ง API token (Authorization: Bearer ...)"  # noqa: S105 - a message
P = ParamSpec("P")
R = TypeVar("R")
_IF_MATCH = re.compile(r'^\s*(?:W/)?"?(\d{1,9})"?\s*$')


def actor_of_session(session: Session) -> Actor:
    """A signed-in person: an LAO member in its LAO, a provincial reviewer reading an LAO of
    its province (``viewing``; read-only), an office or the operator in their own pages."""
    tenant = uuid.UUID(session.tenant_id) if session.tenant_id else NIL
    return Actor(
        role=session.role,
        scope=session.scope,
        tenant_id=tenant,
        tenant_code=session.viewing if session.scope == "office" else session.org_code,
        email=session.email,
        account_id=uuid.UUID(session.account_id),
        name=session.name,
        province=session.province,
        org_code=session.org_code,
    )


def actor_of(principal: Principal) -> Actor:
    """The API's principal (token or session; services.api.v1.auth) as the use cases' actor."""
    if principal.session is not None:
        return replace(
            actor_of_session(principal.session),
            tenant_id=principal.tenant_id,
            tenant_code=principal.tenant_code,
        )
    return Actor(
        role=principal.role,
        scope=principal.scope,
        tenant_id=principal.tenant_id,
        tenant_code=principal.tenant_code,
        email=principal.actor,
        account_id=principal.account_id,
        province=principal.province,
        org_code=principal.org_code or principal.tenant_code,
        via="token",
    )


# -- credentials ---------------------------------------------------------------------------
async def check_csrf(request: AnyRequest, session: Session) -> None:
    """Unsafe requests on a cookie session carry the session's CSRF token."""
    if request.method in SAFE_METHODS:
        return
    sent = request.headers.get("x-csrf-token", "")
    if not sent and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get("csrf_token", "")
        sent = value if isinstance(value, str) else ""
    if not sent or not hmac.compare_digest(sent, session.csrf):
        raise PermissionDeniedException(
            "คำขอนี้ไม่มีรหัสป้องกันการปลอมคำขอ (CSRF) ที่ถูกต้อง กรุณาโหลดหน้าใหม่แล้วลองอีกครั้ง"
        )


async def session_of(request: AnyRequest, services: Services) -> Session | None:
    return await services.sessions.get(request.cookies.get(COOKIE))


async def reviewed_tenant(
    request: AnyRequest, services: Services, province: str
) -> tuple[uuid.UUID, str]:
    """The LAO a reviewer names (``Sujarit-Tenant`` or ``?tenant=``): one of its province."""
    code = request.headers.get("sujarit-tenant") or request.query_params.get("tenant") or ""
    if not code:
        return NIL, ""
    async with services.db.acquire() as conn:
        row = await conn.fetchrow(
            "SELECT id, code FROM organisations WHERE code = $1 AND province_code = $2",
            code,
            province,
        )
    if row is None:  # another province's LAO does not exist for this reviewer
        raise NotFoundException("ไม่พบ อปท. นี้ในจังหวัดของคุณ")
    return row["id"], row["code"]


async def credentials_present(request: AnyRequest) -> None:
    """Run before every API handler: refuse at once (before reading a body) a request with
    neither a token nor a session cookie; the ``actor`` dependency then checks what was sent.
    (A ``before_request`` hook, not a guard: Litestar copies the handler per guard call.)"""
    if not request.headers.get("authorization") and not request.cookies.get(COOKIE):
        raise NotAuthorizedException(SIGN_IN_OR_TOKEN)


async def token_of(request: AnyRequest, services: Services) -> Actor | None:
    """The actor of the request's API token (None: no Authorization header)."""
    header = request.headers.get("authorization", "")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise NotAuthorizedException("ส่ง API token แบบ Authorization: Bearer <token>")
    found = await services.tokens.resolve(services.db, token.strip())
    if found is None:
        raise NotAuthorizedException("API token ไม่ถูกต้องหรือถูกยกเลิกแล้ว")
    tenant_var.set(found.tenant_code)
    return Actor(
        role=found.role,
        scope="lao",
        tenant_id=found.tenant_id,
        tenant_code=found.tenant_code,
        email=found.actor,
        org_code=found.tenant_code,
        via="token",
    )


async def signed_in(request: AnyRequest, services: Services) -> tuple[Session, uuid.UUID, str]:
    """The request's session (its CSRF checked) and the LAO it reads or writes: a member's
    own, the one a reviewer names, none for the operator."""
    session = await session_of(request, services)
    if session is None:
        raise NotAuthorizedException(SIGN_IN_OR_TOKEN)
    await check_csrf(request, session)
    if session.scope == "lao":
        tenant_var.set(session.org_code)
        return session, uuid.UUID(session.tenant_id), session.org_code
    tenant, code = NIL, ""
    if session.scope == "office":
        tenant, code = await reviewed_tenant(request, services, session.province)
        tenant_var.set(code or session.org_code)
    return session, tenant, code


async def provide_actor(request: AnyRequest, services: Dep[Services]) -> Actor:
    """The API's ``actor`` dependency: an API token's, or a signed-in session's."""
    by_token = await token_of(request, services)
    if by_token is not None:
        return by_token
    session, tenant, code = await signed_in(request, services)
    return replace(actor_of_session(session), tenant_id=tenant, tenant_code=code)


# -- the call ------------------------------------------------------------------------------
def if_match(request: AnyRequest) -> int | None:
    value = request.headers.get("if-match")
    if value is None:
        return None
    m = _IF_MATCH.match(value)
    if not m:
        raise ValidationException('If-Match ต้องเป็นเลขรุ่น เช่น "3"')
    return int(m[1])


async def request_fingerprint(request: AnyRequest) -> bytes:
    """What makes a retry "the same request": method, path and body; a multipart body by its
    parts (names, file names, types, contents), since a client's retry of the same upload
    comes with another random boundary."""
    head = f"{request.method} {request.url.path}\n".encode()
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        return hashlib.sha256(head + await request.body()).digest()
    digest = hashlib.sha256(head)
    form = await request.form()
    for name, value in sorted(form.multi_items(), key=lambda kv: kv[0]):
        digest.update(name.encode() + b"\0")
        if isinstance(value, str):
            digest.update(b"s" + value.encode() + b"\0")
        else:
            content = await value.read()
            await value.seek(0)
            meta = f"{value.filename}\0{value.content_type}\0{len(content)}\0"
            digest.update(b"f" + meta.encode() + hashlib.sha256(content).digest())
    return digest.digest()


async def api_call(request: AnyRequest) -> Call:
    """An API request's Idempotency-Key (with the fingerprint of what was sent under it) and
    If-Match."""
    key = request.headers.get("idempotency-key")
    if key is not None and not (1 <= len(key) <= 200):
        raise ValidationException("Idempotency-Key ต้องยาว 1 ถึง 200 ตัวอักษร")
    fingerprint = await request_fingerprint(request) if key is not None else None
    return Call(key, fingerprint, if_match(request), request_id_var.get())


def form_call(form: Any, what: str, version: int | None = None) -> Call:
    """A page form's one-time key (field ``form_key``) makes a double submit harmless; the
    fingerprint covers what was typed (so the same key with other values is refused)."""
    raw = form.get("form_key", "") if form is not None else ""
    key = raw.strip()[:80] if isinstance(raw, str) else ""
    if not key:
        return Call(None, None, version, request_id_var.get())
    typed = "\n".join(f"{k}={form.getall(k)}" for k in sorted(form.keys()) if k != "csrf_token")
    fingerprint = hashlib.sha256(f"{what}\n{typed}".encode()).digest()
    return Call(f"page:{what}:{key}", fingerprint, version, request_id_var.get())


def new_aggregate_id(actor: Actor, call: Call) -> uuid.UUID:
    """A new aggregate's id; a retry with the same idempotency key gets the same one."""
    return new_id_for(actor, call)


@dataclass(frozen=True)
class Asked:
    """An API request as the use cases take it: the services, who asks, what the request says
    besides its body (a read's call is empty: it has no Idempotency-Key or If-Match to keep)
    and the route's status code on success. Every API route's ``asked`` dependency."""

    services: Services
    actor: Actor
    call: Call
    status: int

    def new_id(self) -> uuid.UUID:
        """The id of the aggregate this request creates (the same on a retry)."""
        return new_aggregate_id(self.actor, self.call)

    def write(
        self,
        case: Callable[Concatenate[Services, Actor, Call, P], Awaitable[R]],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> Awaitable[R]:
        """The use case ``case`` (``services, actor, call, ...``) for this request."""
        return case(self.services, self.actor, self.call, *args, **kwargs)

    def read(
        self,
        case: Callable[Concatenate[Services, Actor, P], Awaitable[R]],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> Awaitable[R]:
        """The read ``case`` (``services, actor, ...``) for this request."""
        return case(self.services, self.actor, *args, **kwargs)


async def provide_asked(request: AnyRequest, actor: Dep[Actor], services: Dep[Services]) -> Asked:
    if request.method in SAFE_METHODS:
        call = Call(None, None, None, request_id_var.get())
    else:
        call = await api_call(request)
    return Asked(services, actor, call, request.route_handler.status_code or 200)


def api_routes(*controllers: Any) -> Router:
    """A feature's JSON API controllers, behind the check that credentials were sent at all
    (before any body is read); the ``actor`` (and ``asked``) dependency then resolves them.
    The document says they take a bearer token."""
    return Router(
        "/",
        route_handlers=list(controllers),
        before_request=credentials_present,
        dependencies={"asked": Provide(provide_asked)},
        security=[{"bearer": []}],
    )
