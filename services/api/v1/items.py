"""/api/v1/plans/{plan}/items/{item}: the detail sheet, steps, budget, indicators."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from litestar import Controller, Response, get, patch, post, put
from litestar.di import NamedDependency as Dep
from litestar.exceptions import PermissionDeniedException
from litestar.params import FromPath, FromQuery, JSONBody

from domain.plans import commands as c
from domain.plans.errors import UnknownItem
from domain.plans.events import ItemHeadingsEdited
from domain.plans.handlers import handle_item_command, handle_plan_command
from domain.plans.item import Item
from domain.plans.plan import Plan
from domain.plans.values import Comparator, OutcomeIndicator, OutputIndicator
from domain.plans.views import item_sheet, sheet_of, with_attainment
from domain.shared.errors import NotFound
from infra.repository import EventSourcedRepository
from services.api.state import Services
from services.api.v1 import schemas as s
from services.api.v1.auth import PROGRESS_ROLES, WRITE_ROLES, AnyRequest, Principal
from services.api.v1.common import (
    PROBLEMS,
    counted,
    end_of_day,
    if_match,
    today_bangkok,
    written,
)
from services.api.v1.evidence import cited
from services.api.v1.plans import _entry


async def _assigned_to(principal: Principal, services: Services, cmd: Any) -> None:
    """Staff record progress only on the steps whose responsible people name them (by email
    or by name, as the plan officer wrote it)."""
    number = getattr(cmd, "number", None)
    if number is None:
        return
    item = await EventSourcedRepository(services.store).load(Item, principal.tenant_id, cmd.item_id)
    step = next((st for st in item.ordered_steps() if st.number == number), None)
    if step is None:
        return  # the handler says what is wrong
    me = {" ".join(principal.actor.lower().split())}
    if principal.session is not None:
        me.add(" ".join(principal.session.name.lower().split()))
    named = {" ".join(r.lower().split()) for r in step.responsible}
    if not me & named:
        raise PermissionDeniedException(
            "ขั้นตอนนี้ไม่ได้มอบหมายให้คุณ ผู้รับผิดชอบแผนเพิ่มชื่อหรืออีเมลของคุณในผู้รับผิดชอบได้"
        )


class ItemsController(Controller):
    path = "/api/v1/plans/{plan_id:uuid}/items/{item_id:uuid}"
    tags = ["items"]  # noqa: RUF012

    async def _do(
        self,
        request: AnyRequest,
        principal: Principal,
        services: Services,
        cmd: Any,
        roles: frozenset[str] = WRITE_ROLES,
    ) -> Response[Any]:
        principal.require(roles)
        if principal.role == "staff":
            await _assigned_to(principal, services, cmd)
        saved = await handle_item_command(
            EventSourcedRepository(services.store),
            await principal.context(request),
            cmd,
            if_match=if_match(request),
        )
        return written(cmd.item_id, saved, request.route_handler.status_code or 200)

    @get("/", responses=PROBLEMS)
    async def sheet(
        self,
        plan_id: FromPath[uuid.UUID],
        item_id: FromPath[uuid.UUID],
        principal: Dep[Principal],
        services: Dep[Services],
        as_of: FromQuery[date | None] = None,
    ) -> Response[Any]:
        """The ten-heading detail sheet; ``as_of``: as it stood at the end of that day. Each
        output indicator has its value and attainment per fiscal year of the plan."""
        version: int
        if as_of is not None:
            repo = EventSourcedRepository(services.store)
            at = end_of_day(as_of)
            plan = await repo.load(Plan, principal.tenant_id, plan_id, as_of=at)
            entry = plan.items.get(item_id)
            if entry is None:
                raise UnknownItem("ไม่พบรายการนี้ในแผน ณ วันที่ที่เลือก")
            item = await repo.load(Item, principal.tenant_id, item_id, as_of=at)
            sheet, version, years = (
                sheet_of(entry, item_sheet(item)),
                item.version,
                (list(plan.years().years)),
            )
            async with principal.reading(services) as conn:
                count = await counted(conn, as_of)
        else:
            async with principal.reading(services) as conn:
                row = await conn.fetchrow(
                    "SELECT i.item_id, i.number, i.kind, i.registered_name, i.sheet, i.version, "
                    "p.summary->'first_year' AS first, p.summary->'last_year' AS last "
                    "FROM item_views i JOIN plan_views p USING (tenant_id, plan_id) "
                    "WHERE i.plan_id = $1 AND i.item_id = $2",
                    plan_id,
                    item_id,
                )
                if row is None:
                    raise NotFound("ไม่พบรายการนี้")
                count = await counted(conn)
            sheet, version = sheet_of(_entry(row), row["sheet"]), row["version"]
            years = list(range(int(row["first"]), int(row["last"]) + 1))
        body = with_attainment(sheet, years, count, as_of or today_bangkok())
        return Response(body, headers={"ETag": f'"{version}"'})

    @patch("/", responses=PROBLEMS)
    async def edit(
        self,
        plan_id: FromPath[uuid.UUID],
        item_id: FromPath[uuid.UUID],
        data: JSONBody[s.HeadingsIn],
        request: AnyRequest,
        principal: Dep[Principal],
        services: Dep[Services],
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
        return await self._do(
            request, principal, services, c.EditItemHeadings(plan_id, item_id, edit)
        )

    @put("/number", responses=PROBLEMS)
    async def renumber(
        self,
        plan_id: FromPath[uuid.UUID],
        item_id: FromPath[uuid.UUID],
        data: JSONBody[s.RenumberIn],
        request: AnyRequest,
        principal: Dep[Principal],
        services: Dep[Services],
    ) -> Response[Any]:
        principal.require(WRITE_ROLES)
        saved = await handle_plan_command(
            EventSourcedRepository(services.store),
            await principal.context(request),
            c.RenumberItem(plan_id, item_id, data.number),
            if_match=if_match(request),
        )
        return written(plan_id, saved)

    @put("/budget", responses=PROBLEMS)
    async def budget(
        self,
        plan_id: FromPath[uuid.UUID],
        item_id: FromPath[uuid.UUID],
        data: JSONBody[s.BudgetIn],
        request: AnyRequest,
        principal: Dep[Principal],
        services: Dep[Services],
    ) -> Response[Any]:
        if data.no_budget == (data.amounts is not None):
            from litestar.exceptions import ValidationException

            raise ValidationException("ระบุอย่างใดอย่างหนึ่ง: no_budget หรือ amounts")
        amounts = None
        if data.amounts is not None:
            try:
                amounts = {int(y): Decimal(a) for y, a in data.amounts.items()}
            except ValueError:
                from litestar.exceptions import ValidationException

                raise ValidationException('ปีงบประมาณต้องเป็นตัวเลข เช่น "2562"') from None
        return await self._do(request, principal, services, c.SetBudget(plan_id, item_id, amounts))

    @post("/steps", status_code=201, responses=PROBLEMS)
    async def schedule_step(
        self,
        plan_id: FromPath[uuid.UUID],
        item_id: FromPath[uuid.UUID],
        data: JSONBody[s.StepIn],
        request: AnyRequest,
        principal: Dep[Principal],
        services: Dep[Services],
    ) -> Response[Any]:
        return await self._do(
            request,
            principal,
            services,
            c.ScheduleStep(
                plan_id,
                item_id,
                data.number,
                data.title,
                data.due,
                data.fiscal_year,
                tuple(data.responsible),
            ),
        )

    @post("/steps/{number:str}/reschedule", status_code=200, responses=PROBLEMS)
    async def reschedule(
        self,
        plan_id: FromPath[uuid.UUID],
        item_id: FromPath[uuid.UUID],
        number: FromPath[str],
        data: JSONBody[s.RescheduleIn],
        request: AnyRequest,
        principal: Dep[Principal],
        services: Dep[Services],
    ) -> Response[Any]:
        return await self._do(
            request,
            principal,
            services,
            c.RescheduleStep(plan_id, item_id, number, data.reason, data.due, data.fiscal_year),
        )

    @post("/steps/{number:str}/start", status_code=200, responses=PROBLEMS)
    async def start(
        self,
        plan_id: FromPath[uuid.UUID],
        item_id: FromPath[uuid.UUID],
        number: FromPath[str],
        data: JSONBody[s.OnDateIn],
        request: AnyRequest,
        principal: Dep[Principal],
        services: Dep[Services],
    ) -> Response[Any]:
        return await self._do(
            request,
            principal,
            services,
            c.StartStep(plan_id, item_id, number, data.on),
            PROGRESS_ROLES,
        )

    @post("/steps/{number:str}/complete", status_code=200, responses=PROBLEMS)
    async def complete(
        self,
        plan_id: FromPath[uuid.UUID],
        item_id: FromPath[uuid.UUID],
        number: FromPath[str],
        data: JSONBody[s.CompleteIn],
        request: AnyRequest,
        principal: Dep[Principal],
        services: Dep[Services],
    ) -> Response[Any]:
        return await self._do(
            request,
            principal,
            services,
            c.CompleteStep(
                plan_id,
                item_id,
                number,
                data.on,
                data.note,
                await cited(principal, services, data.links, data.files),
            ),
            PROGRESS_ROLES,
        )

    @post("/steps/{number:str}/reopen", status_code=200, responses=PROBLEMS)
    async def reopen(
        self,
        plan_id: FromPath[uuid.UUID],
        item_id: FromPath[uuid.UUID],
        number: FromPath[str],
        data: JSONBody[s.ReasonIn],
        request: AnyRequest,
        principal: Dep[Principal],
        services: Dep[Services],
    ) -> Response[Any]:
        return await self._do(
            request, principal, services, c.ReopenStep(plan_id, item_id, number, data.reason)
        )

    @post("/outputs", status_code=201, responses=PROBLEMS)
    async def define_output(
        self,
        plan_id: FromPath[uuid.UUID],
        item_id: FromPath[uuid.UUID],
        data: JSONBody[s.OutputIndicatorIn],
        request: AnyRequest,
        principal: Dep[Principal],
        services: Dep[Services],
    ) -> Response[Any]:
        ind = OutputIndicator(
            data.id,
            data.text,
            Comparator(data.comparator),
            Decimal(data.target),
            data.unit,
            data.measure,
        )
        return await self._do(
            request, principal, services, c.DefineIndicator(plan_id, item_id, ind)
        )

    @post("/outcomes", status_code=201, responses=PROBLEMS)
    async def define_outcome(
        self,
        plan_id: FromPath[uuid.UUID],
        item_id: FromPath[uuid.UUID],
        data: JSONBody[s.OutcomeIndicatorIn],
        request: AnyRequest,
        principal: Dep[Principal],
        services: Dep[Services],
    ) -> Response[Any]:
        ind = OutcomeIndicator(data.id, data.text, data.measure)
        return await self._do(
            request, principal, services, c.DefineIndicator(plan_id, item_id, ind)
        )

    @post("/indicators/{indicator_id:str}/results", status_code=200, responses=PROBLEMS)
    async def record_result(
        self,
        plan_id: FromPath[uuid.UUID],
        item_id: FromPath[uuid.UUID],
        indicator_id: FromPath[str],
        data: JSONBody[s.ResultIn],
        request: AnyRequest,
        principal: Dep[Principal],
        services: Dep[Services],
    ) -> Response[Any]:
        return await self._do(
            request,
            principal,
            services,
            c.RecordIndicatorResult(
                plan_id,
                item_id,
                indicator_id,
                data.fiscal_year,
                Decimal(data.value),
                data.note,
                await cited(principal, services, data.links, data.files),
            ),
            PROGRESS_ROLES,
        )
