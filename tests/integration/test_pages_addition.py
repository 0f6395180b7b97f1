"""An item added to a promulgated plan through the pages waits for the executive: the plan and
item pages say so, the public page leaves it out, the executive returns it (the reason shown)
or approves it once its headings are filled in (filled directly, no revision needed)."""

from __future__ import annotations

import re
from datetime import date

import asyncpg
import pytest

from tests.integration.test_pages_plan import World, add, draft, member_client
from tests.integration.test_pages_plan import world as world
from tests.support import be_fields, fill_headings

pytestmark = pytest.mark.timeout(180)
_PLAN_ID = re.compile(r"plan=([0-9a-f-]{36})")
_ITEM = re.compile(r"/items/([0-9a-f-]{36})")


async def test_an_item_added_after_promulgation_waits_for_the_executive(
    world: World, app_pool: asyncpg.Pool
) -> None:
    code = world.a
    officer = await member_client(world, app_pool, code, "plan_officer")
    executive = await member_client(world, app_pool, code, "executive")
    try:
        r = await draft(officer, code)
        plan = _PLAN_ID.search(r.headers["location"])[1]  # type: ignore[index]
        r = await add(officer, code, plan, "2.1.1", "ประกาศเจตจำนง")
        first = f"/t/{code}/plan/{plan}/items/{_ITEM.search(r.headers['location'])[1]}"  # type: ignore[index]
        await fill_headings(officer, first, (2570,))
        r = await executive.post(
            f"/t/{code}/plan/{plan}/promulgation",
            data={
                "csrf_token": executive.csrf,
                **be_fields("on", date(2026, 10, 1)),
                "executive": "นายก",
            },
            follow_redirects=False,
        )
        assert r.status_code == 303, r.text

        r = await add(officer, code, plan, "2.1.2", "มาตรการที่เพิ่มภายหลัง")
        assert r.status_code == 303, r.text
        later = f"/t/{code}/plan/{plan}/items/{_ITEM.search(r.headers['location'])[1]}"  # type: ignore[index]
        shown = await officer.get(later)
        assert "รายการนี้เพิ่มหลังประกาศใช้แผน" in shown.text and "รออนุมัติ" in shown.text
        assert "อนุมัติรายการนี้" not in shown.text  # the executive's
        summary = await officer.get(f"/t/{code}/plan?plan={plan}")
        assert "มาตรการที่เพิ่มภายหลัง" in summary.text and "รออนุมัติ" in summary.text
        public = await officer.get(f"/p/{code}")
        assert "ประกาศเจตจำนง" in public.text and "มาตรการที่เพิ่มภายหลัง" not in public.text

        # The officer may not approve; the executive cannot approve an empty sheet.
        r = await officer.post(
            f"{later}/addition/approve",
            data={"csrf_token": officer.csrf, **be_fields("on", date(2026, 11, 1))},
        )
        assert r.status_code == 403
        r = await executive.post(
            f"{later}/addition/approve",
            data={"csrf_token": executive.csrf, **be_fields("on", date(2026, 11, 1))},
        )
        assert r.status_code == 400 and "อนุมัติรายการ 2.1.2 ไม่ได้" in r.text
        r = await executive.post(
            f"{later}/addition/return", data={"csrf_token": executive.csrf, "reason": ""}
        )
        assert r.status_code == 400 and "กรุณาระบุเหตุผลที่ส่งคืน" in r.text
        r = await executive.post(
            f"{later}/addition/return",
            data={"csrf_token": executive.csrf, "reason": "ขอเป้าหมายที่วัดได้"},
            follow_redirects=False,
        )
        assert r.status_code == 303
        shown = await officer.get(later)
        assert "ผู้บริหารส่งคืนให้ปรับปรุง" in shown.text and "ขอเป้าหมายที่วัดได้" in shown.text

        # Filled in directly (no revision), then approved: part of the plan and public.
        await fill_headings(officer, later, (2570,))
        r = await executive.post(
            f"{later}/addition/approve",
            data={"csrf_token": executive.csrf, **be_fields("on", date(2026, 11, 1))},
            follow_redirects=False,
        )
        assert r.status_code == 303, r.text
        shown = await executive.get(r.headers["location"])
        assert "อนุมัติรายการที่เพิ่มหลังประกาศใช้แล้ว" in shown.text
        assert "รายการนี้เพิ่มหลังประกาศใช้แผน" not in shown.text
        public = await officer.get(f"/p/{code}")
        assert "มาตรการที่เพิ่มภายหลัง" in public.text
        history = await officer.get(f"/t/{code}/history")
        assert "ผู้บริหารอนุมัติรายการ 2.1.2 ที่เพิ่มหลังประกาศใช้แผน" in history.text
    finally:
        for c in (officer, executive):
            await c.__aexit__(None, None, None)
