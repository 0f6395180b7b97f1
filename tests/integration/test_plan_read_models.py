"""Commands through the real store: read models written inline, equal to a rebuild, as-of."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import asyncpg
import pytest

from domain.plans import commands as c
from domain.plans.errors import ItemNumberTaken, StepAlreadyCompleted
from domain.plans.events import ItemHeadingsEdited
from domain.plans.handlers import handle_draft_plan, handle_item_command, handle_plan_command
from domain.plans.item import Item
from domain.plans.plan import Plan
from domain.plans.values import ItemKind
from domain.plans.views import item_sheet, plan_summary
from domain.shared.clock import FixedClock
from domain.shared.errors import ConcurrencyConflict, NotFound
from domain.shared.ports import Context
from infra.db.pool import connect, create_pool
from infra.eventstore.postgres import PostgresEventStore
from infra.projections.rebuild import rebuild
from infra.projections.registry import all_projections, inline_projections
from infra.repository import EventSourcedRepository
from infra.settings import Settings
from tests.support import make_tenants

TABLES = {
    "plan_views": "SELECT * FROM plan_views ORDER BY tenant_id, plan_id",
    "item_views": "SELECT * FROM item_views ORDER BY tenant_id, item_id",
    "step_deadlines": "SELECT * FROM step_deadlines ORDER BY tenant_id, item_id, number",
    "timeline": "SELECT * FROM timeline ORDER BY tenant_id, sequence",
}


async def snapshot(conn: asyncpg.Connection) -> dict[str, list[tuple[object, ...]]]:
    return {k: [tuple(r) for r in await conn.fetch(q)] for k, q in TABLES.items()}


async def test_plan_commands_build_read_models_equal_to_a_rebuild(
    fresh_settings: Settings,
) -> None:
    owner = await connect(fresh_settings.database_url)
    pool = await create_pool(fresh_settings.app_url, min_size=1, max_size=4)
    clock = FixedClock(datetime(2017, 10, 1, 3, tzinfo=UTC))
    try:
        tenant, other = await make_tenants(owner, 2)
        repo = EventSourcedRepository(
            PostgresEventStore(pool, clock=clock, projections=inline_projections())
        )
        ctx = Context(tenant, actor="plan-officer@phangkhwang")
        plan_id, item_id = uuid.uuid4(), uuid.uuid4()
        await handle_draft_plan(repo, ctx, c.DraftPlan(plan_id, "แผน ๔ ปี", 2561, 2564))
        await handle_plan_command(
            repo,
            ctx,
            c.AddItem(plan_id, item_id, "2.1.1", ItemKind.ACTIVITY, "ประกาศเจตจำนงต่อต้านการทุจริต"),
        )
        with pytest.raises(ItemNumberTaken):
            await handle_plan_command(
                repo, ctx, c.AddItem(plan_id, uuid.uuid4(), "2.1.1", ItemKind.PROJECT, "ซ้ำ")
            )
        await handle_item_command(
            repo,
            ctx,
            c.EditItemHeadings(
                plan_id, item_id, ItemHeadingsEdited(area="อบต.พังขว้าง", fiscal_years=(2561, 2564))
            ),
        )
        await handle_item_command(repo, ctx, c.SetBudget(plan_id, item_id, None))
        for n, title, due in [
            ("6.1", "ประกาศเจตจำนง", date(2017, 10, 31)),
            ("6.5", "จัดทำแผน", date(2018, 3, 31)),
        ]:
            await handle_item_command(repo, ctx, c.ScheduleStep(plan_id, item_id, n, title, due))
        clock.advance(timedelta(days=20))
        mid = clock.now() + timedelta(hours=1)
        clock.advance(timedelta(days=1))
        await handle_item_command(
            repo, ctx, c.CompleteStep(plan_id, item_id, "6.1", date(2017, 10, 21), "ลงนามแล้ว")
        )
        with pytest.raises(StepAlreadyCompleted):
            await handle_item_command(
                repo, ctx, c.CompleteStep(plan_id, item_id, "6.1", date(2017, 10, 22))
            )
        # If-Match: a stale version is a conflict, nothing is written.
        with pytest.raises(ConcurrencyConflict):
            await handle_item_command(
                repo, ctx, c.StartStep(plan_id, item_id, "6.5", date(2017, 11, 1)), if_match=1
            )
        await handle_plan_command(
            repo, ctx, c.PromulgatePlan(plan_id, date(2017, 10, 25), "นายก อบต.พังขว้าง")
        )

        # The read models, as the tenant sees them.
        async with pool.acquire() as conn, conn.transaction():
            await conn.execute("SELECT set_config('app.tenant_id', $1, true)", str(tenant))
            summary = await conn.fetchval("SELECT summary FROM plan_views")
            assert (summary["status"], summary["revision"]) == ("promulgated", 1)
            sheet = await conn.fetchval("SELECT sheet FROM item_views")
            assert sheet["no_budget"] is True and sheet["area"] == "อบต.พังขว้าง"
            assert [s["status"] for s in sheet["steps"]] == ["completed", "scheduled"]
            deadlines = await conn.fetch(
                "SELECT number, due_date, status FROM step_deadlines ORDER BY number"
            )
            assert [tuple(r) for r in deadlines] == [
                ("6.1", date(2017, 10, 31), "completed"),
                ("6.5", date(2018, 3, 31), "scheduled"),
            ]
        # Another tenant sees none of it.
        async with pool.acquire() as conn, conn.transaction():
            await conn.execute("SELECT set_config('app.tenant_id', $1, true)", str(other))
            assert await conn.fetchval("SELECT count(*) FROM item_views") == 0
            assert await conn.fetchval("SELECT count(*) FROM step_deadlines") == 0

        # As of a date between two events: the step was not yet completed.
        item_then = await repo.load(Item, tenant, item_id, as_of=mid)
        assert item_sheet(item_then)["steps"][0]["status"] == "scheduled"
        plan_then = await repo.load(Plan, tenant, plan_id, as_of=mid)
        assert plan_summary(plan_then)["status"] == "draft"
        item_now = await repo.load(Item, tenant, item_id)
        assert item_sheet(item_now) == sheet  # the table holds what the view computes

        live = await snapshot(owner)
        for p in all_projections().values():
            await rebuild(owner, p)
        assert await snapshot(owner) == live
    finally:
        await pool.close()
        await owner.close()


async def test_items_of_a_plan_in_another_tenant_are_not_found(fresh_settings: Settings) -> None:
    owner = await connect(fresh_settings.database_url)
    pool = await create_pool(fresh_settings.app_url, min_size=1, max_size=2)
    try:
        a, b = await make_tenants(owner, 2)
        repo = EventSourcedRepository(PostgresEventStore(pool, projections=inline_projections()))
        plan_id = uuid.uuid4()
        await handle_draft_plan(repo, Context(a, "a"), c.DraftPlan(plan_id, "แผน", 2566, 2570))
        with pytest.raises(NotFound):
            await handle_plan_command(
                repo,
                Context(b, "b"),
                c.AddItem(plan_id, uuid.uuid4(), "1.1.1", ItemKind.PROJECT, "ก"),
            )
    finally:
        await pool.close()
        await owner.close()
