"""A worker killed as a whole (a container crash) loses no report: its running job stops
beating, the sweep queues it again through the job outbox, and another worker finishes it
within a minute, once (one ReportGenerated event). Before, the job stayed "running" for the
hour of Redis's visibility timeout although another worker was idle.

Real parts: PostgreSQL, Redis, Celery worker processes (the second one with its own beat, so
the sweep runs on its schedule), the API through its test client."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from domain.tenancy.organisations import organisation_id
from infra import jobs
from infra.db.pool import connect
from infra.settings import Settings
from infra.tokens import create_token
from services.api.app import create_app
from services.usecases.demo import load_demo
from tests.conftest import Servers, _drop_database, make_database
from tests.support import start_celery_worker

pytestmark = pytest.mark.timeout(300)

PK = organisation_id("6470101")
ROUNDS = ("2564-12", "2564-06", "2563-12")  # closed rounds of the demo plan with data
TASKS = {"tenant": "sujarit.generate_report", "province": "sujarit.generate_province_summary"}
BEATS = {"JOB_HEARTBEAT_SECONDS": "0.5", "JOB_STALE_SECONDS": "4", "JOB_SWEEP_SECONDS": "1"}


@pytest.fixture(scope="module")
def demo(servers: Servers, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    name = f"sujarit_loss_{uuid.uuid4().hex[:8]}"
    base = servers.redis_url.rsplit("/", 1)[0] if servers.redis_url.count("/") > 2 else ""
    settings = replace(
        make_database(servers, name),
        data_dir=tmp_path_factory.mktemp("data").resolve(),
        redis_url=f"{base or servers.redis_url.rstrip('/')}/11",
        cookie_secure=False,
    )
    asyncio.run(load_demo(settings))
    subprocess.run(  # nothing left queued in this Redis database by an earlier run
        [
            sys.executable,
            "-c",
            f"import redis; redis.Redis.from_url({settings.redis_url!r}).flushdb()",
        ],
        check=True,
    )
    yield settings
    asyncio.run(_drop_database(servers.admin_url, name))


@pytest.fixture
async def owner(demo: Settings) -> AsyncIterator[asyncpg.Connection]:
    conn = await connect(demo.database_url)
    yield conn
    await conn.close()


def _env(settings: Settings) -> dict[str, str]:
    return {
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": settings.redis_url,
        "SUJARIT_DATA_DIR": str(settings.data_dir),
        "LOG_JSON": "0",
        **BEATS,
    }


async def _job(owner: asyncpg.Connection, job: uuid.UUID) -> asyncpg.Record:
    row = await owner.fetchrow("SELECT * FROM report_jobs WHERE id = $1", job)
    assert row is not None
    return row


async def _add_job(owner: asyncpg.Connection, status: str, **cols: object) -> uuid.UUID:
    job = uuid.uuid4()
    await owner.execute(
        "INSERT INTO report_jobs (id, tenant_id, scope, round, requested_by, created_at, status) "
        "VALUES ($1, $2, 'tenant', '2564-12', 'plan@phangkhwang.example', now(), $3)",
        job,
        PK,
        status,
    )
    for column, value in cols.items():
        await owner.execute(f"UPDATE report_jobs SET {column} = $2 WHERE id = $1", job, value)
    return job


async def test_claim_and_sweep_rules(owner: asyncpg.Connection) -> None:
    now, stale = datetime.now(UTC), timedelta(seconds=30)
    tr = owner.transaction()  # rolled back: the next test's sweep must not see these jobs
    await tr.start()
    old, fresh = now - timedelta(minutes=2), now - timedelta(seconds=3)
    queued = await _add_job(owner, "queued")
    alive = await _add_job(owner, "running", started_at=old, heartbeat_at=fresh)
    lost = await _add_job(owner, "running", started_at=old, heartbeat_at=old)
    never_beat = await _add_job(owner, "running", started_at=old)
    tired = await _add_job(owner, "running", started_at=old, heartbeat_at=old, attempts=2)
    done = await _add_job(owner, "done", started_at=old)

    try:
        # a second delivery of a job done, or alive on another worker, does nothing
        assert not await jobs.claim(owner, done, now, stale)
        assert not await jobs.claim(owner, alive, now, stale)
        assert await jobs.claim(owner, queued, now, stale)
        assert (await _job(owner, queued))["heartbeat_at"] == now
        await jobs.beat(owner, alive, now)
        assert (await _job(owner, alive))["heartbeat_at"] == now
        queued_again, failed = await jobs.sweep_lost(owner, now, stale, TASKS)
        # the claimed job beats from now on, so only the three silent ones are touched
        assert (queued_again, failed) == (2, 1)
        for job in (lost, never_beat):
            row = await _job(owner, job)
            assert (row["status"], row["attempts"], row["heartbeat_at"]) == ("queued", 1, None)
            order = await owner.fetchrow("SELECT * FROM job_outbox WHERE key = $1", f"lost:{job}:1")
            assert order["task"] == "sujarit.generate_report"
            assert order["args"] == [str(PK), "2564-12", str(job), "plan@phangkhwang.example"]
            assert order["sent_at"] is None
        row = await _job(owner, tired)
        assert row["status"] == "failed" and row["attempts"] == 3
        assert "หยุดทำงานระหว่างสร้าง 3 ครั้ง" in row["error"]
        assert not await owner.fetchval(
            "SELECT count(*) FROM job_outbox WHERE key LIKE $1", f"lost:{tired}:%"
        )
        # a lost job queued again is claimed by the next worker, and only once
        assert await jobs.claim(owner, lost, now, stale)
        assert not await jobs.claim(owner, lost, now, stale)
        # the sweep leaves the live ones alone
        assert await jobs.sweep_lost(owner, now, stale, TASKS) == (0, 0)
    finally:
        await tr.rollback()


async def _request(client: AsyncTestClient, headers: dict[str, str], rnd: str) -> uuid.UUID:  # type: ignore[type-arg]
    r = await client.post("/api/v1/reports", json={"round": rnd}, headers=headers)
    assert r.status_code == 202, r.text
    return uuid.UUID(r.json()["id"])


async def _until(owner: asyncpg.Connection, job: uuid.UUID, wanted: set[str], limit: float) -> str:
    deadline = time.monotonic() + limit
    while True:
        status = str((await _job(owner, job))["status"])
        if status in wanted or time.monotonic() > deadline:
            return status
        await asyncio.sleep(0.01)


async def test_a_worker_killed_as_a_whole_loses_no_report(
    demo: Settings, owner: asyncpg.Connection, tmp_path: Path
) -> None:
    token = await create_token(owner, PK, "plan_officer", "plan@phangkhwang.example")
    headers = {"Authorization": f"Bearer {token}"}
    env = _env(demo)
    async with AsyncTestClient(create_app(demo, configure_logs=False)) as client:
        doomed = start_celery_worker(env, tmp_path / "doomed.log", "doomed")
        job = None
        try:
            for rnd in ROUNDS:  # kill the worker while it renders (a fresh worker is slow)
                job = await _request(client, headers, rnd)
                if await _until(owner, job, {"running", "done", "failed"}, 60) == "running":
                    os.killpg(doomed.pid, signal.SIGKILL)
                    break
            else:
                pytest.fail("the reports finished before the worker could be killed")
            killed_at = time.monotonic()
        finally:
            if doomed.poll() is None:
                os.killpg(doomed.pid, signal.SIGKILL)
            doomed.wait(10)
        assert job is not None
        assert (await _job(owner, job))["status"] == "running"  # and would stay so for an hour
        # the other worker, with its beat (the sweep every second), was idle all along
        schedule = tmp_path / "beat-schedule"
        rescuer = start_celery_worker(
            env, tmp_path / "rescuer.log", "rescuer", "-B", "-s", str(schedule)
        )
        try:
            status = await _until(owner, job, {"done", "failed"}, 60)
            took = time.monotonic() - killed_at
        finally:
            os.killpg(rescuer.pid, signal.SIGTERM)
            rescuer.wait(30)
    row = await _job(owner, job)
    assert status == "done", (row["error"], (tmp_path / "rescuer.log").read_text()[-3000:])
    assert took < 60, took
    assert row["attempts"] == 1
    events = await owner.fetchval(
        "SELECT count(*) FROM events WHERE tenant_id = $1 AND event_type = 'ReportGenerated' "
        "AND data->>'content_hash' = $2",
        PK,
        row["content_hash"],
    )
    assert events == 1
    print(f"\nworker killed as a whole: its report done by another worker {took:.1f} s later")
