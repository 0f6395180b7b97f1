"""Which projections exist, and which run inline (in the append transaction) or async."""

from __future__ import annotations

from infra.projections.activity import TenantActivityProjection
from infra.projections.base import Projection
from infra.projections.members import MembersProjection
from infra.projections.plans import PlansProjection
from infra.projections.province import ProvinceOverviewProjection
from infra.projections.public import PublicProjection
from infra.projections.reports import ReportsProjection
from infra.projections.review import ReviewProjection


def inline_projections() -> tuple[Projection, ...]:
    return (
        PlansProjection(),
        MembersProjection(),
        PublicProjection(),
        ReportsProjection(),
        ReviewProjection(),
    )


def async_projections() -> tuple[Projection, ...]:
    return (TenantActivityProjection(), ProvinceOverviewProjection())


def all_projections() -> dict[str, Projection]:
    return {p.name: p for p in (*inline_projections(), *async_projections())}
