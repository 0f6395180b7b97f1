"""The round table with its cover-letter form, and the ITA page, in a real browser at 1280 px
and 360 px (screenshots in .data/screenshots/ for a person to look at): the form's PDF button
downloads the letter with the number the clerk typed; the ITA page opens on FY 2570 and says
its codes are not checked; 2564 lists the addresses with their copy buttons."""

from __future__ import annotations

import re

from playwright.async_api import Page, expect

from tests.browser.conftest import screenshots, sign_in_as

ORG = "6470101"


async def test_the_round_table_sends_its_cover_letter(page: Page) -> None:
    await sign_in_as(page, ORG, "plan@phangkhwang.example")
    await page.goto(f"/t/{ORG}/rounds/")
    await page.get_by_role("link", name="ปีงบประมาณ 2564 รอบ 12 เดือน").first.click()
    await expect(page).to_have_url(re.compile(r"/rounds/[0-9a-f-]{36}/2564-12$"))
    form = page.locator("section.cover-letter")
    await expect(form.get_by_role("heading")).to_have_text("หนังสือนำส่งรายงานถึงจังหวัด")
    await form.get_by_label("เลขที่หนังสือ (ที่)").fill("สน 73301/45")
    await screenshots(page, "round-2564-12")
    async with page.expect_download() as download:
        await form.get_by_role("button", name="หนังสือนำส่ง PDF").click()
    got = await download.value
    assert got.suggested_filename.endswith(".pdf")
    path = await got.path()
    assert path is not None and path.read_bytes().startswith(b"%PDF")


async def test_the_ita_page_opens_on_this_years_assessment(page: Page) -> None:
    await sign_in_as(page, ORG, "plan@phangkhwang.example")
    await page.goto(f"/t/{ORG}/ita/")
    await expect(page.locator("#year")).to_have_value("2570")
    await expect(page.locator("#ita-source")).to_contain_text("ยังไม่ได้ตรวจ")
    await screenshots(page, "ita-2570")
    await page.goto(f"/t/{ORG}/ita/?year=2564")
    await expect(page.locator("#url-O39")).to_contain_text(f"/p/{ORG}/ita/2564/O39")
    await expect(page.get_by_role("button", name="คัดลอก")).to_have_count(5)
    await screenshots(page, "ita-2564")
