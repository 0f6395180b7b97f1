"""Inline read model: the tenant's timeline (who did what, when)."""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg

from infra.eventstore.records import StoredEvent

_COLS = (
    "tenant_id",
    "sequence",
    "recorded_at",
    "event_type",
    "stream_type",
    "stream_id",
    "version",
    "actor",
)


def _row(e: StoredEvent) -> tuple[object, ...]:
    return (
        e.tenant_id,
        e.sequence,
        e.recorded_at,
        e.event_type,
        e.stream_type,
        e.stream_id,
        e.version,
        str(e.metadata.get("actor", "")),
    )


class _Copy:
    async def add(self, conn: asyncpg.Connection, events: Sequence[StoredEvent]) -> None:
        await conn.copy_records_to_table("timeline", records=map(_row, events), columns=_COLS)

    async def finish(self, conn: asyncpg.Connection) -> None:
        return None


class TimelineProjection:
    name: str = "timeline"
    tables: tuple[str, ...] = ("timeline",)
    stream_types: frozenset[str] | None = None
    needs_data: bool = False

    async def apply(self, conn: asyncpg.Connection, events: Sequence[StoredEvent]) -> None:
        await conn.executemany(
            "INSERT INTO timeline (tenant_id, sequence, recorded_at, event_type, stream_type, "
            "stream_id, version, actor) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            [_row(e) for e in events],
        )

    def rebuilder(self) -> _Copy:
        return _Copy()
