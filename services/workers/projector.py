"""The async projector as a long-running loop: in the worker process, or on its own."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import threading

from infra.db.pool import create_pool
from infra.projections.projector import AsyncProjector
from infra.projections.registry import async_projections
from infra.settings import Settings

log = logging.getLogger("sujarit.projector")


async def run_projector(settings: Settings, stop: asyncio.Event) -> None:
    pool = None
    while pool is None and not stop.is_set():
        try:
            pool = await create_pool(settings.projector_url, min_size=1, max_size=2)
        except (OSError, Exception) as exc:  # the database may not be up yet
            log.warning("projector: cannot connect yet (%s)", exc)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=2)
    if pool is None:
        return
    try:
        projector = AsyncProjector(pool, async_projections(), batch=settings.projector_batch)
        log.info("projector started")
        await projector.run_forever(stop, idle=settings.projector_idle_seconds)
    finally:
        await pool.close()


def main(settings: Settings) -> None:
    """Run in the foreground until SIGINT/SIGTERM (``sujarit projector``)."""

    async def _main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await run_projector(settings, stop)

    asyncio.run(_main())


class ProjectorThread:
    """The projector beside a Celery worker, on its own thread and loop."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._loop = asyncio.new_event_loop()
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._run, name="projector", daemon=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)

        async def _main() -> None:
            self._stop = asyncio.Event()
            await run_projector(self.settings, self._stop)

        self._loop.run_until_complete(_main())

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 10) -> None:
        if self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout)
