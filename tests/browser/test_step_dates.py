"""Days typed as Thai offices write them (วัน / เดือน / ปี พ.ศ.), in a real browser at
1280 px and 360 px: a CE year typed where the BE year belongs is explained and what was typed
stays; the BE day completes the step. Step 5.8 of Phang Khwang's item 2.1.1 of its 2566-2570
plan (overdue in the demo) is completed and then reopened, so the demo ends as it began for the
other tests."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Page, expect

from services.api.v1.common import today_bangkok
from tests.browser.conftest import SHOTS, sign_in_as

ORG = "6470101"


@pytest.mark.parametrize("width", [1280, 360])
async def test_a_buddhist_era_day_completes_a_step_and_a_ce_year_is_explained(
    page: Page, width: int
) -> None:
    await page.set_viewport_size({"width": width, "height": 900})
    await sign_in_as(page, ORG, "plan@phangkhwang.example")
    overdue = page.locator("h3#overdue + p + ul.task-list")
    await overdue.get_by_role("link", name=re.compile("5.8")).click()
    await expect(page).to_have_url(re.compile(r"/items/[0-9a-f-]{36}#step-5-8$"))
    item_url = page.url.split("#")[0]

    today = today_bangkok()
    form = page.locator("#s5-8-complete")
    await form.locator("summary").click()
    legend = form.locator("fieldset.be-date legend")
    await expect(legend).to_have_text("วันที่เสร็จ")
    # The three fields hold today in the Buddhist Era; the clerk types the CE year by mistake.
    await expect(form.get_by_label("ปี พ.ศ.")).to_have_value(str(today.year + 543))
    await form.get_by_label("วัน", exact=True).fill(str(today.day))
    await form.get_by_label("เดือน", exact=True).select_option(str(today.month))
    await form.get_by_label("ปี พ.ศ.").fill(str(today.year))
    await form.get_by_label("หมายเหตุ (ไม่บังคับ)").fill("ส่งรายงานแล้ว")
    await form.get_by_role("button", name="บันทึกว่าเสร็จแล้ว").click()

    form = page.locator("#s5-8-complete")
    error = form.locator("fieldset.be-date .error-message")
    await expect(error).to_contain_text(
        f"ปี {today.year} เป็นปี ค.ศ. หมายถึง พ.ศ. {today.year + 543} ใช่ไหม"
    )
    await expect(form.get_by_label("ปี พ.ศ.")).to_have_value(str(today.year))
    await expect(form.get_by_label("หมายเหตุ (ไม่บังคับ)")).to_have_value("ส่งรายงานแล้ว")
    await expect(page.locator(".error-summary")).to_be_visible()
    overflow = await page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not overflow, f"the page overflows at {width} px"
    SHOTS.mkdir(parents=True, exist_ok=True)
    await form.scroll_into_view_if_needed()
    await page.screenshot(path=SHOTS / f"step-date-error-{width}.png", full_page=False)

    # The BE year: the step is done on that day, shown in the Buddhist Era.
    await form.get_by_label("ปี พ.ศ.").fill(str(today.year + 543))
    await form.get_by_role("button", name="บันทึกว่าเสร็จแล้ว").click()
    await expect(page.locator(".notice.success")).to_contain_text("บันทึกว่าขั้นตอนเสร็จแล้ว")
    step = page.locator("#step-5-8")
    await expect(step.locator(".tag.done")).to_have_text("เสร็จแล้ว")
    await expect(step.locator(".step-meta")).to_contain_text(str(today.year + 543))

    # Back as the demo had it (overdue) for the other tests.
    await page.goto(item_url)
    reopen = page.locator("#s5-8-reopen")
    await reopen.locator("summary").click()
    await reopen.get_by_label("เหตุผลที่เปิดใหม่").fill("ทดสอบการกรอกวันที่")
    await reopen.get_by_role("button", name="เปิดขั้นตอนใหม่").click()
    await expect(page.locator(".notice.success")).to_contain_text("เปิดขั้นตอนใหม่แล้ว")
