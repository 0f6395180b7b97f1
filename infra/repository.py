"""Aggregates loaded from and saved to the event store."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import TypeVar

from domain.registry import event_data, event_from
from domain.shared.aggregate import Aggregate
from domain.shared.errors import IdempotencyKeyReused
from domain.shared.ports import Context, Saved
from infra.eventstore.ports import EventStore
from infra.eventstore.records import NewEvent, StoredEvent
from infra.tlog.records import RECORDED_TYPES

A = TypeVar("A", bound=Aggregate)


class EventSourcedRepository:
    def __init__(self, store: EventStore) -> None:
        self.store = store
        self._read_ahead: dict[tuple[uuid.UUID, uuid.UUID], list[StoredEvent]] = {}

    async def read_ahead(self, tenant_id: uuid.UUID, ids: Sequence[uuid.UUID]) -> None:
        """Read these streams now, together (one read instead of one per stream): the next
        ``load`` of each (today's) replays what was read here, once."""
        for stream_id, stored in (await self.store.read_streams(tenant_id, ids)).items():
            self._read_ahead[(tenant_id, stream_id)] = stored

    async def load(
        self, cls: type[A], tenant_id: uuid.UUID, id: uuid.UUID, *, as_of: datetime | None = None
    ) -> A:
        stored = self._read_ahead.pop((tenant_id, id), None) if as_of is None else None
        if stored is None:
            stored = await self.store.read_stream(tenant_id, id, as_of=as_of)
        return cls.replay(id, (event_from(e.event_type, e.data) for e in stored))

    async def prior(self, ctx: Context) -> Saved | None:
        if not ctx.idempotency_key:
            return None
        found = await self.store.find_command(ctx.tenant_id, ctx.idempotency_key)
        if found is None:
            return None
        fingerprint, version = found
        if ctx.fingerprint is not None and fingerprint != ctx.fingerprint:
            raise IdempotencyKeyReused("รหัสป้องกันการส่งซ้ำนี้ถูกใช้กับคำขออื่นแล้ว", key=ctx.idempotency_key)
        return Saved(version, duplicate=True)

    async def save(self, ctx: Context, agg: Aggregate, *, expected: int | None = None) -> Saved:
        pending = agg.pending()
        if not pending:
            return Saved(agg.version)
        # A publication's event is published whole (/p/<code>/log/record): it names the
        # actor's role and office; the person stays in the tenant's event_actors.
        published = any(e.event_type() in RECORDED_TYPES for e in pending)
        metadata: dict[str, object] = {"actor": ctx.public_actor if published else ctx.actor}
        if ctx.request_id:
            metadata["request_id"] = ctx.request_id
        result = await self.store.append(
            ctx.tenant_id,
            agg.id,
            agg.stream_type,
            agg.loaded_version if expected is None else expected,
            [
                NewEvent(e.event_type(), event_data(e), schema_version=e.schema_version)
                for e in pending
            ],
            idempotency_key=ctx.idempotency_key,
            metadata=metadata,
            fingerprint=ctx.fingerprint,
            private_actor=ctx.actor if published else None,
        )
        return Saved(result.stream_version, result.duplicate)
