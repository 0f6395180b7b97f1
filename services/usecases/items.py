"""An item of a plan: its ten-heading detail sheet (today or as it stood at the end of a past
day), and the commands on its stream: headings, budget, steps, indicators and their results.

Staff record progress only on the steps assigned to them: the item is loaded once, the access
rules are asked with the step's responsible people, and the same aggregate is decided on and
saved (one replay of the stream per command)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from domain.plans import commands as c
from domain.plans.errors import UnknownItem
from domain.plans.handlers import ItemCommand, handle_item_command
from domain.plans.item import Item
from domain.plans.plan import Plan
from domain.plans.values import Evidence
from domain.plans.views import item_sheet, plan_summary, sheet_of, with_attainment
from domain.shared.access import STAFF, Action, Actor, Target
from domain.shared.aggregate import Aggregate
from domain.shared.errors import NotFound
from domain.shared.ports import Saved
from infra.queries import plans as q
from infra.repository import EventSourcedRepository
from services.usecases import evidence
from services.usecases.bootstrap import Services
from services.usecases.scope import Call, as_of_end, authorize, context, reading, today

A = TypeVar("A", bound=Aggregate)
PROGRESS = (c.StartStep, c.CompleteStep, c.RecordIndicatorResult)


@dataclass(frozen=True)
class ItemSheet:
    sheet: dict[str, Any]  # with each output's attainment per fiscal year
    version: int
    plan: dict[str, Any]  # the plan's summary
    count: dict[str, dict[int, int]]
    years: list[int]


async def item_sheet_of(
    services: Services,
    actor: Actor,
    plan_id: uuid.UUID,
    item_id: uuid.UUID,
    as_of: date | None = None,
) -> ItemSheet:
    """The detail sheet from the read model, or replayed up to the end of ``as_of``."""
    authorize(actor, Action.READ)
    if as_of is not None:
        repo = EventSourcedRepository(services.store)
        at = as_of_end(as_of, services.clock)
        plan = await repo.load(Plan, actor.tenant_id, plan_id, as_of=at)
        entry = plan.items.get(item_id) if plan.exists else None
        if entry is None:
            raise UnknownItem("ไม่พบรายการนี้ในแผน ณ วันที่ที่เลือก")
        item = await repo.load(Item, actor.tenant_id, item_id, as_of=at)
        async with reading(services, actor) as conn:
            count = await q.counted(conn, as_of)
        summary = plan_summary(plan)
        sheet, version = sheet_of(entry, item_sheet(item)), item.version
    else:
        async with reading(services, actor) as conn:
            row = await q.item_sheet_row(conn, plan_id, item_id)
            if row is None:
                raise NotFound("ไม่พบรายการนี้")
            count = await q.counted(conn)
        summary = dict(row["summary"])
        sheet, version = sheet_of(q.entry_of(row), row["sheet"]), row["version"]
    years = list(range(int(summary["first_year"]), int(summary["last_year"]) + 1))
    body = with_attainment(sheet, years, count, as_of or today(services.clock))
    return ItemSheet(body, version, summary, count, years)


def item_action(cmd: ItemCommand) -> Action:
    """Starting and completing a step and recording a result is progress; the rest (reopening
    a step too) is editing the plan."""
    return Action.RECORD_PROGRESS if isinstance(cmd, PROGRESS) else Action.EDIT_PLAN


class _Loaded(EventSourcedRepository):
    """The repository, handing out the item already loaded for the access check."""

    def __init__(self, services: Services, item: Item | None) -> None:
        super().__init__(services.store)
        self.item = item

    async def load(
        self, cls: type[A], tenant_id: uuid.UUID, id: uuid.UUID, *, as_of: datetime | None = None
    ) -> A:
        if self.item is not None and cls is Item and id == self.item.id and as_of is None:
            item: Any = self.item
            return item  # type: ignore[no-any-return]
        return await super().load(cls, tenant_id, id, as_of=as_of)


async def authorize_item(services: Services, actor: Actor, cmd: ItemCommand) -> Item | None:
    """Refuse what the actor may not do to the item; for a member of staff recording progress
    on a step, ask with the step's responsible people (the item loaded for it is returned, for
    ``item_command`` to decide on)."""
    action = item_action(cmd)
    authorize(actor, action)
    number = getattr(cmd, "number", None)
    if action is not Action.RECORD_PROGRESS or actor.role != STAFF or number is None:
        return None
    item = await EventSourcedRepository(services.store).load(Item, actor.tenant_id, cmd.item_id)
    step = next((st for st in item.ordered_steps() if st.number == number), None)
    if step is not None:  # else the handler says what is wrong
        authorize(actor, action, Target(actor.tenant_id, assigned_to=tuple(step.responsible)))
    return item


async def item_command(
    services: Services,
    actor: Actor,
    call: Call,
    cmd: ItemCommand,
    *,
    authorized: Item | None = None,
) -> Saved:
    """Run a command on the item's stream (If-Match: the item's version). ``authorized``: the
    item ``authorize_item`` returned when the caller asked first (before keeping files)."""
    item = authorized if authorized is not None else await authorize_item(services, actor, cmd)
    repo = _Loaded(services, item)
    # the handler loads the plan (its years and status) and then the item: one read for both
    await repo.read_ahead(
        actor.tenant_id, [cmd.plan_id] if item is not None else [cmd.plan_id, cmd.item_id]
    )
    return await handle_item_command(repo, context(actor, call), cmd, if_match=call.if_match)


async def resolve_evidence(
    services: Services, actor: Actor, shas: list[str]
) -> tuple[Evidence, ...]:
    """The tenant's uploaded files named by SHA-256, in the order given (the evidence use
    case's one read)."""
    authorize(actor, Action.READ)
    return await evidence.resolve_files(services, actor, shas)


async def keep_file(
    services: Services,
    actor: Actor,
    name: str,
    content: bytes,
    media_type: str,
    action: Action = Action.RECORD_PROGRESS,
) -> Evidence:
    """Keep an uploaded file (content-addressed): evidence of progress, or for ``action`` (the
    promulgation's signed document)."""
    return await evidence.keep(services, actor, action, name, content, media_type)
