"""The provincial office's dashboard and the operator's national view, read from the
cross-tenant read model that the async projector feeds."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import asyncpg
import pytest
from litestar.testing import AsyncTestClient
from openpyxl import load_workbook

from domain.declarations.declaration import Channel
from domain.declarations.handlers import (
    AnnounceDeclaration,
    DraftDeclaration,
    PublishDeclaration,
    handle_declaration_command,
)
from domain.plans import commands as c
from domain.plans.handlers import handle_draft_plan, handle_item_command, handle_plan_command
from domain.plans.values import Comparator, ItemKind, OutputIndicator
from domain.shared.clock import BANGKOK
from domain.shared.ports import Context
from domain.tenancy.organisations import Kind, Organisation
from infra.auth.orgs import find_org, overview_transaction, reviewer_transaction
from infra.db.pool import connect, create_pool, tenant_transaction
from infra.eventstore.postgres import PostgresEventStore
from infra.eventstore.records import NewEvent
from infra.projections.projector import AsyncProjector
from infra.projections.rebuild import rebuild
from infra.projections.registry import async_projections, inline_projections
from infra.queries.province import Filters, province_rows, reporting_rounds
from infra.repository import EventSourcedRepository
from infra.settings import Settings
from infra.tenancy import upsert_organisations
from services.api.app import create_app
from tests.integration.accounts import make_member, sign_in
from tests.support import org

SAKON, NAKHON_PHANOM = "47", "48"


@dataclass
class World:
    settings: Settings
    app: asyncpg.Pool
    owner: asyncpg.Connection
    sakon: list[Organisation]
    other: list[Organisation]
    today: date


async def _plan(
    repo: EventSourcedRepository, o: Organisation, today: date, *, promulgate: bool
) -> None:
    ctx = Context(o.id, "test")
    fy = today.year + 543 + (1 if today.month >= 10 else 0)
    plan, item = uuid.uuid4(), uuid.uuid4()
    await handle_draft_plan(repo, ctx, c.DraftPlan(plan, "แผนปฏิบัติการ", fy - 1, fy + 2))
    await handle_plan_command(
        repo, ctx, c.AddItem(plan, item, "2.1.1", ItemKind.ACTIVITY, "ประกาศเจตจำนง")
    )
    steps = [(-10, True), (-5, False), (-20, False), (30, False), (-1, False), (0, False)]
    for n, (days, done) in enumerate(steps, start=1):
        due = today + timedelta(days=days)
        await handle_item_command(
            repo, ctx, c.ScheduleStep(plan, item, f"6.{n}", f"ขั้นตอนที่ {n}", due, None, ())
        )
        if done:
            await handle_item_command(repo, ctx, c.CompleteStep(plan, item, f"6.{n}", due))
    for k, (target, value) in enumerate(((1, 1), (5, 2))):
        ind = OutputIndicator(f"o{k}", f"ตัวชี้วัด {k}", Comparator.AT_LEAST, Decimal(target), "ครั้ง")
        await handle_item_command(repo, ctx, c.DefineIndicator(plan, item, ind))
        await handle_item_command(
            repo, ctx, c.RecordIndicatorResult(plan, item, f"o{k}", fy - 1, Decimal(value))
        )
    if promulgate:
        await handle_plan_command(repo, ctx, c.PromulgatePlan(plan, today, "นายก"))


async def _declare(
    repo: EventSourcedRepository, o: Organisation, today: date, announcements: int
) -> None:
    ctx = Context(o.id, "test")
    d = uuid.uuid4()
    await handle_declaration_command(repo, ctx, DraftDeclaration(d, "เจตจำนงสุจริต", ("นายก",)))
    await handle_declaration_command(repo, ctx, PublishDeclaration(d, today - timedelta(days=40)))
    for k in range(announcements):
        await handle_declaration_command(
            repo, ctx, AnnounceDeclaration(d, Channel.WEBSITE, today - timedelta(days=30 - k))
        )


@pytest.fixture
async def world(fresh_settings: Settings) -> AsyncIterator[World]:
    today = datetime.now(BANGKOK).date()
    sakon = [
        org(province=SAKON, kind=Kind.SAO),
        org(province=SAKON, kind=Kind.SUBDISTRICT_MUNICIPALITY),
        org(province=SAKON, kind=Kind.SAO),  # nothing recorded yet
    ]
    other = [org(province=NAKHON_PHANOM), org(province=NAKHON_PHANOM)]
    owner = await connect(fresh_settings.database_url)
    await upsert_organisations(owner, [*sakon, *other])
    await owner.execute(
        "UPDATE organisations SET district = 'พังโคน', name_th = 'องค์การบริหารส่วนตำบลพังขว้าง' "
        "WHERE id = $1",
        sakon[0].id,
    )
    app = await create_pool(fresh_settings.app_url, min_size=1, max_size=6)
    store = PostgresEventStore(app, projections=inline_projections())
    repo = EventSourcedRepository(store)
    await _plan(repo, sakon[0], today, promulgate=True)
    await _declare(repo, sakon[0], today, 2)
    await _plan(repo, sakon[1], today, promulgate=False)
    await _declare(repo, sakon[1], today, 0)
    await _plan(repo, other[0], today, promulgate=True)
    await _declare(repo, other[0], today, 1)
    last = reporting_rounds(today)[1]
    # Reports and revision requests as the reporting and review contexts record them.
    await store.append(
        sakon[0].id,
        uuid.uuid4(),
        "test",
        0,
        [
            NewEvent("ReportSubmitted", {"round": last.code, "on": "2026-10-20"}),
            NewEvent("ReportSubmitted", {"round": last.code, "on": "2026-10-25"}),
            NewEvent("RevisionRequested", {}),
            NewEvent("RevisionRequested", {}),
            NewEvent("RevisionResolved", {}),
        ],
    )
    projector = await create_pool(fresh_settings.projector_url, min_size=1, max_size=2)
    try:
        await AsyncProjector(projector, async_projections(), batch=7).catch_up()
    finally:
        await projector.close()
    try:
        yield World(fresh_settings, app, owner, sakon, other, today)
    finally:
        await app.close()
        await owner.close()


def _current_plan(plans: list[asyncpg.Record]) -> asyncpg.Record | None:
    order = {"promulgated": 0, "draft": 1}
    ranked = sorted(
        plans,
        key=lambda p: (
            order.get(p["summary"]["status"], 2),
            -p["summary"]["last_year"],
            -p["summary"]["first_year"],
            p["plan_id"],
        ),
    )
    return ranked[0] if ranked else None


def _met(o: dict[str, Any]) -> bool:
    target = Decimal(o["target"])
    for r in o["results"]:
        v = Decimal(r["value"])
        if {"at_least": v >= target, "exactly": v == target}.get(o["comparator"], v <= target):
            return True
    return False


async def expected_of(pool: asyncpg.Pool, tenant: uuid.UUID, today: date) -> dict[str, Any]:
    """The dashboard's numbers, computed from the tenant's own read models and log."""
    async with tenant_transaction(pool, tenant, readonly=True) as conn:
        decls = await conn.fetch("SELECT published_on, view FROM declaration_views")
        plans = await conn.fetch("SELECT plan_id, summary FROM plan_views")
        plan = _current_plan(list(plans))
        pid = plan["plan_id"] if plan else None
        steps = await conn.fetch("SELECT * FROM step_deadlines WHERE plan_id = $1", pid)
        items = await conn.fetch("SELECT sheet FROM item_views WHERE plan_id = $1", pid)
        events = await conn.fetch("SELECT event_type, data FROM events ORDER BY sequence")
    published = [d for d in decls if d["published_on"]]
    announced = [date.fromisoformat(a["on"]) for d in published for a in d["view"]["announcements"]]
    open_due = sorted(s["due_date"] for s in steps if s["status"] != "completed" and s["due_date"])
    overdue = [d for d in open_due if d < today]
    outputs = [o for i in items for o in i["sheet"]["outputs"]]
    reports: dict[str, str] = {}
    for e in events:
        if e["event_type"] == "ReportSubmitted":
            rnd, on = e["data"]["round"], e["data"]["on"]
            reports[rnd] = max(reports.get(rnd, on), on)
    types = [e["event_type"] for e in events]
    done = sum(1 for s in steps if s["status"] == "completed")
    return {
        "declarations_published": len(published),
        "declaration_first_published": min((d["published_on"] for d in published), default=None),
        "announcements": len(announced),
        "declaration_last_announced": max(announced, default=None),
        "plan_promulgated_on": (
            date.fromisoformat(plan["summary"]["promulgated_on"])
            if plan and plan["summary"]["promulgated_on"]
            else None
        ),
        "steps_total": len(steps),
        "steps_done": done,
        "percent_done": round(100 * done / len(steps)) if steps else None,
        "overdue": len(overdue),
        "oldest_overdue": overdue[0] if overdue else None,
        "indicators_total": len(outputs),
        "indicators_met": sum(1 for o in outputs if _met(o)),
        "reports": reports,
        "revisions_open": types.count("RevisionRequested") - types.count("RevisionResolved"),
    }


async def test_the_dashboard_equals_each_tenants_own_read_models(world: World) -> None:
    office = await find_org(world.owner, f"po-{SAKON}")
    assert office is not None
    async with overview_transaction(world.app, office) as conn:
        rows = await province_rows(conn, SAKON, world.today, Filters())
    assert sorted(r["code"] for r in rows) == sorted(o.code for o in world.sakon)
    by_code = {r["code"]: r for r in rows}
    for o in world.sakon:
        want = await expected_of(world.app, o.id, world.today)
        got = {k: by_code[o.code][k] for k in want}
        assert got == want, o.code
    a = by_code[world.sakon[0].code]
    # The scenario itself: 3 overdue of 5 open steps (6.3 twenty days ago the oldest), 1 of 2
    # indicators met, the later of two submissions, one revision request still open.
    assert (a["overdue"], a["oldest_overdue"]) == (3, world.today - timedelta(days=20))
    assert (a["steps_done"], a["steps_total"], a["percent_done"]) == (1, 6, 17)
    assert (a["indicators_met"], a["indicators_total"]) == (1, 2)
    assert a["announcements"] == 2 and a["revisions_open"] == 1
    assert list(a["reports"].values()) == ["2026-10-25"]
    assert by_code[world.sakon[1].code]["plan_promulgated_on"] is None
    assert by_code[world.sakon[1].code]["needs_attention"]
    empty = by_code[world.sakon[2].code]
    assert empty["steps_total"] == 0 and empty["needs_attention"]
    # Filters and search: the kind, "needs attention", Thai search (NFC, abbreviation).
    async with overview_transaction(world.app, office) as conn:
        kind = await province_rows(conn, SAKON, world.today, Filters(kind="sao"))
        found = await province_rows(conn, SAKON, world.today, Filters(q="อบต.พังขว้าง"))
        none = await province_rows(conn, SAKON, world.today, Filters(q="ทต.พังขว้าง"))
        by_overdue = await province_rows(
            conn, SAKON, world.today, Filters(sort="overdue", desc=True)
        )
    assert {r["code"] for r in kind} == {world.sakon[0].code, world.sakon[2].code}
    assert [r["code"] for r in found] == [world.sakon[0].code] and none == []
    assert [r["overdue"] for r in by_overdue] == [3, 3, 0]


async def test_rebuild_gives_the_live_overview(world: World) -> None:
    q = "SELECT * FROM lao_overview ORDER BY tenant_id"
    live = [tuple(r) for r in await world.owner.fetch(q)]
    assert len(live) == 3  # the tenants with events
    await rebuild(world.owner, *async_projections())
    assert [tuple(r) for r in await world.owner.fetch(q)] == live


async def test_a_reviewer_sees_its_province_only_in_the_database(world: World) -> None:
    sakon_ids = {o.id for o in world.sakon[:2]}
    async with reviewer_transaction(world.app, SAKON, world.sakon[0].id) as conn:
        seen = {r[0] for r in await conn.fetch("SELECT tenant_id FROM lao_overview")}
    assert seen == sakon_ids
    office = await find_org(world.owner, f"po-{SAKON}")
    assert office is not None
    async with overview_transaction(world.app, office) as conn:
        seen = {r[0] for r in await conn.fetch("SELECT tenant_id FROM lao_overview")}
        assert seen == sakon_ids
        with pytest.raises(asyncpg.ReadOnlySQLTransactionError):
            await conn.execute("DELETE FROM lao_overview")
    lao = await find_org(world.owner, world.sakon[0].code)
    assert lao is not None
    async with overview_transaction(world.app, lao) as conn:  # an LAO: no row
        assert await conn.fetchval("SELECT count(*) FROM lao_overview") == 0
    async with world.app.acquire() as conn, conn.transaction():
        with pytest.raises(asyncpg.InsufficientPrivilegeError):  # the web role never writes
            await conn.execute("DELETE FROM lao_overview")
    operator = await find_org(world.owner, "operator")
    assert operator is not None
    async with overview_transaction(world.app, operator) as conn:
        assert await conn.fetchval("SELECT count(*) FROM lao_overview") == 3


async def _client(world: World, org_code: str, role: str) -> AsyncTestClient:  # type: ignore[type-arg]
    email, _ = await make_member(
        world.app, org_code, role, email=f"{role}-{uuid.uuid4().hex[:6]}@x.org"
    )
    client = AsyncTestClient(
        create_app(world.settings, configure_logs=False), base_url="https://testserver.local"
    )
    await client.__aenter__()
    assert (await sign_in(client, org_code, email)).status_code == 303
    return client


async def test_pages_and_exports_show_the_province_only(world: World) -> None:
    c = await _client(world, f"po-{SAKON}", "reviewer")
    try:
        r = await c.get(f"/t/po-{SAKON}/province")
        assert r.status_code == 200, r.text
        for o in world.sakon:
            assert f"/t/po-{SAKON}/lao/{o.code}/" in r.text
        for o in world.other:
            assert o.code not in r.text
        assert "✓" in r.text and "ไม่มี" in r.text and "ต้องติดตาม" in r.text
        # The table is cached by its rows' version: a changed row shows at once.
        assert "9797" not in r.text
        await world.owner.execute(
            "UPDATE lao_overview SET revisions_open = 9797 WHERE tenant_id = $1",
            world.sakon[0].id,
        )
        assert "9797" in (await c.get(f"/t/po-{SAKON}/province")).text
        await world.owner.execute(
            "UPDATE lao_overview SET revisions_open = 0 WHERE tenant_id = $1", world.sakon[0].id
        )
        assert (await c.get(f"/t/po-{SAKON}/province?sort=nope&kind=x&q=%25")).status_code == 200
        csv_r = await c.get(f"/t/po-{SAKON}/province.csv?sort=code")
        assert csv_r.status_code == 200 and csv_r.content.startswith(b"\xef\xbb\xbf")
        table = list(csv.reader(io.StringIO(csv_r.content.decode("utf-8-sig"))))
        assert table[0][:2] == ["รหัส", "ชื่อ อปท."]
        assert sorted(row[0] for row in table[1:]) == sorted(o.code for o in world.sakon)
        a = next(row for row in table if row[0] == world.sakon[0].code)
        assert a[1] == "องค์การบริหารส่วนตำบลพังขว้าง" and a[12] == "3"
        x = await c.get(f"/t/po-{SAKON}/province.xlsx?attention=1")
        assert x.status_code == 200
        ws = load_workbook(io.BytesIO(x.content)).active
        assert ws is not None
        codes = [row[0] for row in ws.iter_rows(min_row=2, values_only=True)]
        assert sorted(codes) == sorted(o.code for o in world.sakon)  # all need attention
        # Another province's dashboard, the national view: not for a reviewer.
        far = await c.get(f"/t/po-{NAKHON_PHANOM}/province", follow_redirects=False)
        assert far.status_code in (303, 404) and world.other[0].code not in far.text
        assert (await c.get(f"/t/po-{SAKON}/national")).status_code == 404
        national = await c.get("/t/operator/national", follow_redirects=False)
        assert national.status_code in (303, 404) and "นครพนม" not in national.text
    finally:
        await c.__aexit__(None, None, None)


async def test_the_operator_sees_one_row_per_province(world: World) -> None:
    c = await _client(world, "operator", "operator")
    try:
        r = await c.get("/t/operator/national")
        assert r.status_code == 200, r.text
        assert "สกลนคร" in r.text and "นครพนม" in r.text
        assert r.text.count('<tr><th scope="row"><a href="/t/operator/national/') == 2
        p = await c.get(f"/t/operator/national/{SAKON}")
        assert p.status_code == 200 and world.sakon[0].code in p.text
        assert (await c.get("/t/operator/province")).status_code == 404
    finally:
        await c.__aexit__(None, None, None)
