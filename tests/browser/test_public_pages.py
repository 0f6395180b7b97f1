"""The public page as a citizen on a phone: no cookies, 360 px, the summary of how the plan is
going is on the first screen, before the long texts; nothing personal in it."""

from __future__ import annotations

from playwright.async_api import Browser, expect

from tests.browser.conftest import SHOTS, Site, screenshots
from tests.demo import DEMO_ACCOUNTS, PK_CODE

ORG = PK_CODE
PHONE = {"width": 360, "height": 740}


async def test_a_citizen_on_a_phone_reads_the_summary_first(browser: Browser, site: Site) -> None:
    anon = await browser.new_context(base_url=site.url, viewport=PHONE, locale="th-TH")
    try:
        assert await anon.cookies() == []
        pub = await anon.new_page()
        r = await pub.goto(f"/p/{ORG}")
        assert r is not None and r.status == 200
        summary = pub.locator("section.public-summary")
        await expect(summary).to_contain_text("เรื่องที่ตั้งใจทำ")
        await expect(summary).to_contain_text("ยังไม่เริ่ม")
        await expect(summary).to_contain_text("อ่านประกาศของผู้บริหาร")
        # Plain language: the plan's title once (its official title is in the plan's section),
        # numbers in Arabic digits only, and อปท. spelt out on the first screen.
        summary_text = await summary.inner_text()
        assert not any("๐" <= ch <= "๙" for ch in summary_text), summary_text
        assert summary_text.count("แผนปฏิบัติการป้องกันการทุจริต") == 0, summary_text
        await expect(pub.locator(".public-kicker")).to_contain_text("องค์กรปกครองส่วนท้องถิ่น (อปท.)")
        # The summary (count, bar, legend, latest declaration) fits in the first screen.
        box = await summary.bounding_box()
        assert box is not None and box["y"] + box["height"] <= PHONE["height"], box
        bar = await pub.locator(".plan-bar").bounding_box()
        assert bar is not None and bar["width"] > 200
        # ... and the declaration's full text comes after it.
        decl = await pub.locator("#declaration").bounding_box()
        assert decl is not None and decl["y"] > box["y"] + box["height"]
        SHOTS.mkdir(parents=True, exist_ok=True)
        await pub.screenshot(path=str(SHOTS / "public-first-screen-360.png"))
        overflow = await pub.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1
        # The QR code of the page loads from our origin and is drawn.
        qr = pub.locator("img.qr")
        await qr.scroll_into_view_if_needed()
        await expect(qr).to_be_visible()
        assert await qr.evaluate("i => i.complete && i.naturalWidth > 0")
        await pub.screenshot(path=str(SHOTS / "public-qr-360.png"))
        html = await pub.content()
        for jargon in ("มิติที่", "ภารกิจ", "ขั้นตอน)"):
            assert jargon not in html, jargon
        for _code, email, name, _role in DEMO_ACCOUNTS:
            assert email not in html and name not in html, (email, name)
        # Works without JavaScript: the same page with scripts off has the summary too.
        nojs = await browser.new_context(
            base_url=site.url, viewport=PHONE, java_script_enabled=False
        )
        try:
            p2 = await nojs.new_page()
            await p2.goto(f"/p/{ORG}")
            await expect(p2.locator("section.public-summary .plan-bar")).to_be_visible()
        finally:
            await nojs.close()
        assert await anon.cookies() == [] or all(
            c["name"] != "sujarit_session" for c in await anon.cookies()
        )
    finally:
        await anon.close()


# Thai text in the page's chrome (labels, headings, buttons, the footer, alt and aria-label
# texts) outside an element marked lang="th": the LAO's own data (names, titles, texts) is
# marked so, and may stay Thai on the English page.
THAI_LEAKS = """() => {
  const thai = /[\\u0E00-\\u0E7F]/;
  const leaks = [];
  const inThai = (el) => {
    const marked = el && el.closest('[lang]');
    return marked && marked.getAttribute('lang').startsWith('th');
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (thai.test(n.textContent) && !inThai(n.parentElement)) leaks.push(n.textContent.trim());
  }
  for (const el of document.querySelectorAll('[alt], [aria-label], [title]')) {
    for (const a of ['alt', 'aria-label', 'title']) {
      const v = el.getAttribute(a);
      if (v && thai.test(v) && !inThai(el)) leaks.push(a + ': ' + v);
    }
  }
  // the title is "<what the page shows> — Sujarit": only its last part is chrome
  const brand = document.title.split(' — ').pop();
  if (thai.test(brand)) leaks.push('title: ' + document.title);
  return leaks;
}"""


async def test_the_english_public_page_has_no_thai_chrome(browser: Browser, site: Site) -> None:
    """The public page and an item's page in English, at 360 and 1280 px: no Thai label,
    heading or button outside the LAO's own data; nothing overflows at 360 px."""
    ctx = await browser.new_context(base_url=site.url, viewport=PHONE, locale="en-GB")
    try:
        page = await ctx.new_page()
        await page.goto(f"/lang/en?next=/p/{ORG}")
        assert await page.evaluate("document.documentElement.lang") == "en"
        await expect(page.locator("h2#summary")).to_contain_text("plan")
        leaks = await page.evaluate(THAI_LEAKS)
        await screenshots(page, "public-en")
        assert leaks == [], "\n".join(leaks)
        item = page.locator("ul.items a").first
        await item.click()
        await page.wait_for_load_state()
        leaks = await page.evaluate(THAI_LEAKS)
        await screenshots(page, "public-item-en")
        assert leaks == [], "\n".join(leaks)
        await page.goto(f"/p/{ORG}/verify")
        leaks = await page.evaluate(THAI_LEAKS)
        await screenshots(page, "public-verify-en")
        assert leaks == [], "\n".join(leaks)
    finally:
        await ctx.close()
