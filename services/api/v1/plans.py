"""/api/v1/plans: the plan, its items, steps, budgets and indicators."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from litestar import Controller, MediaType, Response, get, patch, post, put
from litestar.di import NamedDependency as Dep
from litestar.params import FromPath, FromQuery, JSONBody

from domain.plans import commands as c
from domain.plans.catalogue import Catalogue, Dimension, SubItem
from domain.plans.handlers import handle_draft_plan, handle_plan_command
from domain.plans.item import Item
from domain.plans.plan import ItemEntry, Plan
from domain.plans.values import ItemKind
from domain.plans.views import item_sheet, overview, plan_summary, render_overview, sheet_of
from domain.shared.errors import NotFound
from domain.shared.ports import Saved
from infra.repository import EventSourcedRepository
from services.api.state import Services
from services.api.v1 import schemas as s
from services.api.v1.auth import WRITE_ROLES, AnyRequest, Principal
from services.api.v1.common import (
    PROBLEMS,
    end_of_day,
    if_match,
    read_row,
    today_bangkok,
    written,
)
from services.api.v1.evidence import resolve_files


def _repo(services: Services) -> EventSourcedRepository:
    return EventSourcedRepository(services.store)


async def _load_items_as_of(
    repo: EventSourcedRepository, p: Principal, plan: Plan, as_of: date
) -> list[dict[str, Any]]:
    out = []
    for entry in plan.items.values():
        item = await repo.load(Item, p.tenant_id, entry.item_id, as_of=end_of_day(as_of))
        out.append(sheet_of(entry, item_sheet(item)))
    return out


# The plan's version, its overview template (its parts only when their digest is not the one
# this process holds) and what fills it today (migrations 0011 and 0019).
_OVERVIEW = (
    "SELECT version, digest, overview_parts, fillers, total, summary "
    "FROM app_plan_overview($1, $2, $3, $4)"
)


def _entry(row: Any) -> ItemEntry:
    return ItemEntry(row["item_id"], row["number"], ItemKind(row["kind"]), row["registered_name"])


class PlansController(Controller):
    path = "/api/v1/plans"
    tags = ["plans"]  # noqa: RUF012

    @get("/", responses=PROBLEMS)
    async def list_plans(self, principal: Dep[Principal], services: Dep[Services]) -> list[Any]:
        async with principal.reading(services) as conn:
            rows = await conn.fetch(
                "SELECT summary FROM plan_views ORDER BY summary->>'first_year' DESC"
            )
        return [{k: v for k, v in r["summary"].items() if k != "catalogue"} for r in rows]

    @post("/", responses=PROBLEMS)
    async def draft_plan(
        self,
        data: JSONBody[s.DraftPlanIn],
        request: AnyRequest,
        principal: Dep[Principal],
        services: Dep[Services],
    ) -> Response[Any]:
        principal.require(WRITE_ROLES)
        plan_id = principal.new_id(request)
        saved = await handle_draft_plan(
            _repo(services),
            await principal.context(request),
            c.DraftPlan(plan_id, data.title, data.first_year, data.last_year),
        )
        return written(plan_id, saved, 201)

    @get("/{plan_id:uuid}", responses=PROBLEMS)
    async def plan_overview(
        self,
        plan_id: FromPath[uuid.UUID],
        principal: Dep[Principal],
        services: Dep[Services],
        as_of: FromQuery[date | None] = None,
    ) -> Response[Any]:
        """The plan overview (the official summary table); ``as_of``: as it stood that day."""
        today = as_of or today_bangkok()
        if as_of is not None:
            repo = _repo(services)
            plan = await repo.load(Plan, principal.tenant_id, plan_id, as_of=end_of_day(as_of))
            if not plan.exists:
                raise NotFound("ไม่พบแผนนี้ ณ วันที่ที่เลือก")
            body = overview(
                plan_summary(plan), await _load_items_as_of(repo, principal, plan, as_of), today
            )
            return Response(body, headers={"ETag": f'"{plan.version}"'})
        key = (principal.tenant_id, plan_id)
        held = services.templates.get(key)
        row = await read_row(
            principal, services, _OVERVIEW, plan_id, today, held[0] if held else None
        )
        if row is None:
            raise NotFound("ไม่พบแผนนี้")
        etag = {"ETag": f'"{row["version"]}"'}
        parts = row["overview_parts"]
        if parts is None and held is not None and row["digest"] == held[0]:
            parts = held[1]  # the database said the parts held are the current ones
        elif parts is not None and row["digest"] is not None:
            services.templates.put(key, row["digest"], parts)
        if parts is not None:  # the template the projection keeps
            ready = render_overview(parts, row["fillers"].encode(), row["total"], today)
            return Response(ready, media_type=MediaType.JSON, headers=etag)
        async with principal.reading(services) as conn:  # not yet written since migration 0011
            items = await conn.fetch(
                "SELECT item_id, number, kind, registered_name, brief FROM item_views "
                "WHERE plan_id = $1",
                plan_id,
            )
        body = overview(row["summary"], [sheet_of(_entry(r), r["brief"]) for r in items], today)
        return Response(body, headers=etag)

    @patch("/{plan_id:uuid}", responses=PROBLEMS)
    async def change_plan(
        self,
        plan_id: FromPath[uuid.UUID],
        data: JSONBody[s.DraftPlanIn],
        request: AnyRequest,
        principal: Dep[Principal],
        services: Dep[Services],
    ) -> Response[Any]:
        principal.require(WRITE_ROLES)
        saved = await handle_plan_command(
            _repo(services),
            await principal.context(request),
            c.ChangePlanDetails(plan_id, data.title, data.first_year, data.last_year),
            if_match=if_match(request),
        )
        return written(plan_id, saved)

    @post("/{plan_id:uuid}/items", responses=PROBLEMS)
    async def add_item(
        self,
        plan_id: FromPath[uuid.UUID],
        data: JSONBody[s.AddItemIn],
        request: AnyRequest,
        principal: Dep[Principal],
        services: Dep[Services],
    ) -> Response[Any]:
        principal.require(WRITE_ROLES)
        item_id = principal.new_id(request)
        saved = await handle_plan_command(
            _repo(services),
            await principal.context(request),
            c.AddItem(plan_id, item_id, data.number, ItemKind(data.kind), data.name),
            if_match=if_match(request),
        )
        # The new item's own stream starts empty: its ETag is "0".
        return written(item_id, Saved(0, saved.duplicate), 201)

    @post("/{plan_id:uuid}/promulgation", status_code=200, responses=PROBLEMS)
    async def promulgate(
        self,
        plan_id: FromPath[uuid.UUID],
        data: JSONBody[s.PromulgateIn],
        request: AnyRequest,
        principal: Dep[Principal],
        services: Dep[Services],
    ) -> Response[Any]:
        principal.require(frozenset({"executive"}))
        saved = await handle_plan_command(
            _repo(services),
            await principal.context(request),
            c.PromulgatePlan(
                plan_id,
                data.on,
                data.executive,
                (await resolve_files(principal, services, [data.document]))[0]
                if data.document
                else None,
            ),
            if_match=if_match(request),
        )
        return written(plan_id, saved)

    @post("/{plan_id:uuid}/closure", status_code=200, responses=PROBLEMS)
    async def close(
        self,
        plan_id: FromPath[uuid.UUID],
        data: JSONBody[s.OnDateIn],
        request: AnyRequest,
        principal: Dep[Principal],
        services: Dep[Services],
    ) -> Response[Any]:
        principal.require(frozenset({"executive"}))
        saved = await handle_plan_command(
            _repo(services),
            await principal.context(request),
            c.ClosePlan(plan_id, data.on),
            if_match=if_match(request),
        )
        return written(plan_id, saved)

    @put("/{plan_id:uuid}/catalogue", responses=PROBLEMS)
    async def change_catalogue(
        self,
        plan_id: FromPath[uuid.UUID],
        data: JSONBody[s.CatalogueIn],
        request: AnyRequest,
        principal: Dep[Principal],
        services: Dep[Services],
    ) -> Response[Any]:
        """Replace the plan's catalogue of dimensions and sub-items (a later template round,
        or the LAO's own wording); every item must keep its sub-item."""
        principal.require(WRITE_ROLES)
        catalogue = Catalogue(
            tuple(
                Dimension(d.number, d.title, tuple(SubItem(x.number, x.title) for x in d.sub_items))
                for d in data.dimensions
            )
        )
        saved = await handle_plan_command(
            _repo(services),
            await principal.context(request),
            c.ChangeCatalogue(plan_id, catalogue),
            if_match=if_match(request),
        )
        return written(plan_id, saved)

    @post("/{plan_id:uuid}/items/{item_id:uuid}/withdrawal", status_code=200, responses=PROBLEMS)
    async def withdraw_item(
        self,
        plan_id: FromPath[uuid.UUID],
        item_id: FromPath[uuid.UUID],
        data: JSONBody[s.ReasonIn],
        request: AnyRequest,
        principal: Dep[Principal],
        services: Dep[Services],
    ) -> Response[Any]:
        """Take an item out of the plan (its history stays in the log)."""
        principal.require(WRITE_ROLES)
        saved = await handle_plan_command(
            _repo(services),
            await principal.context(request),
            c.WithdrawItem(plan_id, item_id, data.reason),
            if_match=if_match(request),
        )
        return written(plan_id, saved)
