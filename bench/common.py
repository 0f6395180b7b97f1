"""What the benchmarks share: the server, a fresh migrated database, tenants, results, and
the interleaved pairs every ratio is measured as.

DATABASE_URL set: that server (an owner/superuser connection); the database
``sujarit_bench_<worktree directory>`` (or ``BENCH_DB``) on it is dropped and created again.
Otherwise an embedded PostgreSQL is started under ``.data/bench/pg`` with its production
settings (fsync on, synchronous commit), and stopped at the end.
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import platform
import sys
from collections.abc import Callable, Iterator
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
# One database per worktree (engineers share the server): "sujarit_bench_<directory>".
BENCH_DB = os.environ.get("BENCH_DB") or "sujarit_bench_" + "".join(
    ch if ch.isalnum() else "_" for ch in ROOT.name.lower()
)
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


# --- interleaved pairs ---------------------------------------------------------------------
#
# A ratio measured as one long run of A and then one of B moves with the machine between the
# two (a shared 2-core machine speeds up and slows down by a third within a minute). So every
# benchmark measures its ratio as pairs run back to back, A, B, A, B, ...: the first pair is a
# warm-up and dropped, each later pair gives one ratio, and the figure is their median, with
# the min and max beside it, and the load average before and after.

PAIRS = int(os.environ.get("BENCH_PAIRS", "5"))


def loadavg() -> list[float]:
    """The 1, 5 and 15-minute load averages (the machine is shared: recorded with every run)."""
    return [round(x, 2) for x in os.getloadavg()]


def median(values: list[float]) -> float:
    s = sorted(values)
    n = len(s)
    if n == 0:
        return float("nan")
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def interleaved(
    a: Callable[[], dict[str, Any]],
    b: Callable[[], dict[str, Any]],
    ratio: Callable[[dict[str, Any], dict[str, Any]], float],
    *,
    pairs: int = PAIRS,
    warmup: bool = True,
    label: str = "",
) -> dict[str, Any]:
    """Run ``a`` then ``b`` ``pairs`` times (plus one warm-up pair, dropped, when ``warmup``).

    ``a`` and ``b`` each measure once and return their figures; ``ratio(a_figures,
    b_figures)`` is the pair's ratio. Returns the median ratio, its min and max, every pair's
    figures and the load average before and after each pair and the whole.
    """
    if pairs < 1:
        raise ValueError("at least one pair")
    before = loadavg()
    runs: list[dict[str, Any]] = []
    for n in range(pairs + (1 if warmup else 0)):
        dropped = warmup and n == 0
        load0 = loadavg()
        fa = a()
        fb = b()
        r = ratio(fa, fb)
        runs.append(
            {
                "a": fa,
                "b": fb,
                "ratio": round(r, 4),
                "warmup_dropped": dropped,
                "loadavg_before": load0,
                "loadavg_after": loadavg(),
            }
        )
        tag = "warm-up (dropped)" if dropped else f"pair {n if warmup else n + 1}/{pairs}"
        print(f"  {label}{tag}: ratio {r:.3f}  load {load0[0]:.2f}", flush=True)
    kept = [x["ratio"] for x in runs if not x["warmup_dropped"]]
    return {
        "ratio_median": round(median(kept), 3),
        "ratio_min": round(min(kept), 3),
        "ratio_max": round(max(kept), 3),
        "ratios": kept,
        "pairs": len(kept),
        "warmup_pair_dropped": warmup,
        "runs": runs,
        "loadavg_before": before,
        "loadavg_after": loadavg(),
    }


def kept(pairs: dict[str, Any], side: str, key: str) -> list[Any]:
    """One figure of side ``a`` or ``b`` over the kept (not warm-up) pairs."""
    return [x[side][key] for x in pairs["runs"] if not x["warmup_dropped"]]


def spread(values: list[float], digits: int = 2) -> dict[str, float]:
    """median, min and max of some figures."""
    return {
        "median": round(median(values), digits),
        "min": round(min(values), digits),
        "max": round(max(values), digits),
    }


def _spin() -> None:
    while True:
        pass


@contextmanager
def busy_core() -> Iterator[None]:
    """A separate process that keeps one core busy while the block runs."""
    import multiprocessing

    proc = multiprocessing.get_context("spawn").Process(target=_spin, daemon=True)
    proc.start()
    try:
        yield
    finally:
        proc.terminate()
        proc.join(5)
