"""The reports page: generate now (a job the page follows with HTMX every 2 s until done, then
the download links), submit to the province, errors; with a real Celery worker (the
``worker`` fixture of test_reports)."""

from __future__ import annotations

import asyncio
import re
import time
from typing import Any

from litestar.testing import AsyncTestClient

from infra.settings import Settings
from services.api.app import create_app
from tests.integration.accounts import csrf_of, sign_in
from tests.integration.test_reports import DEMO_PASSWORD, demo, worker  # noqa: F401

ORG = "6470101"


async def _signed_in(client: Any, email: str) -> str:
    r = await sign_in(client, ORG, email, DEMO_PASSWORD)
    assert r.status_code in (302, 303), r.text
    page = await client.get(f"/t/{ORG}/reports/")
    assert page.status_code == 200, page.text
    return csrf_of(page.text)


async def test_generate_follow_download_and_submit(demo: Settings, worker: Any) -> None:  # noqa: F811
    async with AsyncTestClient(create_app(demo, configure_logs=False)) as client:
        csrf = await _signed_in(client, "plan@phangkhwang.example")
        page = await client.get(f"/t/{ORG}/reports/")
        assert '<select id="round" name="round"' in page.text
        assert '<label for="round">' in page.text
        # A bad round keeps the page, says why beside the field and at the top.
        bad = await client.post(f"/t/{ORG}/reports/", data={"round": "2568-7", "csrf_token": csrf})
        assert bad.status_code == 400
        assert "error-summary" in bad.text and "2568-7" in bad.text
        # Generate now: a job page that polls every 2 s until done.
        r = await client.post(
            f"/t/{ORG}/reports/",
            data={"round": "2563-12", "csrf_token": csrf},
            follow_redirects=False,
        )
        assert r.status_code == 303, r.text
        job_url = r.headers["location"]
        assert re.fullmatch(rf"/t/{ORG}/reports/jobs/[0-9a-f-]{{36}}", job_url)
        first = await client.get(job_url)
        assert first.status_code == 200
        if "every 2s" not in first.text:  # the worker may have been quicker than the page
            assert "ดาวน์โหลด PDF" in first.text
        else:
            assert f'hx-get="{job_url}"' in first.text
        deadline = time.monotonic() + 120
        while True:
            frag = await client.get(job_url, headers={"HX-Request": "true"})
            assert frag.status_code == 200
            assert "<html" not in frag.text  # a fragment for HTMX
            if "every 2s" not in frag.text:
                break
            assert time.monotonic() < deadline
            await asyncio.sleep(0.3)
        links = re.findall(r'href="(/api/v1/reports/[0-9a-f-]{36}/download)"', frag.text)
        assert len(links) == 2, frag.text
        files = [await client.get(link) for link in links]
        assert {f.headers["content-type"].split(";")[0] for f in files} == {
            "application/pdf",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
        assert any(f.content.startswith(b"%PDF") for f in files)
        # The list shows the round, its files, and the submit button; submit once.
        listing = await client.get(f"/t/{ORG}/reports/")
        assert "2563" in listing.text and links[0] in listing.text
        action = re.search(
            r'action="(/t/6470101/reports/[0-9a-f-]{36}/submission)"[^<]*<input[^>]*>\s*'
            r"<button[^>]*>ส่งรายงานนี้ให้จังหวัด",
            listing.text,
        )
        assert action, listing.text
        # The round table is empty: the page refuses and lists what is missing.
        lacking = await client.post(action[1], data={"csrf_token": csrf})
        assert lacking.status_code == 409 and "error-summary" in lacking.text
        assert "ยังไม่ระบุสถานะการดำเนินงาน" in lacking.text
        # Fill the round table, regenerate, submit the new generation once.
        rounds = await client.get(f"/t/{ORG}/rounds/")
        plan = re.search(rf'/t/{ORG}/rounds/([0-9a-f-]{{36}})/2563-12"', rounds.text)
        assert plan, rounds.text
        sheet_url = f"/t/{ORG}/rounds/{plan[1]}/2563-12"
        sheet = await client.get(sheet_url)
        items = re.findall(r'name="status-([0-9a-f-]{36})"', sheet.text)
        form = {"csrf_token": csrf, **{f"status-{i}": "done" for i in items}}
        saved = await client.post(sheet_url, data=form, follow_redirects=False)
        assert saved.status_code == 303, saved.text
        r = await client.post(
            f"/t/{ORG}/reports/",
            data={"round": "2563-12", "csrf_token": csrf},
            follow_redirects=False,
        )
        job_url = r.headers["location"]
        deadline = time.monotonic() + 120
        while "every 2s" in (await client.get(job_url, headers={"HX-Request": "true"})).text:
            assert time.monotonic() < deadline
            await asyncio.sleep(0.3)
        listing = await client.get(f"/t/{ORG}/reports/")
        action = re.search(
            r'action="(/t/6470101/reports/[0-9a-f-]{36}/submission)"[^<]*<input[^>]*>\s*'
            r"<button[^>]*>ส่งรายงานนี้ให้จังหวัด",
            listing.text,
        )
        assert action, listing.text
        sent = await client.post(action[1], data={"csrf_token": csrf}, follow_redirects=False)
        assert sent.status_code == 303 and sent.headers["location"].endswith("?submitted=1")
        again = await client.post(action[1], data={"csrf_token": csrf})
        assert again.status_code == 409 and "ส่งรายงานรอบนี้ให้จังหวัดแล้ว" in again.text
        # Without the CSRF token nothing happens.
        forged = await client.post(f"/t/{ORG}/reports/", data={"round": "2563-6"})
        assert forged.status_code == 403


async def test_viewer_cannot_generate_and_other_ids_are_404(demo: Settings) -> None:  # noqa: F811
    async with AsyncTestClient(create_app(demo, configure_logs=False)) as client:
        csrf = await _signed_in(client, "viewer@phangkhwang.example")
        page = await client.get(f"/t/{ORG}/reports/")
        assert 'name="round"' not in page.text
        r = await client.post(f"/t/{ORG}/reports/", data={"round": "2563-6", "csrf_token": csrf})
        assert r.status_code == 403
        missing = "/t/6470101/reports/jobs/00000000-0000-7000-8000-000000000000"
        assert (await client.get(missing)).status_code == 404
        other = await client.get("/t/6470102/reports/", follow_redirects=False)
        assert other.status_code in (302, 303, 404)  # another LAO's page: sign in there
