"""The clock port: ids and times are made in the command path, from an injected clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

BANGKOK = ZoneInfo("Asia/Bangkok")


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware, in UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock for tests: it moves only when told."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware time")
        self._at = at.astimezone(UTC)

    def now(self) -> datetime:
        return self._at

    def advance(self, delta: timedelta) -> None:
        self._at += delta

    def set(self, at: datetime) -> None:
        self._at = at.astimezone(UTC)


def bangkok_date(at: datetime) -> date:
    """The calendar date in Asia/Bangkok at instant ``at``."""
    return at.astimezone(BANGKOK).date()
