"""Redis stopped under a running API: signed-in pages and sign-in answer 503 with Retry-After
(never 500), /ready names Redis; Redis back: the very first request is served again."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient

from infra.db.pool import connect, create_pool
from infra.embedded import EmbeddedRedis
from infra.settings import Settings
from infra.tenancy import upsert_organisations
from services.api.app import create_app
from tests.integration.accounts import PASSWORD, csrf_of, make_member, sign_in
from tests.support import org

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def redis(tmp_path: Path) -> Iterator[EmbeddedRedis]:
    server = EmbeddedRedis(tmp_path / "redis", persist=True)  # sessions outlive a restart
    server.start()
    yield server
    server.stop()


def unavailable(r) -> None:  # type: ignore[no-untyped-def]
    assert r.status_code == 503, (r.status_code, r.text[:300])
    assert int(r.headers["retry-after"]) > 0


async def test_redis_down_is_503_and_the_first_request_after_it_returns_is_served(
    settings: Settings, redis: EmbeddedRedis
) -> None:
    lao = org()
    owner = await connect(settings.database_url)
    try:
        await upsert_organisations(owner, [lao])
    finally:
        await owner.close()
    pool = await create_pool(settings.database_url, min_size=1, max_size=2)
    try:
        email, _ = await make_member(pool, lao.code, "plan_officer")
        other, _ = await make_member(pool, lao.code, "staff")
    finally:
        await pool.close()
    s = replace(settings, redis_url=redis.url)
    app = create_app(s, configure_logs=False)
    async with AsyncTestClient(app, base_url="https://testserver.local") as c:
        assert (await sign_in(c, lao.code, email)).status_code == 303
        assert (await c.get(f"/t/{lao.code}/")).status_code == 200
        form = await c.get(f"/t/{lao.code}/signin")  # a form to post while Redis is away

        redis.stop()
        started = time.perf_counter()
        unavailable(await c.get(f"/t/{lao.code}/"))
        unavailable(await c.get(f"/t/{lao.code}/plan"))
        signin = {"email": other, "password": PASSWORD, "csrf_token": csrf_of(form.text)}
        unavailable(await c.post(f"/t/{lao.code}/signin", data=signin, follow_redirects=False))
        took = time.perf_counter() - started
        ready = await c.get("/ready")
        assert ready.status_code == 503
        assert ready.json()["database"] == "ok"
        assert ready.json()["redis"].startswith("unavailable")
        print(f"three requests while Redis was down: {took:.2f} s")
        assert took < 15, f"three requests took {took:.1f} s while Redis was down"

        redis.start()  # the same port and data: the session is still there
        first = await c.get(f"/t/{lao.code}/")
        assert first.status_code == 200, (first.status_code, first.text[:300])
        assert (await c.get("/ready")).status_code == 200
        assert (await sign_in(c, lao.code, other)).status_code == 303
