"""Every event type the domain stores, by name: the store's data <-> the domain's events."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from domain.complaints.complaint import COMPLAINT_EVENTS
from domain.declarations.declaration import DECLARATION_EVENTS
from domain.plans.events import ITEM_EVENTS, PLAN_EVENTS
from domain.reminders.events import REMINDER_EVENTS
from domain.reporting.entries import ROUND_ENTRY_EVENTS
from domain.reporting.events import REPORT_EVENTS
from domain.reporting.plan_table import PLAN_TABLE_EVENTS
from domain.review.thread import REVIEW_EVENTS
from domain.shared.messages import Event
from domain.shared.serialization import from_data, to_data
from domain.tenancy.members import MEMBER_EVENTS
from domain.tenancy.profile import PROFILE_EVENTS

EVENT_TYPES: Mapping[str, type[Event]] = MappingProxyType(
    {
        cls.event_type(): cls
        for cls in (
            *PLAN_EVENTS,
            *ITEM_EVENTS,
            *DECLARATION_EVENTS,
            *COMPLAINT_EVENTS,
            *MEMBER_EVENTS,
            *REMINDER_EVENTS,
            *REVIEW_EVENTS,
            *REPORT_EVENTS,
            *PLAN_TABLE_EVENTS,
            *ROUND_ENTRY_EVENTS,
            *PROFILE_EVENTS,
        )
    }
)


def event_data(event: Event) -> dict[str, Any]:
    data = to_data(event)
    assert isinstance(data, dict)
    return data


def event_from(event_type: str, data: Mapping[str, Any]) -> Event:
    cls = EVENT_TYPES.get(event_type)
    if cls is None:
        raise KeyError(f"unknown event type {event_type!r}")
    event = from_data(cls, dict(data))
    assert isinstance(event, cls)
    return event
