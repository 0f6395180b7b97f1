"""Async (cross-tenant) read model: each tenant's activity, fed by the projector."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

import asyncpg

from infra.eventstore.records import StoredEvent

Summary = dict[uuid.UUID, tuple[int, int, str, datetime]]


def _summarise(events: Sequence[StoredEvent], into: Summary) -> Summary:
    # Per tenant, transaction-id order and sequence order can differ: keep the highest sequence.
    for e in events:
        old = into.get(e.tenant_id)
        if old is None:
            into[e.tenant_id] = (1, e.sequence, e.event_type, e.recorded_at)
        elif e.sequence > old[1]:
            into[e.tenant_id] = (old[0] + 1, e.sequence, e.event_type, e.recorded_at)
        else:
            into[e.tenant_id] = (old[0] + 1, *old[1:])
    return into


class _Summary:
    def __init__(self) -> None:
        self.summary: Summary = {}

    async def add(self, conn: asyncpg.Connection, events: Sequence[StoredEvent]) -> None:
        _summarise(events, self.summary)

    async def finish(self, conn: asyncpg.Connection) -> None:
        await conn.copy_records_to_table(
            "tenant_activity",
            records=[(t, *v) for t, v in self.summary.items()],
            columns=(
                "tenant_id",
                "event_count",
                "last_sequence",
                "last_event_type",
                "last_event_at",
            ),
        )


class TenantActivityProjection:
    name: str = "tenant_activity"
    tables: tuple[str, ...] = ("tenant_activity",)
    stream_types: frozenset[str] | None = None
    reads: frozenset[str] = frozenset({"recorded_at"})
    # A rebuild computes the same rows in the database, from the events below ``{bound}``
    # (the rebuild's snapshot xmin): counts and last sequences from the (xid, tenant, sequence)
    # index alone, then one lookup per tenant for its last event (a million events in ~0.3 s).
    rebuild_sql: str = """
        INSERT INTO tenant_activity (tenant_id, event_count, last_sequence, last_event_type,
                                     last_event_at)
        SELECT t.tenant_id, t.n, t.last, l.event_type, l.recorded_at
        FROM (SELECT tenant_id, count(*) AS n, max(sequence) AS last
              FROM events WHERE xid < {bound} GROUP BY tenant_id) t
        JOIN events l ON l.tenant_id = t.tenant_id AND l.sequence = t.last
        RETURNING 1"""

    async def apply(self, conn: asyncpg.Connection, events: Sequence[StoredEvent]) -> None:
        rows = _summarise(events, {})
        await conn.executemany(
            """
            INSERT INTO tenant_activity AS a (tenant_id, event_count, last_sequence,
                                              last_event_type, last_event_at)
            VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (tenant_id) DO UPDATE SET
                event_count = a.event_count + EXCLUDED.event_count,
                last_sequence = greatest(a.last_sequence, EXCLUDED.last_sequence),
                last_event_type = CASE WHEN EXCLUDED.last_sequence > a.last_sequence
                                  THEN EXCLUDED.last_event_type ELSE a.last_event_type END,
                last_event_at = CASE WHEN EXCLUDED.last_sequence > a.last_sequence
                                THEN EXCLUDED.last_event_at ELSE a.last_event_at END
            """,
            [(t, *v) for t, v in rows.items()],
        )

    def rebuilder(self) -> _Summary:
        return _Summary()
