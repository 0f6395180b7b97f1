"""In the browser: a member of another LAO opening Phang Khwang's item address gets "not
found" (in Thai), and nothing of the item shows."""

from __future__ import annotations

import re

from playwright.async_api import Browser, Page, expect

from tests.browser.conftest import Site, screenshots, sign_in_as


async def test_another_lao_opening_phang_khwang_item_gets_not_found(
    page: Page, browser: Browser, site: Site
) -> None:
    await sign_in_as(page, "6470101", "plan@phangkhwang.example")
    await page.goto("/t/6470101/plan")
    await page.get_by_role("link", name=re.compile("ประกาศเจตจำนงต่อต้านการทุจริต")).first.click()
    await expect(page).to_have_url(re.compile(r"/t/6470101/plan/[0-9a-f-]{36}/items/[0-9a-f-]{36}"))
    item_path = page.url.split(site.url, 1)[1].split("#", 1)[0]
    name = await page.get_by_role("heading", level=1).inner_text()

    other = await browser.new_context(base_url=site.url, viewport={"width": 1280, "height": 900})
    try:
        stranger = await other.new_page()
        await sign_in_as(stranger, "6470102", "plan@tharae.example")
        response = await stranger.goto(item_path)
        assert response is not None and response.status == 404
        await expect(stranger.get_by_role("heading", level=1)).to_contain_text("ไม่พบ")
        assert name not in await stranger.content()
        assert "หลักการและเหตุผล" not in await stranger.content()
        await screenshots(stranger, "not-found")
        # And through the API with the same session: the same answer.
        api = await stranger.request.get("/api/v1/plans/" + item_path.split("/")[4])
        assert api.status == 404
    finally:
        await other.close()
