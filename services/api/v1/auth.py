"""Who is asking, resolved once at the edge: an API token, or a signed-in session.

A session (cookie) request that changes anything must carry the session's CSRF token (header
``X-CSRF-Token`` or form field ``csrf_token``). A provincial reviewer names the LAO it reads
with the header ``Sujarit-Tenant: <code>`` (or ``?tenant=<code>``); it must be of the
reviewer's province, and the database checks that too.
"""

from __future__ import annotations

import hmac
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import asyncpg
from litestar import Request
from litestar.di import NamedDependency as Dep
from litestar.exceptions import (
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
    ValidationException,
)

from domain.shared.ids import new_id
from domain.shared.ports import Context
from infra.auth.orgs import reviewer_transaction
from infra.auth.sessions import COOKIE, Session
from infra.db.pool import tenant_transaction
from infra.logs import request_id_var, tenant_var
from services.api.state import Services

WRITE_ROLES = frozenset({"executive", "plan_officer"})
PROGRESS_ROLES = frozenset({"executive", "plan_officer", "staff"})
EXECUTIVE = frozenset({"executive"})
MEMBER_ADMIN = frozenset({"plan_officer"})
READ_ROLES = frozenset({"executive", "plan_officer", "staff", "viewer", "reviewer"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
AnyRequest = Request[Any, Any, Any]
_ID_NAMESPACE = uuid.UUID("9d4b7c36-0a61-4f0e-b2a8-5c3e1f7d9a20")
_NIL = uuid.UUID(int=0)


@dataclass(frozen=True)
class Principal:
    tenant_id: uuid.UUID  # the LAO read or written (nil for an operator, or a reviewer's
    tenant_code: str  # request that names no LAO)
    role: str
    actor: str
    account_id: uuid.UUID | None = None
    scope: str = "lao"  # lao | office | operator
    province: str = ""  # a reviewer's province
    session: Session | None = None
    org_code: str = ""

    def require(self, roles: frozenset[str]) -> None:
        if self.role not in roles:
            raise PermissionDeniedException("บทบาทของคุณทำรายการนี้ไม่ได้")
        if self.scope == "lao" or self.role in ("reviewer", "operator"):
            return
        raise PermissionDeniedException("บทบาทของคุณทำรายการนี้ไม่ได้")

    @property
    def has_tenant(self) -> bool:
        return self.tenant_id != _NIL

    def need_tenant(self) -> None:
        if not self.has_tenant:
            raise ValidationException(
                "ระบุ อปท. ที่ต้องการดูด้วย header Sujarit-Tenant: <รหัส อปท.> (หรือ ?tenant=)"
            )

    async def context(self, request: AnyRequest) -> Context:
        key = request.headers.get("idempotency-key")
        if key is not None and not (1 <= len(key) <= 200):
            raise ValidationException("Idempotency-Key ต้องยาว 1 ถึง 200 ตัวอักษร")
        from services.api.edge import request_fingerprint  # (edge imports this module)

        fingerprint = await request_fingerprint(request) if key is not None else None
        return Context(self.tenant_id, self.actor, key, request_id_var.get(), fingerprint)

    def new_id(self, request: AnyRequest) -> uuid.UUID:
        """A new aggregate's id; a retry with the same Idempotency-Key gets the same one."""
        key = request.headers.get("idempotency-key")
        if key:
            return uuid.uuid5(_ID_NAMESPACE, f"{self.tenant_id}:{key}")
        return new_id()

    @asynccontextmanager
    async def reading(self, services: Services) -> AsyncIterator[asyncpg.Connection]:
        self.need_tenant()
        if self.scope == "office":
            async with reviewer_transaction(services.db, self.province, self.tenant_id) as conn:
                yield conn
            return
        async with tenant_transaction(services.db, self.tenant_id, readonly=True) as conn:
            yield conn


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


async def _reviewed_tenant(
    request: AnyRequest, services: Services, province: str
) -> tuple[uuid.UUID, str]:
    code = request.headers.get("sujarit-tenant") or request.query_params.get("tenant") or ""
    if not code:
        return _NIL, ""
    async with services.db.acquire() as conn:
        row = await conn.fetchrow(
            "SELECT id, code FROM organisations WHERE code = $1 AND province_code = $2",
            code,
            province,
        )
    if row is None:  # another province's LAO does not exist for this reviewer
        raise NotFoundException("ไม่พบ อปท. นี้ในจังหวัดของคุณ")
    return row["id"], row["code"]


def principal_of(session: Session) -> Principal:
    """A session as the principal the commands and reads take (pages): an LAO member in
    their LAO, or a provincial reviewer reading an LAO of its province (read-only)."""
    if session.scope == "office":
        return Principal(
            uuid.UUID(session.tenant_id) if session.tenant_id else _NIL,
            session.viewing,
            session.role,
            session.email,
            uuid.UUID(session.account_id),
            "office",
            session.province,
            session,
            session.org_code,
        )
    return Principal(
        uuid.UUID(session.tenant_id),
        session.org_code,
        session.role,
        session.email,
        uuid.UUID(session.account_id),
        "lao",
        "",
        session,
        session.org_code,
    )


async def credentials_present(request: AnyRequest) -> None:
    """Run before every API handler: refuse at once (before reading a body) a request with
    neither a token nor a session cookie; the ``principal`` dependency then checks what was
    sent. (A ``before_request`` hook, not a guard: Litestar copies the handler per guard call.)"""
    if not request.headers.get("authorization") and not request.cookies.get(COOKIE):
        raise NotAuthorizedException("ต้องเข้าสู่ระบบหรือส่ง API token (Authorization: Bearer ...)")


async def provide_principal(request: AnyRequest, services: Dep[Services]) -> Principal:
    header = request.headers.get("authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise NotAuthorizedException("ส่ง API token แบบ Authorization: Bearer <token>")
        found = await services.tokens.resolve(services.db, token.strip())
        if found is None:
            raise NotAuthorizedException("API token ไม่ถูกต้องหรือถูกยกเลิกแล้ว")
        tenant_var.set(found.tenant_code)
        return Principal(found.tenant_id, found.tenant_code, found.role, found.actor)
    session = await session_of(request, services)
    if session is None:
        raise NotAuthorizedException("ต้องเข้าสู่ระบบหรือส่ง API token (Authorization: Bearer ...)")
    await check_csrf(request, session)
    if session.scope == "lao":
        tenant_var.set(session.org_code)
        return principal_of(session)
    account = uuid.UUID(session.account_id)
    tenant, code = _NIL, ""
    if session.scope == "office":
        tenant, code = await _reviewed_tenant(request, services, session.province)
        tenant_var.set(code or session.org_code)
    return Principal(
        tenant,
        code,
        session.role,
        session.email,
        account,
        session.scope,
        session.province,
        session,
        session.org_code,
    )
