"""Heading 10 on the item page: adding output and outcome indicators, with Thai errors that
keep what was typed; roles."""

from __future__ import annotations

import asyncpg

from tests.integration.test_pages_item import World, member, plan_with_item, post
from tests.integration.test_pages_item import world as world


async def test_indicators_are_added_on_the_item_page(world: World, app_pool: asyncpg.Pool) -> None:
    officer = await member(world, app_pool, world.a, "plan_officer")
    viewer = await member(world, app_pool, world.a, "viewer")
    try:
        url = await plan_with_item(officer, world.a)
        bad = await post(
            officer,
            url + "/indicators",
            kind="output",
            id="o1",
            text="จัดอบรมอย่างน้อยปีละครั้ง",
            comparator="at_least",
            target="หนึ่ง",
            unit="ครั้ง",
        )
        assert bad.status_code == 400 and "กรุณากรอกเป้าหมายเป็นตัวเลข" in bad.text
        assert "จัดอบรมอย่างน้อยปีละครั้ง" in bad.text  # what was typed is kept
        ok = await post(
            officer,
            url + "/indicators",
            kind="output",
            id="o1",
            text="จัดอบรมอย่างน้อยปีละครั้ง",
            comparator="at_least",
            target="๑",
            unit="ครั้ง",
        )
        assert ok.status_code == 303, ok.text
        outcome = await post(
            officer, url + "/indicators", kind="outcome", id="c1", text="บุคลากรมีจิตสำนึกสุจริตมากขึ้น"
        )
        assert outcome.status_code == 303, outcome.text
        page = await officer.get(url)
        assert "จัดอบรมอย่างน้อยปีละครั้ง" in page.text and "บุคลากรมีจิตสำนึกสุจริตมากขึ้น" in page.text
        again = await post(officer, url + "/indicators", kind="outcome", id="c1", text="ซ้ำ")
        assert again.status_code in (400, 409, 422) and "ซ้ำ" in again.text
        refused = await post(
            viewer, url + "/indicators", version="1", kind="outcome", id="c2", text="x"
        )
        assert refused.status_code == 403
    finally:
        await officer.__aexit__(None, None, None)
        await viewer.__aexit__(None, None, None)
