"""API tokens: ``sjt_<token id hex>_<secret>``; only the secret's SHA-256 is stored.

Secrets are 256 random bits, so a fast hash is enough (a password needs argon2; this does not).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import logging
import re
import secrets
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass

import asyncpg

log = logging.getLogger(__name__)

ROLES = ("executive", "plan_officer", "staff", "viewer")
_FORMAT = re.compile(r"^sjt_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$")


@dataclass(frozen=True)
class TokenPrincipal:
    tenant_id: uuid.UUID
    tenant_code: str
    role: str
    actor: str


def _hash(secret: str) -> bytes:
    return hashlib.sha256(secret.encode()).digest()


async def create_token(
    conn: asyncpg.Connection,
    tenant_id: uuid.UUID,
    role: str,
    actor: str,
    name: str = "",
    *,
    account_id: uuid.UUID | None = None,
) -> str:
    """Create a token (as the owner or inside the tenant's transaction); return it once."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; one of {', '.join(ROLES)}")
    token_id = uuid.uuid4()
    secret = secrets.token_urlsafe(32)
    await conn.execute(
        "INSERT INTO api_tokens (tenant_id, token_id, secret_hash, role, actor, name, account_id) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7)",
        tenant_id,
        token_id,
        _hash(secret),
        role,
        actor,
        name,
        account_id,
    )
    return f"sjt_{token_id.hex}_{secret}"


async def _resolve(
    conn: asyncpg.Connection, token_id: uuid.UUID, secret_hash: bytes
) -> TokenPrincipal | None:
    row = await conn.fetchrow("SELECT * FROM app_resolve_token($1, $2)", token_id, secret_hash)
    if row is None:
        return None
    return TokenPrincipal(row["tenant_id"], row["tenant_code"], row["role"], row["actor"])


CHANNEL = "sujarit_tokens"  # migration 0018: a token's id (hex) at commit, or "*" for all
APPLICATION = "sujarit token notices"  # the listening connection's application_name


class TokenCache:
    """The tokens this process resolved, kept until the database says one changed.

    Every UPDATE or DELETE of ``api_tokens`` (revoked, its member disabled or given another
    role) notifies CHANNEL when its transaction commits, and so does a change of an LAO's
    code; a connection of the cache's own listens and forgets what a notice names. Entries are
    used only while that connection listens: when it drops, all is forgotten and every request
    asks the database until it listens again. A resolution that started before a notice is not
    kept (the generation count), and nothing is kept longer than ``ttl`` seconds in any case.
    Unknown or revoked tokens are never kept: each such request asks the database.
    """

    def __init__(self, url: str, *, max_entries: int = 10_000, ttl: float = 600.0) -> None:
        self._url = url
        self._max = max_entries
        self._ttl = ttl
        self._entries: OrderedDict[str, tuple[bytes, TokenPrincipal, float]] = OrderedDict()
        self._generation = 0
        self._task: asyncio.Task[None] | None = None
        self.listening = asyncio.Event()

    async def start(self) -> None:
        """Listen in the background (reconnecting with backoff); do not wait for it."""
        if self._task is None:
            self._task = asyncio.create_task(self._listen(), name="token-notices")

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        self._lost()

    def __len__(self) -> int:
        return len(self._entries)

    async def resolve(self, pool: asyncpg.Pool, token: str) -> TokenPrincipal | None:
        m = _FORMAT.match(token)
        if not m:
            return None
        key, secret_hash = m[1], _hash(m[2])
        held = self._entries.get(key)
        if held is not None and self.listening.is_set():
            kept_hash, principal, until = held
            if hmac.compare_digest(kept_hash, secret_hash) and time.monotonic() < until:
                self._entries.move_to_end(key)
                return principal
        generation = self._generation
        async with pool.acquire() as conn:
            found = await _resolve(conn, uuid.UUID(hex=key), secret_hash)
        if found is not None and generation == self._generation and self.listening.is_set():
            self._entries[key] = (secret_hash, found, time.monotonic() + self._ttl)
            self._entries.move_to_end(key)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)
        return found

    def forget(self, token_id: uuid.UUID | None) -> None:
        """Forget one token (or all) now: this process changed it (the notice follows)."""
        self._forget(None if token_id is None else token_id.hex)

    def _forget(self, key: str | None) -> None:
        self._generation += 1
        if key is None:
            self._entries.clear()
        else:
            self._entries.pop(key, None)

    def _notice(self, _conn: object, _pid: int, _channel: str, payload: str) -> None:
        self._forget(None if payload == "*" else payload)

    def _lost(self) -> None:
        self.listening.clear()
        self._forget(None)

    async def _listen(self) -> None:
        delay = 0.5
        while True:
            conn: asyncpg.Connection | None = None
            try:
                conn = await asyncpg.connect(
                    self._url, timeout=10, server_settings={"application_name": APPLICATION}
                )
                gone = asyncio.Event()
                conn.add_termination_listener(lambda _c, gone=gone: gone.set())
                await conn.add_listener(CHANNEL, self._notice)
                self._forget(None)  # notices were missed while nobody listened
                self.listening.set()
                delay = 0.5
                while not gone.is_set():
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(gone.wait(), 5)
                    if not gone.is_set():  # a dead peer may not close the socket: ask
                        await conn.fetchval("SELECT 1", timeout=5)
            except asyncio.CancelledError:
                raise
            except Exception as e:  # whatever broke, keep nothing and listen again
                log.warning("token notices: not listening (%s: %s); retrying", type(e).__name__, e)
            finally:
                self._lost()
                if conn is not None and not conn.is_closed():
                    conn.terminate()
            await asyncio.sleep(delay)
            delay = min(delay * 2, 10.0)
