"""Schemathesis against the served OpenAPI document, signed in with an API token:
no 5xx and responses that conform to the schema."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest

from infra.db.pool import connect
from infra.embedded import free_port, port_open
from infra.settings import Settings
from infra.tokens import create_token
from tests.support import make_tenants

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]


async def test_api_survives_schemathesis(settings: Settings, tmp_path: Path) -> None:
    owner = await connect(settings.database_url)
    try:
        [tenant] = await make_tenants(owner, 1)
        token = await create_token(owner, tenant, "executive", "schemathesis")
    finally:
        await owner.close()
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": settings.redis_url,
        "LOG_JSON": "0",
        "LOG_LEVEL": "WARNING",
    }
    api = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "services.api.asgi:make_app",
            "--port",
            str(port),
            "--no-access-log",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "api.log").open("wb"),
    )
    try:
        for _ in range(200):
            if port_open(port):
                break
            await asyncio.sleep(0.05)
        st = await asyncio.to_thread(
            subprocess.run,
            [
                str(Path(sys.executable).parent / "schemathesis"),
                "run",
                f"http://127.0.0.1:{port}/schema/openapi.json",
                "--header",
                f"Authorization: Bearer {token}",
                "--checks",
                "not_a_server_error,status_code_conformance,"
                "content_type_conformance,response_schema_conformance",
                "--max-examples",
                "25",
                "--generation-deterministic",
                "--no-color",
            ],
            capture_output=True,
            text=True,
            timeout=540,
        )
        log = (tmp_path / "api.log").read_text(errors="replace")
        assert st.returncode == 0, st.stdout[-6000:] + "\n--- api log ---\n" + log[-3000:]
    finally:
        api.terminate()
        api.wait(15)
