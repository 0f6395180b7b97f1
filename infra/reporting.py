"""Load progress reports and provincial summaries from the read models.

The web role reads, in a read-only transaction scoped to one tenant (``tenant_transaction``),
or, for a province's summary, one tenant at a time under the reviewer's province scope
(``reviewer_transaction``: the database refuses a tenant of another province). Workers that
generate reports call these with the web role's pool.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from typing import Any

import asyncpg

from domain.plans.views import sheet_of
from domain.registry import event_from
from domain.reporting.entries import (
    ItemRoundEntry,
    RoundSheet,
    RoundStatus,
    round_part,
    round_sheet_id,
)
from domain.reporting.model import Organisation, ProgressReport, RoundPart
from domain.reporting.progress import plan_for, progress_report
from domain.reporting.rounds import ReportingRound
from domain.reporting.summary import ProvincialSummary, provincial_summary
from infra.auth.orgs import reviewer_transaction
from infra.db.pool import tenant_transaction
from infra.queries.plans import MEASURED, entry_of

ORGANISATION = """
SELECT o.code, o.name_th, o.district, p.name_th AS province
  FROM organisations o JOIN provinces p ON p.code = o.province_code
 WHERE o.id = $1
"""


async def _organisation(conn: asyncpg.Connection, tenant_id: uuid.UUID) -> Organisation:
    row = await conn.fetchrow(ORGANISATION, tenant_id)
    if row is None:
        raise LookupError(f"no organisation {tenant_id}")
    return Organisation(row["code"], row["name_th"], row["district"], row["province"])


async def read_progress_report(
    conn: asyncpg.Connection, tenant_id: uuid.UUID, rnd: ReportingRound, as_of: date
) -> ProgressReport:
    """The report, read on ``conn`` (a transaction already scoped to ``tenant_id``)."""
    organisation = await _organisation(conn, tenant_id)
    plans = [r["summary"] for r in await conn.fetch("SELECT summary FROM plan_views")]
    summary = plan_for(plans, rnd.fiscal_year)
    sheets: list[dict[str, Any]] = []
    if summary is not None:
        rows = await conn.fetch(
            "SELECT item_id, number, kind, registered_name, sheet FROM item_views "
            "WHERE plan_id = $1 ORDER BY sort_key, item_id",
            uuid.UUID(summary["plan_id"]),
        )
        for r in rows:
            sheets.append({**sheet_of(entry_of(r), r["sheet"]), "plan_id": summary["plan_id"]})
    declarations = [
        r["view"] for r in await conn.fetch("SELECT view FROM declaration_views ORDER BY 1")
    ]
    measured: dict[str, list[date]] = {}
    for r in await conn.fetch(MEASURED + " ORDER BY 1, 2"):
        measured.setdefault(r["m"], []).append(r["d"])
    report = progress_report(
        organisation,
        rnd,
        as_of,
        plans=[summary] if summary is not None else [],
        sheets=sheets,
        declarations=declarations,
        measured=measured,
    )
    if summary is None:
        return report
    entries = await round_entries(conn, tenant_id, uuid.UUID(summary["plan_id"]), rnd)
    ids = {s["number"]: uuid.UUID(s["item_id"]) for s in sheets}
    rate, counts, lacking = round_part(
        rnd.kind, [(i.number, entries.get(ids[i.number])) for i in report.items]
    )
    part = RoundPart(
        rate.percent,
        rate.level,
        rate.thai,
        rate.implemented,
        rate.total,
        counts[RoundStatus.DONE],
        counts[RoundStatus.IN_PROGRESS],
        counts[RoundStatus.CANNOT],
        tuple(lacking),
    )
    return replace(report, round_part=part)


async def round_entries(
    conn: asyncpg.Connection, tenant_id: uuid.UUID, plan_id: uuid.UUID, rnd: ReportingRound
) -> dict[uuid.UUID, ItemRoundEntry]:
    """The round table's entries of a plan's round, folded from its stream (on ``conn``)."""
    stream = round_sheet_id(tenant_id, plan_id, rnd.code)
    rows = await conn.fetch(
        "SELECT event_type, data FROM events WHERE tenant_id = $1 AND stream_id = $2 "
        "ORDER BY version",
        tenant_id,
        stream,
    )
    sheet = RoundSheet.replay(stream, (event_from(r["event_type"], r["data"]) for r in rows))
    return sheet.entries


async def load_progress_report(
    pool: asyncpg.Pool, tenant_id: uuid.UUID, rnd: ReportingRound, as_of: date
) -> ProgressReport:
    """The LAO's report of ``rnd`` as it stood on ``as_of`` (``pool``: the web role's)."""
    async with tenant_transaction(pool, tenant_id, readonly=True) as conn:
        return await read_progress_report(conn, tenant_id, rnd, as_of)


async def load_provincial_summary(
    pool: asyncpg.Pool,
    province_code: str,
    rnd: ReportingRound,
    as_of: date,
    submitted: Mapping[str, date] | None = None,
) -> ProvincialSummary:
    """Every LAO of the province, each read under the reviewer's province scope.
    ``submitted``: {LAO code: the day its report of the round was submitted}."""
    async with pool.acquire() as conn:
        head = await conn.fetchrow(
            "SELECT p.name_th, o.name_th AS office FROM provinces p "
            "JOIN provincial_offices o ON o.province_code = p.code WHERE p.code = $1",
            province_code,
        )
        if head is None:
            raise LookupError(f"no province {province_code}")
        tenants = await conn.fetch(
            "SELECT id FROM organisations WHERE province_code = $1 ORDER BY code", province_code
        )
    reports = []
    for t in tenants:
        async with reviewer_transaction(pool, province_code, t["id"]) as conn:
            reports.append(await read_progress_report(conn, t["id"], rnd, as_of))
    return provincial_summary(head["name_th"], head["office"], rnd, as_of, reports, submitted)
