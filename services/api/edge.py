"""The edge: who asks (an ``Actor``) and what the request says besides its command (a ``Call``),
read once from the session, the API token or the form. Pages and API routes hand both to the
same use case; they differ only in parsing and rendering."""

from __future__ import annotations

import hashlib
import re
import uuid
from typing import Any

from litestar import Router
from litestar.exceptions import ValidationException

from domain.shared.access import NIL, Actor
from infra.auth.sessions import Session
from infra.logs import request_id_var
from services.api.v1.auth import AnyRequest, Principal, credentials_present
from services.usecases.scope import Call, new_id_for

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
    """The API's principal (token or session) as the use cases' actor."""
    if principal.session is not None:
        base = actor_of_session(principal.session)
        return Actor(
            role=base.role,
            scope=base.scope,
            tenant_id=principal.tenant_id,
            tenant_code=principal.tenant_code,
            email=base.email,
            account_id=base.account_id,
            name=base.name,
            province=base.province,
            org_code=base.org_code,
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


def api_routes(*controllers: Any) -> Router:
    """A feature's JSON API controllers, behind the check that credentials were sent at all
    (before any body is read); the ``principal`` dependency then resolves them."""
    return Router("/", route_handlers=list(controllers), before_request=credentials_present)
