"""A pg_auto_failover formation on 127.0.0.1 for the failover drill: a monitor and two nodes
(Debian's postgresql-15-auto-failover), each ``pg_autoctl`` in a process group of its own so
that a node can be killed whole (its keeper and its PostgreSQL) with SIGKILL.

``pg_autoctl`` refuses to run as root: as root it runs as the ``postgres`` user (Debian's
PostgreSQL packages make it). A missing package is installed with apt-get when root; otherwise
the drill fails saying what to install.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import pwd
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg

from infra.embedded import free_port

PG_BIN = Path("/usr/lib/postgresql/15/bin")
PACKAGE = "postgresql-15-auto-failover"
# Tuned so that a dead primary is replaced in seconds (defaults: 20 s and 30 s).
MONITOR_SETTINGS = {
    "pgautofailover.health_check_period": "1000",
    "pgautofailover.health_check_timeout": "1000",
    "pgautofailover.health_check_max_retries": "1",
    "pgautofailover.health_check_retry_delay": "500",
    "pgautofailover.node_considered_unhealthy_timeout": "3000",
    "pgautofailover.primary_demote_timeout": "5000",
}


def pg_autoctl() -> str:
    found = shutil.which("pg_autoctl")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        cmd = ["apt-get", "install", "-y", "-q", PACKAGE]
        if subprocess.run(cmd, capture_output=True).returncode != 0:
            subprocess.run(["apt-get", "update", "-q"], capture_output=True, check=True)
            subprocess.run(cmd, capture_output=True, check=True)
        found = shutil.which("pg_autoctl")
    if not found:
        raise RuntimeError(f"pg_autoctl is missing: sudo apt-get install {PACKAGE}")
    return found


@dataclass
class Node:
    name: str
    pgdata: Path
    port: int
    proc: subprocess.Popen[bytes] | None = None

    @property
    def hostport(self) -> str:
        return f"127.0.0.1:{self.port}"


@dataclass
class Formation:
    root: Path
    monitor: Node = field(init=False)
    nodes: list[Node] = field(init=False)
    _user: str | None = None

    def __post_init__(self) -> None:
        self.root = self.root.resolve()
        self.monitor = Node("monitor", self.root / "monitor", free_port())
        self.nodes = [Node(f"node_{i}", self.root / f"node{i}", free_port()) for i in (1, 2)]

    # --- processes ----------------------------------------------------------------------------

    def _env(self) -> dict[str, str]:
        return {
            "PATH": f"{PG_BIN}:{os.environ.get('PATH', '/usr/bin:/bin')}",
            "HOME": str(self.root),
            "XDG_CONFIG_HOME": str(self.root / "config"),
            "XDG_DATA_HOME": str(self.root / "data"),
            "XDG_RUNTIME_DIR": str(self.root / "run"),
            "LANG": "C.UTF-8",
        }

    def _spawn(self, node: Node, args: list[str]) -> None:
        log = (self.root / f"{node.name}.log").open("ab")
        node.proc = subprocess.Popen(
            [pg_autoctl(), *args],
            env=self._env(),
            user=self._user,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a process group of its own: killed whole
            cwd=self.root,
        )

    def _common(self, node: Node) -> list[str]:
        return [
            "--pgdata", str(node.pgdata), "--pgport", str(node.port), "--hostname", "127.0.0.1",
            "--auth", "trust", "--no-ssl", "--pgctl", str(PG_BIN / "pg_ctl"),
        ]  # fmt: skip

    @property
    def monitor_url(self) -> str:
        return f"postgresql://postgres@{self.monitor.hostport}/pg_auto_failover"

    def url(self, database: str = "sujarit") -> str:
        """Every node, in order: the one form the service is given."""
        hosts = ",".join(n.hostport for n in self.nodes)
        return f"postgresql://postgres@{hosts}/{database}"

    # --- building -----------------------------------------------------------------------------

    async def states(self) -> dict[str, tuple[str, str]]:
        conn = await asyncpg.connect(self.monitor_url, timeout=3)
        try:
            rows = await conn.fetch(
                "SELECT nodename, reportedstate::text, goalstate::text FROM pgautofailover.node"
            )
        finally:
            await conn.close()
        return {r["nodename"]: (r["reportedstate"], r["goalstate"]) for r in rows}

    async def wait_for(
        self, want: dict[str, str], timeout: float, checkpoint: Node | None = None
    ) -> None:
        """Until each named node reports (and is assigned) the wanted state. ``checkpoint``:
        a node to CHECKPOINT meanwhile (pg_basebackup waits for one; the default one is spread
        over minutes)."""
        deadline = time.monotonic() + timeout
        last: object = None
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError, asyncpg.PostgresError):
                last = await self.states()
                if all(last.get(n) == (s, s) for n, s in want.items()):  # type: ignore[union-attr]
                    return
                if checkpoint is not None:
                    conn = await asyncpg.connect(
                        f"postgresql://postgres@{checkpoint.hostport}/postgres", timeout=3
                    )
                    try:
                        await conn.execute("CHECKPOINT")
                    finally:
                        await conn.close()
            await asyncio.sleep(0.3)
        raise TimeoutError(f"formation not in {want} after {timeout} s: {last}")

    async def start(self) -> None:
        pg_autoctl()
        self.root.mkdir(parents=True, exist_ok=True)
        for d in ("config", "data", "run"):
            (self.root / d).mkdir(exist_ok=True)
        if os.geteuid() == 0:
            self._user = "postgres"
            entry = pwd.getpwnam("postgres")
            for p in [self.root, *self.root.iterdir()]:
                os.chown(p, entry.pw_uid, entry.pw_gid)
            p = self.root
            while p != p.parent:  # let postgres reach the folder
                p.chmod(p.stat().st_mode | 0o011)
                p = p.parent
        self._spawn(self.monitor, ["create", "monitor", *self._common(self.monitor), "--run"])
        deadline = time.monotonic() + 60
        while True:
            try:
                conn = await asyncpg.connect(self.monitor_url, timeout=2)
                break
            except (OSError, asyncpg.PostgresError):
                if time.monotonic() > deadline or self.monitor.proc.poll() is not None:  # type: ignore[union-attr]
                    raise RuntimeError(self.log("monitor")) from None
                await asyncio.sleep(0.2)
        try:
            for name, value in MONITOR_SETTINGS.items():
                await conn.execute(f"ALTER SYSTEM SET {name} = '{value}'")
            await conn.execute("SELECT pg_reload_conf()")
        finally:
            await conn.close()
        monitor = (
            f"postgres://autoctl_node@{self.monitor.hostport}/pg_auto_failover?sslmode=disable"
        )
        first, second = self.nodes
        for node in self.nodes:
            args = ["create", "postgres", *self._common(node), "--dbname", "sujarit"]
            self._spawn(node, [*args, "--name", node.name, "--monitor", monitor, "--run"])
            if node is first:
                await self.wait_for({first.name: "single"}, 60)
        await self.wait_for({first.name: "primary", second.name: "secondary"}, 90, first)

    def log(self, name: str) -> str:
        path = self.root / f"{name}.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    # --- failure ------------------------------------------------------------------------------

    def kill(self, node: Node) -> None:
        """SIGKILL the node whole: its pg_autoctl processes and its PostgreSQL."""
        pid_file = node.pgdata / "postmaster.pid"
        postmaster = int(pid_file.read_text().split()[0]) if pid_file.exists() else None
        if node.proc is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(node.proc.pid, signal.SIGKILL)
        if postmaster:
            with contextlib.suppress(ProcessLookupError):
                os.kill(postmaster, signal.SIGKILL)
        if node.proc is not None:
            node.proc.wait(10)

    def stop(self) -> None:
        for node in [*self.nodes, self.monitor]:
            if node.proc is not None and node.proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(node.proc.pid, signal.SIGTERM)
        for node in [*self.nodes, self.monitor]:
            if node.proc is None:
                continue
            try:
                node.proc.wait(20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(node.proc.pid, signal.SIGKILL)
            # PostgreSQL left behind by a keeper that was stopped before it: stop it too.
            pid_file = node.pgdata / "postmaster.pid"
            if pid_file.exists():
                with contextlib.suppress(ValueError, ProcessLookupError):
                    os.kill(int(pid_file.read_text().split()[0]), signal.SIGKILL)
