"""Server-side sessions in Redis: a new id at sign-in, idle and absolute timeouts.

The cookie holds a random id; Redis holds only its SHA-256 (a copy of Redis gives no usable
session). Each account keeps the set of its sessions, so disabling it ends them all.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import asdict, dataclass
from datetime import timedelta
from typing import Any

import redis.asyncio as aioredis

from domain.shared.clock import Clock

COOKIE = "sujarit_session"
_TOUCH_EVERY = 60.0  # seconds: a busy page doesn't write on every request


@dataclass(frozen=True)
class Session:
    account_id: str
    scope: str  # lao | office | operator
    org_code: str  # the LAO code, "po-<province>" or "operator"
    tenant_id: str  # the LAO's id ("" for an office or the operator)
    province: str  # the office's province ("" otherwise)
    role: str
    email: str
    name: str
    csrf: str
    created: float  # epoch seconds, from the clock
    seen: float
    # A provincial reviewer reading an LAO of its province: the LAO's code (read-only pages;
    # set per request by the pages' guard, never stored).
    viewing: str = ""


def _key(session_id: str) -> str:
    return "sess:" + hashlib.sha256(session_id.encode()).hexdigest()


def _index(account_id: str) -> str:
    return f"sess-of:{account_id}"


class SessionStore:
    def __init__(
        self, redis: aioredis.Redis, clock: Clock, *, idle: timedelta, absolute: timedelta
    ) -> None:
        self.redis, self.clock, self.idle, self.absolute = redis, clock, idle, absolute

    def _now(self) -> float:
        return self.clock.now().timestamp()

    async def create(self, **fields: Any) -> tuple[str, Session]:
        """A new session (a new id, always); returns the id for the cookie."""
        now = self._now()
        session = Session(**fields, csrf=secrets.token_urlsafe(32), created=now, seen=now)
        session_id = secrets.token_urlsafe(32)
        key = _key(session_id)
        ttl = int(self.absolute.total_seconds())
        async with self.redis.pipeline(transaction=True) as p:
            p.set(key, json.dumps(asdict(session)), ex=ttl)
            p.sadd(_index(session.account_id), key)
            p.expire(_index(session.account_id), ttl)
            await p.execute()
        return session_id, session

    async def get(self, session_id: str | None) -> Session | None:
        """The live session for this id, or None (unknown, idle too long, or too old)."""
        if not session_id or len(session_id) > 100:
            return None
        key = _key(session_id)
        raw = await self.redis.get(key)
        if raw is None:
            return None
        session = Session(**json.loads(raw))
        now = self._now()
        if (
            now - session.seen > self.idle.total_seconds()
            or now - session.created > self.absolute.total_seconds()
        ):
            await self._drop(key, session.account_id)
            return None
        if now - session.seen >= _TOUCH_EVERY:
            fresh = Session(**{**asdict(session), "seen": now})
            left = int(self.absolute.total_seconds() - (now - session.created)) + 1
            await self.redis.set(key, json.dumps(asdict(fresh)), ex=max(left, 1))
        return session

    async def destroy(self, session_id: str | None) -> None:
        if not session_id:
            return
        key = _key(session_id)
        raw = await self.redis.get(key)
        account = json.loads(raw)["account_id"] if raw else None
        await self._drop(key, account)

    async def destroy_all(self, account_id: str) -> int:
        """End every session of an account (it was disabled, or its password changed)."""
        index = _index(account_id)
        keys = await self.redis.smembers(index)
        async with self.redis.pipeline(transaction=True) as p:
            for k in keys:
                p.delete(k)
            p.delete(index)
            await p.execute()
        return len(keys)

    async def _drop(self, key: str, account_id: str | None) -> None:
        async with self.redis.pipeline(transaction=True) as p:
            p.delete(key)
            if account_id:
                p.srem(_index(account_id), key)
            await p.execute()
