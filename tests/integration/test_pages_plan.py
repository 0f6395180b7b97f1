"""The plan page and the history page through real forms: errors keep what was typed, roles,
another tenant's plan, conflicts, "as of" a day, and no 500 on any input."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from domain.shared.clock import BANGKOK, Clock, FixedClock
from infra.db.pool import connect
from infra.settings import Settings
from infra.tenancy import upsert_organisations
from services.api.app import create_app
from services.api.v1.common import today_bangkok
from tests.integration.accounts import make_member, session_csrf, sign_in
from tests.support import be_fields, fill_headings, org

pytestmark = pytest.mark.timeout(120)
_PLAN_ID = re.compile(r"plan=([0-9a-f-]{36})")
_VERSION = re.compile(r'name="version" value="(\d+)"')
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class World:
    settings: Settings
    a: str  # an LAO
    b: str  # another LAO


@pytest.fixture
async def world(settings: Settings) -> AsyncIterator[World]:
    a, b = org(), org()
    owner = await connect(settings.database_url)
    try:
        await upsert_organisations(owner, [a, b])
    finally:
        await owner.close()
    yield World(replace(settings, cookie_secure=False), a.code, b.code)


async def member_client(
    world: World, pool: asyncpg.Pool, code: str, role: str, clock: Clock | None = None
) -> Any:
    email, _ = await make_member(pool, code, role)
    client = AsyncTestClient(create_app(world.settings, clock=clock, configure_logs=False))
    await client.__aenter__()
    r = await sign_in(client, code, email)
    assert r.status_code == 303, r.text
    client.csrf = await session_csrf(client, code)  # type: ignore[attr-defined]
    return client


async def draft(c: Any, code: str, **fields: str) -> Any:
    data = {"csrf_token": c.csrf, "title": "แผนปฏิบัติการป้องกันการทุจริต ๔ ปี"}
    data |= {"first_year": "2570", "last_year": "2573"} | fields
    return await c.post(f"/t/{code}/plan", data=data, follow_redirects=False)


async def add(c: Any, code: str, plan: str, number: str, name: str, **extra: str) -> Any:
    data = {"csrf_token": c.csrf, "number": number, "kind": "activity", "name": name} | extra
    return await c.post(f"/t/{code}/plan/{plan}/items", data=data, follow_redirects=False)


async def test_plan_officer_drafts_adds_items_and_errors_keep_what_was_typed(
    world: World, app_pool: asyncpg.Pool
) -> None:
    code = world.a
    officer = await member_client(world, app_pool, code, "plan_officer")
    executive = await member_client(world, app_pool, code, "executive")
    try:
        empty = await officer.get(f"/t/{code}/plan")
        assert empty.status_code == 200
        assert "ยังไม่มีแผนปฏิบัติการป้องกันการทุจริตในระบบ" in empty.text
        assert 'action="/t/' + code + '/plan"' in empty.text

        # A span of more than 5 years: the domain's Thai message, beside the field and on top.
        r = await draft(officer, code, first_year="2561", last_year="2567")
        assert r.status_code == 400
        assert "แผนมีระยะเวลาได้ 1 ถึง 5 ปีงบประมาณ" in r.text
        assert 'class="error-summary"' in r.text and 'href="#last_year"' in r.text
        assert 'value="2561"' in r.text and 'value="2567"' in r.text
        assert 'value="แผนปฏิบัติการป้องกันการทุจริต ๔ ปี"' in r.text
        r = await draft(officer, code, first_year="ปีหน้า", title="")
        assert r.status_code == 400
        assert "กรุณากรอกชื่อแผน" in r.text and "กรุณากรอกปีงบประมาณแรก" in r.text
        assert 'value="ปีหน้า"' in r.text

        r = await draft(officer, code, first_year="๒๕๗๐")  # Thai digits are fine
        assert r.status_code == 303, r.text
        m = _PLAN_ID.search(r.headers["location"])
        assert m
        plan = m[1]
        page = await officer.get(f"/t/{code}/plan")
        assert page.status_code == 200
        assert "บัญชีสรุปโครงการ/กิจกรรม/มาตรการ" in page.text
        assert "มิติที่ 1" in page.text and "มิติที่ 4" in page.text
        assert "ปี 2573" in page.text and "ร่าง" in page.text
        assert "ประกาศใช้แผน" not in page.text  # only the executive promulgates

        # Promulgating an empty plan: refused, explained.
        ex_page = await executive.get(f"/t/{code}/plan")
        assert 'id="promulgate"' in ex_page.text
        r = await executive.post(
            f"/t/{code}/plan/{plan}/promulgation",
            data={
                "csrf_token": executive.csrf,
                **be_fields("on", date(2026, 10, 1)),
                "executive": "นายก อบต.",
            },
        )
        assert r.status_code == 409
        assert "ประกาศใช้แผนได้เมื่อมีรายการอย่างน้อย 1 รายการ" in r.text
        assert 'value="นายก อบต."' in r.text

        r = await add(officer, code, plan, "2.1.1", "ประกาศเจตจำนงต่อต้านการทุจริตของผู้บริหาร")
        assert r.status_code == 303, r.text
        # The officer lands on the new item's page, to fill its headings.
        item_link = re.match(
            rf"/t/{code}/plan/{plan}/items/([0-9a-f-]{{36}})\?done=added$", r.headers["location"]
        )
        assert item_link
        urls = [r.headers["location"].split("?")[0]]
        page = await officer.get(r.headers["location"])
        assert "เพิ่มรายการในแผนแล้ว" in page.text
        assert "ประกาศเจตจำนงต่อต้านการทุจริตของผู้บริหาร" in page.text
        page = await officer.get(f"/t/{code}/plan")
        assert f'href="{urls[0]}"' in page.text

        # The same number again: Thai error beside the number, what was typed kept.
        r = await add(officer, code, plan, "2.1.1", "กิจกรรมซ้ำเลข")
        assert r.status_code == 409
        assert "เลขที่ 2.1.1 มีรายการอื่นใช้แล้ว" in r.text
        assert 'href="#number"' in r.text and 'id="number-error"' in r.text
        assert 'value="2.1.1"' in r.text and 'value="กิจกรรมซ้ำเลข"' in r.text
        assert '<option value="activity" selected>' in r.text
        # A number outside the catalogue, a malformed one, missing fields.
        r = await add(officer, code, plan, "9.9.1", "นอกบัญชี")
        assert r.status_code == 400 and "ไม่มีภารกิจ 9.9 ในบัญชีมิติของแผนนี้" in r.text
        r = await add(officer, code, plan, "2.1", "เลขไม่ครบ")
        assert r.status_code == 400 and "ต้องอยู่ในรูปแบบ มิติ.ภารกิจ.ลำดับ" in r.text
        r = await add(officer, code, plan, "", "", kind="")
        assert r.status_code == 400
        assert "กรุณากรอกเลขที่รายการ" in r.text and "กรุณาเลือกประเภท" in r.text

        # Someone saved first (the form's version is stale): explained, nothing written.
        form = await officer.get(f"/t/{code}/plan")
        stale = _VERSION.search(form.text)
        assert stale
        r = await add(officer, code, plan, "1.1.1", "รายการของคนแรก")
        assert r.status_code == 303 and "done=added" in r.headers["location"]
        urls.append(r.headers["location"].split("?")[0])
        r = await add(officer, code, plan, "1.2.1", "รายการของคนที่สอง", version=stale[1])
        assert r.status_code == 409
        assert "มีผู้อื่นบันทึกการเปลี่ยนแปลงแผนนี้ก่อนคุณ" in r.text
        assert 'value="รายการของคนที่สอง"' in r.text
        assert "รายการของคนแรก" in r.text
        page = await officer.get(f"/t/{code}/plan")
        assert "รายการของคนที่สอง" not in page.text

        # A double submit of the same form (same one-time key) adds the item once.
        key = {"form_key": uuid.uuid4().hex}
        first = await add(officer, code, plan, "3.1.1", "ส่งสองครั้ง", **key)
        again = await add(officer, code, plan, "3.1.1", "ส่งสองครั้ง", **key)
        assert first.status_code == again.status_code == 303
        urls.append(first.headers["location"].split("?")[0])
        page = await officer.get(f"/t/{code}/plan")
        assert page.text.count("ส่งสองครั้ง") == 1

        # Promulgation waits for the items' required headings, listed in Thai.
        r = await executive.post(
            f"/t/{code}/plan/{plan}/promulgation",
            data={
                "csrf_token": executive.csrf,
                **be_fields("on", date(2026, 10, 1)),
                "executive": "นายก อบต.",
            },
        )
        assert r.status_code == 409, r.text
        assert "รายละเอียดโครงการยังกรอกไม่ครบ 3 รายการ" in r.text
        assert "หลักการและเหตุผล" in r.text and "วิธีดำเนินการ" in r.text
        assert 'value="นายก อบต."' in r.text
        for url in urls:
            await fill_headings(officer, url, (2570, 2571))

        # The executive promulgates with the signed document (a PDF); a non-PDF is refused.
        r = await executive.post(
            f"/t/{code}/plan/{plan}/promulgation",
            data={
                "csrf_token": executive.csrf,
                **be_fields("on", date(2026, 10, 1)),
                "executive": "นายก อบต.",
            },
            files={"document": ("notes.txt", b"just text", "text/plain")},
        )
        assert r.status_code == 400 and "ไฟล์ประกาศต้องเป็น PDF" in r.text
        r = await executive.post(
            f"/t/{code}/plan/{plan}/promulgation",
            data={
                "csrf_token": executive.csrf,
                **be_fields("on", date(2026, 10, 1)),
                "executive": "นายก อบต.",
            },
            files={"document": ("ประกาศใช้แผน.pdf", PDF, "application/pdf")},
            follow_redirects=False,
        )
        assert r.status_code == 303, r.text
        page = await executive.get(r.headers["location"])
        assert "บันทึกการประกาศใช้แผนแล้ว" in page.text and "ประกาศใช้แล้ว" in page.text
        assert "1 ตุลาคม 2569" in page.text and "ประกาศใช้แผน.pdf" in page.text
        assert 'id="promulgate"' not in page.text
        r = await executive.post(
            f"/t/{code}/plan/{plan}/promulgation",
            data={
                "csrf_token": executive.csrf,
                **be_fields("on", date(2026, 10, 2)),
                "executive": "นายก อบต.",
            },
        )
        assert r.status_code == 409 and "แผนนี้ประกาศใช้แล้ว" in r.text

        # History: plain Thai sentences, the actor, filter by kind, load more (HTMX).
        h = await officer.get(f"/t/{code}/history")
        assert h.status_code == 200
        whole = h.text  # every page of it (filling the items' headings made it long)
        nxt = re.search(r'href="(/t/[^"]+/history\?kind=[^"]*?before=\d+)"', whole)
        while nxt:
            more = (await officer.get(nxt[1].replace("&amp;", "&"))).text
            whole += more
            nxt = re.search(r'href="(/t/[^"]+/history\?kind=[^"]*?before=\d+)"', more)
        assert "เพิ่มกิจกรรม 2.1.1 “ประกาศเจตจำนงต่อต้านการทุจริตของผู้บริหาร” ในแผน" in whole
        assert "สร้างร่างแผน “แผนปฏิบัติการป้องกันการทุจริต ๔ ปี”" in whole
        assert "บันทึกการประกาศใช้แผน เมื่อ 1 ตุลาคม 2569 โดย นายก อบต." in h.text
        assert "ทดสอบ plan_officer" in h.text  # the member's name, not only the email
        assert "เข้าสู่ระบบ</span>" not in h.text  # sign-ins only on their own filter
        s = await officer.get(f"/t/{code}/history?kind=signin")
        assert "เข้าสู่ระบบ" in s.text and "เพิ่มกิจกรรม" not in s.text
        for garbage in ("kind=%00", "kind=<script>", "before=abc", "before=-1", "before=9" * 30):
            r = await officer.get(f"/t/{code}/history?{garbage}")
            assert r.status_code in (200, 400), (garbage, r.status_code)
            assert "<script>" not in r.text
        drafted = re.search(r'id="event-(\d+)">\s*<span class="what">สร้างร่างแผน', whole)
        assert drafted
        before = int(drafted[1]) + 1
        more = await officer.get(
            f"/t/{code}/history?kind=plan&before={before}", headers={"HX-Request": "true"}
        )
        assert more.status_code == 200 and "<html" not in more.text
        assert "สร้างร่างแผน" in more.text and 'hx-swap-oob="outerHTML"' in more.text
        assert "เพิ่มกิจกรรม 2.1.1" not in more.text  # only what came before
    finally:
        await officer.__aexit__(None, None, None)
        await executive.__aexit__(None, None, None)


async def test_viewer_and_staff_see_no_forms_and_forged_posts_are_refused(
    world: World, app_pool: asyncpg.Pool
) -> None:
    code = world.a
    officer = await member_client(world, app_pool, code, "plan_officer")
    viewer = await member_client(world, app_pool, code, "viewer")
    staff = await member_client(world, app_pool, code, "staff")
    try:
        r = await viewer.get(f"/t/{code}/plan")
        assert r.status_code == 200 and "สร้างร่างแผน" not in r.text
        r = await draft(viewer, code)
        assert r.status_code == 403 and "บทบาทของคุณทำรายการนี้ไม่ได้" in r.text
        r = await draft(officer, code)
        plan = _PLAN_ID.search(r.headers["location"])[1]  # type: ignore[index]
        await add(officer, code, plan, "1.1.1", "อบรมคุณธรรม")
        for c in (viewer, staff):
            page = await c.get(f"/t/{code}/plan")
            assert page.status_code == 200 and "อบรมคุณธรรม" in page.text
            assert '<form method="post"' not in page.text.split("</header>", 1)[1]
            r = await add(c, code, plan, "1.1.2", "แอบเพิ่ม")
            assert r.status_code == 403
            r = await c.post(
                f"/t/{code}/plan/{plan}/promulgation",
                data={"csrf_token": c.csrf, **be_fields("on", date(2026, 10, 1)), "executive": "x"},
            )
            assert r.status_code == 403
        # The plan officer may not promulgate; without the CSRF token nothing is accepted.
        r = await officer.post(
            f"/t/{code}/plan/{plan}/promulgation",
            data={
                "csrf_token": officer.csrf,
                **be_fields("on", date(2026, 10, 1)),
                "executive": "x",
            },
        )
        assert r.status_code == 403
        r = await officer.post(
            f"/t/{code}/plan/{plan}/items",
            data={"number": "1.1.3", "kind": "activity", "name": "ไม่มี CSRF"},
        )
        assert r.status_code == 403 and "แบบฟอร์มนี้หมดอายุ" in r.text
        page = await officer.get(f"/t/{code}/plan")
        assert "แอบเพิ่ม" not in page.text and "ไม่มี CSRF" not in page.text
        # Not signed in: to the sign-in page.
        async with AsyncTestClient(create_app(world.settings, configure_logs=False)) as anon:
            r = await anon.get(f"/t/{code}/plan", follow_redirects=False)
            assert r.status_code == 303 and r.headers["location"] == f"/t/{code}/signin"
    finally:
        for c in (officer, viewer, staff):
            await c.__aexit__(None, None, None)


async def test_other_tenants_plan_is_not_found_and_as_of_is_checked(
    world: World, app_pool: asyncpg.Pool
) -> None:
    a = await member_client(world, app_pool, world.a, "plan_officer")
    b = await member_client(world, app_pool, world.b, "plan_officer")
    try:
        r = await draft(a, world.a)
        plan = _PLAN_ID.search(r.headers["location"])[1]  # type: ignore[index]
        await add(a, world.a, plan, "2.1.1", "รายการของ อปท. ก")
        r = await b.get(f"/t/{world.b}/plan?plan={plan}")
        assert r.status_code == 404 and "ไม่พบแผนนี้" in r.text
        assert "รายการของ อปท. ก" not in r.text
        r = await add(b, world.b, plan, "2.1.2", "ข้ามเขต")
        assert r.status_code == 404 and "ไม่พบแผนนี้" in r.text
        r = await b.get(f"/t/{world.a}/plan", follow_redirects=False)
        assert r.status_code == 404 and "ไม่พบ" in r.text  # another LAO's page: not found
        assert "รายการของ อปท. ก" not in r.text
        r = await a.get(f"/t/{world.a}/plan?plan=not-a-uuid")
        assert r.status_code == 404

        today = today_bangkok()
        for bad in ("garbage", "2026-02-30", "31/03/2568", "9999-12-31", "0001-01-01", "%00"):
            r = await a.get(f"/t/{world.a}/plan?as_of={bad}")
            assert r.status_code == 400, (bad, r.status_code)
            assert "แสดงข้อมูลย้อนหลังไม่ได้" in r.text
        r = await a.get(f"/t/{world.a}/plan?as_of={today + timedelta(days=1)}")
        assert r.status_code == 400 and "เฉพาะวันนี้หรือวันที่ผ่านมาแล้ว" in r.text

        r = await a.get(f"/t/{world.a}/plan?as_of={today}")
        assert r.status_code == 200
        assert "แผนตามที่บันทึกในระบบ ณ วันที่" in r.text and "กลับไปดูข้อมูลปัจจุบัน" in r.text
        assert "รายการของ อปท. ก" in r.text
        assert "/items/" in r.text and f"?as_of={today}" in r.text  # item links keep as_of
        assert 'id="add-item"' not in r.text and "csrf_token" not in r.text.split("</header>")[1]
        r = await a.get(f"/t/{world.a}/plan?as_of={today - timedelta(days=1)}")
        assert r.status_code == 200 and "ณ วันที่นี้ยังไม่มีแผนในระบบ" in r.text
        assert "รายการของ อปท. ก" not in r.text
        r = await b.get(f"/t/{world.b}/plan?plan={plan}&as_of={today}")
        assert r.status_code == 404
    finally:
        await a.__aexit__(None, None, None)
        await b.__aexit__(None, None, None)


async def test_as_of_shows_the_plan_as_it_stood_at_the_end_of_that_day(
    world: World, app_pool: asyncpg.Pool
) -> None:
    code = world.a
    day0 = today_bangkok() - timedelta(days=10)
    noon = datetime(day0.year, day0.month, day0.day, 12, tzinfo=BANGKOK).astimezone(UTC)
    clock = FixedClock(noon)
    officer = await member_client(world, app_pool, code, "plan_officer", clock)
    try:
        plan = _PLAN_ID.search((await draft(officer, code)).headers["location"])[1]  # type: ignore[index]
        r = await add(officer, code, plan, "1.1.1", "รายการวันแรก")
        assert "done=added" in r.headers["location"]
        clock.advance(timedelta(days=3))  # the session has expired by then: sign in again
        later = await member_client(world, app_pool, code, "plan_officer", clock)
        r = await add(later, code, plan, "1.2.1", "รายการวันที่สี่")
        assert "done=added" in r.headers["location"]
        await later.__aexit__(None, None, None)
        officer = await member_client(world, app_pool, code, "viewer", clock)

        r = await officer.get(f"/t/{code}/plan?as_of={day0 + timedelta(days=1)}")
        assert r.status_code == 200 and "แผนตามที่บันทึกในระบบ ณ วันที่" in r.text
        assert "รายการวันแรก" in r.text and "รายการวันที่สี่" not in r.text
        assert 'id="add-item"' not in r.text
        r = await officer.get(f"/t/{code}/plan?as_of={day0 + timedelta(days=3)}")
        assert "รายการวันแรก" in r.text and "รายการวันที่สี่" in r.text
        r = await officer.get(f"/t/{code}/plan?as_of={day0 - timedelta(days=1)}")
        assert "ณ วันที่นี้ยังไม่มีแผนในระบบ" in r.text and "รายการวันแรก" not in r.text
        r = await officer.get(f"/t/{code}/plan")
        assert "แผนตามที่บันทึกในระบบ ณ วันที่" not in r.text and "รายการวันที่สี่" in r.text
        h = await officer.get(f"/t/{code}/history?kind=plan")
        assert h.text.index("รายการวันที่สี่") < h.text.index("รายการวันแรก")  # newest first
        # In English: the same pages, the sentences translated, the data as typed.
        officer.cookies.set("lang", "en")
        r = await officer.get(f"/t/{code}/plan?as_of={day0 + timedelta(days=3)}")
        assert r.status_code == 200 and "Summary of projects, activities and measures" in r.text
        assert "The plan as recorded in the system on" in r.text and "รายการวันที่สี่" in r.text
        h = await officer.get(f"/t/{code}/history")
        assert h.status_code == 200 and "Added activity 1.2.1 “รายการวันที่สี่” to the plan" in h.text
    finally:
        await officer.__aexit__(None, None, None)


async def test_the_template_round_is_chosen_when_drafting(
    world: World, app_pool: asyncpg.Pool
) -> None:
    code = world.a
    officer = await member_client(world, app_pool, code, "plan_officer")
    try:
        page = await officer.get(f"/t/{code}/plan")
        # Both rounds offered, the newest (2566–2570) chosen unless the officer says otherwise.
        assert 'name="template" value="2566-2570" checked' in page.text
        assert 'name="template" value="2561-2564">' in page.text
        r = await draft(officer, code, template="2570-2574")
        assert r.status_code == 400 and "กรุณาเลือกแม่แบบแผน" in r.text
        r = await draft(officer, code, template="2566-2570", first_year="2570", last_year="2570")
        assert r.status_code == 303, r.text
        plan = _PLAN_ID.search(r.headers["location"])[1]  # type: ignore[index]
        page = await officer.get(f"/t/{code}/plan?plan={plan}")
        assert "การบริหารราชการด้วยความโปร่งใส" in page.text
        r = await add(officer, code, plan, "2.1.1", "เผยแพร่ข้อมูลข่าวสาร")
        assert r.status_code == 303, r.text
        item = await officer.get(r.headers["location"])
        assert "เพิ่มรายการในแผนแล้ว" in item.text
    finally:
        await officer.__aexit__(None, None, None)


async def test_a_plan_is_made_current_and_closed_once_its_years_have_ended(
    world: World, app_pool: asyncpg.Pool
) -> None:
    code = world.a
    officer = await member_client(world, app_pool, code, "plan_officer")
    executive = await member_client(world, app_pool, code, "executive")
    try:
        r = await draft(officer, code, template="2566-2570", first_year="2566", last_year="2568")
        assert r.status_code == 303, r.text
        plan = _PLAN_ID.search(r.headers["location"])[1]  # type: ignore[index]
        r = await add(officer, code, plan, "2.1.1", "เผยแพร่ข้อมูลข่าวสาร")
        await fill_headings(officer, r.headers["location"].split("?")[0], (2566, 2567))
        r = await executive.post(
            f"/t/{code}/plan/{plan}/promulgation",
            data={
                "csrf_token": executive.csrf,
                **be_fields("on", date(2022, 10, 1)),
                "executive": "นายก อบต.",
            },
            follow_redirects=False,
        )
        assert r.status_code == 303, r.text
        url = f"/t/{code}/plan/{plan}"

        # Make it current; a CE year is explained and kept.
        r = await officer.post(
            f"{url}/current",
            data={"csrf_token": officer.csrf, **be_fields("on", date(2022, 10, 1))}
            | {"on-y": "2022"},
        )
        assert r.status_code == 400 and "ปี 2022 เป็นปี ค.ศ. หมายถึง พ.ศ. 2565 ใช่ไหม" in r.text
        assert 'value="2022"' in r.text
        r = await officer.post(
            f"{url}/current",
            data={"csrf_token": officer.csrf, **be_fields("on", date(2022, 10, 1))},
            follow_redirects=False,
        )
        assert r.status_code == 303, r.text
        assert "ตั้งเป็นแผนที่ใช้อยู่ในปัจจุบันแล้ว" in (await officer.get(r.headers["location"])).text

        # Closing is the executive's, and only once the plan's last year has ended.
        r = await officer.post(
            f"{url}/closure", data={"csrf_token": officer.csrf, **be_fields("on", today_bangkok())}
        )
        assert r.status_code == 403
        r = await executive.post(
            f"{url}/closure",
            data={"csrf_token": executive.csrf, **be_fields("on", date(2025, 1, 15))},
        )
        assert r.status_code == 409 and "ยังอยู่ในช่วงของแผน" in r.text
        assert 'value="15"' in r.text  # what was typed stays
        r = await executive.post(
            f"{url}/closure",
            data={"csrf_token": executive.csrf, **be_fields("on", today_bangkok())},
            follow_redirects=False,
        )
        assert r.status_code == 303, r.text
        page = (await executive.get(r.headers["location"])).text
        assert "ปิดแผนแล้ว" in page and f'action="{url}/closure"' not in page
        r = await officer.post(f"{url}/nonsense", data={"csrf_token": officer.csrf})
        assert r.status_code == 404
    finally:
        await officer.__aexit__(None, None, None)
        await executive.__aexit__(None, None, None)


async def test_as_of_is_typed_in_the_buddhist_era_and_says_what_it_is(
    world: World, app_pool: asyncpg.Pool
) -> None:
    """The as-of form sends วัน / เดือน / ปี พ.ศ.; a CE year is explained; links keep ISO."""
    a = await member_client(world, app_pool, world.a, "plan_officer")
    try:
        today = today_bangkok()
        r = await a.get(f"/t/{world.a}/plan", params=be_fields("as_of", today))
        assert r.status_code == 200, r.text
        assert "แผนตามที่บันทึกในระบบ ณ วันที่" in r.text and str(today.year + 543) in r.text
        assert 'name="as_of-y"' in r.text and 'type="date"' not in r.text
        ce = {"as_of-d": str(today.day), "as_of-m": str(today.month), "as_of-y": str(today.year)}
        r = await a.get(f"/t/{world.a}/plan", params=ce)
        assert r.status_code == 400 and f"ปี {today.year} เป็นปี ค.ศ." in r.text
        r = await a.get(f"/t/{world.a}/plan", params=be_fields("as_of", today + timedelta(days=1)))
        assert r.status_code == 400 and "ต้องไม่เลยวันนี้" in r.text
        history = await a.get(f"/t/{world.a}/history")
        assert 'name="as_of-d"' in history.text and 'type="date"' not in history.text
    finally:
        await a.__aexit__(None, None, None)
