"""Handlers: load the aggregate, let it decide, save. One command, one aggregate."""

from __future__ import annotations

import uuid

from domain.plans import commands as c
from domain.plans.errors import UnknownItem
from domain.plans.item import Item, PlanContext
from domain.plans.plan import Plan, PlanStatus
from domain.plans.templates import missing_headings
from domain.plans.values import OutputIndicator, StepSchedule
from domain.shared.clock import Clock, SystemClock, bangkok_date
from domain.shared.errors import NotFound, PreconditionFailed
from domain.shared.fiscal import thai_digits
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
    repo: Repository, ctx: Context, plan_id: uuid.UUID, item_id: uuid.UUID, clock: Clock
) -> tuple[Plan, Item, PlanContext]:
    plan = await _plan(repo, ctx, plan_id)
    if item_id not in plan.items:
        raise UnknownItem("ไม่พบรายการนี้ในแผน", item_id=str(item_id))
    item = await repo.load(Item, ctx.tenant_id, item_id)
    today = bangkok_date(clock.now())
    return (
        plan,
        item,
        PlanContext(
            plan.years(),
            plan.status is PlanStatus.CLOSED,
            today,
            # an item added after promulgation is edited as a draft until it is approved
            promulgated=plan.status is PlanStatus.PROMULGATED
            and item_id not in plan.pending_additions,
        ),
    )


async def incomplete_items(repo: Repository, ctx: Context, plan: Plan) -> dict[str, list[str]]:
    """{item number: the required headings of the plan's sheet it leaves empty, as printed}."""
    layout = plan.template.layout
    out = {}
    for entry in plan.items.values():
        item = await repo.load(Item, ctx.tenant_id, entry.item_id)
        missing = missing_headings(item, entry.name, layout)
        if missing:
            out[entry.number] = [f"{thai_digits(h.number)}. {h.title}" for h in missing]
    return out


async def handle_draft_plan(repo: Repository, ctx: Context, cmd: c.DraftPlan) -> Saved:
    if (prior := await repo.prior(ctx)) is not None:
        return prior
    plan = await repo.load(Plan, ctx.tenant_id, cmd.plan_id)
    plan.draft(cmd.title, cmd.first_year, cmd.last_year, cmd.catalogue, cmd.template_id)
    return await repo.save(ctx, plan)


PlanCommand = (
    c.ChangePlanDetails
    | c.ChangeCatalogue
    | c.AddItem
    | c.RenumberItem
    | c.WithdrawItem
    | c.ApproveItemAddition
    | c.ReturnItemAddition
    | c.PromulgatePlan
    | c.ClosePlan
    | c.MakePlanCurrent
)


async def handle_plan_command(
    repo: Repository,
    ctx: Context,
    cmd: PlanCommand,
    *,
    if_match: int | None = None,
    clock: Clock | None = None,
) -> Saved:
    """Commands on the plan stream (``clock``: which day it is, for closing)."""
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
            incomplete = await incomplete_items(repo, ctx, plan) if cmd.check_headings else None
            plan.promulgate(cmd.on, cmd.executive, cmd.document, incomplete)
        case c.ClosePlan():
            plan.close(cmd.on, bangkok_date((clock or SystemClock()).now()))
        case c.MakePlanCurrent():
            plan.make_current(cmd.on)
        case c.ChangeCatalogue():
            plan.change_catalogue(cmd.catalogue)
        case c.WithdrawItem():
            plan.withdraw_item(cmd.item_id, cmd.reason)
        case c.ApproveItemAddition():
            missing: list[str] = []
            if (entry := plan.items.get(cmd.item_id)) is not None:
                item = await repo.load(Item, ctx.tenant_id, cmd.item_id)
                layout = plan.template.layout
                gaps = missing_headings(item, entry.name, layout)
                missing = [f"{thai_digits(h.number)}. {h.title}" for h in gaps]
            plan.approve_addition(
                cmd.item_id,
                cmd.on,
                role=cmd.role,
                by=cmd.by,
                missing=missing,
                today=bangkok_date((clock or SystemClock()).now()),
            )
        case c.ReturnItemAddition():
            plan.return_addition(cmd.item_id, cmd.reason, role=cmd.role, by=cmd.by)
    return await save_as_expected(repo, ctx, plan, if_match)


ItemCommand = (
    c.EditItemHeadings
    | c.SetBudget
    | c.ScheduleStep
    | c.SetStepDueDate
    | c.RescheduleStep
    | c.StartStep
    | c.CompleteStep
    | c.ReopenStep
    | c.DefineIndicator
    | c.RecordIndicatorResult
    | c.OverrideCountedResult
    | c.ProposeItemRevision
    | c.ApproveItemRevision
    | c.ReturnItemRevision
)


async def handle_item_command(
    repo: Repository,
    ctx: Context,
    cmd: ItemCommand,
    *,
    if_match: int | None = None,
    clock: Clock | None = None,
) -> Saved:
    """Commands on an item's stream (the plan is read for its years and status; ``clock``
    says which day it is, so that nothing is recorded as done in the future)."""
    if (prior := await repo.prior(ctx)) is not None:
        return prior
    _, item, pc = await _item(repo, ctx, cmd.plan_id, cmd.item_id, clock or SystemClock())
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
        case c.SetStepDueDate():
            item.set_due_date(pc, cmd.number, StepSchedule(cmd.due, cmd.fiscal_year))
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
        case c.OverrideCountedResult():
            item.override_count(
                pc,
                cmd.indicator_id,
                cmd.fiscal_year,
                cmd.value,
                cmd.reason,
                role=cmd.role,
                by=cmd.by,
            )
        case c.ProposeItemRevision():
            item.propose_revision(
                pc, cmd.revision_id, cmd.headings, cmd.reason, role=cmd.role, by=cmd.by
            )
        case c.ApproveItemRevision():
            item.approve_revision(pc, cmd.revision_id, cmd.on, role=cmd.role, by=cmd.by)
        case c.ReturnItemRevision():
            item.return_revision(pc, cmd.revision_id, cmd.reason, role=cmd.role, by=cmd.by)
    return await save_as_expected(repo, ctx, item, if_match)
