"""PostgreSQL restarted during a stream of appends: 503 not 500, recovery, nothing lost."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest

from infra.db.migrate import upgrade
from infra.db.pool import connect
from infra.embedded import EmbeddedPostgres, free_port, port_open
from infra.eventstore.verify import verify_log
from infra.tenancy import seed_provinces
from tests.conftest import Servers
from tests.support import make_tenants

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]


async def _prepare(url: str) -> list[uuid.UUID]:
    conn = await connect(url)
    try:
        await seed_provinces(conn)
        return await make_tenants(conn, 3)
    finally:
        await conn.close()


async def test_requests_fail_503_while_postgres_restarts_and_service_recovers(
    servers: Servers, tmp_path: Path
) -> None:
    # A server of its own: this test stops it.
    pg = EmbeddedPostgres(tmp_path / "pg")
    url = pg.start()
    api = None
    try:
        await asyncio.to_thread(upgrade, url)
        tenants = await _prepare(url)
        port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "REDIS_URL": servers.redis_url,
            "PORT": str(port),
            "LOG_JSON": "0",
            "LOG_LEVEL": "WARNING",
        }
        api = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--factory",
                "tests.apps:make_app",
                "--port",
                str(port),
                "--no-access-log",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=(tmp_path / "api.log").open("wb"),
        )
        for _ in range(200):
            if port_open(port):
                break
            await asyncio.sleep(0.05)
        statuses: dict[str, int] = {}
        restarted_at: list[float] = []
        first_ok_after: list[float] = []
        stop = asyncio.Event()

        async def client(n: int) -> None:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=20) as c:
                i = 0
                while not stop.is_set():
                    key = f"c{n}-{i}"
                    i += 1
                    try:
                        r = await c.post(
                            f"/test/append/{tenants[n % 3]}", headers={"Idempotency-Key": key}
                        )
                        statuses[key] = r.status_code
                        if r.status_code == 503:
                            assert r.headers["content-type"].startswith("application/problem")
                            assert r.headers["retry-after"] == "5"
                        if r.status_code == 201 and restarted_at and not first_ok_after:
                            first_ok_after.append(time.monotonic())
                    except httpx.TransportError:
                        statuses[key] = -1
                    await asyncio.sleep(0.01)

        clients = [asyncio.create_task(client(n)) for n in range(4)]
        await asyncio.sleep(2)
        await asyncio.to_thread(pg.stop, "fast")
        await asyncio.sleep(3)  # down for a while: requests keep arriving
        await asyncio.to_thread(pg.start)
        restarted_at.append(time.monotonic())
        for _ in range(300):
            if first_ok_after:
                break
            await asyncio.sleep(0.1)
        await asyncio.sleep(1)
        stop.set()
        await asyncio.gather(*clients)

        codes = sorted(set(statuses.values()))
        log = (tmp_path / "api.log").read_text(errors="replace")
        log = "\n".join(ln for ln in log.splitlines() if "sujarit.access" not in ln)
        errors = [ln for ln in log.splitlines() if "unavailable" not in ln]
        assert 500 not in codes and -1 not in codes, (codes, "\n".join(errors)[-3000:])
        assert 503 in codes, "no request met the restart"
        assert first_ok_after, "the service did not recover"
        assert first_ok_after[0] - restarted_at[0] < 30
        acknowledged = {k for k, v in statuses.items() if v == 201}
        conn = await connect(url)
        try:
            stored = {r["k"] for r in await conn.fetch("SELECT data->>'key' AS k FROM events")}
            assert acknowledged <= stored, acknowledged - stored
            assert (await verify_log(conn)).ok
        finally:
            await conn.close()
    finally:
        if api is not None:
            api.terminate()
            api.wait(10)
        pg.stop()
