"""Helpers the tests share: tenants made the way the operator makes them."""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import uvicorn

from domain.tenancy.organisations import Kind, Organisation, organisation_id
from domain.tenancy.provinces import PROVINCES_BY_CODE
from infra.embedded import free_port
from infra.tenancy import upsert_organisations


def org(code: str | None = None, province: str = "47", kind: Kind = Kind.SAO) -> Organisation:
    code = code or f"T{secrets.token_hex(4)}"
    return Organisation(
        id=organisation_id(code),
        code=code,
        name_th=f"อปท.ทดสอบ {code}",
        name_en=f"Test LAO {code}",
        kind=kind,
        province=PROVINCES_BY_CODE[province],
        district="เมือง",
    )


async def make_tenants(conn: asyncpg.Connection, n: int, province: str = "47") -> list[uuid.UUID]:
    orgs = [org(province=province) for _ in range(n)]
    await upsert_organisations(conn, orgs)
    return [o.id for o in orgs]


def start_celery_worker(
    env: dict[str, str], log: Path, name: str = "w", *args: str
) -> subprocess.Popen[bytes]:
    """Start one real Celery worker process of the service's app (concurrency 1, in its own
    process group, ``args`` added, e.g. "-B" for its own beat) and wait until it is ready."""
    before = log.read_text(errors="replace").count(" ready.") if log.exists() else 0
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "services.workers.celery_app:app",
            "worker",
            "--concurrency",
            "1",
            "--loglevel",
            "INFO",
            "--without-gossip",
            "--without-mingle",
            "-n",
            f"{name}{uuid.uuid4().hex[:6]}@%h",
            *args,
        ],
        env={**os.environ, **env},
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 90
    while log.read_text(errors="replace").count(" ready.") <= before:
        assert proc.poll() is None, log.read_text(errors="replace")[-3000:]
        assert time.monotonic() < deadline, "the worker did not get ready"
        time.sleep(0.2)
    return proc


@contextlib.contextmanager
def celery_worker(env: dict[str, str], log: Path, name: str = "w") -> Iterator[Path]:
    """One real Celery worker process of the service's app (concurrency 1), with ``env``
    (DATABASE_URL, REDIS_URL, SUJARIT_DATA_DIR, ...) over the test's own environment; waits
    until it is ready and stops it after."""
    proc = start_celery_worker(env, log, name)
    try:
        yield log
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


@asynccontextmanager
async def served(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    """The app behind a real uvicorn server on this loop (the test client runs requests one
    at a time, so it could not show two of them at once)."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, port=port, log_level="warning", lifespan="on"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.02)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as c:
            yield c
    finally:
        server.should_exit = True
        await task


def be_fields(name: str, on: date) -> dict[str, str]:
    """A page form's three date fields (วัน / เดือน / ปี พ.ศ.) holding ``on``."""
    return {f"{name}-d": str(on.day), f"{name}-m": str(on.month), f"{name}-y": str(on.year + 543)}


async def fill_headings(c: Any, item_url: str, years: tuple[int, ...]) -> None:
    """Fill an item's required headings through its page's forms (rationale, objectives,
    targets, area, responsible unit, years, no budget, a step, an outcome indicator), as a
    plan officer does before the plan is promulgated. ``c``: a signed-in client (``c.csrf``)."""
    posts: list[tuple[str, dict[str, Any]]] = [
        ("headings/rationale", {"rationale": "เพื่อป้องกันการทุจริต"}),
        ("headings/objectives", {"objectives": "เพื่อให้ประชาชนเชื่อมั่น"}),
        ("headings/targets", {"targets": "บุคลากรทุกคน"}),
        ("headings/area", {"area": "องค์การบริหารส่วนตำบล"}),
        ("headings/responsible_unit", {"responsible_unit": "สำนักปลัด"}),
        ("headings/years", {"fiscal_years": [str(y) for y in years]}),
        ("headings/budget", {"budget_mode": "none"}),
        ("steps", {"number": "5.1", "title": "ดำเนินการ"}),
        ("indicators", {"kind": "outcome", "id": "r1", "text": "ประชาชนเชื่อมั่น"}),
    ]
    for path, data in posts:
        r = await c.post(
            f"{item_url}/{path}", data={"csrf_token": c.csrf, **data}, follow_redirects=False
        )
        assert r.status_code == 303, (path, r.status_code, r.text[:500])
