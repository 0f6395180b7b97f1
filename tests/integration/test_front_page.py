"""The front page finds one's LAO by name, district, province or code and links to its public
page and its sign-in; the favicon is there."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from infra.db.pool import connect
from infra.settings import Settings
from infra.tenancy import upsert_organisations
from services.api.app import create_app
from tests.support import org


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[Any]:
    app = create_app(replace(settings, cookie_secure=False), configure_logs=False)
    async with AsyncTestClient(app) as c:
        yield c


async def test_search_an_lao_by_name_district_province_or_code(
    settings: Settings, client: Any
) -> None:
    lao = replace(org(), name_th="องค์การบริหารส่วนตำบลค้นเจอ", district="ส่องดาว")
    owner = await connect(settings.database_url)
    try:
        await upsert_organisations(owner, [lao])
    finally:
        await owner.close()
    front = await client.get("/")
    assert front.status_code == 200 and 'name="q"' in front.text
    assert 'rel="icon"' in front.text
    for typed in ("ค้นเจอ", "ค้นเจอ ส่องดาว", lao.code, "ส่องดาว สกลนคร"):
        found = await client.get("/", params={"q": typed})
        assert found.status_code == 200, typed
        assert f'href="/p/{lao.code}"' in found.text, typed
        assert f'href="/t/{lao.code}/signin"' in found.text, typed
        assert f'value="{typed}"' in found.text  # what was typed is kept
    none = await client.get("/", params={"q": "ค้นเจอ เชียงใหม่"})
    assert none.status_code == 200 and "ไม่พบ อปท." in none.text
    odd = await client.get("/", params={"q": "%_' OR 1=1 --" + "ก" * 500})
    assert odd.status_code == 200


async def test_the_favicon(client: Any) -> None:
    r = await client.get("/favicon.ico")
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")
    assert r.content.startswith(b"<svg")
