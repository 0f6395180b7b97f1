"""``sujarit run``: the whole service in the foreground, on embedded servers by default."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from types import FrameType

from infra.embedded import EmbeddedPostgres, EmbeddedRedis, port_open
from infra.settings import Settings

DEMO_ACCOUNTS_NOTE = """\
Demo organisations (Sakon Nakhon province, สถจ.สกลนคร):
  6470101  องค์การบริหารส่วนตำบลพังขว้าง   (Phang Khwang SAO)
  6470102  เทศบาลตำบลท่าแร่               (Tha Rae Subdistrict Municipality)
  6470103  องค์การบริหารส่วนตำบลเชียงเครือ (Chiang Khruea SAO)
Demo accounts (password for all: sujarit-demo-2569):
  http://{host}:{port}/t/6470101/signin  executive@phangkhwang.example (ผู้บริหาร)
                                          plan@phangkhwang.example (เจ้าหน้าที่ผู้รับผิดชอบแผน)
                                          staff@phangkhwang.example, viewer@phangkhwang.example
  http://{host}:{port}/t/po-47/signin    reviewer@sakonnakhon.example (สถจ.สกลนคร)
  http://{host}:{port}/t/operator/signin operator@sujarit.example
Emails the service sends are printed below as [mail] lines and kept in {mail}/."""


def _start_servers(settings: Settings) -> tuple[Settings, list[object]]:
    started: list[object] = []
    db_url, redis_url = settings.database_url, settings.redis_url
    if not db_url:
        pg_port = int(os.environ.get("EMBEDDED_PG_PORT", "54329"))
        pg = EmbeddedPostgres(settings.data_dir / "postgres", pg_port)
        print(
            f"starting embedded PostgreSQL on 127.0.0.1:{pg.port} "
            f"(data in {settings.data_dir / 'postgres'})",
            flush=True,
        )
        db_url = pg.start()
        started.append(pg)
    if not redis_url:
        r_port = int(os.environ.get("EMBEDDED_REDIS_PORT", "63799"))
        if port_open(r_port):
            raise SystemExit(f"port {r_port} is taken: set EMBEDDED_REDIS_PORT or REDIS_URL")
        rd = EmbeddedRedis(settings.data_dir / "redis", r_port, persist=True)
        print(f"starting embedded Redis on 127.0.0.1:{rd.port}", flush=True)
        redis_url = rd.start()
        started.append(rd)
    return settings.with_urls(db_url, redis_url), started


def _local_witness(settings: Settings, env: dict[str, str]) -> dict[str, list[str]]:
    """One local witness of the transparency log, with its own key and folder (.data/witness),
    unless WITNESSES names others. Sets WITNESSES (and the log's key file) for the children."""
    from domain.ledger.note import COSIGNATURE_V1, ED25519
    from infra.embedded import free_port
    from infra.tlog.keys import load_or_create

    log_key = load_or_create(settings.log_key_path, settings.log_origin_name, ED25519)
    if settings.witnesses:
        return {}
    folder = settings.data_dir / "witness"
    key = load_or_create(folder / "witness.key", "witness.local/sujarit-dev", COSIGNATURE_V1)
    port = int(os.environ.get("WITNESS_PORT", "8101"))
    if port_open(port):
        port = free_port()
    env["WITNESSES"] = f"http://127.0.0.1:{port} {key.verifier}"
    print(f"transparency log key {log_key.verifier}\nlocal witness {key.verifier}", flush=True)
    return {
        "witness": [
            sys.executable,
            "-m",
            "services.cli",
            "witness",
            "--data",
            str(folder),
            "--name",
            key.name,
            "--listen",
            f"127.0.0.1:{port}",
            "--log-key",
            str(log_key.verifier),
        ]
    }


def run(settings: Settings) -> int:
    if port_open(settings.port, settings.host):
        print(
            f"port {settings.port} is already in use: stop what runs there or set PORT",
            file=sys.stderr,
        )
        return 1
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    servers: list[object] = []
    children: list[subprocess.Popen[bytes]] = []
    stopping = False

    def _stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    try:
        settings, servers = _start_servers(settings)
        from infra.db.migrate import upgrade
        from services.usecases.demo import load_demo

        upgrade(settings.database_url)
        print(asyncio.run(load_demo(settings)), flush=True)
        env = {
            # Plain http on this machine: cookies can't be Secure-only here (set
            # COOKIE_SECURE=true behind TLS, as docker-compose.yml does).
            "COOKIE_SECURE": "false",
            **os.environ,
            "DATABASE_URL": settings.database_url,
            "REDIS_URL": settings.redis_url,
        }
        py = sys.executable
        witness = _local_witness(settings, env)
        commands = {
            "mail": [py, "-m", "services.cli", "mailcatcher"],
            "api": api_command(settings.host, settings.port),
            "worker": [
                py,
                "-m",
                "celery",
                "-A",
                "services.workers.celery_app:app",
                "worker",
                "--loglevel",
                "INFO",
                "--concurrency",
                "2",
            ],
            "beat": [
                py,
                "-m",
                "celery",
                "-A",
                "services.workers.celery_app:app",
                "beat",
                "--loglevel",
                "INFO",
                "--schedule",
                str(settings.data_dir / "celerybeat-schedule"),
            ],
            **witness,
        }
        for argv in commands.values():
            children.append(subprocess.Popen(argv, env=env, start_new_session=True))
        deadline = time.monotonic() + 60
        while not port_open(settings.port, settings.host) and not stopping:
            if time.monotonic() > deadline or children[1].poll() is not None:
                print("the API did not start; see the log above", file=sys.stderr)
                return 1
            time.sleep(0.2)
        print(f"\nSujarit is running at http://{settings.host}:{settings.port}/", flush=True)
        print(
            DEMO_ACCOUNTS_NOTE.format(
                host=settings.host, port=settings.port, mail=settings.data_dir / "mail"
            ),
            flush=True,
        )
        print("Ctrl-C stops everything.", flush=True)
        while not stopping:
            for name, child in zip(commands, children, strict=True):
                if child.poll() is not None:
                    print(f"{name} exited with {child.returncode}; stopping", file=sys.stderr)
                    return 1
            time.sleep(0.5)
        return 0
    finally:
        for child in children:
            if child.poll() is None:
                os.killpg(child.pid, signal.SIGTERM)
        for child in children:
            try:
                child.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
        for server in reversed(servers):
            if isinstance(server, EmbeddedPostgres | EmbeddedRedis):
                server.stop()
        print("stopped", flush=True)


def api_command(host: str, port: int) -> list[str]:
    """The API server's command line. uvicorn believes no X-Forwarded-For: the app itself takes
    the client's address from it only when the peer is a configured proxy
    (FORWARDED_ALLOW_IPS; services/api/middleware.client_address_middleware)."""
    return [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        "services.api.asgi:make_app",
        "--host",
        host,
        "--port",
        str(port),
        "--no-access-log",
        "--no-proxy-headers",
    ]
