"""Jobs that cannot vanish: a report job and its order to run commit together (the job
outbox). With Redis down the request still answers 202 and the order waits; a retry with the
same Idempotency-Key orders nothing twice; once Redis is back the relay hands the order on and a
real worker runs the job."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from infra import jobs
from infra.db.pool import connect, create_pool
from infra.embedded import EmbeddedRedis
from infra.settings import Settings
from infra.tenancy import upsert_organisations
from infra.tokens import create_token
from services.api.app import create_app
from tests.support import celery_worker, org

ROUND = "2569-12"  # fiscal year 2569 ended on 30 September 2569 (2026)


async def _outbox(settings: Settings, tenant: Any) -> list[asyncpg.Record]:
    owner = await connect(settings.database_url)
    try:
        return list(
            await owner.fetch(
                "SELECT key, task, sent_at, attempts, last_error FROM job_outbox "
                "WHERE tenant_id = $1",
                tenant,
            )
        )
    finally:
        await owner.close()


@pytest.fixture
async def own_redis(tmp_path: Path) -> AsyncIterator[EmbeddedRedis]:
    rd = EmbeddedRedis(tmp_path / "redis", persist=False)
    rd.start()
    try:
        yield rd
    finally:
        rd.stop()


async def test_a_report_ordered_while_redis_is_down_runs_once_it_is_back(
    fresh_settings: Settings, own_redis: EmbeddedRedis, tmp_path: Path
) -> None:
    settings = replace(
        fresh_settings, redis_url=own_redis.url, data_dir=(tmp_path / "data").resolve()
    )
    lao = org()
    owner = await connect(settings.database_url)
    try:
        await upsert_organisations(owner, [lao])
        token = await create_token(owner, lao.id, "plan_officer", "plan@lao.example")
    finally:
        await owner.close()
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": "round-report-1"}
    async with AsyncTestClient(create_app(settings, configure_logs=False)) as client:
        own_redis.stop()  # Redis goes away
        started = time.monotonic()
        r = await client.post("/api/v1/reports", json={"round": ROUND}, headers=headers)
        assert r.status_code == 202, r.text
        assert time.monotonic() - started < 15
        job = r.json()
        assert job["status"] == "queued"
        (order,) = await _outbox(settings, lao.id)
        assert order["sent_at"] is None and order["attempts"] == 1 and order["last_error"]

        # A retry of the same request: the same job, no second order, the order still waits.
        again = await client.post("/api/v1/reports", json={"round": ROUND}, headers=headers)
        assert again.status_code == 202 and again.json()["id"] == job["id"]
        (order,) = await _outbox(settings, lao.id)
        assert order["sent_at"] is None and order["attempts"] == 2

        # Redis returns (empty: it kept nothing); beat's relay hands the order on.
        own_redis.start()
        log = tmp_path / "worker.log"
        env = {
            "DATABASE_URL": settings.database_url,
            "REDIS_URL": settings.redis_url,
            "SUJARIT_DATA_DIR": str(settings.data_dir),
            "LOG_JSON": "0",
        }
        with celery_worker(env, log, "outbox"):
            pool = await create_pool(settings.projector_url, min_size=1, max_size=1)
            try:
                later = datetime.now(UTC) + timedelta(seconds=10)
                sent, failed = await jobs.relay(pool, jobs.Dispatcher(settings.redis_url), later)
            finally:
                await pool.close()
            assert (sent, failed) == (1, 0)
            (order,) = await _outbox(settings, lao.id)
            assert order["sent_at"] is not None
            deadline = time.monotonic() + 120
            while True:
                got = await client.get(f"/api/v1/report-jobs/{job['id']}", headers=headers)
                assert got.status_code == 200, got.text
                if got.json()["status"] in ("done", "failed"):
                    break
                assert time.monotonic() < deadline, (got.json(), log.read_text()[-2000:])
                await asyncio.sleep(0.3)
        assert got.json()["status"] == "done", got.json()
        assert {f["format"] for f in got.json()["reports"]} == {"pdf", "xlsx"}


async def test_one_lao_cannot_fill_the_queue(
    fresh_settings: Settings, own_redis: EmbeddedRedis, tmp_path: Path
) -> None:
    settings = replace(fresh_settings, redis_url=own_redis.url, data_dir=tmp_path.resolve())
    busy, other = org(), org()
    owner = await connect(settings.database_url)
    try:
        await upsert_organisations(owner, [busy, other])
        tokens = [
            await create_token(owner, lao.id, "plan_officer", f"plan@{lao.code}.example")
            for lao in (busy, other)
        ]
    finally:
        await owner.close()
    busy_h, other_h = ({"Authorization": f"Bearer {t}"} for t in tokens)
    async with AsyncTestClient(create_app(settings, configure_logs=False)) as client:
        codes = []
        for n in range(4):  # no worker runs: the first three stay queued
            r = await client.post(
                "/api/v1/reports",
                json={"round": ROUND},
                headers={**busy_h, "Idempotency-Key": f"r{n}"},
            )
            codes.append(r.status_code)
        assert codes == [202, 202, 202, 429], codes
        assert "กำลังสร้างอยู่" in r.json()["title"]
        # A retry of one of the three is still its job, and another LAO is not held up.
        again = await client.post(
            "/api/v1/reports", json={"round": ROUND}, headers={**busy_h, "Idempotency-Key": "r0"}
        )
        assert again.status_code == 202
        theirs = await client.post("/api/v1/reports", json={"round": ROUND}, headers=other_h)
        assert theirs.status_code == 202
