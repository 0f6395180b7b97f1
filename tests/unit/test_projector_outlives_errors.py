"""The async projector outlives any error of a catch-up (a failover's odd states, such as
asyncpg's InternalClientError, which is neither a connection nor an interface error): it logs,
backs off at most MAX_BACKOFF seconds and tries again. It used to die silently, and the read
models stayed behind for good (the failover drill caught it)."""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg

from infra.projections.projector import MAX_BACKOFF, AsyncProjector


class Flaky(AsyncProjector):
    def __init__(self, failures: list[BaseException]) -> None:
        super().__init__(None, ())  # type: ignore[arg-type]  # no database: catch_up is ours
        self.failures = failures
        self.calls = 0
        self.stop = asyncio.Event()

    async def check_position(self) -> None:
        return None

    async def catch_up(self, *args: Any, **kwargs: Any) -> int:
        self.calls += 1
        if self.failures:
            raise self.failures.pop(0)
        self.stop.set()
        return 0


async def test_the_projector_retries_after_any_error() -> None:
    flaky = Flaky([asyncpg.exceptions.InternalClientError("odd"), ConnectionResetError()])
    await asyncio.wait_for(flaky.run_forever(flaky.stop, idle=0.01), timeout=5)
    assert flaky.calls == 3 and not flaky.failures


def test_the_backoff_is_short_enough_to_follow_a_failover() -> None:
    assert MAX_BACKOFF <= 5.0
