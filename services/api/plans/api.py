"""/api/v1/plans: the plan, its items, steps, budgets and indicators (JSON in, the use cases of
services/usecases/plans.py and items.py, JSON and ETags out)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from litestar import Controller, MediaType, Response, get, patch, post, put
from litestar.di import NamedDependency as Dep
from litestar.di import Provide
from litestar.exceptions import ValidationException
from litestar.params import FromPath, FromQuery, JSONBody

from domain.plans import commands as c
from domain.plans.catalogue import Catalogue, Dimension, SubItem
from domain.plans.events import ItemHeadingsEdited
from domain.plans.handlers import ItemCommand, PlanCommand
from domain.plans.item import Item
from domain.plans.values import Comparator, Evidence, ItemKind, OutcomeIndicator, OutputIndicator
from domain.shared.ports import Saved
from services.api.edge import Asked
from services.api.plans import schemas as s
from services.api.v1.auth import AnyRequest
from services.api.v1.common import PROBLEMS, written
from services.usecases import items as item_cases
from services.usecases import plans as plan_cases
from services.usecases.scope import authorize, today


class ItemAt(NamedTuple):
    """The item a route's path names: its plan's id and its own."""

    plan_id: uuid.UUID
    item_id: uuid.UUID


async def provide_item_at(plan_id: FromPath[uuid.UUID], item_id: FromPath[uuid.UUID]) -> ItemAt:
    return ItemAt(plan_id, item_id)


async def _plan(asked: Asked, cmd: PlanCommand) -> Response[Any]:
    saved = await asked.write(plan_cases.plan_command, cmd)
    return written(cmd.plan_id, saved)


async def _item(asked: Asked, cmd: ItemCommand, item: Item | None = None) -> Response[Any]:
    saved = await asked.write(item_cases.item_command, cmd, authorized=item)
    return written(cmd.item_id, saved, asked.status)


class PlansController(Controller):
    path = "/api/v1/plans"
    tags = ["plans"]  # noqa: RUF012

    @get("/", responses=PROBLEMS)
    async def list_plans(self, asked: Dep[Asked]) -> list[Any]:
        found: list[Any] = await asked.read(plan_cases.plans)  # without their catalogues
        return found

    @post("/", responses=PROBLEMS)
    async def draft_plan(self, data: JSONBody[s.DraftPlanIn], asked: Dep[Asked]) -> Response[Any]:
        plan_id = asked.new_id()
        cmd = c.DraftPlan(plan_id, data.title, data.first_year, data.last_year)
        saved = await asked.write(plan_cases.draft_plan, cmd)
        return written(plan_id, saved, 201)

    @get("/{plan_id:uuid}", responses=PROBLEMS)
    async def plan_overview(
        self, plan_id: FromPath[uuid.UUID], asked: Dep[Asked], as_of: FromQuery[date | None] = None
    ) -> Response[Any]:
        """The plan overview (the official summary table); ``as_of``: as it stood that day."""
        found = await asked.read(plan_cases.plan_overview, plan_id, as_of)
        etag = {"ETag": f'"{found.version}"'}
        if found.ready is not None:
            return Response(found.ready, media_type=MediaType.JSON, headers=etag)
        return Response(found.body, headers=etag)

    @patch("/{plan_id:uuid}", responses=PROBLEMS)
    async def change_plan(
        self, plan_id: FromPath[uuid.UUID], data: JSONBody[s.DraftPlanIn], asked: Dep[Asked]
    ) -> Response[Any]:
        cmd = c.ChangePlanDetails(plan_id, data.title, data.first_year, data.last_year)
        return await _plan(asked, cmd)

    @post("/{plan_id:uuid}/items", responses=PROBLEMS)
    async def add_item(
        self, plan_id: FromPath[uuid.UUID], data: JSONBody[s.AddItemIn], asked: Dep[Asked]
    ) -> Response[Any]:
        item_id = asked.new_id()
        cmd = c.AddItem(plan_id, item_id, data.number, ItemKind(data.kind), data.name)
        saved = await asked.write(plan_cases.plan_command, cmd)
        # The new item's own stream starts empty: its ETag is "0".
        return written(item_id, Saved(0, saved.duplicate), 201)

    @post("/{plan_id:uuid}/promulgation", status_code=200, responses=PROBLEMS)
    async def promulgate(
        self, plan_id: FromPath[uuid.UUID], data: JSONBody[s.PromulgateIn], asked: Dep[Asked]
    ) -> Response[Any]:
        cmd = c.PromulgatePlan(plan_id, data.on, data.executive, None, check_headings=True)
        return written(plan_id, await asked.write(plan_cases.promulgate, cmd, data.document))

    @post("/{plan_id:uuid}/closure", status_code=200, responses=PROBLEMS)
    async def close(
        self, plan_id: FromPath[uuid.UUID], data: JSONBody[s.OnDateIn], asked: Dep[Asked]
    ) -> Response[Any]:
        return await _plan(asked, c.ClosePlan(plan_id, data.on))

    @put("/{plan_id:uuid}/catalogue", responses=PROBLEMS)
    async def change_catalogue(
        self, plan_id: FromPath[uuid.UUID], data: JSONBody[s.CatalogueIn], asked: Dep[Asked]
    ) -> Response[Any]:
        """Replace the plan's catalogue of dimensions and sub-items (a later template round,
        or the LAO's own wording); every item must keep its sub-item."""
        catalogue = Catalogue(
            tuple(
                Dimension(d.number, d.title, tuple(SubItem(x.number, x.title) for x in d.sub_items))
                for d in data.dimensions
            )
        )
        return await _plan(asked, c.ChangeCatalogue(plan_id, catalogue))

    @post("/{plan_id:uuid}/items/{item_id:uuid}/withdrawal", status_code=200, responses=PROBLEMS)
    async def withdraw_item(
        self,
        plan_id: FromPath[uuid.UUID],
        item_id: FromPath[uuid.UUID],
        data: JSONBody[s.ReasonIn],
        asked: Dep[Asked],
    ) -> Response[Any]:
        """Take an item out of the plan (its history stays in the log)."""
        cmd = c.WithdrawItem(plan_id, item_id, data.reason)
        return await _plan(asked, cmd)

    @post(
        [
            "/{plan_id:uuid}/items/{item_id:uuid}/addition/approval",
            "/{plan_id:uuid}/items/{item_id:uuid}/addition/return",
        ],
        status_code=200,
        responses=PROBLEMS,
    )
    async def decide_addition(
        self,
        plan_id: FromPath[uuid.UUID],
        item_id: FromPath[uuid.UUID],
        data: JSONBody[s.AdditionIn],
        request: AnyRequest,
        asked: Dep[Asked],
    ) -> Response[Any]:
        """The executive decides on an item added after promulgation: ``approval`` (``on``; its
        required headings filled in, as for promulgation) or ``return`` (``reason``: what to
        change). Until approved the public page does not show it."""
        role, by = asked.actor.role, asked.actor.email
        cmd: c.ApproveItemAddition | c.ReturnItemAddition = (
            c.ReturnItemAddition(plan_id, item_id, data.reason, role, by)
            if request.url.path.endswith("/return")
            else c.ApproveItemAddition(
                plan_id, item_id, data.on or today(asked.services.clock), role, by
            )
        )
        return await _plan(asked, cmd)


async def _cited(
    asked: Asked,
    cmd: c.CompleteStep | c.RecordIndicatorResult,
    links: Sequence[s.LinkIn],
    files: list[str],
) -> Response[Any]:
    """A command citing evidence: authorized first, then its files looked up."""
    item = await asked.read(item_cases.authorize_item, cmd)
    evidence: tuple[Evidence, ...] = (
        *(link.evidence() for link in links),
        *await asked.read(item_cases.resolve_evidence, files),
    )
    return await _item(asked, replace(cmd, evidence=evidence), item)


class ItemsController(Controller):
    path = "/api/v1/plans/{plan_id:uuid}/items/{item_id:uuid}"
    tags = ["items"]  # noqa: RUF012
    dependencies = {"at": Provide(provide_item_at)}  # noqa: RUF012

    @get("/", responses=PROBLEMS)
    async def sheet(
        self, at: Dep[ItemAt], asked: Dep[Asked], as_of: FromQuery[date | None] = None
    ) -> Response[Any]:
        """The ten-heading detail sheet; ``as_of``: as it stood at the end of that day. Each
        output indicator has its value and attainment per fiscal year of the plan."""
        found = await asked.read(item_cases.item_sheet_of, *at, as_of)
        return Response(found.sheet, headers={"ETag": f'"{found.version}"'})

    @patch("/", responses=PROBLEMS)
    async def edit(
        self, at: Dep[ItemAt], data: JSONBody[s.HeadingsIn], asked: Dep[Asked]
    ) -> Response[Any]:
        edit = ItemHeadingsEdited(
            name=data.name,
            rationale=data.rationale,
            objectives=tuple(data.objectives) if data.objectives is not None else None,
            targets=tuple(data.targets) if data.targets is not None else None,
            area=data.area,
            fiscal_years=tuple(data.fiscal_years) if data.fiscal_years is not None else None,
            responsible_unit=data.responsible_unit,
        )
        return await _item(asked, c.EditItemHeadings(*at, edit))

    @put("/number", responses=PROBLEMS)
    async def renumber(
        self, at: Dep[ItemAt], data: JSONBody[s.RenumberIn], asked: Dep[Asked]
    ) -> Response[Any]:
        return await _plan(asked, c.RenumberItem(*at, data.number))

    @put("/budget", responses=PROBLEMS)
    async def budget(
        self, at: Dep[ItemAt], data: JSONBody[s.BudgetIn], asked: Dep[Asked]
    ) -> Response[Any]:
        authorize(asked.actor, item_cases.item_action(c.SetBudget(*at, None)))
        if data.no_budget == (data.amounts is not None):
            raise ValidationException("ระบุอย่างใดอย่างหนึ่ง: no_budget หรือ amounts")
        amounts = None
        if data.amounts is not None:
            try:
                amounts = {int(y): Decimal(a) for y, a in data.amounts.items()}
            except ValueError:
                raise ValidationException('ปีงบประมาณต้องเป็นตัวเลข เช่น "2562"') from None
        return await _item(asked, c.SetBudget(*at, amounts))

    @post("/steps", status_code=201, responses=PROBLEMS)
    async def schedule_step(
        self, at: Dep[ItemAt], data: JSONBody[s.StepIn], asked: Dep[Asked]
    ) -> Response[Any]:
        cmd = c.ScheduleStep(
            *at,
            data.number,
            data.title,
            data.due,
            data.fiscal_year,
            tuple(data.responsible),
        )
        return await _item(asked, cmd)

    @post("/steps/{number:str}/reschedule", status_code=200, responses=PROBLEMS)
    async def reschedule(
        self,
        at: Dep[ItemAt],
        number: FromPath[str],
        data: JSONBody[s.RescheduleIn],
        asked: Dep[Asked],
    ) -> Response[Any]:
        return await _item(
            asked, c.RescheduleStep(*at, number, data.reason, data.due, data.fiscal_year)
        )

    @post("/steps/{number:str}/start", status_code=200, responses=PROBLEMS)
    async def start(
        self, at: Dep[ItemAt], number: FromPath[str], data: JSONBody[s.OnDateIn], asked: Dep[Asked]
    ) -> Response[Any]:
        return await _item(asked, c.StartStep(*at, number, data.on))

    @post("/steps/{number:str}/complete", status_code=200, responses=PROBLEMS)
    async def complete(
        self,
        at: Dep[ItemAt],
        number: FromPath[str],
        data: JSONBody[s.CompleteIn],
        asked: Dep[Asked],
    ) -> Response[Any]:
        cmd = c.CompleteStep(*at, number, data.on, data.note)
        return await _cited(asked, cmd, data.links, data.files)

    @post("/steps/{number:str}/reopen", status_code=200, responses=PROBLEMS)
    async def reopen(
        self, at: Dep[ItemAt], number: FromPath[str], data: JSONBody[s.ReasonIn], asked: Dep[Asked]
    ) -> Response[Any]:
        return await _item(asked, c.ReopenStep(*at, number, data.reason))

    @post("/outputs", status_code=201, responses=PROBLEMS)
    async def define_output(
        self, at: Dep[ItemAt], data: JSONBody[s.OutputIndicatorIn], asked: Dep[Asked]
    ) -> Response[Any]:
        ind = OutputIndicator(
            data.id,
            data.text,
            Comparator(data.comparator),
            Decimal(data.target),
            data.unit,
            data.measure,
        )
        return await _item(asked, c.DefineIndicator(*at, ind))

    @post("/outcomes", status_code=201, responses=PROBLEMS)
    async def define_outcome(
        self, at: Dep[ItemAt], data: JSONBody[s.OutcomeIndicatorIn], asked: Dep[Asked]
    ) -> Response[Any]:
        ind = OutcomeIndicator(data.id, data.text, data.measure)
        return await _item(asked, c.DefineIndicator(*at, ind))

    @post("/indicators/{indicator_id:str}/results", status_code=200, responses=PROBLEMS)
    async def record_result(
        self,
        at: Dep[ItemAt],
        indicator_id: FromPath[str],
        data: JSONBody[s.ResultIn],
        asked: Dep[Asked],
    ) -> Response[Any]:
        cmd = c.RecordIndicatorResult(
            *at, indicator_id, data.fiscal_year, Decimal(data.value), data.note
        )
        return await _cited(asked, cmd, data.links, data.files)
