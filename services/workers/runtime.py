"""One event loop per worker process; the process's services (services.usecases.bootstrap) are
built inside it, lazily, once."""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from typing import Any, TypeVar

import asyncpg
from celery.exceptions import Retry

from infra.db.pool import create_pool
from infra.settings import Settings
from services.usecases import bootstrap

T = TypeVar("T")

_lock = threading.Lock()
_loop: asyncio.AbstractEventLoop | None = None
_pid: int | None = None
_built: dict[int, tuple[bootstrap.Services, AsyncExitStack]] = {}


def worker_loop() -> asyncio.AbstractEventLoop:
    """This process's loop (a forked child gets a new one)."""
    global _loop, _pid
    with _lock:
        if _loop is None or _pid != os.getpid() or _loop.is_closed():
            _loop = asyncio.new_event_loop()
            _pid = os.getpid()
        return _loop


def run(make: Callable[[], Awaitable[T]]) -> T:
    """Run a coroutine on this process's loop (tasks are synchronous for Celery)."""
    return worker_loop().run_until_complete(make())


async def services_of(settings: Settings) -> bootstrap.Services:
    """This worker process's services (web role, a small pool, no token listener), built on
    its loop the first time a task needs them and kept for the process's life."""
    pid = os.getpid()
    if pid not in _built:
        stack = AsyncExitStack()
        built = await stack.enter_async_context(
            bootstrap.services(settings, pool_min=1, pool_max=4, listen_tokens=False)
        )
        _built[pid] = (built, stack)
    return _built[pid][0]


@dataclass(frozen=True)
class Failure:
    """A task's failed attempt: the last one (``final``), or retried after ``delay`` seconds
    (doubling: ``REMINDER_BACKOFF_SECONDS``, 2x, 4x, ... up to ``REMINDER_RETRIES``)."""

    final: bool
    delay: float
    error: str


def failure(task: Any, settings: Settings, exc: BaseException) -> Failure:
    retries = int(task.request.retries)
    return Failure(
        retries >= settings.reminder_retries,
        settings.reminder_backoff_seconds * 2 ** min(retries, 10),
        f"{type(exc).__name__}: {exc}"[:500],
    )


def run_or_retry(
    task: Any,
    settings: Settings,
    work: Callable[[], Awaitable[T]],
    note: Callable[[Failure], Awaitable[None]],
) -> T | None:
    """Run a task's work; on a failure (SMTP, network, database), ``note`` it, then retry the
    task after the backoff, or return None when that was the last attempt."""
    try:
        return run(work)
    except Exception as exc:
        if isinstance(exc, Retry):
            raise
        failed = failure(task, settings, exc)
        run(lambda: note(failed))
        if failed.final:
            return None
        raise task.retry(exc=exc, countdown=failed.delay) from exc


_pools: dict[tuple[int, str], asyncpg.Pool] = {}


async def shared_pool(url: str) -> asyncpg.Pool:
    """This process's pool for ``url`` (made on this process's loop, kept for its tasks)."""
    key = (os.getpid(), url)
    if key not in _pools:
        _pools[key] = await create_pool(url, min_size=1, max_size=4)
    return _pools[key]
