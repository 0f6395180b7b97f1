"""The organisation page: the LAO's profile for e-PlanNACC, set by the plan officer, errors
beside each field with what was typed kept; a viewer reads it only."""

from __future__ import annotations

from litestar.testing import AsyncTestClient

from infra.settings import Settings
from services.api.app import create_app
from tests.integration.accounts import csrf_of, sign_in
from tests.integration.test_reports import DEMO_PASSWORD, demo  # noqa: F401

ORG = "6470101"
URL = f"/t/{ORG}/organisation/"


async def test_the_plan_officer_sets_the_profile(demo: Settings) -> None:  # noqa: F811
    async with AsyncTestClient(create_app(demo, configure_logs=False)) as client:
        assert (await sign_in(client, ORG, "plan@phangkhwang.example", DEMO_PASSWORD)).is_redirect
        shown = await client.get(URL)
        assert shown.status_code == 200 and 'name="population"' in shown.text
        good = {
            "csrf_token": csrf_of(shown.text),
            "population": "5,230",
            "area_km2": "48.50",
            "income": "35,000,000.25",
            "coordinator_name": "นางสาวสมหญิง ใจดี",
            "coordinator_position": "นิติกร",
            "coordinator_phone": "042 123 456",
            "coordinator_email": "plan@phangkhwang.example",
            "website": "https://phangkhwang.go.th",
        }
        bad = await client.post(
            URL, data={**good, "population": "-3", "coordinator_email": "x", "website": "ftp://"}
        )
        assert bad.status_code == 400
        assert "จำนวนประชากรต้องเป็นจำนวนเต็ม" in bad.text and 'value="-3"' in bad.text
        assert "อีเมลไม่ถูกต้อง" in bad.text and "https://" in bad.text
        saved = await client.post(URL, data=good, follow_redirects=False)
        assert saved.status_code == 303
        again = await client.get(URL)
        for v in ('value="5,230"', 'value="48.50"', 'value="35,000,000.25"', "นิติกร"):
            assert v in again.text
    async with AsyncTestClient(create_app(demo, configure_logs=False)) as client:
        assert (await sign_in(client, ORG, "viewer@phangkhwang.example", DEMO_PASSWORD)).is_redirect
        shown = await client.get(URL)
        assert shown.status_code == 200 and "5,230" in shown.text
        assert 'name="population"' not in shown.text
        r = await client.post(URL, data={**good, "csrf_token": csrf_of(shown.text)})
        assert r.status_code == 403
