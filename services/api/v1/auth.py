"""Who is asking: the tenant, role and actor of an API token, resolved once at the edge."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import asyncpg
from litestar import Request
from litestar.di import NamedDependency as Dep
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException

from domain.shared.ids import new_id
from domain.shared.ports import Context
from infra.db.pool import tenant_transaction
from infra.logs import request_id_var, tenant_var
from infra.tokens import resolve_token
from services.api.state import Services

WRITE_ROLES = frozenset({"executive", "plan_officer"})
PROGRESS_ROLES = frozenset({"executive", "plan_officer", "staff"})
EXECUTIVE = frozenset({"executive"})
AnyRequest = Request[Any, Any, Any]
_ID_NAMESPACE = uuid.UUID("9d4b7c36-0a61-4f0e-b2a8-5c3e1f7d9a20")


@dataclass(frozen=True)
class Principal:
    tenant_id: uuid.UUID
    tenant_code: str
    role: str
    actor: str

    def require(self, roles: frozenset[str]) -> None:
        if self.role not in roles:
            raise PermissionDeniedException("บทบาทของคุณทำรายการนี้ไม่ได้")

    async def context(self, request: AnyRequest) -> Context:
        key = request.headers.get("idempotency-key")
        if key is not None and not (1 <= len(key) <= 200):
            from litestar.exceptions import ValidationException

            raise ValidationException("Idempotency-Key ต้องยาว 1 ถึง 200 ตัวอักษร")
        fingerprint = None
        if key is not None:
            body = await request.body()
            fingerprint = hashlib.sha256(
                f"{request.method} {request.url.path}\n".encode() + body
            ).digest()
        return Context(self.tenant_id, self.actor, key, request_id_var.get(), fingerprint)

    def new_id(self, request: AnyRequest) -> uuid.UUID:
        """A new aggregate's id; a retry with the same Idempotency-Key gets the same one."""
        key = request.headers.get("idempotency-key")
        if key:
            return uuid.uuid5(_ID_NAMESPACE, f"{self.tenant_id}:{key}")
        return new_id()

    @asynccontextmanager
    async def reading(self, services: Services) -> AsyncIterator[asyncpg.Connection]:
        async with tenant_transaction(services.db, self.tenant_id, readonly=True) as conn:
            yield conn


async def provide_principal(request: AnyRequest, services: Dep[Services]) -> Principal:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise NotAuthorizedException("ต้องเข้าสู่ระบบหรือส่ง API token (Authorization: Bearer ...)")
    async with services.db.acquire() as conn:
        found = await resolve_token(conn, token.strip())
    if found is None:
        raise NotAuthorizedException("API token ไม่ถูกต้องหรือถูกยกเลิกแล้ว")
    tenant_var.set(found.tenant_code)
    return Principal(found.tenant_id, found.tenant_code, found.role, found.actor)
