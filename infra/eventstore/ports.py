"""The event store port, implemented by PostgresEventStore and InMemoryEventStore."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from infra.eventstore.records import AppendResult, NewEvent, StoredEvent


class EventStore(Protocol):
    async def append(
        self,
        tenant_id: uuid.UUID,
        stream_id: uuid.UUID,
        stream_type: str,
        expected_version: int | None,
        events: Sequence[NewEvent],
        *,
        idempotency_key: str | None = None,
        metadata: dict[str, Any] | None = None,
        fingerprint: bytes | None = None,
        private_actor: str | None = None,
    ) -> AppendResult:
        """``private_actor``: the person who acted, kept in the tenant's own ``event_actors``
        (never in the event, whose metadata then names a role and office)."""
        ...

    async def find_command(
        self, tenant_id: uuid.UUID, idempotency_key: str
    ) -> tuple[bytes, int] | None: ...

    async def read_stream(
        self,
        tenant_id: uuid.UUID,
        stream_id: uuid.UUID,
        *,
        as_of: datetime | None = None,
        to_version: int | None = None,
    ) -> list[StoredEvent]: ...

    async def read_streams(
        self, tenant_id: uuid.UUID, stream_ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, list[StoredEvent]]:
        """Several streams' events (each oldest first), read together: one read instead of
        one per stream."""
        ...

    async def read_tenant(
        self, tenant_id: uuid.UUID, *, after: int = 0, limit: int = 1000
    ) -> list[StoredEvent]: ...
