"""The declaration pages and the public page, in a real browser.

Phang Khwang's executive composes, publishes (with a signed PDF) and announces a new
declaration; the public page /p/6470101 shows it to a browser with no cookies, and shows no
draft and no personal data. (The demo's own declaration and items are left as they are.)
"""

from __future__ import annotations

import secrets

from playwright.async_api import Browser, Page, expect

from services.api.v1.common import today_bangkok
from tests.browser.conftest import Site, screenshots, sign_in_as
from tests.demo import DEMO_ACCOUNTS, PK_PLAN, item

ORG = "6470101"
SIGNED = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


async def test_executive_publishes_and_announces_and_the_public_sees_it(
    page: Page, browser: Browser, site: Site
) -> None:
    tag = secrets.token_hex(3)
    text = (
        f"ข้าพเจ้า นายกองค์การบริหารส่วนตำบลพังขว้าง ขอประกาศเจตจำนงต่อต้านการทุจริต ({tag}) "
        "จะบริหารงานด้วยความซื่อสัตย์สุจริต โปร่งใส ตรวจสอบได้"
    )
    draft_only = f"ร่างที่ยังไม่เผยแพร่ ({tag})"
    await sign_in_as(page, ORG, "executive@phangkhwang.example")
    await page.get_by_role("navigation").get_by_role("link", name="ประกาศเจตจำนง").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("ประกาศเจตจำนงต่อต้านการทุจริต")

    # An empty text: the Thai error on top and beside the field; the signers typed are kept.
    await page.get_by_label("ผู้บริหารผู้ลงนาม").fill("นายก อบต.พังขว้าง")
    await page.get_by_role("button", name="บันทึกร่าง").click()
    await expect(page.locator(".error-summary")).to_contain_text("กรุณากรอกข้อความประกาศเจตจำนง")
    await expect(page.get_by_label("ผู้บริหารผู้ลงนาม")).to_have_value("นายก อบต.พังขว้าง")

    await page.get_by_label("ข้อความประกาศเจตจำนง").fill(text)
    await page.get_by_role("button", name="บันทึกร่าง").click()
    await expect(page.locator(".notice")).to_contain_text("บันทึกร่างประกาศเจตจำนงแล้ว")
    await expect(page.locator(".tag.draft")).to_have_text("ร่าง")
    detail_url = page.url

    # Publish with the signed PDF.
    today = today_bangkok()  # typed as วัน / เดือน / ปี พ.ศ.
    await page.locator("#on-d").fill(str(today.day))
    await page.locator("#on-m").select_option(str(today.month))
    await page.locator("#on-y").fill(str(today.year + 543))
    await page.get_by_label("ไฟล์ประกาศที่ลงนามแล้ว").set_input_files(
        files=[
            {"name": f"ประกาศเจตจำนง-{tag}.pdf", "mimeType": "application/pdf", "buffer": SIGNED}
        ]
    )
    await page.get_by_role("button", name="เผยแพร่ประกาศเจตจำนง").click()
    await expect(page.locator(".notice")).to_contain_text("เผยแพร่ประกาศเจตจำนงแล้ว")
    await expect(page.get_by_role("link", name=f"ประกาศเจตจำนง-{tag}.pdf")).to_be_visible()

    # Announce it on the website, with a link.
    await page.get_by_label("ช่องทาง").select_option("website")
    await page.locator("#announced_on-y").fill(str(today.year + 543))
    await page.get_by_label("รายละเอียด (ถ้ามี)").fill(f"หน้าข่าวประชาสัมพันธ์ ({tag})")
    await page.get_by_label("ลิงก์หลักฐาน (ถ้ามี)").fill("https://phangkhwang.example/news/1")
    await page.get_by_role("button", name="บันทึกการประกาศ").click()
    await expect(page.locator(".notice")).to_contain_text("บันทึกการประกาศต่อสาธารณะแล้ว")
    announced = page.locator("section[aria-labelledby=announcements] table")
    await expect(announced).to_contain_text("เว็บไซต์")
    await expect(announced).to_contain_text(f"หน้าข่าวประชาสัมพันธ์ ({tag})")
    await screenshots(page, "declaration-detail")

    # A second declaration stays a draft.
    await page.goto(f"/t/{ORG}/declaration")
    await page.get_by_label("ข้อความประกาศเจตจำนง").fill(draft_only)
    await page.get_by_label("ผู้บริหารผู้ลงนาม").fill("นายก อบต.พังขว้าง")
    await page.get_by_role("button", name="บันทึกร่าง").click()
    await expect(page.locator(".notice")).to_contain_text("บันทึกร่างประกาศเจตจำนงแล้ว")
    await page.goto(f"/t/{ORG}/declaration")
    table = page.locator("table.declarations")
    await expect(table).to_contain_text(f"({tag})")
    await expect(table.locator("tr").filter(has_text=draft_only)).to_contain_text("ร่าง")
    await screenshots(page, "declaration")
    assert detail_url.startswith(site.url)

    # The public page, from a browser with no cookies at all.
    anon = await browser.new_context(
        base_url=site.url, viewport={"width": 1280, "height": 900}, locale="th-TH"
    )
    try:
        assert await anon.cookies() == []
        pub = await anon.new_page()
        r = await pub.goto(f"/p/{ORG}")
        assert r is not None and r.status == 200
        await expect(pub.get_by_role("heading", level=1)).to_contain_text("พังขว้าง")
        body = pub.locator("main")
        await expect(body).to_contain_text(f"ขอประกาศเจตจำนงต่อต้านการทุจริต ({tag})")
        await expect(body).to_contain_text(f"หน้าข่าวประชาสัมพันธ์ ({tag})")
        await expect(pub.get_by_role("link", name=f"ประกาศเจตจำนง-{tag}.pdf")).to_be_visible()
        await expect(body).to_contain_text(PK_PLAN["title"])
        await expect(body).to_contain_text("รายงานผลที่เผยแพร่")
        html = await pub.content()
        assert draft_only not in html
        for _code, email, name, _role in DEMO_ACCOUNTS:
            assert email not in html and name not in html, (email, name)
        notes = [s["note"] for it in PK_PLAN["items"] for s in it["steps"] if s["note"]]
        assert notes and not [n for n in notes if n in html]
        # The signed document downloads without a session.
        href = await pub.get_by_role("link", name=f"ประกาศเจตจำนง-{tag}.pdf").get_attribute("href")
        assert href is not None
        doc = await anon.request.get(href)
        assert doc.status == 200 and await doc.body() == SIGNED
        await screenshots(pub, "public")

        # One item's progress: 2.1.1 (steps done / total, overdue), no notes.
        first = item(PK_PLAN, "2.1.1")
        row = pub.locator("ul.items li").filter(has_text=first["name"]).first
        await row.get_by_role("link").click()
        await expect(pub.get_by_role("heading", level=1)).to_contain_text(first["name"][:20])
        await expect(pub.locator("table.public-steps")).to_contain_text("เสร็จแล้ว")
        item_html = await pub.content()
        assert not [n for n in notes if n in item_html]
        for _code, email, name, _role in DEMO_ACCOUNTS:
            assert email not in item_html and name not in item_html
        await screenshots(pub, "public-item")
        assert all(c["name"] != "sujarit_session" for c in await anon.cookies())
    finally:
        await anon.close()
