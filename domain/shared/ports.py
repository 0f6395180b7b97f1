"""Ports the domain's handlers use; infra implements them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypeVar

from domain.shared.aggregate import Aggregate
from domain.shared.errors import ConcurrencyConflict, PreconditionFailed

A = TypeVar("A", bound=Aggregate)


@dataclass(frozen=True)
class Saved:
    version: int  # the stream's version after the save
    duplicate: bool = False  # an idempotent retry: nothing new was written


@dataclass(frozen=True)
class Context:
    """Who asks, for which tenant, and how a retry is recognised."""

    tenant_id: uuid.UUID
    actor: str
    idempotency_key: str | None = None
    request_id: str = ""
    # What makes a retry "the same request" (e.g. a hash of method, path and body); without
    # it the store compares the events decided.
    fingerprint: bytes | None = None
    # The actor's role and office (an LAO code, po-<province>, operator): what the public
    # record says of who acted, instead of the person (docs/architecture.md, "Who acted").
    role: str = ""
    office: str = ""

    @property
    def public_actor(self) -> str:
        """Who acted, as a published record names them: a role at an office, never a person
        (an e-mail address); a system actor (the scheduler, the demo) as it is."""
        if self.role:
            return f"{self.role}/{self.office}" if self.office else self.role
        return "member" if "@" in self.actor else self.actor


class Repository(Protocol):
    async def load(
        self, cls: type[A], tenant_id: uuid.UUID, id: uuid.UUID, *, as_of: datetime | None = None
    ) -> A: ...

    async def prior(self, ctx: Context) -> Saved | None:
        """The result of an earlier command with ``ctx``'s idempotency key, if any (a key used
        for another request raises IdempotencyKeyReused)."""
        ...

    async def save(self, ctx: Context, agg: Aggregate, *, expected: int | None = None) -> Saved:
        """Append ``agg``'s pending events; ``expected`` defaults to the version it was
        loaded at. A stale version raises ConcurrencyConflict."""
        ...


async def save_as_expected(
    repo: Repository, ctx: Context, agg: Aggregate, if_match: int | None
) -> Saved:
    """Save ``agg``; when the caller named the version it expected (If-Match) and another
    change landed between the load and this save, that is a stale precondition (412), as it
    would have been had the other change landed before the load."""
    try:
        return await repo.save(ctx, agg)
    except ConcurrencyConflict as conflict:
        if if_match is None or isinstance(conflict, PreconditionFailed):
            raise
        raise PreconditionFailed(if_match, conflict.actual) from conflict
