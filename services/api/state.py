"""What a running app holds: pools and clients, made in its lifespan, closed at shutdown."""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg
import redis.asyncio as aioredis

from infra.eventstore.postgres import PostgresEventStore
from infra.files import FileStore
from infra.settings import Settings


@dataclass
class Services:
    settings: Settings
    db: asyncpg.Pool
    redis: aioredis.Redis
    store: PostgresEventStore
    files: FileStore
