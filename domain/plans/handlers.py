"""Handlers: load the aggregate, let it decide, save. One command, one aggregate."""

from __future__ import annotations

import uuid

from domain.plans import commands as c
from domain.plans.errors import UnknownItem
from domain.plans.item import Item, PlanContext
from domain.plans.plan import Plan, PlanStatus
from domain.plans.values import OutputIndicator, StepSchedule
from domain.shared.errors import NotFound, PreconditionFailed
from domain.shared.ports import Context, Repository, Saved, save_as_expected


def _check_if_match(if_match: int | None, loaded: int) -> None:
    if if_match is not None and if_match != loaded:
        raise PreconditionFailed(if_match, loaded)


async def _plan(repo: Repository, ctx: Context, plan_id: uuid.UUID) -> Plan:
    plan = await repo.load(Plan, ctx.tenant_id, plan_id)
    if not plan.exists:
        raise NotFound("ไม่พบแผนนี้", plan_id=str(plan_id))
    return plan


async def _item(
    repo: Repository, ctx: Context, plan_id: uuid.UUID, item_id: uuid.UUID
) -> tuple[Plan, Item, PlanContext]:
    plan = await _plan(repo, ctx, plan_id)
    if item_id not in plan.items:
        raise UnknownItem("ไม่พบรายการนี้ในแผน", item_id=str(item_id))
    item = await repo.load(Item, ctx.tenant_id, item_id)
    return plan, item, PlanContext(plan.years(), plan.status is PlanStatus.CLOSED)


async def handle_draft_plan(repo: Repository, ctx: Context, cmd: c.DraftPlan) -> Saved:
    if (prior := await repo.prior(ctx)) is not None:
        return prior
    plan = await repo.load(Plan, ctx.tenant_id, cmd.plan_id)
    plan.draft(cmd.title, cmd.first_year, cmd.last_year, cmd.catalogue)
    return await repo.save(ctx, plan)


PlanCommand = (
    c.ChangePlanDetails
    | c.ChangeCatalogue
    | c.AddItem
    | c.RenumberItem
    | c.WithdrawItem
    | c.PromulgatePlan
    | c.ClosePlan
)


async def handle_plan_command(
    repo: Repository, ctx: Context, cmd: PlanCommand, *, if_match: int | None = None
) -> Saved:
    """Commands on the plan stream."""
    if (prior := await repo.prior(ctx)) is not None:
        return prior
    plan = await _plan(repo, ctx, cmd.plan_id)
    _check_if_match(if_match, plan.version)
    match cmd:
        case c.ChangePlanDetails():
            plan.change_details(cmd.title, cmd.first_year, cmd.last_year)
        case c.AddItem():
            plan.add_item(cmd.item_id, cmd.number, cmd.kind, cmd.name)
        case c.RenumberItem():
            plan.renumber_item(cmd.item_id, cmd.number)
        case c.PromulgatePlan():
            plan.promulgate(cmd.on, cmd.executive, cmd.document)
        case c.ClosePlan():
            plan.close(cmd.on)
        case c.ChangeCatalogue():
            plan.change_catalogue(cmd.catalogue)
        case c.WithdrawItem():
            plan.withdraw_item(cmd.item_id, cmd.reason)
    return await save_as_expected(repo, ctx, plan, if_match)


ItemCommand = (
    c.EditItemHeadings
    | c.SetBudget
    | c.ScheduleStep
    | c.RescheduleStep
    | c.StartStep
    | c.CompleteStep
    | c.ReopenStep
    | c.DefineIndicator
    | c.RecordIndicatorResult
)


async def handle_item_command(
    repo: Repository, ctx: Context, cmd: ItemCommand, *, if_match: int | None = None
) -> Saved:
    """Commands on an item's stream (the plan is read for its years and status)."""
    if (prior := await repo.prior(ctx)) is not None:
        return prior
    _, item, pc = await _item(repo, ctx, cmd.plan_id, cmd.item_id)
    _check_if_match(if_match, item.version)
    match cmd:
        case c.EditItemHeadings():
            item.edit_headings(pc, cmd.headings)
        case c.SetBudget(amounts=None):
            item.declare_no_budget(pc)
        case c.SetBudget(amounts=amounts) if amounts is not None:
            item.set_budget(pc, amounts)
        case c.ScheduleStep():
            item.schedule_step(
                pc, cmd.number, cmd.title, StepSchedule(cmd.due, cmd.fiscal_year), cmd.responsible
            )
        case c.RescheduleStep():
            item.reschedule_step(pc, cmd.number, StepSchedule(cmd.due, cmd.fiscal_year), cmd.reason)
        case c.StartStep():
            item.start_step(pc, cmd.number, cmd.on)
        case c.CompleteStep():
            item.complete_step(pc, cmd.number, cmd.on, cmd.note, cmd.evidence)
        case c.ReopenStep():
            item.reopen_step(pc, cmd.number, cmd.reason)
        case c.DefineIndicator(indicator=OutputIndicator() as ind):
            item.define_output(pc, ind)
        case c.DefineIndicator(indicator=ind):
            item.define_outcome(pc, ind)  # type: ignore[arg-type]
        case c.RecordIndicatorResult():
            item.record_result(
                pc, cmd.indicator_id, cmd.fiscal_year, cmd.value, cmd.note, cmd.evidence
            )
    return await save_as_expected(repo, ctx, item, if_match)
