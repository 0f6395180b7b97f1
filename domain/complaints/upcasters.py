"""Upcasters of the complaints register's events (see domain.plans.upcasters)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any


def complaint_resolved_v1(data: Mapping[str, Any]) -> Mapping[str, Any]:
    """ComplaintResolved v1 -> v2: resolved before outcomes were kept: not recorded ("")."""
    return {**data, "outcome": data.get("outcome", "")}


UPCASTERS: Mapping[tuple[str, int], Callable[[Mapping[str, Any]], Mapping[str, Any]]] = {
    ("ComplaintResolved", 1): complaint_resolved_v1,
}
