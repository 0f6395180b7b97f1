"""One event loop per worker process; pools are created inside it, lazily."""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Awaitable, Callable
from typing import TypeVar

import asyncpg

from infra.db.pool import create_pool

T = TypeVar("T")

_lock = threading.Lock()
_loop: asyncio.AbstractEventLoop | None = None
_pid: int | None = None


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


_pools: dict[tuple[int, str], asyncpg.Pool] = {}


async def shared_pool(url: str) -> asyncpg.Pool:
    """This process's pool for ``url`` (made on this process's loop, kept for its tasks)."""
    key = (os.getpid(), url)
    if key not in _pools:
        _pools[key] = await create_pool(url, min_size=1, max_size=4)
    return _pools[key]
