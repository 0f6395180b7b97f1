"""What the reminders record in the tenant's log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.shared.messages import Event


@dataclass(frozen=True)
class ReminderSent(Event):
    subject: str  # e.g. "step:<item id>:6.8", "round:2569-6", "indicators:2568"
    due_date: date
    kind: str  # before-14, before-7, before-1, due, overdue-<days>, indicators
    recipient: str


REMINDER_EVENTS: tuple[type[Event], ...] = (ReminderSent,)
