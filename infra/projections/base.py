"""What a projection is: events in, read-model rows out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import asyncpg

from infra.eventstore.records import StoredEvent


class Rebuilder(Protocol):
    """Refills a projection's emptied tables from the whole log, batch by batch."""

    async def add(self, conn: asyncpg.Connection, events: Sequence[StoredEvent]) -> None: ...

    async def finish(self, conn: asyncpg.Connection) -> None: ...


class Projection(Protocol):
    """A read model built from events.

    ``apply`` runs on new events (inline: in the append transaction; async: in the projector's
    transaction, beside its checkpoint). ``rebuilder`` refills the emptied tables from the
    whole log in one pass; it may be faster than ``apply`` but must give the same rows.
    ``stream_types`` (None: all) and ``reads`` let a rebuild read only what it uses. In a
    rebuild an event has its tenant_id, sequence, stream_type, stream_id and event_type, and
    of ``version``, ``event_id``, ``schema_version``, ``data`` and ``recorded_at`` only those
    in ``reads`` (the others are None); its ``data`` is its JSON text (decode it with
    ``infra.eventstore.postgres.decode_json`` where it is used) and its metadata is empty.
    """

    name: str
    tables: tuple[str, ...]
    stream_types: frozenset[str] | None
    reads: frozenset[str]

    async def apply(self, conn: asyncpg.Connection, events: Sequence[StoredEvent]) -> None: ...

    def rebuilder(self) -> Rebuilder: ...
