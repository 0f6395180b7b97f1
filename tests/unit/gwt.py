"""Given events, when a command, then events (or an error)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import TypeVar

from domain.shared.aggregate import Aggregate
from domain.shared.messages import Event

A = TypeVar("A", bound=Aggregate)
ID = uuid.UUID("00000000-0000-7000-8000-000000000001")


def decide(cls: type[A], given: Sequence[Event], when: Callable[[A], None]) -> list[Event]:
    agg = cls.replay(ID, given)
    when(agg)
    return agg.pending()
