"""Round reporting per item: the round table of a plan (every item of a fiscal year's 6- or
12-month round on one sheet), saved at once; its implementation rate and what it still lacks;
the e-PlanNACC export reads the same view."""

from __future__ import annotations

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
from domain.reporting.rounds import ReportingRound, rounds_of
from domain.shared.access import Action, Actor
from domain.shared.errors import NotFound, PreconditionFailed
from domain.shared.fiscal import YearSpan
from domain.shared.ports import Saved
from infra.queries import plans as plan_queries
from infra.queries import rounds as q
from infra.repository import EventSourcedRepository
from services.usecases.bootstrap import Services
from services.usecases.reports import InvalidRound
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


def _round_of(plan: dict[str, Any], code: str, on: date) -> ReportingRound:
    try:
        rnd = ReportingRound.parse(code)
    except ValueError as exc:
        raise InvalidRound(
            f"รอบรายงาน '{code[:20]}' ไม่ถูกต้อง ใช้ปีงบประมาณ พ.ศ. และรอบ เช่น 2568-6 หรือ 2568-12"
        ) from exc
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
        plans = await plan_queries.plan_summaries(conn)
    on = today(services.clock)
    return [{**p, "rounds": list(reversed(plan_rounds(p, on)))} for p in plans]
