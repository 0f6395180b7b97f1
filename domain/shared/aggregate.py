"""Aggregates: state folded from events; commands decide new events."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from typing import Any, ClassVar, Self

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
        handlers = _handlers(cls)
        for e in events:
            handler = handlers[type(e)]
            if handler is None:
                raise TypeError(f"{cls.__name__} does not apply {type(e).__name__}")
            handler(agg, e)
            agg.version += 1
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


_HANDLERS: dict[type[Aggregate], _Handlers] = {}


class _Handlers(dict[type, Callable[[Any, Any], None]]):
    """An aggregate class's ``_on_<EventName>`` functions by event class, found once each
    (replaying a long stream asks for them once per event)."""

    def __init__(self, cls: type[Aggregate]) -> None:
        super().__init__()
        self.cls = cls

    def __missing__(self, event_type: type) -> Callable[[Any, Any], None] | None:
        handler = getattr(self.cls, f"_on_{event_type.__name__}", None)
        if handler is not None:
            self[event_type] = handler
        return handler


def _handlers(cls: type[Aggregate]) -> _Handlers:
    found = _HANDLERS.get(cls)
    if found is None:
        found = _HANDLERS[cls] = _Handlers(cls)
    return found
