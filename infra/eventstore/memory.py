"""The in-memory fake of the event store, for domain and service tests without I/O.

It keeps the same contract as the PostgreSQL store (tests/contract runs both).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from domain.shared.clock import Clock, SystemClock
from domain.shared.errors import ConcurrencyConflict, IdempotencyKeyReused
from domain.shared.ids import new_id
from infra.eventstore.canonical import GENESIS, chain_hash, normalise
from infra.eventstore.postgres import events_fingerprint
from infra.eventstore.records import AppendResult, NewEvent, StoredEvent
from infra.eventstore.upcasting import Upcasters, domain_upcasters


class InMemoryEventStore:
    def __init__(self, *, clock: Clock | None = None, upcasters: Upcasters | None = None) -> None:
        self.clock = clock or SystemClock()
        self.upcasters = upcasters or domain_upcasters()
        self._log: dict[uuid.UUID, list[StoredEvent]] = defaultdict(list)
        self._commands: dict[tuple[uuid.UUID, str], tuple[bytes, int, int]] = {}

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
        if not events:
            raise ValueError("nothing to append")
        log = self._log[tenant_id]
        fp = (
            fingerprint or events_fingerprint(stream_id, expected_version, events)
            if idempotency_key
            else b""
        )
        if idempotency_key and (tenant_id, idempotency_key) in self._commands:
            first_fp, first, last = self._commands[(tenant_id, idempotency_key)]
            if first_fp != fp:
                raise IdempotencyKeyReused("รหัสป้องกันการส่งซ้ำนี้ถูกใช้กับคำขออื่นแล้ว", key=idempotency_key)
            stored = tuple(self.upcasters.upcast(e) for e in log[first - 1 : last])
            return AppendResult(stored[-1].version, first, last, stored, True)
        current = max((e.version for e in log if e.stream_id == stream_id), default=0)
        if expected_version is not None and current != expected_version:
            raise ConcurrencyConflict(expected_version, current)
        prev = log[-1].hash if log else GENESIS
        now = self.clock.now()
        out: list[StoredEvent] = []
        for i, new in enumerate(events, start=1):
            ev = StoredEvent(
                tenant_id=tenant_id,
                sequence=len(log) + i,
                stream_type=stream_type,
                stream_id=stream_id,
                version=current + i,
                event_id=new.event_id or new_id(),
                event_type=new.event_type,
                schema_version=new.schema_version,
                data=normalise(new.data),
                metadata=normalise({**(metadata or {}), **new.metadata}),
                recorded_at=now,
                prev_hash=prev,
                hash=b"",
            )
            prev = chain_hash(prev, ev.hash_body())
            out.append(replace(ev, hash=prev))
        log.extend(out)
        if idempotency_key:
            self._commands[(tenant_id, idempotency_key)] = (fp, out[0].sequence, out[-1].sequence)
        return AppendResult(out[-1].version, out[0].sequence, out[-1].sequence, tuple(out))

    async def find_command(
        self, tenant_id: uuid.UUID, idempotency_key: str
    ) -> tuple[bytes, int] | None:
        found = self._commands.get((tenant_id, idempotency_key))
        if found is None:
            return None
        fp, _, last = found
        return fp, self._log[tenant_id][last - 1].version

    async def read_stream(
        self,
        tenant_id: uuid.UUID,
        stream_id: uuid.UUID,
        *,
        as_of: datetime | None = None,
        to_version: int | None = None,
    ) -> list[StoredEvent]:
        return [
            self.upcasters.upcast(e)
            for e in self._log[tenant_id]
            if e.stream_id == stream_id
            and (as_of is None or e.recorded_at <= as_of)
            and (to_version is None or e.version <= to_version)
        ]

    async def read_streams(
        self, tenant_id: uuid.UUID, stream_ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, list[StoredEvent]]:
        return {s: await self.read_stream(tenant_id, s) for s in stream_ids}

    async def read_tenant(
        self, tenant_id: uuid.UUID, *, after: int = 0, limit: int = 1000
    ) -> list[StoredEvent]:
        return [self.upcasters.upcast(e) for e in self._log[tenant_id][after : after + limit]]
