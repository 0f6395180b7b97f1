"""The complaints register in a real browser at 1280 px and 360 px: a clerk of Phang Khwang
records a complaint received (day in พ.ศ., channel, subject), a phone number in the subject is
refused with what was typed kept, the complaint is listed under its fiscal year, taken up and
resolved with an outcome."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Page, expect

from services.api.v1.common import today_bangkok
from tests.browser.conftest import SHOTS, sign_in_as

ORG = "6470101"


@pytest.mark.parametrize("width", [1280, 360])
async def test_a_clerk_records_lists_and_resolves_a_complaint(page: Page, width: int) -> None:
    await page.set_viewport_size({"width": width, "height": 900})
    await sign_in_as(page, ORG, "plan@phangkhwang.example")
    await page.goto(f"/t/{ORG}/complaints/")
    await expect(page.locator("h1")).to_have_text("ทะเบียนเรื่องร้องเรียน")
    today = today_bangkok()
    subject = f"ไฟทางชำรุด หมู่ ๓ ({width})"

    form = page.locator("section[aria-labelledby=receive] form")
    await expect(form.get_by_label("ปี พ.ศ.")).to_have_value(str(today.year + 543))
    await form.get_by_label("ช่องทางที่รับเรื่อง").select_option("phone")
    await form.get_by_label("เรื่องที่ร้องเรียน").fill(subject + " โทร 081 234 5678")
    await form.get_by_role("button", name="บันทึกเรื่องร้องเรียน").click()
    await expect(page.locator(".error-summary")).to_contain_text("ไม่เก็บข้อมูลส่วนบุคคล")
    form = page.locator("section[aria-labelledby=receive] form")
    await expect(form.get_by_label("เรื่องที่ร้องเรียน")).to_have_value(subject + " โทร 081 234 5678")
    await expect(form.get_by_label("ช่องทางที่รับเรื่อง")).to_have_value("phone")
    overflow = await page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not overflow, f"the page overflows at {width} px"
    SHOTS.mkdir(parents=True, exist_ok=True)
    await form.scroll_into_view_if_needed()
    await page.screenshot(path=SHOTS / f"complaint-error-{width}.png", full_page=False)

    await form.get_by_label("เรื่องที่ร้องเรียน").fill(subject)
    await form.get_by_role("button", name="บันทึกเรื่องร้องเรียน").click()
    await expect(page.locator(".notice.success")).to_contain_text("บันทึกเรื่องร้องเรียนแล้ว")
    row = page.locator("tr", has_text=subject)
    await expect(row).to_contain_text("รับเรื่องแล้ว")
    await expect(row).to_contain_text(str(today.year + 543))
    await page.screenshot(path=SHOTS / f"complaints-{width}.png", full_page=True)

    await row.get_by_role("link", name=subject).click()
    await expect(page).to_have_url(re.compile(r"/complaints/[0-9a-f-]{36}$"))
    form = page.locator("section[aria-labelledby=move-on] form")
    await form.get_by_label("สถานะใหม่").select_option("resolved")
    await form.get_by_role("button", name="บันทึกสถานะ").click()
    await expect(page.locator(".error-summary")).to_contain_text("กรุณาเลือกผลการดำเนินการ")
    form = page.locator("section[aria-labelledby=move-on] form")
    await form.get_by_label("ผลการดำเนินการ (เมื่อยุติเรื่อง)").select_option("referred")
    await form.get_by_role("button", name="บันทึกสถานะ").click()
    await expect(page.locator(".notice.success")).to_contain_text("บันทึกการยุติเรื่องแล้ว")
    await expect(page.locator("dl.complaint-facts")).to_contain_text("ส่งต่อหน่วยงานที่เกี่ยวข้อง")
    overflow = await page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not overflow, f"the complaint page overflows at {width} px"
    await page.screenshot(path=SHOTS / f"complaint-resolved-{width}.png", full_page=True)
