"""Upcasters: stored events keep their shape; readers see the newest one."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from infra.eventstore.records import StoredEvent

Upcaster = Callable[[Mapping[str, Any]], Mapping[str, Any]]


class Upcasters:
    """A chain per event type: version n -> n+1, applied until none is left."""

    def __init__(self) -> None:
        self._steps: dict[tuple[str, int], Upcaster] = {}

    def register(self, event_type: str, from_version: int) -> Callable[[Upcaster], Upcaster]:
        def deco(fn: Upcaster) -> Upcaster:
            key = (event_type, from_version)
            if key in self._steps:
                raise ValueError(f"an upcaster for {event_type} v{from_version} already exists")
            self._steps[key] = fn
            return fn

        return deco

    def upcast(self, event: StoredEvent) -> StoredEvent:
        data, version = event.data, event.schema_version
        while (step := self._steps.get((event.event_type, version))) is not None:
            data, version = step(data), version + 1
        if version == event.schema_version:
            return event
        return replace(event, data=data, schema_version=version)


def domain_upcasters() -> Upcasters:
    """The domain's upcasters (every stored event type's older versions), registered once
    per store."""
    from domain.complaints.upcasters import UPCASTERS as COMPLAINTS
    from domain.plans.upcasters import UPCASTERS as PLANS

    chain = Upcasters()
    for (event_type, version), fn in (*PLANS.items(), *COMPLAINTS.items()):
        chain.register(event_type, version)(fn)
    return chain
