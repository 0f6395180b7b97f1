"""Inline projection "review": an LAO's review threads (comments, revision requests)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import asyncpg

from infra.eventstore.postgres import decode_json
from infra.eventstore.records import StoredEvent

_UPDATE = {
    "RevisionAnswered": "status = 'answered', answer = $3, answered_by = $4, answered_at = $5",
    "RevisionResolved": "status = 'resolved', resolution = $3, resolved_by = $4, resolved_at = $5",
}


# A revision request is emailed to the LAO's active plan officers and executives: the outbox
# rows are written with the event (same transaction); services/workers/review_mail sends them.
_MAIL = (
    "INSERT INTO review_mail (tenant_id, thread_id, event_version, recipient, name, text, "
    "created_at, updated_at) SELECT $1, $2, $3, email, name, $4, $5, $5 FROM members "
    "WHERE status = 'active' AND role IN ('plan_officer', 'executive') ON CONFLICT DO NOTHING"
)


async def _fold(
    conn: asyncpg.Connection, e: StoredEvent, data: Mapping[str, Any], *, mail: bool = True
) -> None:
    if mail and e.event_type == "RevisionRequested":
        await conn.execute(_MAIL, e.tenant_id, e.stream_id, e.version, data["text"], e.recorded_at)
    if e.event_type in ("ReviewCommented", "RevisionRequested"):
        revision = e.event_type == "RevisionRequested"
        await conn.execute(
            "INSERT INTO review_threads (tenant_id, thread_id, subject, kind, status, text, "
            "office, requested_by, requested_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, "
            "$8, $9, $10) ON CONFLICT (tenant_id, thread_id) DO NOTHING",
            e.tenant_id,
            e.stream_id,
            data["subject"],
            "revision" if revision else "comment",
            "open" if revision else "",
            data["text"],
            data["office"],
            data["by"],
            e.recorded_at,
            e.version,
        )
    elif e.event_type in _UPDATE:
        await conn.execute(
            f"UPDATE review_threads SET {_UPDATE[e.event_type]}, version = $6 "
            "WHERE tenant_id = $1 AND thread_id = $2",
            e.tenant_id,
            e.stream_id,
            data.get("text", data.get("note", "")),
            data["by"],
            e.recorded_at,
            e.version,
        )


class ReviewProjection:
    name: str = "review"
    tables: tuple[str, ...] = ("review_threads",)
    stream_types: frozenset[str] | None = frozenset({"review"})
    reads: frozenset[str] = frozenset({"data", "version", "recorded_at"})

    async def apply(
        self, conn: asyncpg.Connection, events: Sequence[StoredEvent], *, mail: bool = True
    ) -> None:
        for e in events:
            if e.stream_type == "review":
                data = e.data if isinstance(e.data, Mapping) else decode_json(e.data)
                await _fold(conn, e, data, mail=mail)

    def rebuilder(self) -> _Rebuild:
        return _Rebuild(self)


class _Rebuild:
    def __init__(self, projection: ReviewProjection) -> None:
        self.projection = projection

    async def add(self, conn: asyncpg.Connection, events: Sequence[StoredEvent]) -> None:
        await self.projection.apply(conn, events, mail=False)  # a rebuild sends nothing again

    async def finish(self, conn: asyncpg.Connection) -> None:
        pass
