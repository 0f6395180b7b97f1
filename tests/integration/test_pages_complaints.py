"""The complaints register's pages through real forms: a clerk records a complaint (day in
พ.ศ., channel, subject), lists a fiscal year, takes it up and resolves it with an outcome;
errors keep what was typed, the API's rules hold, who may write, and no 500 on any input."""

from __future__ import annotations

import re
from datetime import date

import asyncpg
import pytest

from tests.integration.test_pages_plan import World, member_client
from tests.integration.test_pages_plan import world as world
from tests.support import be_fields

pytestmark = pytest.mark.timeout(120)
_ID = re.compile(r'href="/t/[^/]+/complaints/([0-9a-f-]{36})"')


async def test_a_clerk_keeps_the_complaints_register(world: World, app_pool: asyncpg.Pool) -> None:
    code = world.a
    officer = await member_client(world, app_pool, code, "plan_officer")
    viewer = await member_client(world, app_pool, code, "viewer")
    other = await member_client(world, app_pool, world.b, "plan_officer")
    url = f"/t/{code}/complaints/"
    try:
        empty = await officer.get(url)
        assert empty.status_code == 200 and "ยังไม่มีเรื่องร้องเรียนในทะเบียน" in empty.text
        assert f'href="/t/{code}/complaints/"' in empty.text  # in the menu

        # Wrong input: the Thai reasons, and what was typed stays.
        bad = await officer.post(
            url,
            data={
                "csrf_token": officer.csrf,
                "category": "ถนนชำรุด โทร 0812345678",
                "channel": "phone",
                "on-d": "5",
                "on-m": "1",
                "on-y": "2026",  # a CE year where BE is expected
            },
        )
        assert bad.status_code == 400
        assert "ปี 2026 เป็นปี ค.ศ." in bad.text and 'value="2026"' in bad.text
        assert "ถนนชำรุด โทร 0812345678" in bad.text
        bad = await officer.post(
            url,
            data={
                "csrf_token": officer.csrf,
                "category": "ถนนชำรุด โทร 0812345678",
                "channel": "phone",
            }
            | be_fields("on", date(2023, 1, 5)),
        )
        assert bad.status_code == 400 and "ไม่เก็บข้อมูลส่วนบุคคล" in bad.text
        bad = await officer.post(
            url, data={"csrf_token": officer.csrf, "category": "x", "channel": "pigeon"}
        )
        assert bad.status_code == 400
        assert "กรุณาเลือกช่องทางที่รับเรื่อง" in bad.text and "กรุณากรอกวันที่รับเรื่อง" in bad.text

        # Recorded: back on the register of its fiscal year (5 Jan 2566 is in FY 2566).
        r = await officer.post(
            url,
            data={"csrf_token": officer.csrf, "category": "ถนนชำรุด หมู่ ๕", "channel": "letter"}
            | be_fields("on", date(2023, 1, 5)),
            follow_redirects=False,
        )
        assert r.status_code == 303 and "year=2566&done=received" in r.headers["location"]
        listed = await officer.get(r.headers["location"])
        assert "บันทึกเรื่องร้องเรียนแล้ว" in listed.text and "ถนนชำรุด หมู่ ๕" in listed.text
        assert "5 ม.ค. 2566" in listed.text or "5 มกราคม 2566" in listed.text
        assert "รับเรื่องแล้ว" in listed.text and "หนังสือ" in listed.text
        cid = _ID.search(listed.text)
        assert cid, listed.text
        one = f"{url}{cid.group(1)}"

        # Resolving needs an outcome; not before the day it was received.
        bad = await officer.post(
            one,
            data={"csrf_token": officer.csrf, "status": "resolved"}
            | be_fields("on", date(2023, 2, 1)),
        )
        assert bad.status_code == 400 and "กรุณาเลือกผลการดำเนินการ" in bad.text
        bad = await officer.post(
            one,
            data={"csrf_token": officer.csrf, "status": "in_progress"}
            | be_fields("on", date(2023, 1, 4)),
        )
        assert bad.status_code == 400 and "ต้องไม่ก่อนวันที่รับเรื่อง" in bad.text
        r = await officer.post(
            one,
            data={"csrf_token": officer.csrf, "status": "in_progress"}
            | be_fields("on", date(2023, 1, 9)),
            follow_redirects=False,
        )
        assert r.status_code == 303
        r = await officer.post(
            one,
            data={"csrf_token": officer.csrf, "status": "resolved", "outcome": "substantiated"}
            | be_fields("on", date(2023, 2, 1)),
            follow_redirects=False,
        )
        assert r.status_code == 303
        shown = await officer.get(r.headers["location"])
        assert "บันทึกการยุติเรื่องแล้ว" in shown.text and "มีมูล ดำเนินการแก้ไขแล้ว" in shown.text
        assert "ปรับสถานะ" not in shown.text  # resolved once
        counts = await officer.get(f"{url}?year=2566")
        assert "1 เรื่อง" in counts.text and "ยุติเรื่องแล้ว" in counts.text

        # A viewer reads but may not write; another LAO's member does not see it.
        seen = await viewer.get(f"{url}?year=2566")
        assert seen.status_code == 200 and "ถนนชำรุด หมู่ ๕" in seen.text
        assert "บันทึกเรื่องร้องเรียนที่ได้รับ" not in seen.text
        refused = await viewer.post(
            url,
            data={"csrf_token": viewer.csrf, "category": "x", "channel": "phone"}
            | be_fields("on", date(2023, 1, 5)),
        )
        assert refused.status_code == 403
        assert (await other.get(one)).status_code == 404
        assert (await other.get(f"/t/{world.b}/complaints/{cid.group(1)}")).status_code == 404

        # No 500 on odd input.
        for q in ("?year=abc", "?year=99999999999", "?year=๒๕๖๖"):
            assert (await officer.get(url + q)).status_code in (200, 400)
        for data in ({"status": "nope"}, {"on-d": "x" * 5000, "status": "resolved"}, {}):
            r = await officer.post(one, data={"csrf_token": officer.csrf} | data)
            assert r.status_code == 400, r.text
    finally:
        for c in (officer, viewer, other):
            await c.__aexit__(None, None, None)
