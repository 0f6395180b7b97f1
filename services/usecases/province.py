"""The provincial office's dashboard of every LAO of its province, its exports, and the
operator's national view: read from the cross-tenant read model ``lao_overview`` in an overview
transaction (row-level security gives an office its province's rows only, the operator all)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.reporting.rounds import ReportingRound
from domain.shared.access import Action, Actor, Target
from domain.shared.errors import NotFound
from domain.tenancy.provinces import PROVINCES_BY_CODE, Province
from infra.auth.orgs import Org, overview_transaction
from infra.queries import province as q
from services.usecases.bootstrap import Services
from services.usecases.members import own_org
from services.usecases.scope import authorize, today


@dataclass(frozen=True)
class Scope:
    """Whose overview and of which province: an office reads its own province, the operator
    any province (or the whole country: ``province`` None)."""

    org: Org
    province: Province | None
    today: date
    rounds: tuple[ReportingRound, ReportingRound]


async def scope(services: Services, actor: Actor, province: str | None) -> Scope:
    """Authorize the reading of a province (an office: its own only) or of the country."""
    if actor.scope == "office":
        authorize(actor, Action.READ_PROVINCE, Target(province=actor.province))
        province = actor.province
    else:
        authorize(actor, Action.READ_NATIONAL)
    if province is not None and province not in PROVINCES_BY_CODE:
        raise NotFound("ไม่พบจังหวัดนี้")
    on = today(services.clock)
    return Scope(
        await own_org(services, actor),
        PROVINCES_BY_CODE[province] if province else None,
        on,
        q.reporting_rounds(on),
    )


async def version(services: Services, s: Scope) -> str:
    """The data version of what the scope shows (for caching the rendered table)."""
    async with overview_transaction(services.db, s.org) as conn:
        return await q.version(conn, s.province.code if s.province else None)


async def dashboard(services: Services, s: Scope, f: q.Filters) -> dict[str, Any]:
    """A province's rows (filtered and sorted), their totals and the districts to filter by."""
    assert s.province is not None
    async with overview_transaction(services.db, s.org) as conn:
        rows = await q.province_rows(conn, s.province.code, s.today, f)
        districts = await q.districts(conn, s.province.code)
    return {"rows": rows, "totals": q.totals(rows, s.rounds), "districts": districts}


async def national(services: Services, s: Scope) -> dict[str, Any]:
    """One row per province with LAOs, and the country's sums."""
    async with overview_transaction(services.db, s.org) as conn:
        rows = await q.national_rows(conn, s.today)
    names = ("code", "name_th", "name_en")
    keys = [k for k in rows[0].keys() if k not in names] if rows else []  # noqa: SIM118
    sums: dict[str, Any] = {k: sum(r[k] for r in rows) for k in keys if k != "oldest_overdue"}
    oldest = [r["oldest_overdue"] for r in rows if r["oldest_overdue"]]
    sums["oldest_overdue"] = min(oldest) if oldest else None
    return {"rows": rows, "sums": sums, "provinces_without": len(PROVINCES_BY_CODE) - len(rows)}
