"""What a projection is: events in, read-model rows out."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Protocol

import asyncpg

from infra.eventstore.records import StoredEvent


class Projection(Protocol):
    """A read model built from events.

    ``apply`` runs on new events (inline: in the append transaction; async: in the projector's
    transaction, beside its checkpoint). ``rebuild`` refills the emptied tables from the whole
    log, in (tenant, sequence) order; it may be faster than ``apply`` but must give the same rows.
    """

    name: str
    tables: tuple[str, ...]

    async def apply(self, conn: asyncpg.Connection, events: Sequence[StoredEvent]) -> None: ...

    async def rebuild(
        self, conn: asyncpg.Connection, batches: AsyncIterator[Sequence[StoredEvent]]
    ) -> None: ...
