"""``sujarit restore DIR``: a backup of ``sujarit backup`` onto an EMPTY database.

In order: every hash of the manifest is checked (nothing is touched before); the roles are
created (they belong to the server, not the dump); ``pg_restore`` runs in one transaction and
stops at the first error; the async projector's positions are rebased onto this server's
transaction ids; the role passwords are set; the files are copied (each hash checked again);
then the checks: every table has the rows the manifest counted, every tenant's head is the one
backed up, ``log verify`` passes, the async projections catch up and agree with the heads, and
every file a row names is in the evidence store.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg

from infra.backup import (
    DUMP,
    FILES,
    FORMAT,
    MANIFEST,
    BackupError,
    file_sha256,
    libpq_target,
    pg_tool,
    referenced_files,
    run_tool,
    server_major,
    table_counts,
    tenant_heads,
)
from infra.db.pool import connect, create_pool
from infra.db.roles import ensure_roles, set_role_passwords
from infra.eventstore.verify import verify_log
from infra.settings import Settings

_MAX_UUID = "ffffffff-ffff-ffff-ffff-ffffffffffff"
_MAX_SEQ = 2**63 - 1


@dataclass
class RestoreReport:
    events: int = 0
    tenants: int = 0
    files: int = 0
    rebased: int = 0
    projected: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        return (
            f"restored {self.events} events of {self.tenants} tenants and {self.files} files; "
            f"log verified; projector positions rebased ({self.rebased} checkpoints), "
            f"{self.projected} events projected after restore; read models checked"
        )


def read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST
    if not path.is_file():
        raise BackupError(f"{path} is missing: {folder} is no (complete) backup")
    manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path}: unknown format {manifest.get('format')!r}")
    return manifest


def check_backup(folder: Path, manifest: dict[str, Any]) -> None:
    """Every hash the manifest lists, before anything is touched."""
    dump = folder / manifest["dump"]["path"]
    if not dump.is_file() or file_sha256(dump) != manifest["dump"]["sha256"]:
        raise BackupError(f"{dump}: missing or not the file the manifest hashed")
    for f in manifest["files"]:
        path = folder / FILES / f["path"]
        if not path.is_file() or file_sha256(path) != f["sha256"]:
            raise BackupError(f"{path}: missing or not the file the manifest hashed")


async def _check_empty(conn: asyncpg.Connection) -> None:
    n = await conn.fetchval(
        "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace"
    )
    if n:
        db = await conn.fetchval("SELECT current_database()")
        raise BackupError(
            f"database {db} is not empty ({n} relations in schema public): restore onto an "
            "empty database (CREATE DATABASE ...), never over a live one"
        )


async def _check_owner(conn: asyncpg.Connection, owner: str) -> None:
    """The tables' maintenance policies name the owner of the backed-up database."""
    if not await conn.fetchval("SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = $1)", owner):
        raise BackupError(
            f"the backup's owner role {owner!r} does not exist on this server: create it "
            f"(CREATE ROLE {owner} LOGIN ...) and restore as it"
        )


async def rebase_positions(conn: asyncpg.Connection) -> int:
    """Make the async projector's positions hold on this server.

    Restored events keep the transaction ids of the server they were written on, which may be
    ahead of this one: new events would sort before them and never be read, and a rebuild
    (which reads below this server's snapshot) would leave them out. All restored events have
    committed, so their ids are renumbered into a few small ones that keep each checkpoint's
    boundary (events a checkpoint had applied: at most its new id; the others: above it), and
    each checkpoint moves to the end of its id. Order within a tenant (its sequence) is kept;
    the hashes do not cover the id. Returns how many checkpoints moved.
    """
    async with conn.transaction():
        await conn.execute("LOCK TABLE events, projector_checkpoints IN EXCLUSIVE MODE")
        cps = await conn.fetch(
            "SELECT name, last_xid::text AS xid, last_tenant, last_sequence "
            "FROM projector_checkpoints WHERE last_xid <> '0' "
            "ORDER BY last_xid, last_tenant, last_sequence"
        )
        positions: list[tuple[str, Any, int]] = []
        for r in cps:
            p = (r["xid"], r["last_tenant"], r["last_sequence"])
            if not positions or positions[-1] != p:
                positions.append(p)
        cases: list[str] = []
        args: list[Any] = []
        for i, (xid, tenant, seq) in enumerate(positions):
            n = len(args)
            cases.append(
                f"WHEN (xid, tenant_id, sequence) <= (${n + 1}::text::xid8, ${n + 2}::uuid, "
                f"${n + 3}::bigint) THEN '{i + 1}'::xid8"
            )
            args += [xid, tenant, seq]
        top = len(positions) + 1
        expr = f"CASE {' '.join(cases)} ELSE '{top}'::xid8 END" if cases else f"'{top}'::xid8"
        await conn.execute(f"UPDATE events SET xid = {expr}", *args)
        for r in cps:
            i = positions.index((r["xid"], r["last_tenant"], r["last_sequence"])) + 1
            await conn.execute(
                "UPDATE projector_checkpoints SET last_xid = $2::text::xid8, last_tenant = $3, "
                "last_sequence = $4, updated_at = now() WHERE name = $1",
                r["name"],
                str(i),
                _MAX_UUID,
                _MAX_SEQ,
            )
    # New transactions must be above every id given out (a new server is far above already).
    while int(await conn.fetchval("SELECT pg_current_xact_id()::text")) <= top + 1:
        pass
    return len(cps)


def _copy_files(folder: Path, files: list[dict[str, Any]], target: Path) -> int:
    for f in files:
        src, dest = folder / FILES / f["path"], target / f["path"]
        if dest.is_file() and file_sha256(dest) == f["sha256"]:
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".restore-")
        os.close(fd)
        try:
            shutil.copyfile(src, tmp)
            if file_sha256(Path(tmp)) != f["sha256"]:
                raise BackupError(f"{src}: changed while it was copied")
            os.replace(tmp, dest)
        finally:
            Path(tmp).unlink(missing_ok=True)
    return len(files)


async def _check_restored(
    conn: asyncpg.Connection, manifest: dict[str, Any], report: RestoreReport
) -> None:
    db = manifest["database"]
    counts = await table_counts(conn)
    for table, n in db["tables"].items():
        if counts.get(table) != n:
            report.problems.append(f"table {table}: {counts.get(table)} rows, backed up {n}")
    if await tenant_heads(conn) != db["heads"]:
        report.problems.append("tenant heads (sequence, last hash) differ from the backup's")
    if await conn.fetchval("SELECT version_num FROM alembic_version") != db["revision"]:
        report.problems.append("the migration revision differs from the backup's")
    verified = await verify_log(conn)
    report.events, report.tenants = verified.events, verified.tenants
    report.problems += [f"log verify: {b}" for b in verified.broken]


async def _check_read_models(
    settings: Settings, manifest: dict[str, Any], report: RestoreReport
) -> None:
    """The async projections catch up on this server and agree with every tenant's head."""
    from infra.projections.projector import AsyncProjector
    from infra.projections.registry import async_projections

    pool = await create_pool(settings.database_url, min_size=1, max_size=2)
    try:
        report.projected = await AsyncProjector(pool, async_projections()).catch_up()
        rows = await pool.fetch(
            "SELECT h.tenant_id, h.sequence, a.event_count, a.last_sequence FROM tenant_heads h "
            "LEFT JOIN tenant_activity a USING (tenant_id) WHERE h.sequence > 0"
        )
        for r in rows:
            if (r["event_count"], r["last_sequence"]) != (r["sequence"], r["sequence"]):
                report.problems.append(
                    f"tenant_activity of {r['tenant_id']}: {r['event_count']} events to "
                    f"{r['last_sequence']}, the log has {r['sequence']}"
                )
        stored = {p.name for p in settings.evidence_dir.rglob("*") if p.is_file()}
        async with pool.acquire() as conn:
            named = await referenced_files(conn)
        lost = [s for s in named if s not in stored and s not in manifest["missing_files"]]
        report.problems += [f"file {s} is named by a row but not in the file store" for s in lost]
    finally:
        await pool.close()


async def restore(settings: Settings, folder: Path) -> RestoreReport:
    manifest = read_manifest(folder)
    await asyncio.to_thread(check_backup, folder, manifest)
    report = RestoreReport()
    conn = await connect(settings.database_url)
    try:
        await _check_empty(conn)
        await _check_owner(conn, manifest["database"]["owner"])
        await ensure_roles(conn)
        tool, _ = pg_tool(
            "pg_restore", await server_major(conn), at_least=int(manifest["pg_dump_major"])
        )
        target, env = libpq_target(settings.database_url)
        await run_tool(
            [str(tool), "--no-owner", "--exit-on-error", "--single-transaction", "--no-password",
             f"--dbname={target}", str(folder / DUMP)],
            env,
        )  # fmt: skip
        report.rebased = await rebase_positions(conn)
        await set_role_passwords(conn, settings)
        report.files = await asyncio.to_thread(
            _copy_files, folder, manifest["files"], settings.evidence_dir
        )
        await _check_restored(conn, manifest, report)
    finally:
        await conn.close()
    await _check_read_models(settings, manifest, report)
    return report
