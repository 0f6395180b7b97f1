"""The job outbox: an order to run a task, committed with the job it runs.

``add`` inserts the order in the caller's transaction (the job's). After the commit the caller
may ``hand_off`` at once (best effort); the relay (``relay``, run by beat every few seconds as
the projector role) gives Celery every order still unsent, and marks an order sent only once
Redis took it. Tasks are idempotent, so the rare order given twice (a hand-off and the relay
racing after a slow commit) runs twice harmlessly.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
from celery import Celery

log = logging.getLogger("sujarit.jobs")
GRACE = timedelta(seconds=5)  # the relay leaves a fresh order to its own hand-off first


async def add(
    conn: asyncpg.Connection,
    key: str,
    tenant_id: uuid.UUID | None,
    task: str,
    args: Sequence[Any],
    now: datetime,
) -> None:
    """Order ``task(*args)`` in the caller's transaction; an order with the same key stays as
    it is (a retried request orders nothing twice)."""
    await conn.execute(
        "INSERT INTO job_outbox (key, tenant_id, task, args, created_at) "
        "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (key) DO NOTHING",
        key,
        tenant_id,
        task,
        list(args),
        now,
    )


async def is_unsent(conn: asyncpg.Connection, key: str) -> bool:
    return bool(await conn.fetchval("SELECT sent_at IS NULL FROM job_outbox WHERE key = $1", key))


class Dispatcher:
    """Hands orders to Celery through Redis (a client only: it runs no task)."""

    def __init__(self, redis_url: str) -> None:
        self.redis_url = redis_url
        self._client: Celery | None = None

    def _celery(self) -> Celery:
        if self._client is None:
            client = Celery("sujarit-client", set_as_current=False)
            client.conf.update(
                broker_url=self.redis_url,
                task_serializer="json",
                accept_content=["json"],
                broker_connection_retry=False,
                broker_connection_max_retries=0,
                broker_transport_options={"socket_timeout": 5, "socket_connect_timeout": 2},
            )
            self._client = client
        return self._client

    def send(self, task: str, args: Sequence[Any]) -> None:
        self._celery().send_task(task, args=list(args), retry=False)

    async def try_send(self, task: str, args: Sequence[Any]) -> str:
        """'' when Redis took the order, else why not (the relay will try again)."""
        try:
            await asyncio.to_thread(self.send, task, args)
        except Exception as exc:  # Redis down, a timeout, a refused connection: keep the row
            log.warning("hand-off of %s failed: %s: %s", task, type(exc).__name__, exc)
            return f"{type(exc).__name__}: {exc}"[:500]
        return ""


async def hand_off(
    conn: asyncpg.Connection, dispatcher: Dispatcher, key: str, now: datetime
) -> bool:
    """Give one unsent order to Celery now and mark it sent (in ``conn``'s transaction)."""
    row = await conn.fetchrow(
        "SELECT task, args FROM job_outbox WHERE key = $1 AND sent_at IS NULL FOR UPDATE", key
    )
    if row is None:
        return False
    error = await dispatcher.try_send(row["task"], row["args"])
    await _mark(conn, key, now, error)
    return not error


async def relay(
    pool: asyncpg.Pool,
    dispatcher: Dispatcher,
    now: datetime,
    limit: int = 200,
    grace: timedelta = GRACE,
) -> tuple[int, int]:
    """Give Celery every unsent order older than ``grace``; (sent, failed)."""
    sent = failed = 0
    async with pool.acquire() as conn, conn.transaction():
        rows = await conn.fetch(
            "SELECT key, task, args FROM job_outbox WHERE sent_at IS NULL AND created_at <= $1 "
            "ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED",
            now - grace,
            limit,
        )
        for row in rows:
            error = await dispatcher.try_send(row["task"], row["args"])
            await _mark(conn, row["key"], now, error)
            sent, failed = (sent + 1, failed) if not error else (sent, failed + 1)
            if error:  # Redis is away: the rest would fail the same way
                break
    return sent, failed


async def _mark(conn: asyncpg.Connection, key: str, now: datetime, error: str) -> None:
    if error:
        await conn.execute(
            "UPDATE job_outbox SET attempts = attempts + 1, last_error = $2 WHERE key = $1",
            key,
            error,
        )
    else:
        await conn.execute("UPDATE job_outbox SET sent_at = $2 WHERE key = $1", key, now)


# ------------------------------------------------------------ jobs a lost worker held
#
# A worker killed as a whole (a container crash) acknowledges nothing: Redis gives its task to
# another worker only after the visibility timeout, which must outlast the longest task (or a
# slow report would run twice). So a running report job beats: its worker writes
# ``heartbeat_at`` every few seconds, and the sweep (beat) queues again, through this outbox,
# every running job whose heartbeat stopped. The task claims its job first, so the original
# message, redelivered much later, finds it done and does nothing.

MAX_LOST_ATTEMPTS = 3
LOST = "เครื่องที่สร้างรายงานนี้หยุดทำงานระหว่างสร้าง {n} ครั้ง จึงหยุดไว้ กรุณาแจ้งผู้ดูแลระบบ แล้วสร้างใหม่"

_CLAIM = """
UPDATE report_jobs SET status = 'running', started_at = $2, heartbeat_at = $2
 WHERE id = $1
   AND (status = 'queued' OR (status = 'running' AND coalesce(heartbeat_at, started_at) < $3))
RETURNING id
"""


async def claim(conn: asyncpg.Connection, job: uuid.UUID, now: datetime, stale: timedelta) -> bool:
    """Take ``job`` to run it: a queued one, or a running one whose worker stopped beating.
    False when it is done, failed, or running on a live worker (a second delivery)."""
    return await conn.fetchval(_CLAIM, job, now, now - stale) is not None


async def beat(conn: asyncpg.Connection, job: uuid.UUID, now: datetime) -> None:
    await conn.execute(
        "UPDATE report_jobs SET heartbeat_at = $2 WHERE id = $1 AND status = 'running'", job, now
    )


@asynccontextmanager
async def beating(pulse: Callable[[], Awaitable[None]], every: float) -> AsyncIterator[None]:
    """Run ``pulse`` every ``every`` seconds while the block runs (the job's heartbeat); a
    pulse that fails is logged and the next one tries again."""

    async def _loop() -> None:
        while True:
            await asyncio.sleep(every)
            try:
                await pulse()
            except Exception as exc:  # the database away for a moment: the next beat tries
                log.warning("heartbeat failed: %s: %s", type(exc).__name__, exc)

    task = asyncio.create_task(_loop())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


@asynccontextmanager
async def claimed(
    connect: Callable[[], AbstractAsyncContextManager[asyncpg.Connection]],
    job: uuid.UUID,
    heartbeat: float,
    stale: float,
) -> AsyncIterator[bool]:
    """Claim ``job`` (see ``claim``) and, when it is ours (True), beat every ``heartbeat``
    seconds while the block runs; ``connect`` gives a connection that may write the job's row
    (the tenant's transaction, or the projector role's)."""
    async with connect() as conn:
        mine = await claim(conn, job, datetime.now(UTC), timedelta(seconds=stale))
    if not mine:
        yield False
        return

    async def pulse() -> None:
        async with connect() as conn:
            await beat(conn, job, datetime.now(UTC))

    async with beating(pulse, heartbeat):
        yield True


_LOST = """
UPDATE report_jobs
   SET attempts = attempts + 1, heartbeat_at = NULL, started_at = NULL,
       status = CASE WHEN attempts + 1 >= $2 THEN 'failed' ELSE 'queued' END,
       error = CASE WHEN attempts + 1 >= $2 THEN $3 ELSE error END,
       finished_at = CASE WHEN attempts + 1 >= $2 THEN $4 ELSE finished_at END
 WHERE status = 'running' AND coalesce(heartbeat_at, started_at) < $1
RETURNING id, scope, tenant_id, province_code, round, requested_by, status, attempts
"""


async def sweep_lost(
    conn: asyncpg.Connection,
    now: datetime,
    stale: timedelta,
    tasks: Mapping[str, str],
    max_attempts: int = MAX_LOST_ATTEMPTS,
) -> tuple[int, int]:
    """Queue again (an outbox order each) every running job whose worker stopped beating;
    fail one lost ``max_attempts`` times. ``tasks``: the task name of each scope ('tenant',
    'province'). Runs as the projector role (every tenant's jobs). (queued again, failed)."""
    rows = await conn.fetch(_LOST, now - stale, max_attempts, LOST.format(n=max_attempts), now)
    queued = 0
    for row in rows:
        if row["status"] == "failed":
            continue
        job = str(row["id"])
        if row["scope"] == "tenant":
            args: list[Any] = [str(row["tenant_id"]), row["round"], job, row["requested_by"]]
        else:
            args = [row["province_code"], row["round"], job]
        key = f"lost:{job}:{row['attempts']}"
        await add(conn, key, row["tenant_id"], tasks[row["scope"]], args, now)
        queued += 1
    return queued, len(rows) - queued
