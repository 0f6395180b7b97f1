"""What the benchmarks share: the server, a fresh migrated database, tenants, results.

DATABASE_URL set: that server (an owner/superuser connection); the database ``sujarit_bench`` on
it is dropped and created again. Otherwise an embedded PostgreSQL is started under
``.data/bench/pg`` with its production settings (fsync on, synchronous commit), and stopped at
the end.
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import platform
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

import asyncpg

from domain.tenancy.organisations import Kind, Organisation, organisation_id
from domain.tenancy.provinces import PROVINCES
from infra.db.migrate import upgrade
from infra.db.pool import connect
from infra.db.roles import set_role_passwords
from infra.embedded import EmbeddedPostgres
from infra.settings import Settings
from infra.tenancy import seed_provinces, upsert_organisations

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "results"
BENCH_DB = "sujarit_bench"
KINDS = (Kind.SAO, Kind.SAO, Kind.SAO, Kind.SUBDISTRICT_MUNICIPALITY, Kind.TOWN_MUNICIPALITY)


def with_database(url: str, name: str) -> str:
    """``url`` with its database name replaced by ``name``."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def url_parts(url: str) -> dict[str, str]:
    """host, port, user, password, dbname of a PostgreSQL URL (for non-asyncpg clients)."""
    p = urlsplit(url)
    return {
        "host": p.hostname or "127.0.0.1",
        "port": str(p.port or 5432),
        "user": unquote(p.username or ""),
        "password": unquote(p.password or ""),
        "dbname": p.path.lstrip("/"),
    }


@dataclass
class Server:
    """A PostgreSQL server on which the benchmarks make their database."""

    admin_url: str  # an owner/superuser connection to some database on the server
    embedded: EmbeddedPostgres | None = None
    info: dict[str, Any] = field(default_factory=dict)

    def fresh_database(self, name: str = BENCH_DB) -> BenchDatabase:
        """Drop and create ``name``, migrate it, seed the provinces, set role passwords."""
        if self.embedded is not None:
            url = self.embedded.create_database(name)
        else:
            asyncio.run(_recreate(self.admin_url, name))
            url = with_database(self.admin_url, name)
        upgrade(url)  # sync: outside any running event loop
        settings = Settings(
            database_url=url,
            app_db_password=os.environ.get("APP_DB_PASSWORD") or None,
            projector_db_password=os.environ.get("PROJECTOR_DB_PASSWORD") or None,
        )
        db = BenchDatabase(self, name, url, settings.app_url)
        asyncio.run(_prepare(db, settings))
        return db

    def drop_database(self, name: str = BENCH_DB) -> None:
        if os.environ.get("BENCH_KEEP_DB"):
            return
        asyncio.run(_drop(self.admin_url, name))


@dataclass
class BenchDatabase:
    server: Server
    name: str
    owner_url: str  # the owner (migrations, COPY, rebuild, verify)
    app_url: str  # the web role: no RLS bypass; the store is used through it


async def _recreate(admin_url: str, name: str) -> None:
    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


async def _drop(admin_url: str, name: str) -> None:
    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


async def _prepare(db: BenchDatabase, settings: Settings) -> None:
    conn = await connect(db.owner_url)
    try:
        await seed_provinces(conn)
        await set_role_passwords(conn, settings)
    finally:
        await conn.close()


async def server_info(url: str) -> dict[str, Any]:
    conn = await asyncpg.connect(url)
    try:
        settings = {
            name: await conn.fetchval(f"SHOW {name}")
            for name in (
                "fsync",
                "synchronous_commit",
                "full_page_writes",
                "wal_level",
                "shared_buffers",
                "max_wal_size",
                "commit_delay",
            )
        }
        return {
            "postgresql": await conn.fetchval("SHOW server_version"),
            "postgresql_full": await conn.fetchval("SELECT version()"),
            "postgresql_settings": settings,
        }
    finally:
        await conn.close()


@contextmanager
def server() -> Iterator[Server]:
    """The server named by DATABASE_URL, or an embedded one started (and stopped) here."""
    admin_url = os.environ.get("DATABASE_URL", "")
    pg: EmbeddedPostgres | None = None
    if not admin_url:
        pg = EmbeddedPostgres(ROOT / ".data" / "bench" / "pg")  # not fast: fsync on
        admin_url = pg.start()
    try:
        srv = Server(admin_url, pg)
        srv.info = {**asyncio.run(server_info(admin_url)), "embedded": pg is not None}
        if srv.info["postgresql_settings"]["fsync"] != "on":
            print("warning: this server runs with fsync off", file=sys.stderr)
        yield srv
    finally:
        if pg is not None:
            pg.stop()


def organisations(n: int, prefix: str = "B") -> list[Organisation]:
    """``n`` tenants, LAOs spread over the provinces (ids derived from the codes)."""
    out = []
    for i in range(n):
        code = f"{prefix}{i + 1:05d}"
        province = PROVINCES[i % len(PROVINCES)]
        kind = KINDS[i % len(KINDS)]
        out.append(
            Organisation(
                id=organisation_id(code),
                code=code,
                name_th=f"{kind.thai}ทดสอบที่ {i + 1}",
                name_en=f"Bench LAO {i + 1}",
                kind=kind,
                province=province,
                district="เมือง",
            )
        )
    return out


async def make_tenants(conn: asyncpg.Connection, n: int) -> list[Organisation]:
    orgs = organisations(n)
    await upsert_organisations(conn, orgs)
    return orgs


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def _memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def machine(srv: Server) -> dict[str, Any]:
    return {
        "nproc": len(os.sched_getaffinity(0))
        if hasattr(os, "sched_getaffinity")
        else os.cpu_count(),
        "cpu": _cpu_model(),
        "memory_gib": _memory_gib(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "asyncpg": asyncpg.__version__,
        **srv.info,
    }


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def write_result(name: str, result: dict[str, Any]) -> Path:
    """Write bench/results/<name>.json (through a .tmp file, so a crash leaves no half file)."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str) + "\n")
    tmp.replace(path)
    return path


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile of already sorted values (0 < q <= 100)."""
    if not sorted_values:
        return float("nan")
    k = math.ceil(q / 100 * len(sorted_values)) - 1
    return sorted_values[max(0, min(len(sorted_values) - 1, k))]


def postgres_cpu_seconds() -> float | None:
    """User+system CPU of the local ``postgres`` processes (None when none are visible)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    found = False
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            stat = (proc / "stat").read_text()
        except OSError:
            continue
        comm = stat[stat.index("(") + 1 : stat.rindex(")")]
        if comm != "postgres":
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
        found = True
    return total / tick if found else None
