"""The composition root: builds, once per process, everything the use cases run on (the pool,
Redis, the event store with its inline projections, files, accounts, sessions, throttle, token
and template caches, the clock). The API's lifespan, the workers and the CLI call ``services``;
nothing else constructs these."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta

import asyncpg
import redis.asyncio as aioredis

from domain.shared.clock import Clock
from infra.auth.accounts import Accounts
from infra.auth.sessions import SessionStore
from infra.auth.throttle import Throttle
from infra.db.pool import create_pool
from infra.eventstore.postgres import PostgresEventStore
from infra.files import FileStore, LocalFileStore
from infra.jobs import Dispatcher
from infra.overview_cache import TemplateCache
from infra.projections.registry import inline_projections
from infra.redis_client import redis_client
from infra.settings import Settings
from infra.tokens import TokenCache


@dataclass
class Services:
    settings: Settings
    db: asyncpg.Pool
    redis: aioredis.Redis
    store: PostgresEventStore
    files: FileStore
    clock: Clock
    accounts: Accounts
    sessions: SessionStore
    throttle: Throttle
    tokens: TokenCache
    templates: TemplateCache
    jobs: Dispatcher  # hands ordered jobs to the workers' queue (infra.jobs)


@asynccontextmanager
async def services(
    settings: Settings,
    *,
    clock: Clock | None = None,
    database_url: str | None = None,
    pool_min: int | None = None,
    pool_max: int | None = None,
    listen_tokens: bool = True,
) -> AsyncIterator[Services]:
    """Everything a process needs, opened in order and closed in reverse. The API and the
    workers connect as the web role (``settings.app_url``); the CLI may name the owner's URL."""
    url = database_url or settings.app_url
    db = await create_pool(
        url,
        min_size=settings.db_pool_min if pool_min is None else pool_min,
        max_size=settings.db_pool_max if pool_max is None else pool_max,
    )
    cache = redis_client(settings.redis_url)
    store = PostgresEventStore(db, clock=clock, projections=inline_projections())
    tokens = TokenCache(url)
    built = Services(
        settings=settings,
        db=db,
        redis=cache,
        store=store,
        files=LocalFileStore(settings.evidence_dir),
        clock=store.clock,
        accounts=Accounts(db, store, store.clock, tokens_changed=tokens.forget),
        sessions=SessionStore(
            cache,
            store.clock,
            idle=timedelta(minutes=settings.session_idle_minutes),
            absolute=timedelta(hours=settings.session_absolute_hours),
        ),
        throttle=Throttle(cache),
        tokens=tokens,
        templates=TemplateCache(),
        jobs=Dispatcher(settings.redis_url),
    )
    try:
        if listen_tokens:
            await tokens.start()
        yield built
    finally:
        if listen_tokens:
            await tokens.close()
        await cache.aclose()
        await db.close()
