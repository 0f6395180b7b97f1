"""`sujarit run` (what `make run` starts): everything up, demo data once, Ctrl-C stops it all."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest

from domain.tenancy.organisations import organisation_id
from infra.db.pool import create_pool
from infra.embedded import free_port, port_open
from infra.eventstore.postgres import PostgresEventStore
from infra.eventstore.records import NewEvent
from infra.settings import Settings

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]


class Run:
    def __init__(self, data: Path) -> None:
        self.port, self.pg_port, self.redis_port = free_port(), free_port(), free_port()
        self.smtp_port = free_port()
        self.data = data
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in {"DATABASE_URL", "REDIS_URL", "TEST_DATABASE_URL"}
        }
        env.update(
            SUJARIT_DATA_DIR=str(data),
            PORT=str(self.port),
            EMBEDDED_PG_PORT=str(self.pg_port),
            EMBEDDED_REDIS_PORT=str(self.redis_port),
            SMTP_PORT=str(self.smtp_port),
            LOG_JSON="0",
        )
        self.log = data.parent / f"run-{self.port}.log"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "services.cli", "run"],
            env=env,
            stdout=self.log.open("wb"),
            stderr=subprocess.STDOUT,
        )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for(self, text: str, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.output():
            assert self.proc.poll() is None, self.output()[-3000:]
            assert time.monotonic() < deadline, self.output()[-3000:]
            time.sleep(0.2)

    def interrupt(self) -> int:
        self.proc.send_signal(signal.SIGINT)
        return self.proc.wait(60)

    @property
    def owner_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.pg_port}/sujarit"


async def test_run_starts_everything_and_stops_everything(tmp_path: Path) -> None:
    data = tmp_path / "data"
    run = Run(data)
    try:
        run.wait_for("Sujarit is running at")
        out = run.output()
        assert f"http://127.0.0.1:{run.port}/" in out
        assert "demo data loaded" in out and "องค์การบริหารส่วนตำบลพังขว้าง" in out
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{run.port}") as client:
            r = await client.get("/ready")
            assert r.status_code == 200, r.text
            assert "สุจริต" in (await client.get("/")).text
            # A demo account signs in (plain http: make run turns Secure-only cookies off).
            form = await client.get("/t/6470101/signin")
            token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
            assert token, form.text
            r = await client.post(
                "/t/6470101/signin",
                data={
                    "email": "plan@phangkhwang.example",
                    "password": "sujarit-demo-2569",
                    "csrf_token": token[1],
                },
                follow_redirects=True,
            )
            assert r.status_code == 200 and "เจ้าหน้าที่ผู้รับผิดชอบแผน" in r.text, r.text
            # Its emails reach the local mail catcher, which a person can read.
            form = await client.get("/t/6470101/reset")
            token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
            assert token
            await client.post(
                "/t/6470101/reset",
                data={"email": "plan@phangkhwang.example", "csrf_token": token[1]},
            )
            run.wait_for("[mail] to plan@phangkhwang.example", timeout=30)
            assert list((data / "mail").glob("*.eml"))
        # The worker runs the async projector: an event appended now shows in its read model.
        settings = Settings(database_url=run.owner_url)
        pool = await create_pool(settings.app_url, min_size=1, max_size=2)
        owner = await create_pool(run.owner_url, min_size=1, max_size=1)
        try:
            tenant = organisation_id("6470101")
            await PostgresEventStore(pool).append(
                tenant, uuid.uuid4(), "test", 0, [NewEvent("Ping", {})]
            )
            total = await owner.fetchval("SELECT count(*) FROM events WHERE tenant_id = $1", tenant)
            assert total > 50  # the demo plan of Phang Khwang, and the ping

            async def seen() -> object:
                return await owner.fetchval(
                    "SELECT event_count FROM tenant_activity WHERE tenant_id = $1", tenant
                )

            for _ in range(300):
                if await seen() == total:
                    break
                await asyncio.sleep(0.1)
            assert await seen() == total
        finally:
            await pool.close()
            await owner.close()
        # The worker runs tasks from the broker.
        from celery import Celery

        client_app = Celery(
            broker=f"redis://127.0.0.1:{run.redis_port}/0",
            backend=f"redis://127.0.0.1:{run.redis_port}/0",
        )
        result = client_app.send_task("sujarit.verify_log")
        outcome = await asyncio.to_thread(result.get, timeout=60)
        assert outcome["tenants"] == 3 and outcome["broken"] == []
        assert outcome["events"] > 100
    finally:
        code = run.interrupt()
    assert code == 0, run.output()[-3000:]
    assert "stopped" in run.output()
    assert not port_open(run.port) and not port_open(run.pg_port)
    assert not port_open(run.redis_port)

    # A second run keeps the data of the first.
    again = Run(data)
    try:
        again.wait_for("Sujarit is running at")
        assert "demo data already present" in again.output()
    finally:
        assert again.interrupt() == 0
