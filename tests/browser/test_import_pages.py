"""The import pages in a real browser: Phang Khwang's plan officer uploads the real scanned
sheet 2.1.1, reviews its ten headings, the repairs and what to check, corrects a heading, and
rejects it (the demo plan already has 2.1.1; nothing of the shared demo data changes)."""

from __future__ import annotations

from pathlib import Path

from playwright.async_api import Page, expect

from tests.browser.conftest import screenshots, sign_in_as

ORG = "6470101"
REAL = Path(__file__).parents[1] / "fixtures" / "phangkhwang-2.1.1.txt"


async def test_upload_review_edit_and_reject(page: Page) -> None:
    await sign_in_as(page, ORG, "plan@phangkhwang.example")
    await page.get_by_role("navigation").get_by_role("link", name="นำเข้าเอกสารแผน").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("นำเข้าเอกสารแผน")

    # A file that is not a plan document: the Thai error at the top and beside the field.
    await page.get_by_label("ไฟล์เอกสารแผน").set_input_files(
        files=[
            {
                "name": "photo.png",
                "mimeType": "image/png",
                "buffer": b"\x89PNG\r\n\x1a\n" + b"\0" * 64,
            }
        ]
    )
    await page.get_by_role("button", name="อ่านเอกสารเพื่อตรวจ").click()
    await expect(page.locator(".error-summary")).to_contain_text("photo.png")
    await expect(page.locator("#files-error")).to_be_visible()

    await page.get_by_label("ไฟล์เอกสารแผน").set_input_files(str(REAL))
    await page.get_by_role("button", name="อ่านเอกสารเพื่อตรวจ").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("ตรวจรายการนำเข้า")
    card = page.locator(".sheet-card")
    await expect(card).to_have_count(1)
    await expect(card).to_contain_text("2.1.1")
    await expect(card).to_contain_text("รอตรวจ")
    await screenshots(page, "imports-batch")

    await card.get_by_role("link").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("ตรวจรายการนำเข้า 2.1.1")
    for n in range(1, 11):
        await expect(page.locator(f"#h{n}")).to_be_visible()
    steps = page.locator("table.steps tbody th")
    await expect(steps).to_have_text([f"6.{i}" for i in range(1, 9)])
    await expect(page.locator(".nobudget")).to_have_text("ไม่ใช้งบประมาณ")
    repairs = page.locator("table.repairs tbody tr")
    await expect(repairs.filter(has_text="ประซาซน").first).to_contain_text("ประชาชน")
    await expect(page.locator("#h2 ~ .flag").first).to_contain_text("ไต้")
    await screenshots(page, "imports-sheet")

    # Edit a heading: a bad number is explained and what was typed stays; then a good one.
    await page.get_by_label("ลำดับที่ (มิติ.ภารกิจ.ลำดับ เช่น 2.1.1)").fill("2.1")
    await page.get_by_role("textbox", name="5. พื้นที่ดำเนินการ").fill("ตำบลพังขว้าง อำเภอเมืองสกลนคร")
    await page.get_by_role("button", name="บันทึกการแก้ไข").click()
    await expect(page.locator(".error-summary")).to_contain_text("มิติ.ภารกิจ.ลำดับ")
    await expect(page.get_by_role("textbox", name="5. พื้นที่ดำเนินการ")).to_have_value(
        "ตำบลพังขว้าง อำเภอเมืองสกลนคร"
    )
    await page.get_by_label("ลำดับที่ (มิติ.ภารกิจ.ลำดับ เช่น 2.1.1)").fill("2.1.1")
    await page.get_by_role("button", name="บันทึกการแก้ไข").click()
    await expect(page.locator(".notice.success")).to_have_text("บันทึกการแก้ไขแล้ว")
    # The notes about the headings not edited stay (the rationale's among them).
    await expect(page.locator(".sheet-summary")).to_contain_text("สิ่งที่ต้องตรวจ (15)")
    await expect(page.locator("#h5 ~ p").first).to_have_text("ตำบลพังขว้าง อำเภอเมืองสกลนคร")

    # Accepting into the demo plan, which has 2.1.1: refused in Thai, nothing written.
    await page.get_by_label("แผนที่จะเพิ่มรายการนี้").select_option(index=1)
    await page.get_by_role("button", name="ยอมรับเข้าแผน").click()
    await expect(page.locator("#plan_id-error")).to_contain_text("2.1.1")
    await expect(page.locator(".sheet-status")).to_contain_text("รอตรวจ")

    await page.get_by_label("เหตุผลที่ปฏิเสธ").fill("มีรายการ 2.1.1 ในแผนแล้ว")
    await page.get_by_role("button", name="ปฏิเสธรายการนี้").click()
    await expect(page.locator(".notice.success")).to_contain_text("ปฏิเสธรายการนี้แล้ว")
    await expect(page.locator(".sheet-status")).to_contain_text("ปฏิเสธแล้ว")
    await expect(page.get_by_role("button", name="ยอมรับเข้าแผน")).to_have_count(0)
    await screenshots(page, "imports-rejected")

    await page.get_by_role("navigation").get_by_role("link", name="นำเข้าเอกสารแผน").click()
    await expect(page.locator("table.import-batches")).to_contain_text(REAL.name)
    await screenshots(page, "imports")


PLAN = Path(__file__).parents[1] / "samples" / "imports" / "plans" / "phonsawan-2566-2570-plan.txt"


async def test_a_whole_plan_reviewed_on_one_page(page: Page) -> None:
    """Upload a whole plan and review it; nothing is accepted (the demo data stays as it is)."""
    await sign_in_as(page, ORG, "plan@phangkhwang.example")
    await page.goto(f"/t/{ORG}/imports")
    await page.get_by_label("ไฟล์แผนทั้งฉบับ").set_input_files(str(PLAN))
    await page.get_by_role("button", name="อ่านแผนเพื่อตรวจ").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("ตรวจแผนที่นำเข้าทั้งแผน")
    await expect(page.locator("#dim-1")).to_contain_text("มิติที่ 1")
    await expect(page.locator("#dim-2")).to_contain_text("การบริหารราชการด้วยความโปร่งใส")
    rows = page.locator("table.plan-import tbody tr")
    await expect(rows).to_have_count(6)
    await expect(rows.first).to_contain_text("1.1.1 (1)")
    await expect(rows.nth(2)).to_contain_text("ไม่มีรายละเอียดโครงการในเอกสาร")
    await rows.nth(4).locator("summary").click()
    await expect(rows.nth(4).locator("details")).to_contain_text("ไม่น้อยกว่า")
    await screenshots(page, "imports-plan")

    # Nothing chosen: the Thai message beside the choice, nothing written.
    for box in await page.locator('input[name="positions"]').all():
        await box.uncheck()
    await page.get_by_role("button", name="ยอมรับรายการที่เลือกเข้าแผน").click()
    await expect(page.locator("#positions-error")).to_contain_text("กรุณาเลือกรายการ")
    await expect(page.locator('input[name="positions"]')).to_have_count(6)
