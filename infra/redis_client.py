"""The Redis client the API uses (sessions, throttling, caches), made by a factory.

A pooled connection whose server went away (Redis restarted) is found dead only when it is
next used: it is then dropped and the command sent once more on a new connection, with no
wait, and a connection idle for longer than ``health_check_interval`` is pinged before use.
While Redis is down, a command fails within about a second (connect timeout, one retry) with
``redis.exceptions.ConnectionError``, which the API answers with 503 and ``Retry-After``.
"""

from __future__ import annotations

import redis.asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

# Errors of an unreachable Redis (the API maps them to 503).
UNAVAILABLE: tuple[type[Exception], ...] = (RedisConnectionError, RedisTimeoutError)


def redis_client(
    url: str, *, timeout: float = 5.0, health_check_interval: int = 15
) -> aioredis.Redis:
    return aioredis.Redis.from_url(
        url,
        socket_timeout=timeout,
        socket_connect_timeout=min(timeout, 1.0),
        retry=Retry(NoBackoff(), 1),
        retry_on_error=list(UNAVAILABLE),
        health_check_interval=health_check_interval,
    )
