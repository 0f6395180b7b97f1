"""The whole-plan import through real forms: upload one file, review the plan on one page
(dimensions, sub-items, items with their budgets per year, matches, repairs, flags), accept
one item into a new draft plan, then the rest; refusals in Thai; roles; another tenant."""

from __future__ import annotations

import re
from pathlib import Path

import asyncpg
import pytest

from tests.integration.test_pages_imports import World, member_client, world  # noqa: F401

pytestmark = pytest.mark.timeout(240)
PLAN = Path(__file__).parents[1] / "samples" / "imports" / "plans" / "phonsawan-2566-2570-plan.txt"
_REVIEW = re.compile(r"/imports/([0-9a-f-]{36})/plan$")


async def test_a_whole_plan_on_one_page(world: World, app_pool: asyncpg.Pool) -> None:  # noqa: F811
    code = world.a
    officer = await member_client(world, app_pool, code, "plan_officer")
    viewer = await member_client(world, app_pool, code, "viewer")
    other = await member_client(world, app_pool, world.b, "plan_officer")
    try:
        listing = await officer.get(f"/t/{code}/imports")
        assert "นำเข้าทั้งแผน" in listing.text and 'name="plan_file"' in listing.text

        empty = await officer.post(
            f"/t/{code}/imports/plan", data={"csrf_token": officer.csrf}, follow_redirects=False
        )
        assert empty.status_code == 400 and "กรุณาเลือกไฟล์แผนหนึ่งไฟล์" in empty.text
        bad = await officer.post(
            f"/t/{code}/imports/plan",
            data={"csrf_token": officer.csrf},
            files=[("plan_file", ("memo.txt", "บันทึกข้อความ".encode(), "text/plain"))],
            follow_redirects=False,
        )
        assert bad.status_code == 400 and "ไม่พบตารางบัญชีโครงการ" in bad.text

        r = await officer.post(
            f"/t/{code}/imports/plan",
            data={"csrf_token": officer.csrf},
            files=[("plan_file", (PLAN.name, PLAN.read_bytes(), "text/plain"))],
            follow_redirects=False,
        )
        assert r.status_code == 303, r.text
        assert _REVIEW.search(r.headers["location"])
        url = r.headers["location"]
        page = await officer.get(url)
        assert page.status_code == 200
        html = page.text
        for text in (
            "ตรวจแผนที่นำเข้าทั้งแผน",
            "ปีงบประมาณ พ.ศ. 2566–2570",
            "มิติที่ 1 การสร้างสังคมที่ไม่ทนต่อการทุจริต",
            "มิติที่ 2 การบริหารราชการด้วยความโปร่งใส",
            "1.1.1 (2)",
            "ตรงกับรายละเอียดตามลำดับในตาราง",
            "ไม่มีรายละเอียดโครงการในเอกสาร",
            "10,000",
            "ไม่ใช้งบประมาณ",
            "ไมนอยกวา",  # a repair listed
            "จับคู่ตารางกับรายละเอียดได้ 5",
        ):
            assert text in html, text
        assert html.count('name="positions"') == 6

        # Not for a viewer, nor another LAO.
        assert (await viewer.get(url)).status_code == 403
        assert (await other.get(url.replace(f"/t/{code}/", f"/t/{world.b}/"))).status_code == 404

        # Nothing chosen: a Thai message, nothing written.
        none = await officer.post(
            f"{url}/accept", data={"csrf_token": officer.csrf, "plan_id": "new"}
        )
        assert none.status_code == 400 and "กรุณาเลือกรายการ" in none.text

        one = await officer.post(
            f"{url}/accept",
            data={"csrf_token": officer.csrf, "plan_id": "new", "positions": "1"},
        )
        assert one.status_code == 200, one.text
        assert "ยอมรับเข้าแผนแล้ว 1 รายการ" in one.text and "(1.1.1)" in one.text
        plan_link = re.search(r'href="/t/[^/]+/plan\?plan=([0-9a-f-]{36})"', one.text)
        assert plan_link
        assert one.text.count('name="positions"') == 5

        rest = await officer.post(
            f"{url}/accept",
            data={
                "csrf_token": officer.csrf,
                "plan_id": "new",
                "positions": ["2", "3", "4", "5", "6"],
            },
        )
        assert rest.status_code == 200, rest.text
        assert "ยอมรับเข้าแผนแล้ว 5 รายการ" in rest.text
        assert "(1.1.2, 1.1.3, 1.3.1, 2.2.1, 3.1.1)" in rest.text
        assert plan_link[1] in rest.text  # the same draft plan
        assert 'name="positions"' not in rest.text
    finally:
        for c in (officer, viewer, other):
            await c.__aexit__(None, None, None)
