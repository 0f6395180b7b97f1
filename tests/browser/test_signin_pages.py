"""Signing in and out in a real browser, in Thai and in English."""

from __future__ import annotations

from playwright.async_api import Page, expect

from tests.browser.conftest import screenshots, sign_in_as


async def test_sign_in_wrong_then_right_then_out(page: Page) -> None:
    await page.goto("/t/6470101/signin")
    await screenshots(page, "signin")
    await page.get_by_label("อีเมล").fill("plan@phangkhwang.example")
    await page.get_by_label("รหัสผ่าน").fill("not the password")
    await page.get_by_role("button", name="เข้าสู่ระบบ").click()
    await expect(page.get_by_role("alert")).to_contain_text("อีเมลหรือรหัสผ่านไม่ถูกต้อง")
    await expect(page.get_by_label("อีเมล")).to_have_value("plan@phangkhwang.example")
    await sign_in_as(page, "6470101", "plan@phangkhwang.example")
    await expect(page.locator("header")).to_contain_text("เจ้าหน้าที่ผู้รับผิดชอบแผน")
    await page.get_by_role("button", name="ออกจากระบบ").click()
    await expect(page.get_by_role("status")).to_contain_text("ออกจากระบบแล้ว")


async def test_the_english_toggle(page: Page) -> None:
    await page.goto("/t/6470101/signin")
    await page.get_by_role("link", name="English").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    await page.get_by_role("link", name="ภาษาไทย").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("เข้าสู่ระบบ")


async def test_members_and_tokens_pages(page: Page) -> None:
    await sign_in_as(page, "6470101", "plan@phangkhwang.example")
    await page.get_by_role("navigation").get_by_role("link", name="สมาชิก", exact=True).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("สมาชิกและบทบาท")
    await expect(page.locator("table")).to_contain_text("executive@phangkhwang.example")
    await screenshots(page, "members")
    await page.get_by_role("link", name="API token").click()
    await page.get_by_label("ชื่อ token").fill("สคริปต์ทดสอบ")
    await page.get_by_role("button", name="สร้าง token").click()
    await expect(page.locator("#new-token")).to_contain_text("sjt_")
    await screenshots(page, "tokens")
