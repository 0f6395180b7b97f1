"""Compatibility: the API's ``Principal`` and the role sets, for the controllers and pages not
yet moved to the use cases. Who asks is resolved in services/api/edge.py (an ``Actor``); this
module goes when nothing imports it any more."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from litestar.di import NamedDependency as Dep

from domain.shared.access import NIL
from infra.auth.sessions import Session
from services.api.edge import (
    AnyRequest,
    check_csrf,
    credentials_present,
    signed_in,
    token_of,
)
from services.api.state import Services

WRITE_ROLES = frozenset({"executive", "plan_officer"})
PROGRESS_ROLES = frozenset({"executive", "plan_officer", "staff"})
EXECUTIVE = frozenset({"executive"})
MEMBER_ADMIN = frozenset({"plan_officer"})
READ_ROLES = frozenset({"executive", "plan_officer", "staff", "viewer", "reviewer"})

__all__ = [
    "EXECUTIVE",
    "MEMBER_ADMIN",
    "PROGRESS_ROLES",
    "READ_ROLES",
    "WRITE_ROLES",
    "AnyRequest",
    "Principal",
    "check_csrf",
    "credentials_present",
    "principal_of",
    "provide_principal",
]


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


def principal_of(session: Session) -> Principal:
    """A session as the principal the commands and reads take (pages): an LAO member in
    their LAO, or a provincial reviewer reading an LAO of its province (read-only)."""
    if session.scope == "office":
        return Principal(
            uuid.UUID(session.tenant_id) if session.tenant_id else NIL,
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


async def provide_principal(request: AnyRequest, services: Dep[Services]) -> Principal:
    by_token = await token_of(request, services)
    if by_token is not None:
        return Principal(by_token.tenant_id, by_token.tenant_code, by_token.role, by_token.email)
    session, tenant, code = await signed_in(request, services)
    if session.scope == "lao":
        return principal_of(session)
    return Principal(
        tenant,
        code,
        session.role,
        session.email,
        uuid.UUID(session.account_id),
        session.scope,
        session.province,
        session,
        session.org_code,
    )
