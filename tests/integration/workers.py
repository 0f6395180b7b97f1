"""Real Celery worker processes for the integration tests (reminders, the mail outbox)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

from infra.settings import Settings


class HasPort(Protocol):
    """An SMTP server for the worker to send to."""

    port: int


def redis_db(settings: Settings, db: int) -> str:
    base = (
        settings.redis_url.rsplit("/", 1)[0]
        if settings.redis_url.count("/") > 2
        else (settings.redis_url.rstrip("/"))
    )
    return f"{base}/{db}"


class Worker:
    """A real Celery worker (prefork, 3 processes unless told) in its own process group."""

    def __init__(
        self,
        settings: Settings,
        box: HasPort,
        redis_url: str,
        log: Path,
        *,
        concurrency: int = 3,
        **env: str,
    ):
        self.env = {
            **os.environ,
            "DATABASE_URL": settings.database_url,
            "REDIS_URL": redis_url,
            "SMTP_PORT": str(box.port),
            "REMINDER_BACKOFF_SECONDS": "0.5",
            "REMINDER_RETRIES": "30",
            "LOG_JSON": "0",
            **env,
        }
        self.log = log
        self.concurrency = concurrency
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        before = self.log.read_text(errors="replace").count(" ready.") if self.log.exists() else 0
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "services.workers.celery_app:app",
                "worker",
                "--concurrency",
                str(self.concurrency),
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
                "-n",
                f"w{uuid.uuid4().hex[:6]}@%h",
            ],
            env=self.env,
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 90
        while self.log.read_text(errors="replace").count(" ready.") <= before:
            assert self.proc.poll() is None, self.log.read_text(errors="replace")[-3000:]
            assert time.monotonic() < deadline, "the worker did not get ready"
            time.sleep(0.2)

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)


@contextmanager
def worker(
    settings: Settings, box: HasPort, redis_url: str, log: Path, *, concurrency: int = 3, **env: str
) -> Iterator[Worker]:
    w = Worker(settings, box, redis_url, log, concurrency=concurrency, **env)
    w.start()
    try:
        yield w
    finally:
        w.stop()
