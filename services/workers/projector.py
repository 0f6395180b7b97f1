"""The async projector as a long-running loop: in the worker process, or on its own."""

from __future__ import annotations

import asyncio
import logging
import threading

from infra.projections.projector import run_projector
from infra.settings import Settings

log = logging.getLogger("sujarit.projector")


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
