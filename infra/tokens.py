"""API tokens: ``sjt_<token id hex>_<secret>``; only the secret's SHA-256 is stored.

Secrets are 256 random bits, so a fast hash is enough (a password needs argon2; this does not).
"""

from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from dataclasses import dataclass

import asyncpg

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


async def resolve_token(conn: asyncpg.Connection, token: str) -> TokenPrincipal | None:
    m = _FORMAT.match(token)
    if not m:
        return None
    row = await conn.fetchrow(
        "SELECT * FROM app_resolve_token($1, $2)", uuid.UUID(hex=m[1]), _hash(m[2])
    )
    if row is None:
        return None
    return TokenPrincipal(row["tenant_id"], row["tenant_code"], row["role"], row["actor"])
