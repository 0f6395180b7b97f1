"""The ITA items: the clerk's list of addresses per assessment year (full addresses under
settings.base_url, a copy button from a static script, the items the service cannot cover);
every address of an LAO with published data answers 200 without sign-in and shows that
evidence; nothing unpublished."""

from __future__ import annotations

import re

from litestar.testing import AsyncTestClient

from domain.ita import CATALOGUE
from infra.settings import Settings
from services.api.app import create_app
from tests.integration.accounts import sign_in
from tests.integration.test_reports import DEMO_PASSWORD, demo  # noqa: F401

ORG = "6470101"


async def test_every_ita_address_with_published_data_answers_without_sign_in(
    demo: Settings,  # noqa: F811
) -> None:
    base = demo.base_url.rstrip("/")
    async with AsyncTestClient(create_app(demo, configure_logs=False)) as client:
        assert (await sign_in(client, ORG, "viewer@phangkhwang.example", DEMO_PASSWORD)).is_redirect
        page = await client.get(f"/t/{ORG}/ita/?year=2564")
        assert page.status_code == 200
        assert '<script src="/static/copy.js" defer></script>' in page.text
        assert "<script>" not in page.text  # no inline script (the CSP)
        urls = re.findall(
            rf"<code id=\"url-O\d+\">({re.escape(base)}/p/{ORG}/ita/2564/O\d+)</code>", page.text
        )
        covered = [i for i in CATALOGUE[2564] if i.covered]
        assert len(urls) == len(covered) == 5  # plan, declaration, stats, 6- and 12-month
        assert page.text.count("ระบบนี้ยังไม่เผยแพร่หลักฐานข้อนี้") == len(CATALOGUE[2564]) - 5
        # No report of 2564-6 or 2563-12 was submitted in this database: those two say so.
        assert page.text.count("ยังไม่มีข้อมูลที่เผยแพร่สำหรับปีนี้") == 2
        published = [u for u in urls if not u.endswith(("/O40", "/O41"))]
        assert (await client.get("/static/copy.js")).status_code == 200
        later = await client.get(f"/t/{ORG}/ita/?year=2568")
        later_urls = re.findall(
            rf"<code id=\"url-O\d+\">({re.escape(base)}/p/{ORG}/ita/2568/O\d+)</code>", later.text
        )
        # every answerable item of 2568 has its address; the 2566-2570 plan covers 2568 (O25)
        assert later_urls == [f"{base}/p/{ORG}/ita/2568/{c}" for c in ("O19", "O21", "O25", "O26")]
        urls += later_urls
    async with AsyncTestClient(create_app(demo, configure_logs=False)) as tha_rae:
        assert (await sign_in(tha_rae, "6470102", "plan@tharae.example", DEMO_PASSWORD)).is_redirect
        before = await tha_rae.get("/t/6470102/ita/?year=2564")
        assert "ยังไม่มีข้อมูลที่เผยแพร่สำหรับปีนี้" in before.text  # no plan covers 2564
    async with AsyncTestClient(create_app(demo, configure_logs=False)) as anonymous:
        for url in published:
            r = await anonymous.get(url.removeprefix(base))
            assert r.status_code == 200, url
            assert "signin" not in str(r.url)
        plan = await anonymous.get(f"/p/{ORG}/ita/2564/O39")
        assert "แผนปฏิบัติการป้องกันการทุจริต" in plan.text and "2561–2564" in plan.text
        current = await anonymous.get(f"/p/{ORG}/ita/2568/O25")
        assert "แผนปฏิบัติการป้องกันการทุจริต" in current.text and "2566–2570" in current.text
        declaration = await anonymous.get(f"/p/{ORG}/ita/2564/O34")
        assert "ประกาศเจตจำนง" in declaration.text
        for missing in (
            "/p/6470103/ita/2568/O25",  # Chiang Khruea's plan is a draft
            "/p/{}/ita/2564/O40",  # no 12-month report of 2564 submitted
            "/p/{}/ita/2564/O30",
            "/p/{}/ita/2599/O39",
            "/p/{}/ita/2564/ZZ",
            "/p/nope/ita/2564/O39",
        ):
            assert (await anonymous.get(missing.format(ORG))).status_code == 404, missing
