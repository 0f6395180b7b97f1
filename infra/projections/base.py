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
    ``stream_types`` (None: all) and ``needs_data`` let a rebuild read only what it uses; in a
    rebuild an event's ``data`` is its JSON text (decode it with
    ``infra.eventstore.postgres.decode_json`` where it is used) and its metadata is empty.
    """

    name: str
    tables: tuple[str, ...]
    stream_types: frozenset[str] | None
    needs_data: bool

    async def apply(self, conn: asyncpg.Connection, events: Sequence[StoredEvent]) -> None: ...

    def rebuilder(self) -> Rebuilder: ...
