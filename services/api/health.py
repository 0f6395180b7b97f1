"""/health: the process is alive. /ready: the database and Redis answer."""

from __future__ import annotations

import asyncio

from litestar import Response, get
from litestar.di import NamedDependency

from services.api.state import Services


@get("/health", sync_to_thread=False, include_in_schema=False)
def health() -> dict[str, str]:
    return {"status": "ok"}


@get("/ready", include_in_schema=False)
async def ready(services: NamedDependency[Services]) -> Response[dict[str, str]]:
    checks: dict[str, str] = {}

    async def db() -> None:
        async with services.db.acquire(timeout=2) as conn:
            await conn.fetchval("SELECT 1", timeout=2)

    async def cache() -> None:
        await services.redis.ping()

    for name, check in (("database", db), ("redis", cache)):
        try:
            await asyncio.wait_for(check(), timeout=3)
            checks[name] = "ok"
        except Exception as exc:  # any failure means not ready
            checks[name] = f"unavailable: {type(exc).__name__}"
    ok = all(v == "ok" for v in checks.values())
    return Response(
        {"status": "ready" if ok else "not ready", **checks}, status_code=200 if ok else 503
    )
