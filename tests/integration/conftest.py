"""Shared pieces of the API tests: tenants with a token per role, problem checks."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from litestar.testing import AsyncTestClient

from infra.db.pool import connect
from infra.settings import Settings
from infra.tokens import create_token
from services.api.app import create_app
from tests.support import make_tenants


@dataclass
class Api:
    client: AsyncTestClient  # type: ignore[type-arg]
    officer: dict[str, str]
    executive: dict[str, str]
    staff: dict[str, str]
    viewer: dict[str, str]
    other: dict[str, str]  # the plan officer of another tenant


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
async def api(settings: Settings) -> AsyncIterator[Api]:
    owner = await connect(settings.database_url)
    try:
        a, b = await make_tenants(owner, 2)
        tokens = {
            role: await create_token(owner, a, role, f"{role}@a")
            for role in ("plan_officer", "executive", "staff", "viewer")
        }
        other = await create_token(owner, b, "plan_officer", "officer@b")
    finally:
        await owner.close()
    async with AsyncTestClient(create_app(settings, configure_logs=False)) as client:
        yield Api(
            client,
            bearer(tokens["plan_officer"]),
            bearer(tokens["executive"]),
            bearer(tokens["staff"]),
            bearer(tokens["viewer"]),
            bearer(other),
        )


def problem(r, status: int, code: str) -> dict:  # type: ignore[no-untyped-def]
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["type"].endswith("/" + code), body
    return body


async def make_plan(api: Api) -> tuple[str, str]:
    c = api.client
    r = await c.post(
        "/api/v1/plans",
        json={"title": "แผน ๔ ปี", "first_year": 2561, "last_year": 2564},
        headers=api.officer,
    )
    assert r.status_code == 201, r.text
    plan = r.json()["id"]
    r = await c.post(
        f"/api/v1/plans/{plan}/items",
        headers=api.officer,
        json={"number": "2.1.1", "kind": "activity", "name": "ประกาศเจตจำนงต่อต้านการทุจริต"},
    )
    assert r.status_code == 201, r.text
    return plan, r.json()["id"]


SHEET = {  # the headings the API's promulgation checks (with a budget, a step, an indicator)
    "rationale": "ผู้บริหารแสดงเจตจำนงต่อต้านการทุจริต",
    "objectives": ["เพื่อแสดงเจตจำนง"],
    "targets": ["ประกาศเจตจำนง ๑ ฉบับ"],
    "area": "องค์การบริหารส่วนตำบลพังขว้าง",
    "fiscal_years": [2561, 2562, 2563, 2564],
    "responsible_unit": "งานกฎหมายและคดี สำนักงานปลัด",
}


async def complete_the_sheet(api: Api, plan: str, item: str, *, step: bool = True) -> None:
    """Fill in every required heading of the item's sheet, so that it can be promulgated;
    ``step``: schedule step 6.1 too (leave it out when the test schedules its own), and
    an output indicator when the item has none."""
    c, base = api.client, f"/api/v1/plans/{plan}/items/{item}"
    got = await c.get(base, headers=api.officer)
    sheet = got.json()
    r = await c.patch(base, headers={**api.officer, "If-Match": got.headers["etag"]}, json=SHEET)
    assert r.status_code == 200, r.text
    r = await c.put(f"{base}/budget", headers=api.officer, json={"no_budget": True})
    assert r.status_code == 200, r.text
    if step:
        r = await c.post(
            f"{base}/steps",
            headers=api.officer,
            json={"number": "6.1", "title": "ประกาศเจตจำนง", "due": "2017-10-31"},
        )
        assert r.status_code == 201, r.text
    if not sheet["outputs"] and not sheet["outcomes"]:
        r = await c.post(
            f"{base}/outputs",
            headers=api.officer,
            json={
                "id": "o1",
                "text": "มีประกาศ",
                "comparator": "at_least",
                "target": "1",
                "unit": "ฉบับ",
            },
        )
        assert r.status_code == 201, r.text
