"""The import pages through real forms: upload the real Phang Khwang sheet, review its ten
headings and repairs, edit, accept into a plan (the ordinary events), refusals in Thai with
nothing written, reject, roles, another tenant's batch, a file that is not a plan document."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from infra.db.pool import connect
from infra.settings import Settings
from infra.tenancy import upsert_organisations
from services.api.app import create_app
from tests.integration.accounts import make_member, session_csrf, sign_in
from tests.support import org

pytestmark = pytest.mark.timeout(180)
REAL = Path(__file__).parents[1] / "fixtures" / "phangkhwang-2.1.1.txt"
_BATCH = re.compile(r"/imports/([0-9a-f-]{36})$")
_SHEET = re.compile(r'href="(/t/[^/"]+/imports/[0-9a-f-]{36}/sheets/[0-9a-f-]{36})"')
_PLAN = re.compile(r"plan=([0-9a-f-]{36})")
_ITEM = re.compile(r'href="(/t/[^/"]+/plan/([0-9a-f-]{36})/items/([0-9a-f-]{36}))"')
_EDITED = re.compile(r'name="edited_at" value="([^"]*)"')


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


async def member_client(world: World, pool: asyncpg.Pool, code: str, role: str) -> Any:
    email, _ = await make_member(pool, code, role)
    client = AsyncTestClient(create_app(world.settings, configure_logs=False))
    await client.__aenter__()
    r = await sign_in(client, code, email)
    assert r.status_code == 303, r.text
    client.csrf = await session_csrf(client, code)  # type: ignore[attr-defined]
    return client


async def upload(c: Any, code: str, *files: tuple[str, bytes]) -> Any:
    return await c.post(
        f"/t/{code}/imports",
        data={"csrf_token": c.csrf},
        files=[("files", (name, content, "application/octet-stream")) for name, content in files],
        follow_redirects=False,
    )


async def events_of(settings: Settings, stream: str) -> list[str]:
    owner = await connect(settings.database_url)
    try:
        rows = await owner.fetch(
            "SELECT event_type FROM events WHERE stream_id = $1 ORDER BY version", stream
        )
    finally:
        await owner.close()
    return [r["event_type"] for r in rows]


def edit_form(html: str, csrf: str, **changes: str) -> dict[str, str]:
    """The edit form as the page fills it (inputs, selected options, textareas), changed."""
    form = html.split('name="edited_at"', 1)[1].split("</form>", 1)[0]
    data = {"csrf_token": csrf, "edited_at": _EDITED.search(html)[1]}  # type: ignore[index]
    for name, value in re.findall(
        r'<input id="[^"]+" name="([^"]+)" type="text" value="([^"]*)"', form
    ):
        data[name] = value.replace("&#34;", '"').replace("&amp;", "&").replace("&#39;", "'")
    for name, body in re.findall(
        r'<select id="[^"]+" name="([^"]+)"[^>]*>(.*?)</select>', form, re.S
    ):
        m = re.search(r'<option value="([^"]*)" selected>', body)
        data[name] = m[1] if m else ""
    for name, value in re.findall(
        r'<textarea id="[^"]+" name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S
    ):
        data[name] = value.replace("&#34;", '"').replace("&amp;", "&").replace("&#39;", "'")
    if 'name="no_budget" type="checkbox" value="1" checked' in form:
        data["no_budget"] = "1"
    data.update(changes)
    return data


async def test_upload_review_edit_accept_and_refusals(world: World, app_pool: asyncpg.Pool) -> None:
    code = world.a
    officer = await member_client(world, app_pool, code, "plan_officer")
    try:
        empty = await officer.get(f"/t/{code}/imports")
        assert empty.status_code == 200
        assert "นำเข้าเอกสารแผน" in empty.text and "ยังไม่มีการนำเข้าเอกสาร" in empty.text
        assert f'href="/t/{code}/imports"' in empty.text  # the menu

        r = await upload(officer, code, (REAL.name, REAL.read_bytes()))
        assert r.status_code == 303, r.text
        batch = _BATCH.search(r.headers["location"])
        assert batch
        listing = await officer.get(f"/t/{code}/imports")
        assert REAL.name in listing.text and f"/imports/{batch[1]}" in listing.text
        review = await officer.get(r.headers["location"])
        assert review.status_code == 200
        assert "2.1.1" in review.text and "ประกาศเจตจำนงต่อต้านการทุจริตของผู้บริหาร" in review.text
        assert "รอตรวจ" in review.text
        sheet_url = _SHEET.search(review.text)
        assert sheet_url
        url = sheet_url[1]

        page = await officer.get(url)
        assert page.status_code == 200
        html = page.text
        for heading in (
            "1. ชื่อโครงการ/กิจกรรม/มาตรการ",
            "2. หลักการและเหตุผล",
            "3. วัตถุประสงค์",
            "4. เป้าหมาย/ผลผลิต",
            "5. พื้นที่ดำเนินการ",
            "6. วิธีดำเนินการ",
            "7. ระยะเวลาดำเนินการ",
            "8. งบประมาณดำเนินการ",
            "9. ผู้รับผิดชอบ",
            "10. ตัวชี้วัด/ผลลัพธ์",
        ):
            assert heading in html, heading
        steps = html.split('<table class="steps">', 1)[1].split("</table>", 1)[0]
        assert re.findall(r'class="num">(6\.\d)<', steps) == [f"6.{i}" for i in range(1, 9)]
        assert "รายงานผลการดำเนินงาน" in steps
        assert "ปีงบประมาณ พ.ศ. 2561" in html and "ปีงบประมาณ พ.ศ. 2564" in html
        assert '<p class="nobudget">ไม่ใช้งบประมาณ</p>' in html
        assert "อย่างน้อย" in html and "ฉบับ" in html
        # The repairs, before -> after, and what was flagged but not changed.
        assert "<del>ประซาซน</del> → <ins>ประชาชน</ins>" in html
        assert "<del>ไต้รับ</del> → <ins>ได้รับ</ins>" in html
        assert "สิ่งที่ต้องตรวจ" in html and "«ไต้»" in html and "ต้องตรวจ" in html

        # A plan that already has 2.1.1 (its years cover the sheet's).
        r = await officer.post(
            f"/t/{code}/plan",
            data={
                "csrf_token": officer.csrf,
                "title": "แผนปฏิบัติการป้องกันการทุจริต ๔ ปี (พ.ศ. ๒๕๖๑-๒๕๖๔)",
                "first_year": "2561",
                "last_year": "2564",
            },
            follow_redirects=False,
        )
        assert r.status_code == 303, r.text
        plan_id = _PLAN.search(r.headers["location"])[1]  # type: ignore[index]
        r = await officer.post(
            f"/t/{code}/plan/{plan_id}/items",
            data={
                "csrf_token": officer.csrf,
                "number": "2.1.1",
                "kind": "activity",
                "name": "มีแล้ว",
            },
            follow_redirects=False,
        )
        assert r.status_code == 303, r.text
        before = await events_of(world.settings, plan_id)

        r = await officer.post(
            f"{url}/accept", data={"csrf_token": officer.csrf, "plan_id": plan_id}
        )
        assert r.status_code == 409
        assert (
            "2.1.1" in r.text and 'class="error-summary"' in r.text and 'href="#plan_id"' in r.text
        )
        assert await events_of(world.settings, plan_id) == before  # nothing written
        assert "รอตรวจ" in r.text
        r = await officer.post(f"{url}/accept", data={"csrf_token": officer.csrf, "plan_id": ""})
        assert r.status_code == 400 and "กรุณาเลือกแผน" in r.text

        # Edit: a bad number keeps what was typed; then a good one.
        page = await officer.get(url)
        data = edit_form(page.text, officer.csrf, number="2.1", name="ประกาศเจตจำนง (นำเข้า)")
        assert data["kind"] == "activity" and data["step-7-number"] == "6.8"
        r = await officer.post(url, data=data)
        assert r.status_code == 400
        assert "มิติ.ภารกิจ.ลำดับ" in r.text and 'href="#number"' in r.text
        assert 'value="2.1"' in r.text and 'value="ประกาศเจตจำนง (นำเข้า)"' in r.text
        data["number"] = "2.1.2"
        data["rationale"] = data["rationale"].replace("\n", "\r\n")  # as browsers send it
        r = await officer.post(url, data=data, follow_redirects=False)
        assert r.status_code == 303, r.text
        page = await officer.get(url)
        assert "บันทึกการแก้ไขแล้ว" not in page.text  # the notice is on the redirect target only
        assert "ตรวจรายการนำเข้า 2.1.2" in page.text and "ประกาศเจตจำนง (นำเข้า)" in page.text
        assert "<del>ประซาซน</del>" in page.text  # the repairs stay
        assert "«ไต้»" in page.text  # the notes about headings not edited stay
        assert "สิ่งที่ต้องตรวจ (15)" in page.text
        # A stale form (loaded before that edit): explained, nothing overwritten.
        r = await officer.post(url, data=data | {"name": "ทับของคนอื่น"})
        assert r.status_code == 409 and "มีผู้อื่นแก้ไขรายการนำเข้านี้ก่อนคุณ" in r.text

        r = await officer.post(
            f"{url}/accept",
            data={"csrf_token": officer.csrf, "plan_id": plan_id},
            follow_redirects=False,
        )
        assert r.status_code == 303, r.text
        page = await officer.get(r.headers["location"])
        assert "ยอมรับเข้าแผนแล้ว" in page.text
        item = _ITEM.search(page.text)
        assert item and item[2] == plan_id
        # The ordinary events, as if typed in: the plan's ItemAdded, then the item's own.
        assert (await events_of(world.settings, plan_id))[len(before) :] == ["ItemAdded"]
        events = await events_of(world.settings, item[3])
        assert events == [
            "ItemHeadingsEdited",
            "NoBudgetDeclared",
            *["StepScheduled"] * 8,
            *["OutputIndicatorDefined"] * 3,
            *["OutcomeIndicatorDefined"] * 2,
        ], events
        item_page = await officer.get(item[1])
        assert item_page.status_code == 200
        assert "ประกาศเจตจำนง (นำเข้า)" in item_page.text and "รายงานผลการดำเนินงาน" in item_page.text
        assert 'action="' + url not in page.text  # decided: no more forms
        # Rejecting an accepted sheet is refused in Thai.
        r = await officer.post(f"{url}/reject", data={"csrf_token": officer.csrf, "reason": "x"})
        assert r.status_code == 409 and "ยอมรับเข้าแผนแล้ว ปฏิเสธไม่ได้" in r.text
    finally:
        await officer.__aexit__(None, None, None)


async def test_reject_roles_other_tenant_and_bad_files(
    world: World, app_pool: asyncpg.Pool
) -> None:
    code = world.a
    executive = await member_client(world, app_pool, code, "executive")
    viewer = await member_client(world, app_pool, code, "viewer")
    staff = await member_client(world, app_pool, code, "staff")
    other = await member_client(world, app_pool, world.b, "plan_officer")
    try:
        r = await upload(executive, code, (REAL.name, REAL.read_bytes()))
        assert r.status_code == 303, r.text
        batch_url = r.headers["location"]
        url = _SHEET.search((await executive.get(batch_url)).text)[1]  # type: ignore[index]

        r = await executive.post(
            f"{url}/reject",
            data={"csrf_token": executive.csrf, "reason": "ซ้ำกับแผนเดิม"},
            follow_redirects=False,
        )
        assert r.status_code == 303
        page = await executive.get(r.headers["location"])
        assert "ปฏิเสธรายการนี้แล้ว" in page.text and "ซ้ำกับแผนเดิม" in page.text
        listing = await executive.get(f"/t/{code}/imports")
        row = listing.text.split(batch_url.split("/")[-1], 1)[1].split("</tr>", 1)[0]
        assert re.findall(r">(\d+)</td>", row) == ["0", "0", "1"]

        # Viewer and staff: the Thai 403 page, on every page and form.
        for c in (viewer, staff):
            for path in (f"/t/{code}/imports", batch_url, url):
                r = await c.get(path)
                assert r.status_code == 403 and "ทำรายการนี้ไม่ได้" in r.text, path
            r = await upload(c, code, (REAL.name, REAL.read_bytes()))
            assert r.status_code == 403
            r = await c.post(f"{url}/reject", data={"csrf_token": c.csrf})
            assert r.status_code == 403
        assert f'href="/t/{code}/imports"' not in (await viewer.get(f"/t/{code}/")).text

        # Another tenant's batch: the Thai 404, in its own address and in ours.
        batch_id = batch_url.split("/")[-1]
        for path in (f"/t/{world.b}/imports/{batch_id}", f"/t/{world.b}{url[len('/t/' + code) :]}"):
            r = await other.get(path)
            assert r.status_code == 404 and "ไม่พบ" in r.text, path
        r = await other.post(
            f"/t/{world.b}{url[len('/t/' + code) :]}/accept",
            data={"csrf_token": other.csrf, "plan_id": "00000000-0000-0000-0000-000000000001"},
        )
        assert r.status_code == 404
        r = await other.get(batch_url)
        assert r.status_code == 404

        # Files that are not plan documents: the Thai error on the form, never a 500.
        png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
        r = await upload(executive, code, ("photo.png", png))
        assert r.status_code == 400 and 'class="error-summary"' in r.text and "photo.png" in r.text
        r = await upload(executive, code, ("notes.txt", "บันทึกการประชุม ไม่มีหัวข้อ".encode()))
        assert r.status_code == 400 and "ไม่พบรายละเอียดโครงการ" in r.text
        r = await upload(executive, code, ("broken.zip", b"PK\x03\x04garbage"))
        assert r.status_code == 400 and "zip" in r.text
        r = await executive.post(f"/t/{code}/imports", data={"csrf_token": executive.csrf})
        assert r.status_code == 400 and "กรุณาเลือกไฟล์" in r.text
        r = await executive.post(f"/t/{code}/imports", data={"csrf_token": "nope"})
        assert r.status_code == 403
        r = await executive.get(f"/t/{code}/imports/not-a-uuid")
        assert r.status_code in (404, 400)
    finally:
        for c in (executive, viewer, staff, other):
            await c.__aexit__(None, None, None)
