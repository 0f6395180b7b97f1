"""Retries of one request arriving together run one after the other (a Redis lock on the
credentials and the Idempotency-Key), so the later ones find the first's answer instead of
racing it; and a retried upload is the same request whatever multipart boundary it comes
with."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from types import SimpleNamespace
from typing import Any

import redis.asyncio as aioredis
from litestar import Litestar, Request, post
from litestar.testing import AsyncTestClient

from infra.settings import Settings
from services.api.edge import request_fingerprint
from services.api.middleware import idempotency_lock_middleware
from tests.support import served

SPANS: list[tuple[str, float, float]] = []


@post("/slow", status_code=200)
async def slow(request: Request[Any, Any, Any]) -> dict[str, str]:
    started = time.monotonic()
    await asyncio.sleep(0.3)
    SPANS.append((request.headers.get("idempotency-key", ""), started, time.monotonic()))
    return {}


@post("/fingerprint", status_code=200)
async def fingerprint(request: Request[Any, Any, Any]) -> dict[str, str]:
    return {"fingerprint": (await request_fingerprint(request)).hex()}


def _app(settings: Settings) -> Litestar:
    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        r = aioredis.Redis.from_url(settings.redis_url)
        app.state.services = SimpleNamespace(redis=r)
        yield
        await r.aclose()

    return Litestar(
        [slow, fingerprint], middleware=[idempotency_lock_middleware], lifespan=[lifespan]
    )


def _overlap(a: tuple[str, float, float], b: tuple[str, float, float]) -> bool:
    return a[1] < b[2] and b[1] < a[2]


async def test_retries_with_one_key_run_one_at_a_time(settings: Settings) -> None:
    SPANS.clear()
    async with served(_app(settings)) as c:
        same = {"Authorization": "Bearer sjt_x_y", "Idempotency-Key": f"k-{time.time()}"}
        await asyncio.gather(*(c.post("/slow", headers=same) for _ in range(4)))
        assert len(SPANS) == 4
        assert not any(_overlap(a, b) for i, a in enumerate(SPANS) for b in SPANS[i + 1 :])
        SPANS.clear()
        keys = [f"other-{n}-{time.time()}" for n in range(3)]
        await asyncio.gather(
            *(c.post("/slow", headers={**same, "Idempotency-Key": k}) for k in keys)
        )
        assert any(_overlap(a, b) for i, a in enumerate(SPANS) for b in SPANS[i + 1 :])


async def test_a_retried_upload_has_the_same_fingerprint_whatever_its_boundary(
    settings: Settings,
) -> None:
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    async with AsyncTestClient(_app(settings)) as c:
        prints = set()
        for boundary in ("a1b2c3", "zz99yy88"):
            body = (
                (
                    f'--{boundary}\r\nContent-Disposition: form-data; name="data"; '
                    f'filename="ev.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
                ).encode()
                + pdf
                + f"\r\n--{boundary}--\r\n".encode()
            )
            r = await c.post(
                "/fingerprint",
                content=body,
                headers={"content-type": f"multipart/form-data; boundary={boundary}"},
            )
            prints.add(r.json()["fingerprint"])
        assert len(prints) == 1
        other = await c.post(
            "/fingerprint", files={"data": ("ev.pdf", pdf + b"x", "application/pdf")}
        )
        assert other.json()["fingerprint"] not in prints
