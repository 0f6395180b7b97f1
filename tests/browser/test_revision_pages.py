"""The one-page sheet editor and a revision approved by the executive, in a real browser at
1280 px and 360 px: on Phang Khwang's promulgated plan the plan officer changes item 4.3.1's
targets on one page (a proposal with its reason), the sheet keeps the approved content until
the executive approves it with a day in พ.ศ., then shows the change."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Page, expect

from services.api.v1.common import today_bangkok
from tests.browser.conftest import SHOTS, sign_in_as

ORG = "6470101"


async def _item(page: Page, number: str) -> str:
    await page.goto(f"/t/{ORG}/plan")
    await page.locator("tr.item", has_text=number).get_by_role("link").first.click()
    await expect(page).to_have_url(re.compile(r"/items/[0-9a-f-]{36}$"))
    return page.url


@pytest.mark.parametrize("width", [1280, 360])
async def test_a_revision_proposed_on_the_sheet_editor_is_approved_by_the_executive(
    page: Page, width: int
) -> None:
    await page.set_viewport_size({"width": width, "height": 900})
    target = f"ผู้เข้าร่วมอบรมไม่น้อยกว่า ๔๐ คน ({width})"
    await sign_in_as(page, ORG, "plan@phangkhwang.example")
    url = await _item(page, "4.3.1")
    await page.get_by_role("link", name="แก้ไขทุกหัวข้อในหน้าเดียว").click()
    await expect(page.locator("h1")).to_contain_text("แก้ไขรายละเอียดโครงการ 4.3.1")
    await expect(page.locator(".notice")).to_contain_text("ส่งเป็นคำขอแก้ไขให้ผู้บริหารพิจารณา")
    targets = page.locator("textarea#targets")
    before = await targets.input_value()
    await targets.fill(before + "\n" + target)
    # No reason: refused, what was typed stays.
    await page.get_by_role("button", name="ส่งคำขอแก้ไข").click()
    await expect(page.locator(".error-summary")).to_contain_text("กรุณาระบุเหตุผลที่ขอแก้ไข")
    await expect(page.locator("textarea#targets")).to_have_value(before + "\n" + target)
    overflow = await page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not overflow, f"the sheet editor overflows at {width} px"
    SHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=SHOTS / f"sheet-editor-error-{width}.png", full_page=False)
    await page.get_by_label("เหตุผลที่ขอแก้ไข").fill("เพิ่มเป้าหมายที่วัดได้")
    await page.get_by_role("button", name="ส่งคำขอแก้ไข").click()
    await expect(page.locator(".notice.success")).to_contain_text("ส่งคำขอแก้ไขให้ผู้บริหารพิจารณาแล้ว")
    await expect(page.locator("#revisions")).to_contain_text("รอผู้บริหารพิจารณา")
    await expect(page.locator("#heading-targets")).not_to_contain_text(target)  # still the approved

    # The executive approves with a day in the Buddhist Era.
    await page.context.clear_cookies()
    await sign_in_as(page, ORG, "executive@phangkhwang.example")
    await page.goto(url)
    rev = page.locator("#revisions li.revision-proposed").first
    await expect(rev).to_contain_text(target)
    await rev.locator("details[id$='-approve'] summary").click()
    today = today_bangkok()
    await expect(rev.get_by_label("ปี พ.ศ.")).to_have_value(str(today.year + 543))
    await rev.get_by_role("button", name="อนุมัติ", exact=True).click()
    await expect(page.locator(".notice.success")).to_contain_text("อนุมัติคำขอแก้ไขแล้ว")
    await expect(page.locator("#heading-targets")).to_contain_text(target)
    await expect(page.locator("#revisions")).to_contain_text("อนุมัติแล้ว")
    overflow = await page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not overflow, f"the item page overflows at {width} px"
    await page.locator("#revisions").scroll_into_view_if_needed()
    await page.screenshot(path=SHOTS / f"revision-approved-{width}.png", full_page=False)
    history = await page.request.get(f"/t/{ORG}/history")
    assert "ผู้บริหารอนุมัติการแก้ไขรายละเอียดของรายการ 4.3.1" in await history.text()
