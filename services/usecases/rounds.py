"""Round reporting per item: the round table of a plan (every item of a fiscal year's 6- or
12-month round on one sheet), saved at once; its implementation rate and what it still lacks;
the e-PlanNACC export reads the same view."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from domain.plans.values import ItemKind
from domain.reporting.entries import (
    ItemRoundEntry,
    Rate,
    RoundSheet,
    implementation_rate,
    missing,
    round_sheet_id,
)
from domain.reporting.eplannacc import BUDGET_FROM_PLAN, NO_BUDGET, TARGET_GROUPS
from domain.reporting.rounds import ReportingRound, rounds_of
from domain.shared.access import Action, Actor
from domain.shared.errors import NotFound, PreconditionFailed
from domain.shared.fiscal import YearSpan
from domain.shared.ports import Saved
from infra.auth.orgs import find_org
from infra.documents import eplannacc
from infra.queries import plans as plan_queries
from infra.queries import rounds as q
from infra.repository import EventSourcedRepository
from services.usecases.bootstrap import Services
from services.usecases.profile import profile
from services.usecases.reports import InvalidRound, round_of_code
from services.usecases.scope import Call, authorize, context, reading, today


@dataclass(frozen=True)
class RoundRow:
    item_id: uuid.UUID
    number: str
    kind: ItemKind
    name: str
    no_budget: bool
    planned: int | None  # satang: the item's budget for the round's fiscal year in the plan
    entry: ItemRoundEntry | None
    objectives: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    years: tuple[int, ...] = ()

    @property
    def dimension(self) -> int:
        return int(self.number.split(".")[0])


@dataclass(frozen=True)
class RoundView:
    plan: dict[str, Any]
    round: ReportingRound
    rows: list[RoundRow]
    rate: Rate
    missing: list[str]
    version: int
    choices: list[ReportingRound]  # the plan's rounds that have begun, in order


def plan_rounds(plan: dict[str, Any], on: date) -> list[ReportingRound]:
    """Every round of the plan's fiscal years, from its first, that has begun by ``on``."""
    span = YearSpan(plan["first_year"], plan["last_year"])
    return [r for r in rounds_of(span) if r.start <= on]


def _satang(amount: str | None) -> int | None:
    if amount is None:
        return None
    try:
        return int(Decimal(amount) * 100)
    except InvalidOperation:
        return None


def _json(value: Any) -> list[Any]:
    """A jsonb array as asyncpg hands it (text without a codec, a list with one)."""
    if isinstance(value, str):
        value = json.loads(value)
    return value if isinstance(value, list) else []


def _round_of(plan: dict[str, Any], code: str, on: date) -> ReportingRound:
    rnd = round_of_code(code)
    if rnd not in plan_rounds(plan, on):
        raise InvalidRound(
            f"รอบ {rnd.code} ไม่ใช่รอบของแผนนี้ที่เริ่มแล้ว "
            f"(แผนปีงบประมาณ {plan['first_year']}–{plan['last_year']})"
        )
    return rnd


async def _load(
    services: Services, actor: Actor, plan_id: uuid.UUID, round_code: str
) -> tuple[dict[str, Any], ReportingRound, list[Any], RoundSheet]:
    async with reading(services, actor) as conn:
        plan = await q.plan_summary(conn, plan_id)
        if plan is None:
            raise NotFound("ไม่พบแผนนี้")
        items = await q.round_items(conn, plan_id)
    rnd = _round_of(plan, round_code, today(services.clock))
    sheet = await EventSourcedRepository(services.store).load(
        RoundSheet, actor.tenant_id, round_sheet_id(actor.tenant_id, plan_id, rnd.code)
    )
    return plan, rnd, items, sheet


async def round_view(
    services: Services, actor: Actor, plan_id: uuid.UUID, round_code: str
) -> RoundView:
    authorize(actor, Action.READ)
    plan, rnd, items, sheet = await _load(services, actor, plan_id, round_code)
    rows = [
        RoundRow(
            r["item_id"],
            r["number"],
            ItemKind(r["kind"]),
            r["registered_name"],
            r["no_budget"],
            None if r["no_budget"] else _satang(dict(r["budget"]).get(str(rnd.fiscal_year))),
            sheet.entries.get(r["item_id"]),
            tuple(str(o) for o in _json(r["objectives"])),
            tuple(str(t) for t in _json(r["targets"])),
            tuple(int(y) for y in _json(r["fiscal_years"])),
        )
        for r in items
    ]
    return RoundView(
        plan,
        rnd,
        rows,
        implementation_rate(rnd.kind, [r.entry.status if r.entry else None for r in rows]),
        missing(rnd.kind, [(r.number, r.entry) for r in rows]),
        sheet.version,
        plan_rounds(plan, today(services.clock)),
    )


async def record_round(
    services: Services,
    actor: Actor,
    call: Call,
    plan_id: uuid.UUID,
    round_code: str,
    entries: list[ItemRoundEntry],
) -> Saved:
    """RoundEntriesRecorded with the entries that changed (the domain's rules)."""
    authorize(actor, Action.WRITE_REPORTS)
    repo = EventSourcedRepository(services.store)
    ctx = context(actor, call)
    if (prior := await repo.prior(ctx)) is not None:
        return prior
    plan, rnd, items, sheet = await _load(services, actor, plan_id, round_code)
    sheet.record(
        plan_id,
        rnd,
        (plan["first_year"], plan["last_year"]),
        frozenset(r["item_id"] for r in items),
        entries,
        today(services.clock),
        services.clock.now(),
    )
    if call.if_match is not None and call.if_match != sheet.loaded_version:
        raise PreconditionFailed(call.if_match, sheet.loaded_version)
    return await repo.save(ctx, sheet)


async def round_index(services: Services, actor: Actor) -> list[dict[str, Any]]:
    """Every plan with its rounds that have begun (latest plan first, rounds latest first)."""
    authorize(actor, Action.READ)
    async with reading(services, actor) as conn:
        plans = await plan_queries.plan_list(conn)
    on = today(services.clock)
    return [{**p, "rounds": list(reversed(plan_rounds(p, on)))} for p in plans]


def _tick(on: bool) -> str:
    return "ใช่" if on else "ไม่ใช่"


def eplannacc_rows(view: RoundView, org_code: str, org_name: str) -> list[list[Any]]:
    """One row per item, in the order of ``domain.reporting.eplannacc.FIELDS``."""
    rows = []
    for r in view.rows:
        e = r.entry
        years = f"{min(r.years)}–{max(r.years)}" if r.years else ""
        rows.append(
            [
                org_code,
                org_name,
                view.round.fiscal_year,
                f"{view.round.kind.months} เดือน",
                r.dimension,
                r.number,
                r.name,
                r.kind.thai,
                years,
                "",  # ไตรมาส: not recorded by the service
                NO_BUDGET if r.no_budget else BUDGET_FROM_PLAN,
                *([""] * len(TARGET_GROUPS)),  # not recorded by the service
                "\n".join(r.targets),
                "\n".join(r.objectives),
                _money(e.budget_plan if e else r.planned),
                _money(e.budget_ordinance) if e else None,
                _money(e.disbursed) if e else None,
                _tick(e.in_ordinance) if e else "",
                _tick(e.in_operating_plan) if e else "",
                e.status.thai if e and e.status else "",
                e.reason.thai if e and e.reason else "",
                e.remark if e else "",
            ]
        )
    return rows


def _money(satang: int | None) -> Decimal | None:
    return None if satang is None else Decimal(satang) / 100


@dataclass(frozen=True)
class Export:
    data: bytes
    format: str  # "xlsx" | "csv"
    name_th: str
    ascii_name: str


async def eplannacc_export(
    services: Services, actor: Actor, plan_id: uuid.UUID, round_code: str, fmt: str
) -> Export:
    """The round's e-PlanNACC file (XLSX or CSV), from the same view as the round table."""
    view = await round_view(services, actor, plan_id, round_code)
    async with services.db.acquire() as conn:
        org = await find_org(conn, actor.tenant_code)
    name = org.name if org is not None else actor.tenant_code
    rows = eplannacc_rows(view, actor.tenant_code, name)
    th = f"e-PlanNACC-{actor.tenant_code}-{view.round.code}"
    ascii_name = f"sujarit-eplannacc-{actor.tenant_code}-{view.round.code}"
    if fmt == "csv":
        return Export(eplannacc.csv_bytes(rows), "csv", th, ascii_name)
    p, _ = await profile(services, actor)
    about = [
        ("รหัส อปท.", actor.tenant_code),
        ("ชื่อ อปท.", name),
        ("จำนวนประชากร (คน)", p.population),
        ("พื้นที่ (ตร.กม.)", p.area_km2),
        ("รายได้ (บาท)", _money(p.income)),
        ("ผู้ประสานงาน", p.coordinator_name),
        ("ตำแหน่ง", p.coordinator_position),
        ("โทรศัพท์", p.coordinator_phone),
        ("อีเมล", p.coordinator_email),
        ("เว็บไซต์", p.website),
    ]
    data = eplannacc.xlsx(rows, about, th, name, services.clock.now())
    return Export(data, "xlsx", th, ascii_name)
