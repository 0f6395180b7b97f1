"""The records a citizen checks a published file against: for each SHA-256 of a file named in
a publication event, the event's sequence, previous hash and canonical text, so that a browser
can recompute the event's hash (the leaf) from them and see the file's hash inside."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import asyncpg

from infra.eventstore.canonical import chain_hash, dumps, normalise
from infra.eventstore.postgres import COLUMNS, row_to_event

RECORDED_TYPES = (
    "ReportGenerated",
    "ReportSubmitted",
    "DeclarationPublished",
    "DeclarationAnnounced",
    "PlanPromulgated",
    "PlanTableIssued",
)
# Publication: a checkpoint is issued at once (the next scan), not after the batching delay.
PUBLICATION_TYPES = (
    "DeclarationPublished",
    "DeclarationAnnounced",
    "PlanPromulgated",
    "ReportSubmitted",
    "PlanTableIssued",
)
_SHA = re.compile(r"[0-9a-f]{64}")


def file_hashes(value: Any, key: str = "") -> Iterator[str]:
    """Every SHA-256 (hex) under a key named ``sha256`` in event data."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from file_hashes(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from file_hashes(v, key)
    elif isinstance(value, str) and key == "sha256" and _SHA.fullmatch(value):
        yield value


async def record_files(conn: asyncpg.Connection, tenant: uuid.UUID, after: int, upto: int) -> int:
    """Add the records of the publication events in (after, upto]; returns how many."""
    rows = await conn.fetch(
        f"SELECT {COLUMNS} FROM events WHERE tenant_id = $1 AND sequence > $2 "
        "AND sequence <= $3 AND event_type = ANY($4::text[]) ORDER BY sequence",
        tenant,
        after,
        upto,
        list(RECORDED_TYPES),
    )
    out = []
    for row in rows:
        ev = row_to_event(row)
        body = dumps(normalise(ev.hash_body()))
        if chain_hash(ev.prev_hash, ev.hash_body()) != ev.hash:
            continue  # a damaged event is never offered as a record (verify reports it)
        for sha in dict.fromkeys(file_hashes(ev.data)):
            out.append((tenant, sha, ev.sequence, ev.event_type, ev.prev_hash, body))
    if out:
        await conn.executemany(
            "INSERT INTO tlog_records (tenant_id, sha256, sequence, event_type, prev_hash, body) "
            "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
            out,
        )
    return len(out)
