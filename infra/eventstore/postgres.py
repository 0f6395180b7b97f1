"""The PostgreSQL event store."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import asyncpg

from domain.shared.clock import Clock, SystemClock
from domain.shared.errors import ConcurrencyConflict, IdempotencyKeyReused
from domain.shared.ids import new_id
from infra.db.pool import begin_tenant
from infra.eventstore.canonical import chain_parts, dumps, format_time, normalise
from infra.eventstore.records import AppendResult, NewEvent, StoredEvent
from infra.eventstore.upcasting import Upcasters, domain_upcasters
from infra.projections.base import Projection

COLUMNS = (
    "tenant_id, sequence, stream_type, stream_id, version, event_id, event_type, "
    "schema_version, data, metadata, recorded_at, prev_hash, hash, xid::text::bigint AS xid"
)

# One round trip: the function takes the tenant head lock first, then checks the idempotency
# key and the expected version, chains, inserts and moves the head (migration 0008).
_APPEND = (
    "SELECT outcome, stream_version, first_sequence, last_sequence, prev_hash, hashes, "
    "dup_fingerprint FROM app_append($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
)


@dataclass(frozen=True, slots=True)
class _Encoded:
    """An event ready for the store: canonical texts, and the hashed text around the numbers."""

    event_id: uuid.UUID
    event_type: str
    schema_version: int
    data: dict[str, Any]
    metadata: dict[str, Any]
    data_text: str
    metadata_text: str
    prefix: bytes
    middle: bytes


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


async def _read_range(
    conn: asyncpg.Connection, tenant_id: uuid.UUID, first: int, last: int
) -> list[asyncpg.Record]:
    sql = (
        f"SELECT {COLUMNS} FROM events WHERE tenant_id = $1 "
        "AND sequence BETWEEN $2 AND $3 ORDER BY sequence"
    )
    rows: list[asyncpg.Record]
    if conn.is_in_transaction():  # app_append has set the tenant for this transaction
        rows = await conn.fetch(sql, tenant_id, first, last)
        return rows
    async with begin_tenant(conn, tenant_id, readonly=True):
        rows = await conn.fetch(sql, tenant_id, first, last)
    return rows


def _applies(projection: Projection, stream_type: str) -> bool:
    """Whether an inline projection reads streams of this type (no ``stream_types``: all)."""
    types = getattr(projection, "stream_types", None)
    return types is None or stream_type in types


def _encode(
    tenant_id: uuid.UUID,
    stream_id: uuid.UUID,
    stream_type: str,
    now: datetime,
    events: Sequence[NewEvent],
    metadata: Mapping[str, Any],
) -> list[_Encoded]:
    """Normalise and encode each event once: the stored text and the hashed text agree."""
    recorded_at = format_time(now)
    out = []
    for new in events:
        data = normalise(new.data)
        meta = normalise({**metadata, **new.metadata} if new.metadata else metadata)
        data_text, meta_text = dumps(data), dumps(meta)
        event_id = new.event_id or new_id()
        prefix, middle = chain_parts(
            data=data_text,
            event_id=event_id,
            event_type=new.event_type,
            metadata=meta_text,
            recorded_at=recorded_at,
            schema_version=new.schema_version,
            stream_id=stream_id,
            stream_type=stream_type,
            tenant_id=tenant_id,
        )
        out.append(
            _Encoded(
                event_id,
                new.event_type,
                new.schema_version,
                data,
                meta,
                data_text,
                meta_text,
                prefix.encode(),
                middle.encode(),
            )
        )
    return out


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
        self.upcasters = upcasters or domain_upcasters()

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
        now = self.clock.now()
        encoded = _encode(tenant_id, stream_id, stream_type, now, events, metadata or {})
        args = (
            tenant_id,
            stream_id,
            stream_type,
            expected_version,
            idempotency_key,
            fp,
            now,
            [e.event_id for e in encoded],
            [e.event_type for e in encoded],
            [e.schema_version for e in encoded],
            [e.data_text for e in encoded],
            [e.metadata_text for e in encoded],
            [e.prefix for e in encoded],
            [e.middle for e in encoded],
        )
        applying = [p for p in self.projections if _applies(p, stream_type)]
        checks = (expected_version, fp, idempotency_key)
        async with self.pool.acquire() as conn:
            if not applying and private_actor is None:
                # One statement is one transaction: nothing else runs in it.
                row = await conn.fetchrow(_APPEND, *args)
                assert row is not None
                return await self._result(
                    conn, row, tenant_id, stream_id, stream_type, now, encoded, *checks
                )
            async with conn.transaction():
                row = await conn.fetchrow(_APPEND, *args)  # the head lock: first in the transaction
                assert row is not None
                result = await self._result(
                    conn, row, tenant_id, stream_id, stream_type, now, encoded, *checks
                )
                if not result.duplicate and private_actor is not None:
                    await conn.execute(
                        "INSERT INTO event_actors (tenant_id, sequence, actor) "
                        "SELECT $1, s, $4 FROM generate_series($2::bigint, $3::bigint) AS s",
                        tenant_id,
                        result.first_sequence,
                        result.last_sequence,
                        private_actor,
                    )
                if not result.duplicate:
                    for projection in applying:
                        await projection.apply(conn, result.events)
            return result

    async def _result(
        self,
        conn: asyncpg.Connection,
        row: asyncpg.Record,
        tenant_id: uuid.UUID,
        stream_id: uuid.UUID,
        stream_type: str,
        now: datetime,
        encoded: Sequence[_Encoded],
        expected_version: int | None,
        fp: bytes,
        idempotency_key: str | None,
    ) -> AppendResult:
        outcome = row["outcome"]
        if outcome == "conflict":
            assert expected_version is not None
            raise ConcurrencyConflict(expected_version, row["stream_version"])
        if outcome == "duplicate":
            if bytes(row["dup_fingerprint"]) != fp:
                raise IdempotencyKeyReused("รหัสป้องกันการส่งซ้ำนี้ถูกใช้กับคำขออื่นแล้ว", key=idempotency_key)
            rows = await _read_range(conn, tenant_id, row["first_sequence"], row["last_sequence"])
            stored = tuple(self.upcasters.upcast(row_to_event(r)) for r in rows)
            return AppendResult(
                stored[-1].version, stored[0].sequence, stored[-1].sequence, stored, True
            )
        assert outcome == "ok", outcome
        version, first = row["stream_version"], row["first_sequence"]
        prev = bytes(row["prev_hash"])
        out = []
        for i, (e, h) in enumerate(zip(encoded, row["hashes"], strict=True)):
            h = bytes(h)
            out.append(
                StoredEvent(
                    tenant_id=tenant_id,
                    sequence=first + i,
                    stream_type=stream_type,
                    stream_id=stream_id,
                    version=version + i + 1,
                    event_id=e.event_id,
                    event_type=e.event_type,
                    schema_version=e.schema_version,
                    data=e.data,
                    metadata=e.metadata,
                    recorded_at=now,
                    prev_hash=prev,
                    hash=h,
                )
            )
            prev = h
        stored = tuple(out)
        return AppendResult(stored[-1].version, stored[0].sequence, stored[-1].sequence, stored)

    async def find_command(
        self, tenant_id: uuid.UUID, idempotency_key: str
    ) -> tuple[bytes, int] | None:
        """An earlier command's fingerprint and the stream version it left."""
        async with self.pool.acquire() as conn, begin_tenant(conn, tenant_id, readonly=True):
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
        async with self.pool.acquire() as conn, begin_tenant(conn, tenant_id, readonly=True):
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

    async def read_streams(
        self, tenant_id: uuid.UUID, stream_ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, list[StoredEvent]]:
        """Several streams' events (each oldest first) in one statement."""
        out: dict[uuid.UUID, list[StoredEvent]] = {s: [] for s in stream_ids}
        async with self.pool.acquire() as conn, begin_tenant(conn, tenant_id, readonly=True):
            rows = await conn.fetch(
                f"SELECT {COLUMNS} FROM events WHERE tenant_id = $1 "
                "AND stream_id = ANY($2::uuid[]) ORDER BY stream_id, version",
                tenant_id,
                list(out),
            )
        for r in rows:
            out[r["stream_id"]].append(self.upcasters.upcast(row_to_event(r)))
        return out

    async def read_tenant(
        self, tenant_id: uuid.UUID, *, after: int = 0, limit: int = 1000
    ) -> list[StoredEvent]:
        """The tenant's log in sequence order."""
        async with self.pool.acquire() as conn, begin_tenant(conn, tenant_id, readonly=True):
            rows = await conn.fetch(
                f"SELECT {COLUMNS} FROM events WHERE tenant_id = $1 AND sequence > $2 "
                "ORDER BY sequence LIMIT $3",
                tenant_id,
                after,
                limit,
            )
        return [self.upcasters.upcast(row_to_event(r)) for r in rows]
