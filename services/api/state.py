"""What a running app holds: pools and clients, made in its lifespan, closed at shutdown."""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg
import redis.asyncio as aioredis

from domain.shared.clock import Clock
from infra.auth.accounts import Accounts
from infra.auth.sessions import SessionStore
from infra.auth.throttle import Throttle
from infra.eventstore.postgres import PostgresEventStore
from infra.files import FileStore
from infra.overview_cache import TemplateCache
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
