"""The backup drill: `sujarit backup` on one server, `sujarit restore` onto a NEW embedded
server (no roles, its own, lower transaction ids), then the service works there: the log
verifies, the projector follows new events, rebuilds keep every event, files download."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from domain.tenancy.organisations import organisation_id
from infra.db.pool import connect, create_pool
from infra.embedded import EmbeddedPostgres
from infra.projections.activity import TenantActivityProjection
from infra.projections.projector import AsyncProjector, foreign_position
from infra.projections.rebuild import rebuild
from infra.projections.registry import async_projections
from infra.settings import Settings
from infra.tokens import create_token
from services.api.app import create_app
from services.usecases.demo import load_demo
from tests.conftest import Servers, _drop_database, make_database
from tests.support import make_tenants

PK = organisation_id("6470101")


def sujarit(*args: str, database_url: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("EVIDENCE_DIR", "REDIS_URL")}
    env |= {"DATABASE_URL": database_url, "SUJARIT_DATA_DIR": str(data_dir), "LOG_JSON": "0"}
    return subprocess.run(
        [sys.executable, "-m", "services.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )


async def next_xid(url: str) -> int:
    conn = await asyncpg.connect(url)
    try:
        return int(await conn.fetchval("SELECT pg_snapshot_xmax(pg_current_snapshot())::text"))
    finally:
        await conn.close()


async def activity(conn: asyncpg.Connection) -> dict[object, tuple[int, int]]:
    rows = await conn.fetch("SELECT tenant_id, event_count, last_sequence FROM tenant_activity")
    return {r["tenant_id"]: (r["event_count"], r["last_sequence"]) for r in rows}


async def add_plan(settings: Settings, tenant: object) -> None:
    """A write through the API (the web role, the inline projections)."""
    owner = await connect(settings.database_url)
    try:
        token = await create_token(owner, tenant, "plan_officer", "drill@restore")  # type: ignore[arg-type]
    finally:
        await owner.close()
    async with AsyncTestClient(create_app(settings, configure_logs=False)) as client:
        r = await client.post(
            "/api/v1/plans",
            json={"title": "แผนหลังกู้คืน", "first_year": 2566, "last_year": 2570},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert r.status_code == 201, r.text


@pytest.fixture
def source(servers: Servers, tmp_path: Path) -> Iterator[Settings]:
    name = f"sujarit_backup_{os.getpid()}"
    yield replace(make_database(servers, name), data_dir=tmp_path / "a")
    asyncio.run(_drop_database(servers.admin_url, name))


async def test_backup_restores_onto_a_new_server(
    servers: Servers, source: Settings, tmp_path: Path
) -> None:
    await load_demo(source)
    # The async projector has applied part of the log when the backup is taken.
    pool = await create_pool(source.database_url, min_size=1, max_size=2)
    try:
        await AsyncProjector(pool, async_projections()).catch_up()
    finally:
        await pool.close()
    await add_plan(source, PK)  # beyond the checkpoints: projected only after the restore

    target_pg = EmbeddedPostgres(tmp_path / "pg-new", fast=True)
    target_url = target_pg.start()
    try:
        # The source's transaction ids are ahead of the new server's (as in the field: 7957
        # against 1782), so a restore that kept them would stop the projector.
        owner = await asyncpg.connect(source.database_url)
        try:
            while int(await owner.fetchval("SELECT pg_current_xact_id()::text")) < (
                await next_xid(target_url) + 3000
            ):
                pass
        finally:
            await owner.close()

        started = time.perf_counter()
        out = sujarit("backup", str(tmp_path / "b"), database_url=source.database_url,
                      data_dir=tmp_path / "a")  # fmt: skip
        assert out.returncode == 0, out.stderr
        backup_s = time.perf_counter() - started
        manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
        assert manifest["files"] and not manifest["missing_files"]
        assert manifest["database"]["tables"]["events"] > 100

        # A backup whose file was changed is refused before anything is touched.
        shutil.copytree(tmp_path / "b", tmp_path / "b-bad")
        bad = tmp_path / "b-bad" / "files" / manifest["files"][0]["path"]
        bad.write_bytes(bad.read_bytes() + b"!")
        refused = sujarit("restore", str(tmp_path / "b-bad"), database_url=target_url,
                          data_dir=tmp_path / "c")  # fmt: skip
        assert refused.returncode == 1 and "not the file the manifest hashed" in refused.stderr

        started = time.perf_counter()
        out = sujarit("restore", str(tmp_path / "b"), database_url=target_url,
                      data_dir=tmp_path / "c")  # fmt: skip
        restore_s = time.perf_counter() - started
        assert out.returncode == 0, out.stdout + out.stderr
        assert "log verified" in out.stdout and "read models checked" in out.stdout
        print(f"backup {backup_s:.1f} s, restore {restore_s:.1f} s: {out.stdout.strip()}")

        # A second restore over it is refused, and changes nothing.
        again = sujarit("restore", str(tmp_path / "b"), database_url=target_url,
                        data_dir=tmp_path / "c")  # fmt: skip
        assert again.returncode == 1 and "not empty" in again.stderr

        target = Settings(
            database_url=target_url,
            redis_url=servers.redis_url,
            log_json=False,
            db_pool_min=1,
            db_pool_max=4,
            data_dir=tmp_path / "c",
        )
        owner = await connect(target_url)
        try:
            assert await foreign_position(owner) is None
            before = await activity(owner)
            heads = dict(await owner.fetch("SELECT tenant_id, sequence FROM tenant_heads"))
            assert before[PK] == (heads[PK], heads[PK])  # caught up by the restore's check
        finally:
            await owner.close()

        # New events on the new server: the projector (its own role) follows them.
        await add_plan(target, PK)
        projector = await create_pool(target.projector_url, min_size=1, max_size=2)
        try:
            assert await AsyncProjector(projector, async_projections()).catch_up() > 0
        finally:
            await projector.close()
        owner = await connect(target_url)
        reader = await connect(target_url)
        try:
            head = await owner.fetchval("SELECT sequence FROM tenant_heads WHERE tenant_id=$1", PK)
            live = await activity(owner)
            assert live[PK] == (head, head) and head > before[PK][1]
            # A rebuild on the new server keeps every event (it read below this server's ids).
            await rebuild(owner, TenantActivityProjection(), reader=reader)
            assert await activity(owner) == live
            sha = await owner.fetchval(
                "SELECT sha256 FROM evidence_files WHERE tenant_id = $1 LIMIT 1", PK
            )
            token = await create_token(owner, PK, "viewer", "drill@restore")
        finally:
            await owner.close()
            await reader.close()

        # The evidence files download from the new server.
        async with AsyncTestClient(create_app(target, configure_logs=False)) as client:
            r = await client.get(
                f"/api/v1/evidence/{sha}", headers={"Authorization": f"Bearer {token}"}
            )
            assert r.status_code == 200, r.text
            assert hashlib.sha256(r.content).hexdigest() == sha
    finally:
        target_pg.stop()


MEMBER = "SELECT pg_has_role('sujarit_app', 'sujarit_public', 'MEMBER')"


async def test_migrate_creates_the_roles_on_a_new_server(tmp_path: Path) -> None:
    pg = EmbeddedPostgres(tmp_path / "pg", fast=True)
    url = pg.start()
    try:
        out = sujarit("migrate", database_url=url, data_dir=tmp_path)
        assert out.returncode == 0, out.stderr
        conn = await asyncpg.connect(url)
        try:
            roles = await conn.fetch(
                "SELECT rolname, rolcanlogin, rolbypassrls FROM pg_roles "
                "WHERE rolname LIKE 'sujarit_%' ORDER BY 1"
            )
            assert [tuple(r) for r in roles] == [
                ("sujarit_app", True, False),
                ("sujarit_projector", True, False),
                ("sujarit_public", False, False),
            ]
            assert await conn.fetchval(MEMBER)
            # What a database restored by hand lacks: server-level state. Migrate (with every
            # migration applied already) puts it back.
            await conn.execute("REVOKE sujarit_public FROM sujarit_app")
            again = sujarit("migrate", database_url=url, data_dir=tmp_path)
            assert again.returncode == 0, again.stderr
            assert await conn.fetchval(MEMBER)
        finally:
            await conn.close()
    finally:
        pg.stop()


async def test_the_projector_says_when_the_log_came_from_another_server(
    fresh_settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    """A database restored by other means keeps the old server's ids: nothing new would be
    projected, so the projector says so (once a minute) instead of idling in silence."""
    owner = await connect(fresh_settings.database_url)
    pool = await create_pool(fresh_settings.database_url, min_size=1, max_size=2)
    try:
        await add_plan(fresh_settings, (await make_tenants(owner, 1))[0])
        projector = AsyncProjector(pool, async_projections())
        assert await foreign_position(owner) is None
        await projector.check_position()
        assert "ahead of this server" not in caplog.text
        ahead = int(await owner.fetchval("SELECT pg_current_xact_id()::text")) + 10_000
        await owner.execute("UPDATE events SET xid = $1::text::xid8", str(ahead))
        assert await foreign_position(owner) == ahead
        await projector.check_position()
        assert "ahead of this server" in caplog.text and "sujarit restore" in caplog.text
    finally:
        await pool.close()
        await owner.close()
