"""A running service with the demo data, its log key and witness processes (each with its own
key and folder), for the transparency-log tests (integration and browser)."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import asyncpg
import pytest

from domain.ledger.note import COSIGNATURE_V1, ED25519
from infra.embedded import free_port, port_open
from infra.eventstore.canonical import chain_hash
from infra.eventstore.postgres import COLUMNS, row_to_event
from infra.settings import Settings
from infra.tlog import store
from infra.tlog.keys import Signer, load_or_create
from services.usecases.demo import load_demo
from tests.conftest import Servers, _drop_database, make_database


@dataclass
class World:
    settings: Settings
    url: str
    signer: Signer
    witnesses: list[Path]
    env: dict[str, str]


def _start(cmd: list[str], env: dict[str, str], log: Path, port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(cmd, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while not port_open(port, "127.0.0.1"):
        if proc.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"{cmd[2:4]} did not start:\n" + log.read_text(errors="replace")[-3000:])
        time.sleep(0.1)
    return proc


@contextmanager
def running_world(servers: Servers, data: Path, witnesses: tuple[str, ...]) -> Iterator[World]:
    name = f"sujarit_ledger_{uuid.uuid4().hex[:8]}"
    port = free_port()
    settings = replace(
        make_database(servers, name), data_dir=data, base_url=f"http://127.0.0.1:{port}"
    )
    asyncio.run(load_demo(settings))
    signer = load_or_create(settings.log_key_path, settings.log_origin_name, ED25519)
    procs = []
    entries = []
    folders = []
    try:
        for who in witnesses:
            folder = data / f"witness-{who}"
            wkey = load_or_create(folder / "witness.key", f"witness.test/{who}", COSIGNATURE_V1)
            wport = free_port()
            cmd = [sys.executable, "-m", "services.cli", "witness", "--data", str(folder)]
            cmd += ["--name", wkey.name, "--listen", f"127.0.0.1:{wport}"]
            cmd += ["--log-key", str(signer.verifier)]
            procs.append(_start(cmd, dict(os.environ), data / f"{who}.log", wport))
            entries.append(f"http://127.0.0.1:{wport} {wkey.verifier}")
            folders.append(folder)
        settings = replace(settings, witnesses=tuple(entries))
        env = {
            **os.environ,
            "DATABASE_URL": settings.database_url,
            "REDIS_URL": settings.redis_url,
            "SUJARIT_DATA_DIR": str(data),
            "BASE_URL": settings.base_url,
            "WITNESSES": ",".join(entries),
            "COOKIE_SECURE": "false",
            "LOG_JSON": "0",
            "LOG_LEVEL": "WARNING",
        }
        api = [sys.executable, "-m", "uvicorn", "--factory", "services.api.asgi:make_app"]
        api += ["--host", "127.0.0.1", "--port", str(port), "--no-access-log"]
        procs.append(_start(api, env, data / "api.log", port))
        yield World(settings, settings.base_url, signer, folders, env)
    finally:
        for p in procs:
            p.terminate()
            p.wait(20)
        asyncio.run(_drop_database(servers.admin_url, name))


async def rewrite_event(owner: asyncpg.Connection, tenant: uuid.UUID, event_type: str) -> int:
    """The tamper drill's forger, as the database owner: change the data of the tenant's first
    event of ``event_type``, recompute the hash chain after it, the tenant head and the tree, so
    that every local check (``log verify``) passes. Returns the sequence changed."""
    async with owner.transaction():
        await owner.execute("ALTER TABLE events DISABLE TRIGGER USER")
        rows = await owner.fetch(
            f"SELECT {COLUMNS} FROM events WHERE tenant_id = $1 ORDER BY sequence", tenant
        )
        target = next(r for r in rows if r["event_type"] == event_type)["sequence"]
        prev = bytes(rows[0]["prev_hash"])
        for r in rows:
            ev = row_to_event(r)
            data = ev.data
            if ev.sequence == target:
                data = {**data, "rewritten": "ข้อความที่ถูกแก้ไขย้อนหลัง"}
            h = chain_hash(prev, {**ev.hash_body(), "data": data})
            await owner.execute(
                "UPDATE events SET data = $3::jsonb, prev_hash = $4, hash = $5 "
                "WHERE tenant_id = $1 AND sequence = $2",
                tenant,
                ev.sequence,
                json.dumps(data),
                prev,
                h,
            )
            prev = h
        await owner.execute(
            "UPDATE tenant_heads SET last_hash = $2 WHERE tenant_id = $1", tenant, prev
        )
        await owner.execute("ALTER TABLE events ENABLE TRIGGER USER")
        await store.rebuild_tree(owner, tenant)
    return int(target)
