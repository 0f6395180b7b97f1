"""Plans: the list, the overview (the official summary table, today or as it stood at the end
of a past day), drafting, items added and withdrawn, promulgation and closure; the home page's
reads (the current plan, its items' sheets, what is counted, the province's open requests)."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from domain.plans import commands as c
from domain.plans.handlers import PlanCommand, handle_draft_plan, handle_plan_command
from domain.plans.item import Item
from domain.plans.plan import Plan
from domain.plans.views import item_sheet, overview, plan_summary, render_overview, sheet_of
from domain.shared.access import Action, Actor
from domain.shared.errors import NotFound
from domain.shared.fiscal import fiscal_year
from domain.shared.ports import Saved
from infra.queries import plans as q
from infra.repository import EventSourcedRepository
from services.usecases import evidence
from services.usecases.bootstrap import Services
from services.usecases.scope import (
    Call,
    as_of_end,
    authorize,
    context,
    need_tenant,
    reading,
    today,
)


@dataclass(frozen=True)
class Overview:
    """The overview and the plan's version: built here (``body``) or ready as JSON from the
    template the projection keeps (``ready``)."""

    version: int
    body: dict[str, Any] | None = None
    ready: bytes | None = None

    def data(self) -> dict[str, Any]:
        if self.body is not None:
            return self.body
        assert self.ready is not None
        loaded: dict[str, Any] = json.loads(self.ready)
        return loaded


def current_of(plans: list[dict[str, Any]], on: date) -> dict[str, Any] | None:
    """The plan whose fiscal years cover ``on`` (the latest-starting), else the latest."""
    fy = fiscal_year(on)
    ordered = sorted(plans, key=lambda s: s["first_year"], reverse=True)
    for s in ordered:
        if s["first_year"] <= fy <= s["last_year"]:
            return s
    return ordered[0] if ordered else None


async def plans(services: Services, actor: Actor) -> list[dict[str, Any]]:
    """Every plan's summary without its catalogue (what a list of plans shows), the latest
    first."""
    authorize(actor, Action.READ)
    async with reading(services, actor) as conn:
        return await q.plan_list(conn)


async def plans_as_of(services: Services, actor: Actor, as_of: date) -> list[dict[str, Any]]:
    """The plans as they stood at the end of ``as_of``."""
    repo = EventSourcedRepository(services.store)
    out = []
    for s in await plans(services, actor):
        plan = await repo.load(
            Plan, actor.tenant_id, uuid.UUID(s["plan_id"]), as_of=as_of_end(as_of, services.clock)
        )
        if plan.exists:
            out.append(plan_summary(plan))
    return sorted(out, key=lambda s: s["first_year"], reverse=True)


async def _overview_as_of(
    services: Services, actor: Actor, plan_id: uuid.UUID, as_of: date
) -> Overview:
    repo = EventSourcedRepository(services.store)
    at = as_of_end(as_of, services.clock)
    plan = await repo.load(Plan, actor.tenant_id, plan_id, as_of=at)
    if not plan.exists:
        raise NotFound("ไม่พบแผนนี้ ณ วันที่ที่เลือก")
    items = []
    for entry in plan.items.values():
        item = await repo.load(Item, actor.tenant_id, entry.item_id, as_of=at)
        items.append(sheet_of(entry, item_sheet(item)))
    return Overview(plan.version, body=overview(plan_summary(plan), items, as_of))


async def _overview_row(
    services: Services, actor: Actor, plan_id: uuid.UUID, on: date, digest: bytes | None
) -> Any:
    """app_plan_overview sets the tenant itself: a member's read is one statement on a pooled
    connection; a reviewer reads in its province's read-only transaction as usual."""
    need_tenant(actor)
    if actor.reviewing:
        async with reading(services, actor) as conn:
            return await q.plan_overview_row(conn, actor.tenant_id, plan_id, on, digest)
    async with services.db.acquire() as conn:
        return await q.plan_overview_row(conn, actor.tenant_id, plan_id, on, digest)


async def plan_overview(
    services: Services, actor: Actor, plan_id: uuid.UUID, as_of: date | None = None
) -> Overview:
    """The overview today (one round trip: the template the projection keeps, its parts sent
    only when this process does not hold them), or as it stood at the end of ``as_of``."""
    authorize(actor, Action.READ)
    if as_of is not None:
        return await _overview_as_of(services, actor, plan_id, as_of)
    on = today(services.clock)
    key = (actor.tenant_id, plan_id)
    held = services.templates.get(key)
    row = await _overview_row(services, actor, plan_id, on, held[0] if held else None)
    if row is None:
        raise NotFound("ไม่พบแผนนี้")
    parts = row["overview_parts"]
    if parts is None and held is not None and row["digest"] == held[0]:
        parts = held[1]  # the database said the parts held are the current ones
    elif parts is not None and row["digest"] is not None:
        services.templates.put(key, row["digest"], parts)
    if parts is not None:
        digest, fillers, total = row["digest"], row["fillers"], row["total"]
        ready = services.templates.rendered(key, digest, fillers, total, on)
        if ready is None:  # the parts, the fillers, the total or the day are not the last ones
            ready = render_overview(parts, fillers.encode(), total, on)
            services.templates.keep_rendered(key, digest, fillers, total, on, ready)
        return Overview(row["version"], ready=ready)
    async with reading(services, actor) as conn:  # not yet written since migration 0011
        items = await q.item_briefs(conn, plan_id)
    body = overview(row["summary"], [sheet_of(q.entry_of(r), r["brief"]) for r in items], on)
    return Overview(row["version"], body=body)


async def promulgation_document(
    services: Services, actor: Actor, plan_id: uuid.UUID, as_of: date | None = None
) -> dict[str, Any] | None:
    authorize(actor, Action.READ)
    async with reading(services, actor) as conn:
        return await q.promulgation_document(
            conn, plan_id, as_of_end(as_of, services.clock) if as_of else None
        )


# -- writing ----------------------------------------------------------------------------------


def _repo(services: Services) -> EventSourcedRepository:
    return EventSourcedRepository(services.store)


async def draft_plan(services: Services, actor: Actor, call: Call, cmd: c.DraftPlan) -> Saved:
    authorize(actor, Action.EDIT_PLAN)
    return await handle_draft_plan(_repo(services), context(actor, call), cmd)


def plan_action(cmd: PlanCommand) -> Action:
    """Promulgating and closing a plan, and deciding on items added after promulgation, is
    the executive's; the rest is editing."""
    if isinstance(
        cmd, c.PromulgatePlan | c.ClosePlan | c.ApproveItemAddition | c.ReturnItemAddition
    ):
        return Action.PROMULGATE_PLAN
    return Action.EDIT_PLAN


async def plan_command(services: Services, actor: Actor, call: Call, cmd: PlanCommand) -> Saved:
    """A command on the plan's stream (If-Match: the plan's version)."""
    authorize(actor, plan_action(cmd))
    return await handle_plan_command(
        _repo(services), context(actor, call), cmd, if_match=call.if_match, clock=services.clock
    )


async def promulgate(
    services: Services, actor: Actor, call: Call, cmd: c.PromulgatePlan, document: str | None
) -> Saved:
    """Promulgate the plan citing its signed document by SHA-256 (an upload of this LAO's):
    a role that may not promulgate is refused before the file is looked up."""
    authorize(actor, plan_action(cmd))
    if document:
        found = await evidence.resolve_files(services, actor, [document])
        cmd = replace(cmd, document=found[0])
    return await plan_command(services, actor, call, cmd)


# -- the home page ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Home:
    today: date
    plan: dict[str, Any] | None  # the current plan's summary
    sheets: list[dict[str, Any]]  # its items' sheets
    count: dict[str, dict[int, int]]
    revisions: list[dict[str, Any]]


async def home(services: Services, actor: Actor) -> Home:
    """What the home page reads: the current plan, its items, what is counted, the province's
    open revision requests."""
    authorize(actor, Action.READ)
    on = today(services.clock)
    async with reading(services, actor) as conn:
        plan = current_of(await q.plan_summaries(conn), on)
        rows = await q.item_sheets(conn, uuid.UUID(plan["plan_id"])) if plan else []
        count = await q.counted(conn)
        revisions = [dict(r) for r in await q.open_revisions(conn)]
    sheets = [sheet_of(q.entry_of(r), r["sheet"]) for r in rows]
    return Home(on, plan, sheets, count, revisions)
