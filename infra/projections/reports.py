"""Inline projection "reports": the LAO's generated report files (one row per format of a
generation) and when a generation was submitted, from its ``report`` streams.

A row's id is derived from (tenant, round, content hash, format), so a rebuild gives the same
rows; the same content generated again (after other content) keeps its first row and clears
the submission, as the aggregate does.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

import asyncpg

from infra.eventstore.postgres import decode_json
from infra.eventstore.records import StoredEvent

_ROW_NAMESPACE = uuid.UUID("0c5e6a1f-2b7d-4d8e-a3f9-6e1b7c2d9a40")


def report_row_id(tenant_id: uuid.UUID, round_code: str, content_hash: str, fmt: str) -> uuid.UUID:
    return uuid.uuid5(_ROW_NAMESPACE, f"{tenant_id}:{round_code}:{content_hash}:{fmt}")


async def fold_report_event(conn: asyncpg.Connection, e: StoredEvent) -> None:
    data: Mapping[str, Any] = e.data if isinstance(e.data, Mapping) else decode_json(e.data)
    if e.event_type == "ReportGenerated":
        generated = data["generated_at"]
        at = generated if isinstance(generated, datetime) else datetime.fromisoformat(generated)
        await conn.executemany(
            "INSERT INTO reports (tenant_id, id, round, format, sha256, size, content_hash, "
            "as_of, generated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
            "ON CONFLICT (tenant_id, round, content_hash, format) DO UPDATE "
            "SET submitted_at = NULL, submitted_by = NULL",
            [
                (
                    e.tenant_id,
                    report_row_id(e.tenant_id, data["round"], data["content_hash"], f["format"]),
                    data["round"],
                    f["format"],
                    f["sha256"],
                    int(f["size"]),
                    data["content_hash"],
                    date.fromisoformat(data["as_of"]),
                    at,
                )
                for f in data["files"]
            ],
        )
    elif e.event_type == "ReportSubmitted":
        await conn.execute(
            # the person, for the LAO's own pages, from its event_actors (the event names a
            # role and office: it is published)
            "UPDATE reports SET submitted_at = $4, submitted_by = coalesce("
            "(SELECT actor FROM event_actors WHERE tenant_id = $1 AND sequence = $6), $5) "
            "WHERE tenant_id = $1 AND round = $2 AND content_hash = $3",
            e.tenant_id,
            data["round"],
            data["content_hash"],
            e.recorded_at,
            data["submitted_by"],
            e.sequence,
        )


class ReportsProjection:
    name: str = "reports"
    tables: tuple[str, ...] = ("reports",)
    stream_types: frozenset[str] | None = frozenset({"report"})
    reads: frozenset[str] = frozenset({"data", "recorded_at"})

    async def apply(self, conn: asyncpg.Connection, events: Sequence[StoredEvent]) -> None:
        for e in events:
            if e.stream_type == "report":
                await fold_report_event(conn, e)

    def rebuilder(self) -> _Rebuild:
        return _Rebuild(self)


class _Rebuild:
    def __init__(self, projection: ReportsProjection) -> None:
        self.projection = projection

    async def add(self, conn: asyncpg.Connection, events: Sequence[StoredEvent]) -> None:
        await self.projection.apply(conn, events)

    async def finish(self, conn: asyncpg.Connection) -> None:
        pass
