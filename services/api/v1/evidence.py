"""Evidence cited by the plans' and items' API commands (their SHA-256): the principal's
view of services.usecases.evidence, until the plans and items features call it themselves.
The evidence routes are in services/api/evidence."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from domain.plans.values import Evidence
from services.api.edge import actor_of
from services.api.state import Services
from services.api.v1.auth import Principal
from services.usecases import evidence


async def resolve_files(
    principal: Principal, services: Services, shas: list[str]
) -> tuple[Evidence, ...]:
    """The tenant's uploaded files named by SHA-256, in the order given."""
    return await evidence.resolve_files(services, actor_of(principal), shas)


async def cited(
    principal: Principal, services: Services, links: Sequence[Any], files: list[str]
) -> tuple[Evidence, ...]:
    """The evidence a request cites: its links, then its uploaded files."""
    return await evidence.cited(
        services, actor_of(principal), [link.evidence() for link in links], files
    )
