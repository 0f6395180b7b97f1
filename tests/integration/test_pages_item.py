"""The item page through real forms: errors keep what was typed (Thai, beside the field and on
top), conflicting edits are explained and overwrite nothing, another tenant's item is a Thai
404, staff record progress only on steps that name them, and no input gives a 500."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from domain.shared.fiscal import fiscal_year
from domain.shared.thai import thai_date
from infra.db.pool import connect
from infra.settings import Settings
from infra.tenancy import upsert_organisations
from services.api.app import create_app
from services.api.v1.common import today_bangkok
from tests.integration.accounts import make_member, session_csrf, sign_in
from tests.support import be_fields, fill_headings, org

pytestmark = pytest.mark.timeout(180)
_PLAN_ID = re.compile(r"plan=([0-9a-f-]{36})")
_ITEM = re.compile(r"/items/([0-9a-f-]{36})")
_ITEM_URL = re.compile(r"^(.*/items/[0-9a-f-]{36})")
_VERSION = re.compile(r'name="version" value="(\d+)"')
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class World:
    settings: Settings
    a: str
    b: str


@pytest.fixture
async def world(settings: Settings) -> AsyncIterator[World]:
    a, b = org(), org()
    owner = await connect(settings.database_url)
    try:
        await upsert_organisations(owner, [a, b])
    finally:
        await owner.close()
    yield World(replace(settings, cookie_secure=False), a.code, b.code)


async def member(world: World, pool: asyncpg.Pool, code: str, role: str) -> Any:
    email, _ = await make_member(pool, code, role)
    client = AsyncTestClient(create_app(world.settings, configure_logs=False))
    await client.__aenter__()
    r = await sign_in(client, code, email)
    assert r.status_code == 303, r.text
    client.csrf = await session_csrf(client, code)  # type: ignore[attr-defined]
    client.email = email  # type: ignore[attr-defined]
    return client


async def plan_with_item(c: Any, code: str, first: int = 2570, last: int = 2573) -> str:
    """A plan (2570-2573) with item 2.1.1; the item page's address."""
    r = await c.post(
        f"/t/{code}/plan",
        data={
            "csrf_token": c.csrf,
            "title": "แผนปฏิบัติการป้องกันการทุจริต ๔ ปี",
            "first_year": str(first),
            "last_year": str(last),
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    plan = _PLAN_ID.search(r.headers["location"])
    assert plan
    r = await c.post(
        f"/t/{code}/plan/{plan[1]}/items",
        data={
            "csrf_token": c.csrf,
            "number": "2.1.1",
            "kind": "activity",
            "name": "ประกาศเจตจำนงต่อต้านการทุจริตของผู้บริหาร",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    item = _ITEM.search(r.headers["location"])
    assert item
    return f"/t/{code}/plan/{plan[1]}/items/{item[1]}"


async def version(c: Any, url: str) -> str:
    page = await c.get(url)
    assert page.status_code == 200, page.text
    m = _VERSION.search(page.text)
    assert m
    return m[1]


async def post(c: Any, url: str, **data: Any) -> Any:
    files = data.pop("_files", None)
    data.setdefault("csrf_token", c.csrf)
    if "version" not in data:
        m = _ITEM_URL.match(url)
        assert m
        data["version"] = await version(c, m[1])
    return await c.post(url, data=data, files=files, follow_redirects=False)


async def test_headings_and_steps_keep_what_was_typed_and_explain_conflicts(
    world: World, app_pool: asyncpg.Pool
) -> None:
    officer = await member(world, app_pool, world.a, "plan_officer")
    try:
        url = await plan_with_item(officer, world.a)
        page = await officer.get(url)
        assert page.status_code == 200
        # a plan drafted today is 2566-2570's: its sheet's nine headings, as numbered there
        for heading in (
            "1. ชื่อโครงการ",
            "2. หลักการและเหตุผล",
            "3. วัตถุประสงค์",
            "4. เป้าหมาย",
            "5. วิธีดำเนินการ",
            "6. ระยะเวลาดำเนินการ",
            "7. งบประมาณดำเนินการ",
            "8. ผู้รับผิดชอบโครงการ",
            "9. ผลผลิต/ผลลัพธ์",
        ):
            assert f"{heading}</h2>" in page.text, heading
        assert "พื้นที่ดำเนินการ" not in page.text and "10." not in page.text
        assert page.text.count("<h1") == 1

        # An empty name: the Thai message on top and beside the field; nothing saved.
        r = await post(officer, f"{url}/headings/name", name="   ")
        assert r.status_code == 400
        assert "กรุณากรอกชื่อโครงการ/กิจกรรม/มาตรการ" in r.text
        assert 'class="error-summary"' in r.text and 'href="#name"' in r.text
        assert '<details class="edit no-print" id="edit-name" open>' in r.text

        # A budget that is no number: kept as typed.
        r = await post(
            officer, f"{url}/headings/budget", budget_mode="amounts", **{"amount-2571": "ห้าพัน"}
        )
        assert r.status_code == 400
        assert "กรุณากรอกจำนวนเงินเป็นตัวเลข" in r.text and 'value="ห้าพัน"' in r.text
        r = await post(
            officer, f"{url}/headings/budget", budget_mode="amounts", **{"amount-2571": "5,000"}
        )
        assert r.status_code == 303, r.text
        assert "5,000.00 บาท" in (await officer.get(url)).text

        # A step with an impossible date, then outside the plan's years: messages, typed kept.
        r = await post(
            officer,
            f"{url}/steps",
            number="6.1",
            title="ประกาศเจตจำนง",
            **{"due-d": "31", "due-m": "2", "due-y": "2570"},
        )
        assert r.status_code == 400
        assert "ไม่มีวันที่ 31 กุมภาพันธ์ 2570" in r.text and 'value="ประกาศเจตจำนง"' in r.text
        r = await post(
            officer,
            f"{url}/steps",
            number="6.1",
            title="ประกาศเจตจำนง",
            **be_fields("due", date(2035, 1, 1)),
        )
        assert r.status_code == 400
        assert "อยู่นอกช่วงปีงบประมาณของแผน" in r.text and 'value="2578"' in r.text
        assert 'href="#add-step-due"' in r.text
        r = await post(
            officer,
            f"{url}/steps",
            number="6.1",
            title="ประกาศเจตจำนง",
            **be_fields("due", date(2027, 3, 31)),
        )
        assert r.status_code == 303, r.text
        assert "31 มีนาคม 2570" in (await officer.get(url)).text

        # Someone else saves first: explained, what was typed stays, nothing overwritten.
        stale = await version(officer, url)
        r = await post(
            officer,
            f"{url}/headings/responsible_unit",
            responsible_unit="กองกฎหมายและคดี",
            version=stale,
        )
        assert r.status_code == 303
        r = await post(
            officer, f"{url}/headings/rationale", rationale="เหตุผลที่ฉันพิมพ์ไว้", version=stale
        )
        assert r.status_code == 409
        assert "มีผู้อื่นบันทึกรายการนี้ก่อนคุณ" in r.text
        assert "เหตุผลที่ฉันพิมพ์ไว้</textarea>" in r.text
        assert "กองกฎหมายและคดี" in r.text  # the other save is shown
        page = await officer.get(url)
        assert "เหตุผลที่ฉันพิมพ์ไว้</p>" not in page.text

        # Reschedule without a reason; reopen a step that is not completed.
        r = await post(
            officer, f"{url}/steps/6.1/reschedule", **be_fields("due", date(2027, 4, 30)), reason=""
        )
        assert r.status_code == 400
        assert "กรุณาระบุเหตุผลที่เลื่อนกำหนด" in r.text and 'value="2570"' in r.text
        assert '<option value="4" selected>เมษายน</option>' in r.text
        # A CE year where BE is expected is explained, and what was typed is kept.
        r = await post(
            officer,
            f"{url}/steps/6.1/reschedule",
            **{"due-d": "30", "due-m": "4", "due-y": "2027"},
            reason="รองบประมาณ",
        )
        assert r.status_code == 400
        assert "ปี 2027 เป็นปี ค.ศ. หมายถึง พ.ศ. 2570 ใช่ไหม" in r.text
        assert 'value="2027"' in r.text and "รองบประมาณ" in r.text
        r = await post(officer, f"{url}/steps/6.1/reopen", reason="ทดสอบ")
        assert r.status_code == 409
        assert "ยังไม่เสร็จ จึงเปิดใหม่ไม่ได้" in r.text

        # Complete with an uploaded PDF (the form without JavaScript); the file is linked.
        r = await post(
            officer,
            f"{url}/steps/6.1/complete",
            **be_fields("on", today_bangkok()),
            note="ประกาศแล้ว",
            _files=[("files", ("ประกาศ.pdf", PDF, "application/pdf"))],
        )
        assert r.status_code == 303, r.text
        page = await officer.get(url)
        assert "/api/v1/evidence/" in page.text and "ประกาศ.pdf" in page.text
        sha = re.search(r"/api/v1/evidence/([0-9a-f]{64})", page.text)
        assert sha
        got = await officer.get(f"/api/v1/evidence/{sha[1]}")
        assert got.status_code == 200 and got.content == PDF

        # A file that is not evidence: refused by its content, beside the file field.
        r = await post(officer, f"{url}/steps/6.1/reopen", reason="แนบฉบับลงนาม")
        assert r.status_code == 303
        r = await post(
            officer,
            f"{url}/steps/6.1/complete",
            **be_fields("on", today_bangkok()),
            note="พิมพ์ไว้",
            _files=[("files", ("virus.exe", b"MZ\x90\x00", "application/octet-stream"))],
        )
        assert r.status_code == 400
        assert "virus.exe ไม่ใช่ PDF" in r.text and "พิมพ์ไว้</textarea>" in r.text

        # As of today: read-only, no forms.
        r = await officer.get(f"{url}?as_of={today_bangkok().isoformat()}")
        assert r.status_code == 200
        assert "ข้อมูลย้อนหลังแก้ไขไม่ได้" in r.text and "/headings/" not in r.text
        r = await officer.get(f"{url}?as_of=2030-01-01")
        assert r.status_code == 400 and "เลือกได้เฉพาะวันนี้" in r.text
    finally:
        await officer.__aexit__(None, None, None)


async def test_roles_other_tenants_and_garbage(world: World, app_pool: asyncpg.Pool) -> None:
    officer = await member(world, app_pool, world.a, "plan_officer")
    staff = await member(world, app_pool, world.a, "staff")
    viewer = await member(world, app_pool, world.a, "viewer")
    other = await member(world, app_pool, world.b, "plan_officer")
    try:
        url = await plan_with_item(officer, world.a)
        for number, who in (("6.1", "งานกฎหมายและคดี"), ("6.2", staff.email)):
            r = await post(officer, f"{url}/steps", number=number, title=f"ขั้นตอน {number}", who=who)
            assert r.status_code == 303, r.text

        # Staff: refused on a step that does not name them, in Thai; fine on their own.
        page = await staff.get(url)
        assert "/headings/" not in page.text  # staff edit no heading
        assert "ขั้นตอนนี้ไม่ได้ระบุชื่อคุณ" in page.text
        r = await post(staff, f"{url}/steps/6.1/complete", **be_fields("on", today_bangkok()))
        assert r.status_code == 403
        assert "ขั้นตอนนี้ไม่ได้มอบหมายให้คุณ" in r.text
        r = await post(staff, f"{url}/steps/6.2/start", **be_fields("on", today_bangkok()))
        assert r.status_code == 303, r.text
        r = await post(staff, f"{url}/steps/6.2/complete", **be_fields("on", today_bangkok()))
        assert r.status_code == 303, r.text
        v = await version(officer, url)
        r = await post(staff, f"{url}/steps/6.2/reopen", reason="ผิด", version=v)
        assert r.status_code == 403 and "บทบาทของคุณทำรายการนี้ไม่ได้" in r.text
        r = await post(viewer, f"{url}/headings/area", area="x", version=v)
        assert r.status_code == 403

        # Another tenant's item: the Thai 404 page, for reading and for writing.
        theirs = url.replace(f"/t/{world.a}/", f"/t/{world.b}/")
        r = await other.get(theirs)
        assert r.status_code == 404 and "ไม่พบรายการนี้" in r.text
        r = await other.post(
            f"{theirs}/headings/area", data={"csrf_token": other.csrf, "area": "x"}
        )
        assert r.status_code == 404
        r = await officer.get(url.rsplit("/", 1)[0] + "/00000000-0000-0000-0000-000000000000")
        assert r.status_code == 404 and "ไม่พบรายการนี้" in r.text

        # Garbage: never a 500.
        v = await version(officer, url)
        junk = ["", "x" * 30_000, "๒๕๗๐-๑๓-๔๐", "-1e999", "NaN", "<script>", "\x00", "2570/01/01"]
        for value in junk:
            for path, fields in (
                ("/headings/name", ["name"]),
                ("/headings/years", ["fiscal_years"]),
                ("/headings/budget", ["budget_mode", "amount-2570", "amount-9"]),
                ("/headings/nope", ["x"]),
                ("/steps", ["number", "title", "due", "who"]),
                ("/steps/6.1/start", ["on"]),
                ("/steps/6.1/complete", ["on", "note", "link", "evidence"]),
                ("/steps/6.1/reschedule", ["due", "reason"]),
                ("/steps/6.1/reopen", ["reason"]),
                ("/steps/..%2F/reopen", ["reason"]),
                ("/steps/9.9/fly", ["reason"]),
                ("/results", ["indicator", "year", "value", "note"]),
            ):
                data = {f: value for f in fields} | {"csrf_token": officer.csrf, "version": v}
                if path == "/headings/budget":
                    data["budget_mode"] = "amounts"
                r = await officer.post(url + path, data=data, follow_redirects=False)
                assert r.status_code < 500, (path, value, r.text[:300])
            r = await officer.get(url, params={"as_of": value})
            assert r.status_code < 500, (value, r.text[:300])
        r = await officer.post(url + "/headings/area", data={"area": "no csrf"})
        assert r.status_code == 403
    finally:
        for c in (officer, staff, viewer, other):
            await c.__aexit__(None, None, None)


async def test_home_task_list_is_role_aware(world: World, app_pool: asyncpg.Pool) -> None:
    officer = await member(world, app_pool, world.a, "plan_officer")
    staff = await member(world, app_pool, world.a, "staff")
    try:
        empty = await officer.get(f"/t/{world.a}/")
        assert empty.status_code == 200 and "ยังไม่มีแผนปฏิบัติการป้องกันการทุจริตในระบบ" in empty.text
        today = today_bangkok()
        fy = fiscal_year(today)
        url = await plan_with_item(officer, world.a, fy - 1, fy + 2)
        for number, due, who in (
            ("6.1", today - timedelta(days=10), "งานกฎหมายและคดี"),
            ("6.2", today + timedelta(days=10), staff.email),
            ("6.3", today + timedelta(days=200), staff.email),
            ("6.4", today + timedelta(days=200), "งานกฎหมายและคดี"),
        ):
            r = await post(
                officer,
                f"{url}/steps",
                number=number,
                title=f"ขั้นตอนทดสอบ {number}",
                **be_fields("due", due),
                who=who,
            )
            assert r.status_code == 303, r.text

        home = (await officer.get(f"/t/{world.a}/")).text
        overdue = home.split('id="overdue"')[1].split('id="soon"')[0]
        soon = home.split('id="soon"')[1].split('id="indicators"')[0]
        assert "ขั้นตอน 6.1 ขั้นตอนทดสอบ 6.1" in overdue and "เกินกำหนด 10 วัน" in overdue
        assert "ขั้นตอน 6.2" in soon and "อีก 10 วัน" in soon
        assert "6.3" not in home and "6.4" not in home  # not due within 30 days
        assert f"{url}#step-6-1" in overdue
        assert 'id="mine"' not in home  # no step names the plan officer
        assert "ยังไม่มีคำขอแก้ไข" in home
        assert "ปิดรอบวันที่" in home
        progress = home.split('id="progress"')[1]
        assert "0%</strong> (0 จาก 4 ขั้นตอน)" in progress
        assert "1 ขั้นตอน</strong>" in progress  # overdue, in words beside the colour

        # Staff see first the steps that name them (even those due later), then the rest.
        home = (await staff.get(f"/t/{world.a}/")).text
        mine = home.split('id="mine"')[1].split('id="overdue"')[0]
        assert "ขั้นตอน 6.2" in mine and "ขั้นตอน 6.3" in mine and "6.1" not in mine
        assert home.index('id="mine"') < home.index('id="overdue"')
        assert thai_date(today + timedelta(days=10)) in mine

        # Completing a step changes the task list and the progress.
        r = await post(officer, f"{url}/steps/6.1/complete", **be_fields("on", today))
        assert r.status_code == 303, r.text
        home = (await officer.get(f"/t/{world.a}/")).text
        assert "ไม่มีขั้นตอนที่เกินกำหนด" in home
        assert "25%</strong> (1 จาก 4 ขั้นตอน)" in home
    finally:
        for c in (officer, staff):
            await c.__aexit__(None, None, None)


async def test_revision_requests_on_home_and_reviewer_reads_read_only(
    world: World, app_pool: asyncpg.Pool
) -> None:
    officer = await member(world, app_pool, world.a, "plan_officer")
    reviewer = await member(world, app_pool, "po-47", "reviewer")
    try:
        url = await plan_with_item(officer, world.a)
        item = url.rsplit("/", 1)[1]
        home = (await officer.get(f"/t/{world.a}/")).text
        assert "คำขอแก้ไขจากจังหวัด (0)" in home and "ยังไม่มีคำขอแก้ไข" in home
        r = await reviewer.post(
            "/api/v1/reviews",
            headers={"X-CSRF-Token": reviewer.csrf, "Sujarit-Tenant": world.a},
            json={"subject": f"item:{item}", "text": "ขอให้แนบประกาศฉบับลงนาม", "kind": "revision"},
        )
        assert r.status_code == 201, r.text
        home = (await officer.get(f"/t/{world.a}/")).text
        revisions = home.split('id="revisions"')[1].split('id="progress"')[0]
        assert "(1)" in revisions and "รายการ 2.1.1" in revisions
        assert "ขอให้แนบประกาศฉบับลงนาม" in revisions and "รอการแก้ไข" in revisions
        assert f'href="/t/{world.a}/reviews"' in revisions

        # The reviewer reads the LAO's home and item page, with no form to change anything.
        r = await reviewer.get(f"/t/{world.a}/")
        assert r.status_code == 200 and "ความคืบหน้าตามมิติ" in r.text
        r = await reviewer.get(url)
        assert r.status_code == 200 and "5. วิธีดำเนินการ" in r.text
        assert "/headings/" not in r.text and "/steps" not in r.text
    finally:
        for c in (officer, reviewer):
            await c.__aexit__(None, None, None)


async def test_step_dates_and_indicators_tell_the_truth(
    world: World, app_pool: asyncpg.Pool
) -> None:
    officer = await member(world, app_pool, world.a, "plan_officer")
    try:
        today = today_bangkok()
        fy = fiscal_year(today)
        url = await plan_with_item(officer, world.a, fy - 2, fy + 1)
        m = re.search(r"/plan/([0-9a-f-]{36})/items/([0-9a-f-]{36})", url)
        assert m
        # The item runs in the last two years of the plan only.
        r = await post(officer, f"{url}/headings/years", fiscal_years=[str(fy), str(fy + 1)])
        assert r.status_code == 303, r.text
        r = await post(
            officer, f"{url}/headings/budget", budget_mode="amounts", **{f"amount-{fy}": "1000"}
        )
        assert r.status_code == 303, r.text

        # A step with no due date: "กำหนดวันเสร็จ" (no reason asked), not "เลื่อนกำหนด".
        r = await post(officer, f"{url}/steps", number="6.1", title="ประกาศเจตจำนง")
        assert r.status_code == 303, r.text
        page = (await officer.get(url)).text
        assert f'action="{url}/steps/6.1/due"' in page
        assert f'action="{url}/steps/6.1/reschedule"' not in page
        due = today - timedelta(days=12)
        r = await post(officer, f"{url}/steps/6.1/due", **be_fields("due", due))
        assert r.status_code == 303, r.text
        page = (await officer.get(url)).text
        assert f'action="{url}/steps/6.1/reschedule"' in page
        assert f'action="{url}/steps/6.1/due"' not in page

        # Rescheduled with a reason: listed with it.
        r = await post(
            officer,
            f"{url}/steps/6.1/reschedule",
            **be_fields("due", today - timedelta(days=5)),
            reason="รอผู้บริหารลงนาม",
        )
        assert r.status_code == 303, r.text
        page = (await officer.get(url)).text
        assert "เหตุผล: รอผู้บริหารลงนาม" in page
        assert thai_date(due) in page  # the due date before the postponement

        # Completed today, five days after the due date: "เสร็จล่าช้า 5 วัน".
        r = await post(officer, f"{url}/steps/6.1/complete", **be_fields("on", today))
        assert r.status_code == 303, r.text
        page = (await officer.get(url)).text
        assert "เสร็จล่าช้า 5 วัน" in page

        # Budget: "-" for the plan's years the item does not run.
        budget = page[page.index('class="sheet-list plain budget-years"') :]
        budget = budget[: budget.index("</ul>")]
        assert budget.count("<li>") == 4 and budget.count(">-</span>") == 2
        assert "1,000.00 บาท" in budget

        # Indicators: one typed as a percentage, one counted by the service.
        api = f"/api/v1/plans/{m[1]}/items/{m[2]}/outputs"
        headers = {"X-CSRF-Token": officer.csrf}
        for body in (
            {
                "id": "o1",
                "text": "ร้อยละผู้เข้าร่วม",
                "comparator": "at_least",
                "target": "80",
                "unit": "%",
            },
            {
                "id": "o2",
                "text": "เรื่องร้องเรียนที่ได้รับ",
                "comparator": "at_least",
                "target": "1",
                "unit": "เรื่อง",
                "measure": "complaints_received",
            },
        ):
            r = await officer.post(api, json=body, headers=headers)
            assert r.status_code == 201, r.text
        page = (await officer.get(url)).text
        form = page[page.index('action="' + url + '/results"') :]
        form = form[: form.index("</form>")]
        assert 'value="o1"' in form and 'value="o2"' not in form  # counted: not typed
        assert f'<option value="{fy - 2}"' not in form and f'<option value="{fy}"' in form
        assert "ไม่อยู่ในระยะเวลาดำเนินการ" in page  # the years the item does not run
        assert "ยังไม่สิ้นปีงบประมาณ" in page

        # A year the item does not run, a counted indicator: refused in Thai, typed kept.
        r = await post(officer, f"{url}/results", indicator="o1", year=str(fy - 2), value="85%")
        assert r.status_code == 400 and "ไม่อยู่ในระยะเวลาดำเนินการของรายการนี้" in r.text
        assert 'value="85%"' in r.text
        r = await post(officer, f"{url}/results", indicator="o2", year=str(fy), value="3")
        assert r.status_code == 400 and "ตัวชี้วัดนี้ระบบนับให้" in r.text
        r = await post(officer, f"{url}/results", indicator="o1", year=str(fy), value="120%")
        assert r.status_code == 400 and "ร้อยละ" in r.text
        # "85%" is accepted and met (at least 80).
        r = await post(officer, f"{url}/results", indicator="o1", year=str(fy), value="85%")
        assert r.status_code == 303, r.text
        page = (await officer.get(url)).text
        assert "85 %" in page and "บรรลุ" in page

        # The plan officer overrides the count with a reason, shown as such.
        r = await post(officer, f"{url}/results/override", indicator="o2", year=str(fy), value="2")
        assert r.status_code == 400 and "กรุณาระบุเหตุผลที่แก้ไขค่าที่ระบบนับ" in r.text
        r = await post(
            officer,
            f"{url}/results/override",
            indicator="o2",
            year=str(fy),
            value="2",
            reason="รับเรื่องทางโทรศัพท์ 2 เรื่องที่ยังไม่ได้บันทึก",
        )
        assert r.status_code == 303, r.text
        page = (await officer.get(url)).text
        assert "แก้ไขโดยเจ้าหน้าที่แผน: รับเรื่องทางโทรศัพท์ 2 เรื่องที่ยังไม่ได้บันทึก" in page
    finally:
        await officer.__aexit__(None, None, None)


async def test_the_sheet_editor_saves_every_heading_at_once_and_keeps_what_was_typed(
    world: World, app_pool: asyncpg.Pool
) -> None:
    officer = await member(world, app_pool, world.a, "plan_officer")
    viewer = await member(world, app_pool, world.a, "viewer")
    try:
        url = await plan_with_item(officer, world.a)  # 2570-2573: the 2566-2570 round
        page = (await officer.get(f"{url}/sheet")).text
        # The nine headings of the 2566-2570 layout, with their limits.
        for heading in ("1. ชื่อโครงการ", "5. วิธีดำเนินการ", "8. ผู้รับผิดชอบโครงการ", "9. ผลผลิต/ผลลัพธ์"):
            assert heading in page
        assert "10." not in page.split("<h1", 1)[1].split("</form>")[0]
        assert "ไม่เกิน 10,000 ตัวอักษร" in page and "ไม่เกิน 300 ตัวอักษร" in page
        data = {
            "name": "ประกาศเจตจำนงต่อต้านการทุจริตของผู้บริหาร",
            "rationale": "ก" * 10_001,
            "objectives": "เพื่อแสดงเจตจำนง\nเพื่อสร้างความเชื่อมั่น",
            "targets": "ผู้บริหารและบุคลากร",
            "area": "",
            "responsible_unit": "สำนักปลัด",
            "fiscal_years": ["2570", "2571"],
        }
        r = await post(officer, f"{url}/sheet", **data)
        assert r.status_code == 400
        assert "เกินที่แบบรายละเอียดรับได้" in r.text and "ไม่เกิน 10,000 ตัวอักษร" in r.text
        assert "เพื่อแสดงเจตจำนง\nเพื่อสร้างความเชื่อมั่น</textarea>" in r.text  # kept
        assert 'value="สำนักปลัด"' in r.text
        r = await post(officer, f"{url}/sheet", **(data | {"name": ""}))
        assert r.status_code == 400 and "กรุณากรอกชื่อโครงการ" in r.text
        r = await post(officer, f"{url}/sheet", **(data | {"rationale": "เพื่อความโปร่งใส"}))
        assert r.status_code == 303, r.text
        page = (await officer.get(url)).text
        for saved in ("เพื่อความโปร่งใส", "เพื่อสร้างความเชื่อมั่น", "ผู้บริหารและบุคลากร", "สำนักปลัด"):
            assert saved in page
        assert "บันทึกการแก้ไขแล้ว" in (await officer.get(f"{url}?done=saved")).text
        r = await post(viewer, f"{url}/sheet", **data, version="1")
        assert r.status_code == 403
    finally:
        await officer.__aexit__(None, None, None)
        await viewer.__aexit__(None, None, None)


async def test_after_promulgation_an_edit_is_a_proposal_the_executive_decides(
    world: World, app_pool: asyncpg.Pool
) -> None:
    officer = await member(world, app_pool, world.a, "plan_officer")
    executive = await member(world, app_pool, world.a, "executive")
    try:
        url = await plan_with_item(officer, world.a)
        await fill_headings(officer, url, (2570, 2571))
        plan = _PLAN_ID.search(url) or re.search(r"/plan/([0-9a-f-]{36})/", url)
        assert plan
        r = await executive.post(
            f"/t/{world.a}/plan/{plan[1]}/promulgation",
            data={
                "csrf_token": executive.csrf,
                **be_fields("on", today_bangkok()),
                "executive": "นายก อบต.",
            },
            follow_redirects=False,
        )
        assert r.status_code == 303, r.text
        page = (await officer.get(f"{url}/sheet")).text
        assert "การแก้ไขจะส่งเป็นคำขอแก้ไขให้ผู้บริหารพิจารณา" in page
        data = {
            "name": "ประกาศเจตจำนงต่อต้านการทุจริตของผู้บริหาร",
            "rationale": "เหตุผลฉบับปรับปรุง",
            "objectives": "เพื่อให้ประชาชนเชื่อมั่น",
            "targets": "บุคลากรทุกคน",
            "area": "องค์การบริหารส่วนตำบล",
            "responsible_unit": "สำนักปลัด",
            "fiscal_years": ["2570", "2571"],
        }
        r = await post(officer, f"{url}/sheet", **data)
        assert r.status_code == 400 and "กรุณาระบุเหตุผลที่ขอแก้ไข" in r.text
        assert "เหตุผลฉบับปรับปรุง</textarea>" in r.text
        r = await post(officer, f"{url}/sheet", **(data | {"reason": "แก้คำผิด"}))
        assert r.status_code == 303 and "done=proposed" in r.headers["location"], r.text
        # One proposal at a time: a second waits for the executive's decision.
        r = await post(officer, f"{url}/sheet", **(data | {"reason": "อีกฉบับ"}))
        assert r.status_code == 409 and "รอผู้บริหารพิจารณาอยู่แล้ว" in r.text
        page = (await officer.get(url)).text
        assert "รอผู้บริหารพิจารณา" in page and "แก้คำผิด" in page
        changes = page.split('class="changes"')[1].split("</dl>")[0]  # what changes, only
        assert "เหตุผลฉบับปรับปรุง" in changes and "สำนักปลัด" not in changes
        assert "/revisions/" not in page  # the officer does not decide
        sheet_text = page.split('id="heading-rationale"')[1].split("</section>")[0]
        assert "เพื่อป้องกันการทุจริต" in sheet_text and "เหตุผลฉบับปรับปรุง" not in sheet_text

        # The executive returns it (with a reason), then approves the next one.
        page = (await executive.get(url)).text
        ids = re.findall(r"/revisions/([0-9a-f-]{36})/approve", page)
        assert len(ids) == 1
        r = await post(executive, f"{url}/revisions/{ids[0]}/return", reason="")
        assert r.status_code == 400 and "กรุณาระบุเหตุผลที่ส่งคืน" in r.text
        r = await post(executive, f"{url}/revisions/{ids[0]}/return", reason="ไม่จำเป็น")
        assert r.status_code == 303, r.text
        # Returned: the sheet editor holds what the clerk proposed, to edit, not retype.
        assert "แก้ไขคำขอนี้แล้วส่งใหม่" in (await officer.get(url)).text
        again = (await officer.get(f"{url}/sheet")).text
        assert "ผู้บริหารส่งคืนคำขอแก้ไขครั้งก่อน" in again and "ไม่จำเป็น" in again
        assert "เหตุผลฉบับปรับปรุง</textarea>" in again and "แก้คำผิด</textarea>" in again
        r = await post(officer, f"{url}/sheet", **(data | {"reason": "ปรับตามมติสภา"}))
        assert r.status_code == 303, r.text
        page = (await executive.get(url)).text
        ids = re.findall(r"/revisions/([0-9a-f-]{36})/approve", page)
        assert len(ids) == 1
        r = await post(
            executive,
            f"{url}/revisions/{ids[0]}/approve",
            **{"on-d": "1", "on-m": "1", "on-y": "2027"},
        )
        assert r.status_code == 400 and "เป็นปี ค.ศ." in r.text
        r = await post(
            executive, f"{url}/revisions/{ids[0]}/approve", **be_fields("on", today_bangkok())
        )
        assert r.status_code == 303, r.text
        page = (await officer.get(url)).text
        sheet_text = page.split('id="heading-rationale"')[1].split("</section>")[0]
        assert "เหตุผลฉบับปรับปรุง" in sheet_text
        assert "อนุมัติแล้ว" in page and "ส่งคืนแล้ว" in page and "ไม่จำเป็น" in page
        r = await post(
            officer, f"{url}/revisions/{ids[0]}/approve", **be_fields("on", today_bangkok())
        )
        assert r.status_code == 400, r.text
        assert "อนุมัติแล้ว" in r.text  # refused; the decision stands
    finally:
        await officer.__aexit__(None, None, None)
        await executive.__aexit__(None, None, None)
