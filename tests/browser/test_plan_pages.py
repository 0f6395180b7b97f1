"""The plan page, the history page and the plan "as of" a day, in a real browser.

Adds item 4.2.1 to Phang Khwang's demo plan (a sub-item with no demo item), so that the other
browser tests' items and steps stay as the demo has them.
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

from playwright.async_api import Page, expect

from services.api.v1.common import today_bangkok
from tests.browser.conftest import screenshots, sign_in_as
from tests.demo import PK_PLAN

ORG = "6470101"
ITEM_LINK = re.compile(rf"^/t/{ORG}/plan/[0-9a-f-]{{36}}/items/[0-9a-f-]{{36}}$")
NEW_NUMBER = "4.2.1"
NEW_NAME = "กิจกรรมเปิดเผยผลการตรวจสอบภายในต่อสภาองค์การบริหารส่วนตำบล (ทดสอบ)"


def _amount(value: Decimal) -> str:
    return f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.2f}"


async def test_plan_summary_add_item_history_and_as_of(page: Page) -> None:
    await sign_in_as(page, ORG, "plan@phangkhwang.example")
    await page.get_by_role("navigation").get_by_role("link", name="แผนปฏิบัติการ").click()
    plan = PK_PLAN  # the current plan, 2566-2570
    await expect(page.get_by_role("heading", level=1)).to_have_text(plan["title"])
    await expect(page.locator(".plan-facts")).to_contain_text("ประกาศใช้แล้ว")
    await expect(page.locator(".plan-facts")).to_contain_text(plan["promulgated"]["by"])
    table = page.locator("table.plan-summary")
    for y in range(plan["first_year"], plan["last_year"] + 1):
        await expect(table.locator("thead")).to_contain_text(f"ปี {y}")
    # Every demo item, in its row, with its budget per year or "ไม่ใช้งบประมาณ".
    for item in plan["items"]:
        number = re.compile(rf"^{re.escape(item['number'])}$")  # 2.2.1 is not 2.2.2.1
        row = table.locator("tr.item").filter(has=page.locator(".num", has_text=number))
        await expect(row).to_have_count(1)
        await expect(row).to_contain_text(item["name"])
        if item["budget"] is None:
            await expect(row.locator("td.nobudget")).to_have_text("ไม่ใช้งบประมาณ")
        else:
            for _year, amount in item["budget"].items():
                await expect(row).to_contain_text(_amount(Decimal(amount)))
    # 2.1.1's overdue step (5.8, the report due 30 Oct 2569) is in the remark column.
    row_211 = table.locator("tr.item").filter(has=page.locator(".num", has_text="2.1.1"))
    await expect(row_211.locator("td.remark")).to_contain_text("5.8")
    await expect(row_211.locator("td.remark")).to_contain_text("เลยกำหนด")
    await expect(row_211.get_by_role("link")).to_have_attribute("href", ITEM_LINK)
    await expect(table.locator("tfoot")).to_contain_text("รวมทั้งสิ้น")
    await screenshots(page, "plan")

    # A number already used: the Thai error, at the top and beside the field, typed text kept.
    await page.get_by_label("เลขที่รายการ").fill("2.1.1")
    await page.get_by_label("ประเภท").select_option("activity")
    await page.get_by_label("ชื่อโครงการ/กิจกรรม/มาตรการ").fill(NEW_NAME)
    await page.get_by_role("button", name="เพิ่มรายการ").click()
    await expect(page.locator(".error-summary")).to_contain_text("เลขที่ 2.1.1 มีรายการอื่นใช้แล้ว")
    await expect(page.locator("#number-error")).to_contain_text("มีรายการอื่นใช้แล้ว")
    await expect(page.get_by_label("เลขที่รายการ")).to_have_value("2.1.1")
    await expect(page.get_by_label("ชื่อโครงการ/กิจกรรม/มาตรการ")).to_have_value(NEW_NAME)
    await expect(page.get_by_label("ประเภท")).to_have_value("activity")
    await screenshots(page, "plan-error")

    # Corrected: the item is added and shown in the table under 4.2.
    await page.get_by_label("เลขที่รายการ").fill(NEW_NUMBER)
    await page.get_by_role("button", name="เพิ่มรายการ").click()
    # The officer lands on the new item's page, to fill its headings.
    await expect(page).to_have_url(re.compile(r"/items/[0-9a-f-]{36}\?done=added$"))
    await expect(page.locator(".notice")).to_contain_text("เพิ่มรายการในแผนแล้ว")
    await expect(page.get_by_role("heading", level=1)).to_contain_text(NEW_NUMBER)
    await expect(page.locator("main")).to_contain_text(NEW_NAME)
    # The plan is promulgated: the new item waits for the executive's approval.
    await expect(page.locator("#addition")).to_contain_text("รายการนี้เพิ่มหลังประกาศใช้แผน")
    await screenshots(page, "item-added-after-promulgation")
    await page.get_by_role("link", name="กลับไปหน้าแผน").click()
    new_row = table.locator("tr.item").filter(has=page.locator(".num", has_text=NEW_NUMBER))
    await expect(new_row).to_contain_text(NEW_NAME)
    await expect(new_row).to_contain_text("รออนุมัติ")
    await expect(new_row).to_contain_text("ยังไม่มีขั้นตอน")

    # The history page tells it in Thai, with who did it.
    await page.get_by_role("navigation").get_by_role("link", name="ประวัติ").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("ประวัติการเปลี่ยนแปลง")
    first = page.locator("ol.timeline li").first
    await expect(first).to_contain_text(f"เพิ่มกิจกรรม {NEW_NUMBER} “{NEW_NAME}” ในแผน")
    await expect(first).to_contain_text("plan@phangkhwang.example")
    # Load more (HTMX): older entries are appended to the same list.
    before = await page.locator("ol.timeline li").count()
    await page.get_by_role("link", name="แสดงเพิ่มเติม").click()
    await expect(page.locator("ol.timeline li")).not_to_have_count(before)
    assert await page.locator("ol.timeline li").count() > before
    await expect(page.locator("ol.timeline li").nth(before)).to_be_focused()  # keyboard users
    assert page.url.endswith("/history")  # swapped in place, no new page
    await page.get_by_label("ประเภท").select_option("plan")
    await page.get_by_role("button", name="กรอง").click()
    await expect(page.locator("ol.timeline li").first).to_contain_text(NEW_NUMBER)
    await screenshots(page, "history")

    # As of today: read-only, with the banner, the new item there; item links keep as_of.
    today = today_bangkok()
    as_of = page.locator("fieldset#as_of")  # วัน / เดือน / ปี พ.ศ.
    await expect(as_of.locator("legend")).to_have_text("แสดงแผนตามที่บันทึกในระบบ ณ สิ้นวันที่")
    await as_of.get_by_label("วัน", exact=True).fill(str(today.day))
    await as_of.get_by_label("เดือน", exact=True).select_option(str(today.month))
    await as_of.get_by_label("ปี พ.ศ.").fill(str(today.year + 543))
    await page.get_by_role("button", name="ดูแผน ณ วันที่นี้").click()
    await expect(page.locator(".as-of-banner")).to_contain_text("แผนตามที่บันทึกในระบบ ณ วันที่")
    await expect(page.locator(".as-of-banner")).to_contain_text(str(today.year + 543))
    await expect(page.locator("table.plan-summary")).to_contain_text(NEW_NAME)
    await expect(page.locator("#add-item")).to_have_count(0)
    link = page.locator("tr.item a").first
    assert (await link.get_attribute("href") or "").endswith(f"?as_of={today.isoformat()}")
    await screenshots(page, "plan-as-of")

    # As of yesterday (the demo was loaded today): the new item is not there.
    yesterday = today - timedelta(days=1)
    await page.goto(f"/t/{ORG}/plan?as_of={yesterday.isoformat()}")
    await expect(page.locator(".as-of-banner")).to_contain_text("แผนตามที่บันทึกในระบบ ณ วันที่")
    await expect(page.locator("main")).not_to_contain_text(NEW_NAME)
    await page.get_by_role("link", name="กลับไปดูข้อมูลปัจจุบัน").click()
    await expect(page.locator("table.plan-summary")).to_contain_text(NEW_NAME)


async def test_viewer_reads_the_plan_without_forms(page: Page) -> None:
    await sign_in_as(page, ORG, "viewer@phangkhwang.example")
    await page.goto(f"/t/{ORG}/plan")
    await expect(page.locator("table.plan-summary")).to_contain_text(PK_PLAN["items"][0]["name"])
    await expect(page.get_by_role("button", name="เพิ่มรายการ")).to_have_count(0)
    await expect(page.get_by_role("button", name="ประกาศใช้แผน")).to_have_count(0)
