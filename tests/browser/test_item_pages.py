"""The home page's task list and item 2.1.1's page, in a real browser.

In the demo, step 5.5 of Phang Khwang's item 2.1.1 (draft the plan) is already completed, so
the plan officer first reopens it (it then shows as overdue on the home page), and completes
it again with a PDF uploaded by evidence.js (progress bar, XMLHttpRequest): the task goes
away again and the dimension's progress is back to what it was. The step ends completed, as
the demo has it, so the other browser tests' expectations hold.
"""

from __future__ import annotations

import re

from playwright.async_api import Page, expect

from tests.browser.conftest import screenshots, sign_in_as

ORG = "6470101"
# Item 2.1.1's step 5.5 of the 2566-2570 plan, as the home page lists it.
STEP_55 = "ขั้นตอน 5.5 จัดทำแผนปฏิบัติการป้องกันการทุจริต"
PDF_NAME = "แผนปฏิบัติการป้องกันการทุจริต ฉบับลงนาม.pdf"


def small_pdf() -> bytes:
    """A minimal valid one-page PDF (with its cross-reference table)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


async def dimension_two(page: Page) -> str:
    row = page.locator("table.progress-table tbody tr").filter(has_text="มิติที่ 2")
    return await row.inner_text()


async def test_plan_officer_completes_step_with_evidence_and_home_changes(page: Page) -> None:
    await sign_in_as(page, ORG, "plan@phangkhwang.example")
    await expect(page.get_by_role("heading", level=1)).to_have_count(1)
    overdue = page.locator("h3#overdue + p + ul.task-list")
    # The demo's two overdue steps: 2.1.1's 5.8 and 4.1.1's 5.5.
    await expect(page.locator("h3#overdue")).to_contain_text("ขั้นตอนที่เกินกำหนด (2)")
    await expect(overdue).to_contain_text("ขั้นตอน 5.8 รายงานผลการดำเนินงาน")
    await expect(overdue).not_to_contain_text(STEP_55)
    await expect(page.locator("h3#revisions")).to_contain_text("คำขอแก้ไขจากจังหวัด")
    await expect(page.locator("ul.task-list").last).to_contain_text("ปิดรอบวันที่")
    before = await dimension_two(page)
    assert "%" in before and "ขั้นตอน" in before
    await screenshots(page, "home")

    # The overdue task links to the item page, at the step.
    await overdue.get_by_role("link", name=re.compile("5.8")).click()
    await expect(page).to_have_url(re.compile(r"/items/[0-9a-f-]{36}#step-5-8$"))
    item_url = page.url.split("#")[0]
    await expect(page.get_by_role("heading", level=1)).to_contain_text("ลำดับที่ 2.1.1")
    # the 2566-2570 sheet's nine headings: the steps under 5, the indicators under 9
    for n, title in ((1, "ชื่อโครงการ"), (5, "วิธีดำเนินการ"), (9, "ผลผลิต/ผลลัพธ์")):
        await expect(page.get_by_role("heading", level=2, name=f"{n}. {title}")).to_be_visible()
    await expect(page.locator("#heading-budget")).to_contain_text("ไม่ใช้งบประมาณ")
    await screenshots(page, "item")
    await page.emulate_media(media="print")
    await expect(page.locator("header.site")).to_be_hidden()
    await expect(page.locator("details.edit").first).to_be_hidden()
    await screenshots(page, "item-print")
    await page.emulate_media(media="screen")

    # A validation error on a heading form keeps what was typed.
    await page.locator("#edit-budget > summary").click()
    await page.locator("#edit-budget").get_by_label("ใช้งบประมาณ (บาท ต่อปีงบประมาณ)").check()
    await page.locator("#amount-2567").fill("ห้าพันบาท")
    await page.locator("#edit-budget").get_by_role("button", name="บันทึก").click()
    await expect(page.locator(".error-summary")).to_contain_text("กรุณากรอกจำนวนเงินเป็นตัวเลข")
    await expect(page.locator("#amount-2567")).to_have_value("ห้าพันบาท")
    await expect(page.locator("#amount-2567")).to_be_visible()
    await expect(page.locator("#heading-budget > p.sheet-text")).to_have_text("ไม่ใช้งบประมาณ")

    # Reopen 5.5 (the demo has it done): it becomes a task on the home page.
    await page.goto(item_url)
    reopen = page.locator("#s5-5-reopen")
    await reopen.locator("summary").click()
    await reopen.get_by_label("เหตุผลที่เปิดใหม่").fill("ต้องแนบแผนฉบับที่ลงนามแล้ว")
    await reopen.get_by_role("button", name="เปิดขั้นตอนใหม่").click()
    await expect(page.locator(".notice.success")).to_contain_text("เปิดขั้นตอนใหม่แล้ว")
    await page.goto(f"/t/{ORG}/")
    await expect(page.locator("h3#overdue")).to_contain_text("ขั้นตอนที่เกินกำหนด (3)")
    await expect(overdue.locator("li").first).to_contain_text(STEP_55)  # the oldest first
    assert await dimension_two(page) != before

    # Complete it with a PDF uploaded by evidence.js (progress bar, then "uploaded").
    await page.goto(item_url)
    complete = page.locator("#s5-5-complete")
    await complete.locator("summary").click()
    await complete.get_by_label("หลักฐาน (ถ้ามี) — ไฟล์ เลือกได้หลายไฟล์").set_input_files(
        [{"name": PDF_NAME, "mimeType": "application/pdf", "buffer": small_pdf()}]
    )
    await expect(complete.locator(".uploads li.uploaded")).to_contain_text("อัปโหลดแล้ว")
    await expect(complete.locator("input[name=evidence]")).to_have_count(1)
    await complete.get_by_label("หมายเหตุ (ไม่บังคับ)").fill("แนบแผนฉบับลงนามแล้ว")
    await complete.get_by_role("button", name="บันทึกว่าเสร็จแล้ว").click()
    await expect(page.locator(".notice.success")).to_contain_text("บันทึกว่าขั้นตอนเสร็จแล้ว")
    step = page.locator("#step-5-5")
    await expect(step.locator(".tag.done")).to_have_text("เสร็จแล้ว")
    link = step.get_by_role("link", name=PDF_NAME)
    await expect(link).to_have_count(1)
    got = await page.request.get(str(await link.get_attribute("href")))
    assert got.status == 200 and (await got.body()).startswith(b"%PDF-")

    # The home page: the task is gone, the dimension's progress is back.
    await page.goto(f"/t/{ORG}/")
    await expect(page.locator("h3#overdue")).to_contain_text("ขั้นตอนที่เกินกำหนด (2)")
    await expect(overdue).not_to_contain_text(STEP_55)
    assert await dimension_two(page) == before
