"""Sign-in timing, written as the attack: a wrong password for an existing account took longer
than any password for an unknown address (the failed attempt was recorded in the account's
log before the answer), so the time told who has an account. Measured as medians of
interleaved attempts; the throttle's counters are cleared between them so that its delays do
not enter the measurement."""

from __future__ import annotations

import asyncio
import statistics
import time
import uuid
from dataclasses import replace

import asyncpg
import pytest
import redis.asyncio as aioredis
from litestar.testing import AsyncTestClient

from infra.auth.throttle import _keys
from infra.db.pool import connect
from infra.settings import Settings
from infra.tenancy import upsert_organisations
from services.api.app import create_app
from services.usecases import accounts
from tests.integration.accounts import csrf_of, make_member
from tests.support import org

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]

ROUNDS = 60
# The least tolerance: recording the failed attempt before answering made a known account's
# answer about 3 ms slower on a quiet machine (20-30 ms on a loaded one).
FLOOR = 0.0015


async def test_a_wrong_password_takes_as_long_as_an_unknown_address(
    settings: Settings, app_pool: asyncpg.Pool
) -> None:
    lao = org()
    owner = await connect(settings.database_url)
    try:
        await upsert_organisations(owner, [lao])
    finally:
        await owner.close()
    known, _ = await make_member(app_pool, lao.code, "staff")
    r = aioredis.Redis.from_url(settings.redis_url)
    app = create_app(replace(settings, cookie_secure=False), configure_logs=False)
    times: dict[str, list[float]] = {"known": [], "unknown": []}
    async with AsyncTestClient(app) as c:
        csrf = csrf_of((await c.get(f"/t/{lao.code}/signin")).text)

        async def attempt(email: str) -> float:
            await r.delete(*_keys(lao.code, email, "testclient"))
            start = time.perf_counter()
            answer = await c.post(
                f"/t/{lao.code}/signin",
                data={"email": email, "password": "not the password at all", "csrf_token": csrf},
            )
            took = time.perf_counter() - start
            assert answer.status_code == 401, answer.text
            # What the server does after answering (recording the attempt) is not measured.
            for _ in range(200):
                await asyncio.sleep(0.01)
                if not getattr(accounts, "AFTER_ANSWER", ()):
                    break
            return took

        await attempt(known)  # warm both paths (the decoy hash, the statements)
        await attempt(f"warm-{uuid.uuid4().hex[:6]}@example.org")
        for n in range(ROUNDS):
            unknown = f"nobody-{uuid.uuid4().hex[:8]}@example.org"
            pair = [("known", known), ("unknown", unknown)]
            for name, email in pair if n % 2 else reversed(pair):
                times[name].append(await attempt(email))
    await r.aclose()
    medians = {k: statistics.median(v) for k, v in times.items()}
    diffs = [k - u for k, u in zip(times["known"], times["unknown"], strict=True)]
    gap = statistics.median(diffs)
    # The median's standard error, from the spread of the differences (1.4826 MAD estimates
    # their deviation, 1.2533 / sqrt(n) the median's): a loaded machine widens the tolerance
    # with its noise, a quiet one keeps it at the floor.
    spread = 1.4826 * statistics.median(abs(d - gap) for d in diffs)
    tolerance = max(FLOOR, 3 * 1.2533 * spread / len(diffs) ** 0.5)
    print(
        f"medians: known {medians['known'] * 1000:.1f} ms, unknown "
        f"{medians['unknown'] * 1000:.1f} ms; median of the paired differences "
        f"{gap * 1000:.2f} ms, tolerance {tolerance * 1000:.2f} ms"
    )
    assert abs(gap) < tolerance, (medians, gap, tolerance)
