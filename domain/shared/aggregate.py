"""Aggregates: state folded from events; commands decide new events."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import ClassVar, Self

from domain.shared.messages import Event


class Aggregate:
    """Subclasses define ``_on_<EventName>(event)`` for each event they apply."""

    stream_type: ClassVar[str]

    def __init__(self, id: uuid.UUID) -> None:
        self.id = id
        self.version = 0
        self._pending: list[Event] = []

    @classmethod
    def replay(cls, id: uuid.UUID, events: Iterable[Event]) -> Self:
        agg = cls(id)
        for e in events:
            agg._apply(e)
        return agg

    def _apply(self, event: Event) -> None:
        handler = getattr(self, f"_on_{type(event).__name__}", None)
        if handler is None:
            raise TypeError(f"{type(self).__name__} does not apply {type(event).__name__}")
        handler(event)
        self.version += 1

    def _record(self, event: Event) -> None:
        self._apply(event)
        self._pending.append(event)

    def pending(self) -> list[Event]:
        """Events decided since the last load, oldest first (they are not cleared)."""
        return list(self._pending)

    @property
    def loaded_version(self) -> int:
        """The stream version the aggregate was loaded at (what an append expects)."""
        return self.version - len(self._pending)
