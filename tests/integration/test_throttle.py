"""Sign-in throttling holds across two API processes that share Redis."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import asyncpg
import httpx
import pytest

from infra.db.pool import connect
from infra.embedded import free_port, port_open
from infra.settings import Settings
from infra.tenancy import upsert_organisations
from tests.integration.accounts import PASSWORD, csrf_of, make_member
from tests.support import org

pytestmark = pytest.mark.timeout(180)


@contextmanager
def api_process(settings: Settings) -> Iterator[str]:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": settings.redis_url,
        "COOKIE_SECURE": "false",
        "LOG_LEVEL": "WARNING",
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "services.api.asgi:make_app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-access-log",
        ],
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while not port_open(port, "127.0.0.1"):
            assert proc.poll() is None, "the API process exited"
            assert time.monotonic() < deadline, "the API process did not start"
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(20)


async def _attempt(
    client: httpx.AsyncClient, code: str, email: str, password: str
) -> httpx.Response:
    form = await client.get(f"/t/{code}/signin")
    return await client.post(
        f"/t/{code}/signin",
        data={"email": email, "password": password, "csrf_token": csrf_of(form.text)},
    )


async def test_failures_count_across_processes_then_429_with_retry_after(
    settings: Settings, app_pool: asyncpg.Pool
) -> None:
    lao = org()
    owner = await connect(settings.database_url)
    try:
        await upsert_organisations(owner, [lao])
    finally:
        await owner.close()
    email, _ = await make_member(app_pool, lao.code, "staff")
    with api_process(settings) as one, api_process(settings) as two:
        async with (
            httpx.AsyncClient(base_url=one, timeout=30) as a,
            httpx.AsyncClient(base_url=two, timeout=30) as b,
        ):
            took = []
            for i in range(10):  # ten failures, alternating between the two processes
                started = time.monotonic()
                r = await _attempt((a, b)[i % 2], lao.code, email, f"wrong password {i}")
                took.append(time.monotonic() - started)
                assert r.status_code == 401, (i, r.status_code)
            assert max(took[:3]) < 1.0  # the first few cost nothing extra
            assert took[7] >= 3.5 and took[9] >= 3.5  # then each waits longer (to 4 s)
            for client in (a, b):  # the account is now locked on both, even for the password
                r = await _attempt(client, lao.code, email, PASSWORD)
                assert r.status_code == 429
                assert 0 < int(r.headers["retry-after"]) <= 15 * 60
                assert "ลองเข้าสู่ระบบผิดหลายครั้งเกินไป" in r.text
