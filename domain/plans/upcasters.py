"""Upcasters of the plan's events: stored data of an old version -> the next version's data.

Pure functions on plain data; the event store applies them when it reads
(``infra.eventstore.upcasting.domain_upcasters``). Stored events are never rewritten.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from domain.plans.templates import LEGACY_TEMPLATE_ID


def plan_drafted_v1(data: Mapping[str, Any]) -> Mapping[str, Any]:
    """PlanDrafted v1 -> v2: plans drafted before templates existed are 2561-2564's."""
    return {**data, "template_id": data.get("template_id", LEGACY_TEMPLATE_ID)}


UPCASTERS: Mapping[tuple[str, int], Callable[[Mapping[str, Any]], Mapping[str, Any]]] = {
    ("PlanDrafted", 1): plan_drafted_v1,
}
