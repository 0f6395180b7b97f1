"""Attacks from the hardening pass, each written as the attack: security headers on every
answer, no scripts from elsewhere on /schema, and a sign-in throttle that a forged
X-Forwarded-For cannot reset."""

from __future__ import annotations

import asyncio
import subprocess
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis.asyncio as aioredis
from litestar.testing import AsyncTestClient

from infra.auth.throttle import IP_LIMIT, Throttle
from infra.db.pool import connect
from infra.embedded import free_port, port_open
from infra.settings import Settings
from infra.tenancy import upsert_organisations
from services.api.app import create_app
from services.runner import api_command
from tests.integration.accounts import csrf_of
from tests.support import org, served

pytestmark = pytest.mark.timeout(180)


async def test_every_answer_carries_the_security_headers(settings: Settings) -> None:
    app = create_app(replace(settings, cookie_secure=True), configure_logs=False)
    async with AsyncTestClient(app, base_url="http://127.0.0.1") as c:
        for path in ("/", "/t/operator/signin", "/api/v1/plans", "/schema", "/nowhere"):
            r = await c.get(path)
            csp = r.headers.get("content-security-policy", "")
            assert "frame-ancestors 'none'" in csp, (path, r.headers)
            assert (
                "script-src 'self'" in csp
                and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
            )
            assert r.headers["x-content-type-options"] == "nosniff"
            assert r.headers["referrer-policy"] == "same-origin"
            assert r.headers["strict-transport-security"].startswith("max-age=")
        schema = await c.get("/schema")
        assert schema.status_code == 200 and "<script" not in schema.text
        assert (await c.get("/schema/openapi.json")).json()["openapi"].startswith("3.")
    plain = create_app(replace(settings, cookie_secure=False), configure_logs=False)
    async with AsyncTestClient(plain, base_url="http://127.0.0.1") as c:
        assert "strict-transport-security" not in (await c.get("/")).headers  # no TLS, no HSTS


async def test_a_forged_x_forwarded_for_does_not_reset_the_address_limit(
    settings: Settings, tmp_path: Path
) -> None:
    lao = org()
    owner = await connect(settings.database_url)
    try:
        await upsert_organisations(owner, [lao])
    finally:
        await owner.close()
    # This address has failed as often as the limit allows, but one.
    throttle = Throttle(aioredis.Redis.from_url(settings.redis_url))
    for n in range(IP_LIMIT):
        await throttle.failed(lao.code, f"nobody{n}@example.org", "127.0.0.1")
    port = free_port()
    env = {
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": settings.redis_url,
        "COOKIE_SECURE": "false",
        "LOG_LEVEL": "WARNING",
        "PATH": "/usr/bin:/bin",
    }
    import os

    proc = subprocess.Popen(
        api_command("127.0.0.1", port),
        env={**os.environ, **env},
        stderr=(tmp_path / "api.log").open("wb"),
    )
    try:
        deadline = time.monotonic() + 60
        while not port_open(port):
            assert proc.poll() is None, (tmp_path / "api.log").read_text()
            assert time.monotonic() < deadline
            await asyncio.sleep(0.1)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as c:
            form = await c.get(f"/t/{lao.code}/signin")
            for forged in ("203.0.113.7", "198.51.100.9, 203.0.113.8"):
                r = await c.post(
                    f"/t/{lao.code}/signin",
                    data={
                        "email": "someone@example.org",
                        "password": "wrong password 123",
                        "csrf_token": csrf_of(form.text),
                    },
                    headers={"X-Forwarded-For": forged},
                )
                assert r.status_code == 429, (forged, r.status_code)
                assert int(r.headers["retry-after"]) > 0
    finally:
        proc.terminate()
        proc.wait(20)
        # leave no failures behind for this address: other tests sign in from it too
        await throttle.redis.delete("signin-fail:ip:127.0.0.1")
        await throttle.redis.aclose()


async def test_malformed_input_is_refused_clearly_never_a_500(settings: Settings) -> None:
    lao = org()
    owner = await connect(settings.database_url)
    try:
        await upsert_organisations(owner, [lao])
        from infra.tokens import create_token

        token = await create_token(owner, lao.id, "plan_officer", "plan@lao.example")
    finally:
        await owner.close()
    h = {"Authorization": f"Bearer {token}"}
    app = create_app(replace(settings, cookie_secure=False), configure_logs=False)
    async with AsyncTestClient(app, base_url="http://127.0.0.1") as c:
        deep = await c.post(
            "/api/v1/plans",
            content=b"[" * 100_000,
            headers={**h, "content-type": "application/json"},
        )
        assert deep.status_code == 400, deep.text
        assert deep.headers["content-type"].startswith("application/problem+json")
        plan = (
            await c.post(
                "/api/v1/plans",
                json={"title": "แผน", "first_year": 2566, "last_year": 2570},
                headers=h,
            )
        ).json()["id"]
        item = (
            await c.post(
                f"/api/v1/plans/{plan}/items",
                json={"number": "1.1.1", "kind": "activity", "name": "กิจกรรม"},
                headers=h,
            )
        ).json()["id"]
        for amount in ("NaN", "sNaN", "Infinity", "-Infinity", "1e100000", "100000000000"):
            r = await c.put(
                f"/api/v1/plans/{plan}/items/{item}/budget",
                json={"amounts": {"2567": amount}},
                headers=h,
            )
            assert r.status_code == 422, (amount, r.status_code, r.text)
            assert r.json()["type"].endswith(("invalid-amount", "negative-amount")), r.text
        ok = await c.put(
            f"/api/v1/plans/{plan}/items/{item}/budget",
            json={"amounts": {"2567": "5000.50"}},
            headers=h,
        )
        assert ok.status_code == 200, ok.text
        nul = await c.get("/t/%00/signin")  # a NUL in a page's address: a Thai page, not a 500
        assert nul.status_code == 400 and "อักขระ" in nul.text
        assert nul.headers["content-type"].startswith("text/html")
        nul_api = await c.get("/api/v1/timeline?kind=%00", headers=h)
        assert nul_api.status_code in (200, 400), nul_api.text
        for method in ("DELETE", "TRACE"):
            r = await c.request(method, "/api/v1/plans", headers=h)
            assert r.status_code == 405 and set(r.headers["allow"].split(", ")) >= {"GET", "POST"}


async def test_concurrent_retries_get_the_first_answer_and_stale_if_match_is_412(
    settings: Settings,
) -> None:
    from infra.tokens import create_token

    lao = org()
    owner = await connect(settings.database_url)
    try:
        await upsert_organisations(owner, [lao])
        token = await create_token(owner, lao.id, "plan_officer", "plan@lao.example")
    finally:
        await owner.close()
    h = {"Authorization": f"Bearer {token}"}
    app = create_app(replace(settings, cookie_secure=False), configure_logs=False)
    span = {"title": "แผน ๒๕๖๖-๒๕๗๐", "first_year": 2566, "last_year": 2570}
    async with served(app) as c:  # a real server: requests really run at the same time
        once = {**h, "Idempotency-Key": "draft-plan-once"}
        answers = await asyncio.gather(
            *(c.post("/api/v1/plans", json=span, headers=once) for _ in range(12))
        )
        assert [r.status_code for r in answers].count(201) == 12, [
            (r.status_code, r.text[:120]) for r in answers
        ]
        assert len({r.json()["id"] for r in answers}) == 1
        assert sorted(r.json()["duplicate"] for r in answers) == [False] + [True] * 11
        listed = (await c.get("/api/v1/plans", headers=h)).json()
        assert len(listed) == 1
        plan = answers[0].json()["id"]
        # Retries of adding an item, arriving a few milliseconds apart (so some load the plan
        # after the first has added the item): every one gets the first's answer.
        item = {"number": "2.1.1", "kind": "activity", "name": "ประกาศเจตจำนง"}
        add = {**h, "Idempotency-Key": "add-item-once"}

        async def later(n: int) -> Any:
            await asyncio.sleep(n * 0.004)
            return await c.post(f"/api/v1/plans/{plan}/items", json=item, headers=add)

        added = await asyncio.gather(*(later(n) for n in range(12)))
        assert [r.status_code for r in added] == [201] * 12, [
            (r.status_code, r.text[:120]) for r in added
        ]
        assert len({r.json()["id"] for r in added}) == 1
        version = (await c.get(f"/api/v1/plans/{plan}", headers=h)).headers["etag"].strip('"')
        # Two edits at once, both sure the plan is at `version`: one lands, one is stale (412).
        edits = await asyncio.gather(
            *(
                c.patch(
                    f"/api/v1/plans/{plan}",
                    json={**span, "title": f"แผนฉบับแก้ไข {n}"},
                    headers={**h, "If-Match": f'"{version}"'},
                )
                for n in range(6)
            )
        )
        codes = sorted(r.status_code for r in edits)
        assert codes == [200] + [412] * 5, [(r.status_code, r.text[:100]) for r in edits]
