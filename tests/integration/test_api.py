"""The API's edges: health, readiness, request ids, problem+json."""

from __future__ import annotations

from dataclasses import replace

import pytest
from litestar.testing import AsyncTestClient

from infra.settings import Settings
from services.api.app import create_app


async def test_health_ready_and_request_id(settings: Settings) -> None:
    app = create_app(settings, configure_logs=False)
    async with AsyncTestClient(app) as client:
        r = await client.get("/health")
        assert r.status_code == 200 and r.json() == {"status": "ok"}
        r = await client.get("/ready", headers={"X-Request-ID": "abc-123"})
        assert r.status_code == 200
        assert r.json() == {"status": "ready", "database": "ok", "redis": "ok"}
        assert r.headers["x-request-id"] == "abc-123"
        r = await client.get("/", headers={"X-Request-ID": "bad id with spaces"})
        assert r.status_code == 200 and "สุจริต" in r.text
        assert r.headers["x-request-id"] != "bad id with spaces"


async def test_ready_is_503_when_redis_is_away(settings: Settings) -> None:
    away = replace(settings, redis_url="redis://127.0.0.1:1/0")
    async with AsyncTestClient(create_app(away, configure_logs=False)) as client:
        r = await client.get("/ready")
        assert r.status_code == 503
        assert r.json()["database"] == "ok" and r.json()["redis"].startswith("unavailable")


async def test_unknown_route_is_problem_json(settings: Settings) -> None:
    async with AsyncTestClient(create_app(settings, configure_logs=False)) as client:
        r = await client.get("/no/such/page")
        assert r.status_code == 404
        assert r.headers["content-type"].startswith("application/problem+json")
        body = r.json()
        assert body["type"].endswith("/not-found") and body["status"] == 404


@pytest.mark.parametrize("path", ["/schema/openapi.json"])
async def test_openapi_document_is_served(settings: Settings, path: str) -> None:
    async with AsyncTestClient(create_app(settings, configure_logs=False)) as client:
        r = await client.get(path)
        assert r.status_code == 200 and r.json()["info"]["title"] == "Sujarit API"
