"""The province dashboard in a real browser: the demo reviewer of Sakon Nakhon sees the
province's LAOs, filters them, sorts them; screenshots at 1280 and 360 px."""

from __future__ import annotations

from playwright.async_api import Page, expect

from infra.db.pool import create_pool
from infra.projections.projector import AsyncProjector
from infra.projections.registry import async_projections
from tests.browser.conftest import Site, screenshots, sign_in_as


async def test_the_sakon_nakhon_reviewer_sees_the_province(page: Page, site: Site) -> None:
    # The browser tests' site runs no worker: bring the async read models up to date here.
    pool = await create_pool(site.settings.projector_url, min_size=1, max_size=1)
    try:
        await AsyncProjector(pool, async_projections()).catch_up()
    finally:
        await pool.close()
    await sign_in_as(page, "po-47", "reviewer@sakonnakhon.example")
    await page.get_by_role("navigation").get_by_role("link", name="อปท. ในจังหวัด").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("อปท. ในจังหวัดสกลนคร")
    table = page.locator("table.province-table")
    for code in ("6470101", "6470102", "6470103"):
        await expect(table.locator(f'a[href="/t/po-47/lao/{code}/"]')).to_have_count(1)
    await expect(page.get_by_role("link", name="ดาวน์โหลด CSV")).to_be_visible()
    await expect(page.locator("table.matrix")).to_contain_text("มี")
    await screenshots(page, "province-dashboard")

    await page.get_by_label("ค้นหาชื่อหรือรหัส อปท.").fill("อบต.พังขว้าง")
    await page.get_by_role("button", name="แสดง").click()
    await expect(table.locator("tbody tr")).to_have_count(1)
    await expect(table).to_contain_text("พังขว้าง")
    await page.get_by_role("link", name="ล้างตัวกรอง").click()
    await table.get_by_role("link", name="เกินกำหนด").click()
    await expect(table.locator("thead th[aria-sort]")).to_have_count(1)
