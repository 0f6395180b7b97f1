"""The transaction every use case runs in, chosen from the actor alone.

- An LAO member reads and writes in its own tenant's transaction.
- A provincial reviewer is always in the province's read-only scope: the database checks the
  LAO is of the reviewer's province and refuses every write (infra.auth.orgs), whatever the
  code above asks for.
- Before any transaction, ``authorize`` asks the access rules (domain.shared.access).
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import asyncpg

from domain.shared.access import Action, Actor, Forbidden, Target, require
from domain.shared.clock import BANGKOK, Clock, bangkok_date
from domain.shared.errors import DomainError
from domain.shared.ids import new_id
from domain.shared.ports import Context
from infra.auth.orgs import reviewer_transaction
from infra.db.pool import tenant_transaction
from services.usecases.bootstrap import Services


class NoTenant(DomainError):
    """A reviewer's request that names no LAO where one is needed."""

    code = "tenant-required"
    status = 400

    def __init__(self) -> None:
        super().__init__("ระบุ อปท. ที่ต้องการดูด้วย header Sujarit-Tenant: <รหัส อปท.> (หรือ ?tenant=)")


@dataclass(frozen=True)
class Call:
    """What the edge read from the request besides the command: its idempotency key and the
    fingerprint of what was sent under it, the version it expects (If-Match), its id."""

    idempotency_key: str | None = None
    fingerprint: bytes | None = None
    if_match: int | None = None
    request_id: str = ""


def context(actor: Actor, call: Call) -> Context:
    return Context(
        actor.tenant_id,
        actor.email,
        call.idempotency_key,
        call.request_id,
        call.fingerprint,
        role=actor.role,
        office=actor.org_code or actor.tenant_code,
    )


_ID_NAMESPACE = uuid.UUID("9d4b7c36-0a61-4f0e-b2a8-5c3e1f7d9a20")


def new_id_for(actor: Actor, call: Call) -> uuid.UUID:
    """A new aggregate's (or job's) id; a retry with the same idempotency key gets the same."""
    if call.idempotency_key:
        return uuid.uuid5(_ID_NAMESPACE, f"{actor.tenant_id}:{call.idempotency_key}")
    return new_id()


def authorize(actor: Actor, action: Action, target: Target | None = None) -> None:
    """Refuse (Forbidden) what the actor's role may not do; a reviewer's target LAO is of its
    province by construction (the edge resolves only those), so it is checked here as such."""
    if actor.reviewing and target is None and actor.has_tenant:
        target = Target(actor.tenant_id, actor.province)
    require(actor, action, target)


def need_tenant(actor: Actor) -> None:
    if not actor.has_tenant:
        raise NoTenant


@asynccontextmanager
async def reading(services: Services, actor: Actor) -> AsyncIterator[asyncpg.Connection]:
    """A read-only transaction over the actor's LAO (a reviewer's: the province scope)."""
    need_tenant(actor)
    if actor.reviewing:
        async with reviewer_transaction(services.db, actor.province, actor.tenant_id) as conn:
            yield conn
        return
    async with tenant_transaction(services.db, actor.tenant_id, readonly=True) as conn:
        yield conn


@asynccontextmanager
async def writing(
    services: Services, actor: Actor, action: Action
) -> AsyncIterator[asyncpg.Connection]:
    """A transaction that may write the actor's LAO's rows, after the access rules said yes.
    A reviewer never gets one: even past the rules, its scope stays read-only."""
    authorize(actor, action)
    need_tenant(actor)
    if actor.reviewing:  # unreachable past the rules: the database refuses all the same
        async with reviewer_transaction(services.db, actor.province, actor.tenant_id) as conn:
            yield conn
        return
    async with tenant_transaction(services.db, actor.tenant_id) as conn:
        yield conn


def today(clock: Clock) -> date:
    """Today in Asia/Bangkok, by the injected clock."""
    return bangkok_date(clock.now())


class InvalidAsOf(DomainError):
    """An "as of" day before any record could exist."""

    code = "invalid-as-of"
    status = 400


def as_of_end(on: date, clock: Clock) -> datetime:
    """The last instant of an "as of" day; a day after today reads as today (nothing is
    recorded there yet: 9999-12-31 overflowed into a 500)."""
    on = min(on, today(clock))
    if on.year < 1900:
        raise InvalidAsOf("วันที่นี้เก่าเกินกว่าที่ระบบมีบันทึก", as_of=on.isoformat())
    return end_of_day(on)


def end_of_day(on: date) -> datetime:
    """The last instant of ``on`` in Asia/Bangkok, in UTC."""
    return datetime.combine(on + timedelta(days=1), time(), BANGKOK).astimezone(UTC) - (
        timedelta(microseconds=1)
    )


__all__ = [
    "Call",
    "Forbidden",
    "InvalidAsOf",
    "NoTenant",
    "as_of_end",
    "authorize",
    "context",
    "end_of_day",
    "need_tenant",
    "new_id_for",
    "reading",
    "today",
    "writing",
]
