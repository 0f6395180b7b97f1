"""The public page /p/<code>: only what is published, no personal data, read through a role
that can read nothing else; its read model equals a rebuild from the events."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from domain.complaints.handlers import (
    ReceiveComplaint,
    ResolveComplaint,
    handle_complaint_command,
)
from domain.declarations.declaration import Channel
from domain.declarations.handlers import (
    AnnounceDeclaration,
    DraftDeclaration,
    PublishDeclaration,
    handle_declaration_command,
)
from domain.plans import commands as c
from domain.plans.handlers import handle_draft_plan, handle_item_command, handle_plan_command
from domain.plans.values import Evidence, ItemKind
from domain.shared.ports import Context
from infra.db.pool import connect, create_pool
from infra.eventstore.postgres import PostgresEventStore
from infra.projections.public import PublicProjection
from infra.projections.rebuild import rebuild
from infra.projections.registry import all_projections, inline_projections
from infra.repository import EventSourcedRepository
from infra.settings import Settings
from infra.tenancy import upsert_organisations
from services.api.app import create_app
from services.usecases.public import InvalidContact, set_contact
from tests.support import org

pytestmark = pytest.mark.timeout(120)

SHA = {k: (k * 64)[:64] for k in "abcd"}
PUBLISHED_TEXT = "ข้าพเจ้าขอประกาศเจตจำนงต่อต้านการทุจริตทุกรูปแบบ"
DRAFT_TEXT = "ร่างที่ยังไม่เผยแพร่ ห้ามแสดงต่อสาธารณะ"
STEP_NOTE = "บันทึกภายใน ห้ามเผยแพร่"
SECRET_EXEC = "นายลับ เฉพาะภายใน"
ACTOR = "secret-actor@example.org"
COMPLAINT_CATEGORY = "เรื่องภายในของผู้ร้อง"
PUBLIC_TABLES = (
    "public_declarations",
    "public_plans",
    "public_items",
    "public_files",
    "public_complaint_counts",
)
TENANT_TABLES = (
    "events",
    "plan_views",
    "item_views",
    "step_deadlines",
    "declaration_views",
    "complaint_views",
    "members",
    "evidence_files",
    "timeline",
    "tenant_heads",
    "command_log",
    "api_tokens",
)


@dataclass
class Lao:
    code: str
    tenant: uuid.UUID
    declaration: uuid.UUID
    draft: uuid.UUID
    plan: uuid.UUID
    draft_plan: uuid.UUID
    item: uuid.UUID
    hidden_item: uuid.UUID


def _file(sha: str, name: str) -> Evidence:
    return Evidence.file(name, sha, "application/pdf", 100)


async def make_lao(pool: asyncpg.Pool, owner: asyncpg.Connection) -> Lao:
    o = org()
    await upsert_organisations(owner, [o])
    repo = EventSourcedRepository(PostgresEventStore(pool, projections=inline_projections()))
    ctx = Context(o.id, ACTOR)
    lao = Lao(o.code, o.id, *(uuid.uuid4() for _ in range(6)))
    # A published declaration, announced with a link and a file; and a draft.
    await handle_declaration_command(
        repo, ctx, DraftDeclaration(lao.declaration, PUBLISHED_TEXT, ("นายก อบต.ทดสอบ",))
    )
    await handle_declaration_command(
        repo,
        ctx,
        PublishDeclaration(lao.declaration, date(2025, 10, 2), _file(SHA["a"], "signed.pdf")),
    )
    await handle_declaration_command(
        repo,
        ctx,
        AnnounceDeclaration(
            lao.declaration,
            Channel.NOTICE_BOARD,
            date(2025, 10, 3),
            "บอร์ดหน้าที่ทำการ",
            (Evidence.link("https://example.org/board"), _file(SHA["b"], "board.jpg.pdf")),
        ),
    )
    await handle_declaration_command(repo, ctx, DraftDeclaration(lao.draft, DRAFT_TEXT, ("x",)))
    # A promulgated plan (its item has a completed step with a note and evidence) and a draft.
    await handle_draft_plan(repo, ctx, c.DraftPlan(lao.plan, "แผนสาธารณะ", 2566, 2570))
    await handle_plan_command(
        repo, ctx, c.AddItem(lao.plan, lao.item, "2.1.1", ItemKind.ACTIVITY, "กิจกรรมสาธารณะ")
    )
    for n, due in (("6.1", date(2023, 1, 31)), ("6.2", date(2024, 1, 31))):
        await handle_item_command(
            repo,
            ctx,
            c.ScheduleStep(lao.plan, lao.item, n, f"ขั้นตอน {n}", due, responsible=(SECRET_EXEC,)),
        )
    await handle_item_command(
        repo,
        ctx,
        c.CompleteStep(
            lao.plan, lao.item, "6.1", date(2023, 1, 5), STEP_NOTE, (_file(SHA["c"], "s.pdf"),)
        ),
    )
    await handle_plan_command(
        repo,
        ctx,
        c.PromulgatePlan(lao.plan, date(2022, 10, 5), SECRET_EXEC, _file(SHA["d"], "plan.pdf")),
    )
    await handle_draft_plan(repo, ctx, c.DraftPlan(lao.draft_plan, "แผนร่างลับ", 2571, 2575))
    await handle_plan_command(
        repo,
        ctx,
        c.AddItem(lao.draft_plan, lao.hidden_item, "1.1.1", ItemKind.PROJECT, "โครงการร่างลับ"),
    )
    # Complaints: two received in FY 2566 (one resolved), one in FY 2567.
    complaints = [uuid.uuid4() for _ in range(3)]
    for cid, on in zip(
        complaints, (date(2022, 11, 1), date(2023, 2, 1), date(2023, 12, 1)), strict=True
    ):
        await handle_complaint_command(
            repo, ctx, ReceiveComplaint(cid, on, "phone", COMPLAINT_CATEGORY)
        )
    await handle_complaint_command(
        repo, ctx, ResolveComplaint(complaints[0], date(2022, 12, 1), "referred")
    )
    return lao


async def snapshot(conn: asyncpg.Connection) -> dict[str, list[tuple[Any, ...]]]:
    return {
        t: [tuple(r) for r in await conn.fetch(f"SELECT * FROM {t} ORDER BY 1, 2, 3")]
        for t in PUBLIC_TABLES
    }


async def test_public_read_model_equals_a_rebuild_and_holds_only_what_is_published(
    fresh_settings: Settings,
) -> None:
    owner = await connect(fresh_settings.database_url)
    pool = await create_pool(fresh_settings.app_url, min_size=1, max_size=4)
    try:
        lao = await make_lao(pool, owner)
        other = await make_lao(pool, owner)
        # Later changes: an item added after promulgation, a step completed, one withdrawn.
        repo = EventSourcedRepository(PostgresEventStore(pool, projections=inline_projections()))
        ctx = Context(lao.tenant, ACTOR)
        late = uuid.uuid4()
        await handle_plan_command(
            repo, ctx, c.AddItem(lao.plan, late, "2.1.2", ItemKind.MEASURE, "มาตรการเพิ่ม")
        )
        await handle_item_command(
            repo, ctx, c.CompleteStep(lao.plan, lao.item, "6.2", date(2024, 1, 2), STEP_NOTE)
        )
        await handle_plan_command(
            repo, Context(other.tenant, ACTOR), c.WithdrawItem(other.plan, other.item, "ถอน")
        )
        live = await snapshot(owner)
        assert {r[1] for r in live["public_declarations"]} == {lao.declaration, other.declaration}
        assert {r[1] for r in live["public_plans"]} == {lao.plan, other.plan}
        # The item added after promulgation waits for the executive: not public until approved.
        assert {r[1] for r in live["public_items"]} == {lao.item}
        assert {r[2] for r in live["public_files"] if r[0] == lao.tenant} == {
            SHA["a"],
            SHA["b"],
            SHA["d"],
        }  # the step's evidence (c) is not public
        assert [r[1:] for r in live["public_complaint_counts"] if r[0] == lao.tenant] == [
            (2566, 2, 1),
            (2567, 1, 0),
        ]
        text = repr(live)
        for secret in (
            COMPLAINT_CATEGORY,
            DRAFT_TEXT,
            STEP_NOTE,
            SECRET_EXEC,
            ACTOR,
            "แผนร่างลับ",
            "โครงการร่างลับ",
        ):
            assert secret not in text
        [item] = [r[-1] for r in live["public_items"] if r[1] == lao.item]
        assert [s["status"] for s in item["steps"]] == ["completed", "completed"]
        assert set(item["steps"][0]) == {
            "number",
            "title",
            "due",
            "fiscal_year",
            "status",
            "started_on",
            "completed_on",
        }
        await rebuild(owner, PublicProjection())
        assert await snapshot(owner) == live
        await rebuild(owner, *all_projections().values())
        assert await snapshot(owner) == live
    finally:
        await pool.close()
        await owner.close()


async def test_the_public_role_reads_public_tables_only(
    settings: Settings, app_pool: asyncpg.Pool
) -> None:
    owner = await connect(settings.database_url)
    try:
        a = await make_lao(app_pool, owner)
        b = await make_lao(app_pool, owner)
    finally:
        await owner.close()
    async with app_pool.acquire() as conn:
        # Every relation of the schema but the public ones and the register of organisations.
        every = {
            r[0]
            for r in await conn.fetch(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v', 'm', 'p')"
            )
        }
        assert set(TENANT_TABLES) <= every
        # the transparency log's tables are public by design (migration 0023)
        tlog = (
            "tlog_nodes",
            "tlog_checkpoints",
            "tlog_cosignatures",
            "tlog_alarms",
            "tlog_records",
        )
        # the submitted reports (migration 0030): a view of some columns of the submitted rows
        # of reports; ``SELECT *`` from reports itself stays refused (submitted_by)
        readable = {*PUBLIC_TABLES, *tlog, "organisations", "provinces", "public_reports"}
        for table in sorted(every - readable):
            async with conn.transaction(readonly=True):
                await conn.execute("SELECT set_config('role', 'sujarit_public', true)")
                assert await conn.fetchval("SELECT current_user") == "sujarit_public"
                with pytest.raises(asyncpg.InsufficientPrivilegeError):
                    await conn.fetch(f"SELECT * FROM {table} LIMIT 1")
        async with conn.transaction(readonly=True):
            await conn.execute("SELECT set_config('role', 'sujarit_public', true)")
            tenants = {r[0] for r in await conn.fetch("SELECT tenant_id FROM public_plans")}
            assert {a.tenant, b.tenant} <= tenants
            with pytest.raises(asyncpg.ReadOnlySQLTransactionError):
                await conn.execute("DELETE FROM public_plans")
        async with conn.transaction():
            await conn.execute("SELECT set_config('role', 'sujarit_public', true)")
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await conn.execute("DELETE FROM public_plans")
        # Nor can it run the owner's SECURITY DEFINER functions (they read across tenants).
        async with conn.transaction(readonly=True):
            await conn.execute("SELECT set_config('role', 'sujarit_public', true)")
            callable_definers = await conn.fetch(
                "SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                "WHERE n.nspname = 'public' AND p.prosecdef "
                "AND has_function_privilege(current_user, p.oid, 'EXECUTE')"
            )
            assert [r[0] for r in callable_definers] == []
        # The role ended with the transaction.
        assert await conn.fetchval("SELECT current_user") == "sujarit_app"
        # The web role itself does not read other tenants' public rows.
        async with conn.transaction(readonly=True):
            await conn.execute("SELECT set_config('app.tenant_id', $1, true)", str(a.tenant))
            tenants = {r[0] for r in await conn.fetch("SELECT tenant_id FROM public_plans")}
            assert tenants == {a.tenant}


@pytest.fixture
async def client(settings: Settings) -> Any:
    app = create_app(replace(settings, cookie_secure=False), configure_logs=False)
    async with AsyncTestClient(app) as c:
        yield c


async def test_public_page_shows_published_things_only(
    settings: Settings, app_pool: asyncpg.Pool, client: Any
) -> None:
    owner = await connect(settings.database_url)
    try:
        lao = await make_lao(app_pool, owner)
        with pytest.raises(InvalidContact):
            await set_contact(owner, lao.code, "x", "<script>", "")
        with pytest.raises(InvalidContact):
            await set_contact(owner, lao.code, "x", "", "javascript:alert(1)")
        assert not await set_contact(owner, "0000000", "x", "", "")
        assert await set_contact(
            owner,
            lao.code,
            " 99 หมู่ 1  ตำบลทดสอบ ",
            "042-123456, 081 234 5678",
            "https://lao.example",
        )
    finally:
        await owner.close()
    r = await client.get(f"/p/{lao.code}")
    assert r.status_code == 200, r.text
    contact = r.text.split('id="contact"', 1)[1].split("</section>", 1)[0]
    assert "99 หมู่ 1 ตำบลทดสอบ" in contact and 'href="tel:042123456"' in contact
    assert 'href="https://lao.example"' in contact
    assert 'href="tel:1567"' in contact and 'href="tel:1205"' in contact
    # FY 2567: 1 received, 0 resolved; FY 2566: 2 received, 1 resolved.
    assert '<th scope="row">2566</th><td>2 เรื่อง</td><td>1 เรื่อง</td>' in contact
    assert '<th scope="row">2567</th><td>1 เรื่อง</td><td>0 เรื่อง</td>' in contact
    assert COMPLAINT_CATEGORY not in r.text
    assert "set-cookie" not in r.headers
    for shown in (PUBLISHED_TEXT, "นายก อบต.ทดสอบ", "บอร์ดประชาสัมพันธ์", "บอร์ดหน้าที่ทำการ"):
        assert shown in r.text
    assert "https://example.org/board" in r.text
    assert "แผนสาธารณะ" in r.text and "กิจกรรมสาธารณะ" in r.text
    # The summary first: one item, late (6.2 is overdue), in words and in the bar.
    summary = r.text.split('class="public-summary"', 1)[1].split("</section>", 1)[0]
    assert "ช้ากว่ากำหนด <strong>1</strong>" in summary
    assert "เสร็จแล้ว <strong>0</strong>" in summary
    assert 'class="seg late" style="width: 100.0%"' in summary
    assert "ประกาศต่อต้านการทุจริตล่าสุดเมื่อ 2 ตุลาคม 2568" in summary
    # Plain headings, not the plan's numbers and jargon.
    assert "บริหารงานอย่างโปร่งใส ป้องกันการโกง" in r.text
    for jargon in ("มิติที่", "2.1.1", "ขั้นตอน)"):
        assert jargon not in r.text
    assert "ยังไม่มีรายงานผลที่เผยแพร่" in r.text
    assert f"{settings.base_url}/p/{lao.code}" in r.text
    # Cached: an ETag, and a repeat request with it gets 304 and no body.
    assert r.headers["cache-control"].startswith("public")
    etag = r.headers["etag"]
    again = await client.get(f"/p/{lao.code}", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    stale = await client.get(f"/p/{lao.code}", headers={"If-None-Match": '"other"'})
    assert stale.status_code == 200
    # The QR code of the full address, an SVG from our origin; none for a made-up LAO.
    assert f'src="/p/{lao.code}/qr.svg"' in r.text
    qr = await client.get(f"/p/{lao.code}/qr.svg")
    assert qr.status_code == 200 and qr.headers["content-type"].startswith("image/svg+xml")
    assert (
        qr.text.startswith("<svg") and f"<title>{settings.base_url}/p/{lao.code}</title>" in qr.text
    )
    assert (await client.get("/p/9999999/qr.svg")).status_code == 404
    for secret in (DRAFT_TEXT, STEP_NOTE, SECRET_EXEC, ACTOR, "แผนร่างลับ", "โครงการร่างลับ"):
        assert secret not in r.text
    assert f"/p/{lao.code}/files/{SHA['a']}" in r.text
    assert SHA["c"] not in r.text

    item = await client.get(f"/p/{lao.code}/items/{lao.item}")
    assert item.status_code == 200
    assert "ขั้นตอน 6.1" in item.text and "ขั้นตอน 6.2" in item.text
    for secret in (STEP_NOTE, SECRET_EXEC, ACTOR, SHA["c"]):
        assert secret not in item.text
    # An item of a draft plan, another LAO's item, a made-up one: not found, in Thai.
    for path in (
        f"/p/{lao.code}/items/{lao.hidden_item}",
        f"/p/{lao.code}/items/{uuid.uuid4()}",
        "/p/0000000/items/" + str(lao.item),
        "/p/9999999",
        "/p/" + "x" * 300,
        "/p/%3Cscript%3E",
    ):
        r = await client.get(path)
        assert r.status_code == 404, path
        assert "ไม่พบ" in r.text
    # Files: unpublished (step evidence) and another LAO's are not served; nothing stored
    # under the published names in this test, so those answer 404 too, but never 500.
    for sha in (SHA["a"], SHA["c"], "nothex"):
        r = await client.get(f"/p/{lao.code}/files/{sha}")
        assert r.status_code == 404
