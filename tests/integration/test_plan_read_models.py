"""Commands through the real store: read models written inline, equal to a rebuild, as-of."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime, timedelta

import asyncpg
import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from domain.plans import commands as c
from domain.plans.errors import ItemNumberTaken, StepAlreadyCompleted
from domain.plans.events import ItemHeadingsEdited
from domain.plans.handlers import handle_draft_plan, handle_item_command, handle_plan_command
from domain.plans.item import Item
from domain.plans.plan import ItemEntry, Plan
from domain.plans.values import ItemKind
from domain.plans.views import (
    FILLER_SEPARATOR,
    item_brief,
    item_sheet,
    overview,
    overview_template,
    plan_summary,
    render_overview,
    sheet_of,
)
from domain.shared.clock import FixedClock
from domain.shared.errors import ConcurrencyConflict, NotFound
from domain.shared.ports import Context
from infra.db.pool import connect, create_pool
from infra.eventstore.postgres import PostgresEventStore
from infra.projections.rebuild import rebuild
from infra.projections.registry import all_projections, inline_projections
from infra.repository import EventSourcedRepository
from infra.settings import Settings
from services.api.v1.common import today_bangkok
from tests.integration.conftest import Api, make_plan
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


# -- the plan overview, kept as a template by the projection --------------------------------

_steps = st.lists(
    st.tuples(
        st.sampled_from(["scheduled", "started", "completed"]),
        st.none() | st.dates(date(2016, 1, 1), date(2019, 12, 31)),
    ),
    max_size=6,
)


def _overview_input(
    items: list[tuple[str, list[tuple[str, date | None]]]],
) -> tuple[dict[str, object], list[dict[str, object]]]:
    summary = {
        "plan_id": str(uuid.uuid4()),
        "title": 'แผน "๔ ปี"',
        "first_year": 2561,
        "last_year": 2563,
        "status": "draft",
        "promulgated_on": None,
        "promulgated_by": "",
        "revision": 0,
        "version": 3,
        # 1.2 has no sub-item here: its items are counted, not shown
        "catalogue": {
            "dimensions": [
                {"number": 1, "title": "มิติ 1", "sub_items": [{"number": "1.1", "title": "ก"}]},
                {"number": 2, "title": "มิติ 2", "sub_items": [{"number": "2.1", "title": "ข"}]},
            ]
        },
    }
    sheets = [
        {
            "item_id": str(uuid.uuid4()),
            "number": number,
            "kind": "project",
            "name": f"โครงการ {number}",
            "no_budget": i % 2 == 0,
            "budget": {"2561": "100.50"} if i % 2 else {},
            "steps": [
                {"number": f"6.{j}", "status": status, "due": due and due.isoformat()}
                for j, (status, due) in enumerate(steps, start=1)
            ],
        }
        for i, (number, steps) in enumerate(items)
    ]
    return summary, sheets


@hypothesis_settings(max_examples=150, deadline=None)
@given(
    items=st.lists(
        st.tuples(st.sampled_from(["1.1.1", "1.1.2", "1.2.1", "2.1.1", "2.1.3"]), _steps),
        max_size=5,
        unique_by=lambda t: t[0],
    ),
    days=st.lists(st.dates(date(2015, 6, 1), date(2020, 6, 1)), min_size=1, max_size=4),
)
def test_the_overview_template_renders_the_overview_of_any_day(
    items: list[tuple[str, list[tuple[str, date | None]]]], days: list[date]
) -> None:
    summary, sheets = _overview_input(items)
    template = overview_template(summary, [sheet_of_brief(s) for s in sheets])
    parts = [p.encode() for p in template.parts]
    for day in days:
        expected = overview(summary, sheets, day)
        text = json.dumps(expected, ensure_ascii=False, separators=(",", ":"))
        assert template.render(day) == text
        k = template.period(day)
        fillers = FILLER_SEPARATOR.join(f.encode() for f in template.fillers[k])
        assert render_overview(parts, fillers, template.totals[k], day) == text.encode()


def sheet_of_brief(sheet: dict[str, object]) -> dict[str, object]:
    """What the projection gives the template: the sheet's brief, with the plan's fields."""
    fields = ("item_id", "number", "kind")
    return {**{k: sheet[k] for k in fields}, **item_brief(sheet)}


async def test_the_api_overview_equals_the_overview_of_the_sheets(
    api: Api, settings: Settings
) -> None:
    plan, item = await make_plan(api)
    base = f"/api/v1/plans/{plan}/items/{item}"
    for n, due in [("6.1", "2017-10-31"), ("6.5", "2018-03-31"), ("6.6", "2021-09-01")]:
        r = await api.client.post(
            f"{base}/steps",
            headers=api.officer,
            json={"number": n, "title": f"ขั้นตอน {n}", "due": due},
        )
        assert r.status_code == 201, r.text
    r = await api.client.post(
        f"{base}/steps/6.5/complete", headers=api.officer, json={"on": "2018-03-01"}
    )
    assert r.status_code == 200, r.text
    r = await api.client.get(f"/api/v1/plans/{plan}", headers=api.viewer)
    assert r.status_code == 200 and r.headers["etag"] == '"2"'
    owner = await connect(settings.database_url)
    try:
        row = await owner.fetchrow(
            "SELECT summary FROM plan_views WHERE plan_id = $1", uuid.UUID(plan)
        )
        items = await owner.fetch(
            "SELECT item_id, number, kind, registered_name, sheet FROM item_views "
            "WHERE plan_id = $1",
            uuid.UUID(plan),
        )
        sheets = [sheet_of(ItemEntry(i[0], i[1], ItemKind(i[2]), i[3]), i["sheet"]) for i in items]
        expected = overview(row["summary"], sheets, today_bangkok())
        assert r.json() == expected
        assert r.json()["dimensions"][1]["sub_items"][0]["items"][0]["overdue"] == ["6.1", "6.6"]
        # Before the projection has written a template (rows from before migration 0011), the
        # API computes the same overview from the items' briefs.
        await owner.execute(
            "UPDATE plan_views SET overview_parts = NULL, overview_breaks = NULL, "
            "overview_fillers = NULL, overview_totals = NULL, overview_digest = NULL "
            "WHERE plan_id = $1",
            plan,
        )
        again = await api.client.get(f"/api/v1/plans/{plan}", headers=api.viewer)
        assert again.json() == expected and again.headers["etag"] == '"2"'
    finally:
        await owner.close()
