"""Schemathesis against the served OpenAPI document with every check (no 5xx; statuses,
content types, headers and bodies as documented; schema-valid requests accepted and invalid
ones refused; OPTIONS and 405 with the right Allow; credentials not ignored; a deleted
resource gone and a created one there), as a plan officer with a real API token of their own.
Bounded examples so that it runs in a few minutes on two cores; the rules JSON Schema cannot
state are listed, one by one, in schemathesis.toml beside this file."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from infra.auth.orgs import find_org
from infra.db.pool import connect, create_pool
from infra.embedded import free_port, port_open
from infra.settings import Settings
from infra.tenancy import upsert_organisations
from tests.integration.accounts import accounts_on, make_member
from tests.support import org

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

CONFIG = Path(__file__).with_name("schemathesis.toml")
EXAMPLES = 10  # per operation and phase: every operation, about 3,000 cases in all


async def test_api_survives_schemathesis(settings: Settings, tmp_path: Path) -> None:
    lao = org()
    owner = await connect(settings.database_url)
    try:
        await upsert_organisations(owner, [lao])
    finally:
        await owner.close()
    pool = await create_pool(settings.app_url, min_size=1, max_size=2)
    try:
        _, officer = await make_member(pool, lao.code, "plan_officer")
        async with pool.acquire() as conn:
            found = await find_org(conn, lao.code)
        assert found is not None
        token = await accounts_on(pool).create_token(found, uuid.UUID(officer), "schemathesis")
    finally:
        await pool.close()
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
        for _ in range(1200):  # up to a minute for the app to start on a busy machine
            if port_open(port):
                break
            await asyncio.sleep(0.05)
        assert port_open(port), (tmp_path / "api.log").read_text(errors="replace")[-3000:]
        st = await asyncio.to_thread(
            subprocess.run,
            [
                str(Path(sys.executable).parent / "schemathesis"),
                "--config-file",
                str(CONFIG),
                "run",
                f"http://127.0.0.1:{port}/schema/openapi.json",
                "--header",
                f"Authorization: Bearer {token}",
                "--checks",
                "all",
                "--max-examples",
                str(EXAMPLES),
                # One worker: with two threads, Hypothesis's lambda descriptions call ast.parse
                # concurrently and CPython 3.11 can fail with "AST constructor recursion depth
                # mismatch" (a SystemError inside Schemathesis, not a finding about our API).
                "--workers",
                "1",
                "--generation-deterministic",
                "--no-color",
            ],
            capture_output=True,
            text=True,
            timeout=840,
            cwd=tmp_path,
        )
        (tmp_path / "schemathesis.txt").write_text(st.stdout + st.stderr)  # the whole report
        log = (tmp_path / "api.log").read_text(errors="replace")
        summary = st.stdout[st.stdout.find("=== SUMMARY") :]
        assert st.returncode == 0, (
            f"{st.stdout[-6000:]}\n{summary}\n--- api log ---\n{log[-3000:]}"
            f"\n(the whole report: {tmp_path / 'schemathesis.txt'})"
        )
        tested = re.search(r"Tested: (\d+)", st.stdout)
        selected = re.search(r"Selected: (\d+)/(\d+)", st.stdout)
        assert tested and selected, st.stdout[-3000:]
        assert int(tested[1]) == int(selected[2]) >= 70, st.stdout[-3000:]  # every operation
    finally:
        api.terminate()
        api.wait(15)
