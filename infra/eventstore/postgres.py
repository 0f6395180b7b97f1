"""The PostgreSQL event store."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from typing import Any

import asyncpg

from domain.shared.clock import Clock, SystemClock
from domain.shared.errors import ConcurrencyConflict, IdempotencyKeyReused
from domain.shared.ids import new_id
from infra.db.pool import set_tenant
from infra.eventstore.canonical import chain_hash, dumps, normalise
from infra.eventstore.records import AppendResult, NewEvent, StoredEvent
from infra.eventstore.upcasting import Upcasters
from infra.projections.base import Projection

COLUMNS = (
    "tenant_id, sequence, stream_type, stream_id, version, event_id, event_type, "
    "schema_version, data, metadata, recorded_at, prev_hash, hash, xid::text::bigint AS xid"
)

_INSERT = """
WITH ins AS (
    INSERT INTO events (tenant_id, sequence, stream_type, stream_id, version, event_id,
                        event_type, schema_version, data, metadata, recorded_at, prev_hash, hash)
    SELECT $1, s, $2, $3, v, i, t, sv, d::jsonb, m::jsonb, $4, p, h
    FROM unnest($5::bigint[], $6::int[], $7::uuid[], $8::text[], $9::smallint[],
                $10::text[], $11::text[], $12::bytea[], $13::bytea[])
         AS x(s, v, i, t, sv, d, m, p, h)
    RETURNING 1
), logged AS (
    -- the command, for idempotent retries (only when it has a key)
    INSERT INTO command_log (tenant_id, idempotency_key, stream_id, first_sequence,
                             last_sequence, fingerprint, recorded_at)
    SELECT $1, $16, $3, $17, $14, $18, $4 WHERE $16::text IS NOT NULL
    RETURNING 1
)
UPDATE tenant_heads SET sequence = $14, last_hash = $15 WHERE tenant_id = $1
"""


_DECODER = json.JSONDecoder(parse_float=Decimal)


def decode_json(value: Any) -> Any:
    # Connections made by infra.db.pool decode JSONB already; a bare one gives text.
    return _DECODER.decode(value) if isinstance(value, str) else value


def row_to_event(row: asyncpg.Record) -> StoredEvent:
    return StoredEvent(
        tenant_id=row["tenant_id"],
        sequence=row["sequence"],
        stream_type=row["stream_type"],
        stream_id=row["stream_id"],
        version=row["version"],
        event_id=row["event_id"],
        event_type=row["event_type"],
        schema_version=row["schema_version"],
        data=decode_json(row["data"]),
        metadata=decode_json(row["metadata"]),
        recorded_at=row["recorded_at"],
        prev_hash=bytes(row["prev_hash"]),
        hash=bytes(row["hash"]),
        xid=row["xid"],
    )


def events_fingerprint(
    stream_id: uuid.UUID, expected: int | None, events: Sequence[NewEvent]
) -> bytes:
    """What makes a retry 'the same request': the stream and the events' types and data."""
    body = {
        "stream_id": stream_id,
        "expected": expected,
        "events": [{"type": e.event_type, "data": e.data} for e in events],
    }
    return hashlib.sha256(dumps(normalise(body)).encode()).digest()


class PostgresEventStore:
    """Append and read events; inline projections run in the append transaction."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        *,
        clock: Clock | None = None,
        projections: Sequence[Projection] = (),
        upcasters: Upcasters | None = None,
    ) -> None:
        self.pool = pool
        self.clock = clock or SystemClock()
        self.projections = tuple(projections)
        self.upcasters = upcasters or Upcasters()

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
    ) -> AppendResult:
        """Append ``events`` to a stream in one transaction.

        ``expected_version``: the stream's version the caller decided on (0: a new stream;
        None: any). A stale one raises ConcurrencyConflict. With ``idempotency_key``, a retry
        returns the first result and writes nothing.
        """
        if not events:
            raise ValueError("nothing to append")
        fp = (
            fingerprint or events_fingerprint(stream_id, expected_version, events)
            if idempotency_key
            else b""
        )
        async with self.pool.acquire() as conn, conn.transaction():
            head = await conn.fetchrow(
                "SELECT * FROM app_begin_append($1, $2, $3)", tenant_id, stream_id, idempotency_key
            )
            assert head is not None
            if head["dup_first"] is not None:
                if bytes(head["dup_fingerprint"]) != fp:
                    raise IdempotencyKeyReused(
                        "รหัสป้องกันการส่งซ้ำนี้ถูกใช้กับคำขออื่นแล้ว", key=idempotency_key
                    )
                rows = await conn.fetch(
                    f"SELECT {COLUMNS} FROM events WHERE tenant_id = $1 "
                    "AND sequence BETWEEN $2 AND $3 ORDER BY sequence",
                    tenant_id,
                    head["dup_first"],
                    head["dup_last"],
                )
                stored = tuple(self.upcasters.upcast(row_to_event(r)) for r in rows)
                return AppendResult(
                    stored[-1].version, stored[0].sequence, stored[-1].sequence, stored, True
                )
            current = head["stream_version"]
            if expected_version is not None and current != expected_version:
                raise ConcurrencyConflict(expected_version, current)
            stored = self._chain(
                tenant_id,
                stream_id,
                stream_type,
                current,
                head["head_sequence"],
                bytes(head["head_hash"]),
                events,
                metadata or {},
            )
            await conn.execute(
                _INSERT,
                tenant_id,
                stream_type,
                stream_id,
                stored[0].recorded_at,
                [e.sequence for e in stored],
                [e.version for e in stored],
                [e.event_id for e in stored],
                [e.event_type for e in stored],
                [e.schema_version for e in stored],
                [dumps(e.data) for e in stored],
                [dumps(e.metadata) for e in stored],
                [e.prev_hash for e in stored],
                [e.hash for e in stored],
                stored[-1].sequence,
                stored[-1].hash,
                idempotency_key,
                stored[0].sequence,
                fp,
            )
            for projection in self.projections:
                await projection.apply(conn, stored)
        return AppendResult(stored[-1].version, stored[0].sequence, stored[-1].sequence, stored)

    def _chain(
        self,
        tenant_id: uuid.UUID,
        stream_id: uuid.UUID,
        stream_type: str,
        version: int,
        sequence: int,
        prev_hash: bytes,
        events: Sequence[NewEvent],
        metadata: dict[str, Any],
    ) -> tuple[StoredEvent, ...]:
        now = self.clock.now()
        out = []
        for i, new in enumerate(events, start=1):
            ev = StoredEvent(
                tenant_id=tenant_id,
                sequence=sequence + i,
                stream_type=stream_type,
                stream_id=stream_id,
                version=version + i,
                event_id=new.event_id or new_id(),
                event_type=new.event_type,
                schema_version=new.schema_version,
                data=normalise(new.data),
                metadata=normalise({**metadata, **new.metadata}),
                recorded_at=now,
                prev_hash=prev_hash,
                hash=b"",
            )
            h = chain_hash(prev_hash, ev.hash_body())
            out.append(replace(ev, hash=h))
            prev_hash = h
        return tuple(out)

    async def find_command(
        self, tenant_id: uuid.UUID, idempotency_key: str
    ) -> tuple[bytes, int] | None:
        """An earlier command's fingerprint and the stream version it left."""
        async with self.pool.acquire() as conn, conn.transaction(readonly=True):
            await set_tenant(conn, tenant_id)
            row = await conn.fetchrow(
                "SELECT c.fingerprint, e.version FROM command_log c JOIN events e "
                "ON e.tenant_id = c.tenant_id AND e.sequence = c.last_sequence "
                "WHERE c.tenant_id = $1 AND c.idempotency_key = $2",
                tenant_id,
                idempotency_key,
            )
        return None if row is None else (bytes(row["fingerprint"]), row["version"])

    async def read_stream(
        self,
        tenant_id: uuid.UUID,
        stream_id: uuid.UUID,
        *,
        as_of: datetime | None = None,
        to_version: int | None = None,
    ) -> list[StoredEvent]:
        """The stream's events, oldest first; ``as_of``: only those recorded at or before it."""
        async with self.pool.acquire() as conn, conn.transaction(readonly=True):
            await set_tenant(conn, tenant_id)
            rows = await conn.fetch(
                f"SELECT {COLUMNS} FROM events WHERE tenant_id = $1 AND stream_id = $2 "
                "AND ($3::timestamptz IS NULL OR recorded_at <= $3) "
                "AND ($4::int IS NULL OR version <= $4) ORDER BY version",
                tenant_id,
                stream_id,
                as_of,
                to_version,
            )
        return [self.upcasters.upcast(row_to_event(r)) for r in rows]

    async def read_tenant(
        self, tenant_id: uuid.UUID, *, after: int = 0, limit: int = 1000
    ) -> list[StoredEvent]:
        """The tenant's log in sequence order."""
        async with self.pool.acquire() as conn, conn.transaction(readonly=True):
            await set_tenant(conn, tenant_id)
            rows = await conn.fetch(
                f"SELECT {COLUMNS} FROM events WHERE tenant_id = $1 AND sequence > $2 "
                "ORDER BY sequence LIMIT $3",
                tenant_id,
                after,
                limit,
            )
        return [self.upcasters.upcast(row_to_event(r)) for r in rows]
