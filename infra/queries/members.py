"""Members' read models: an organisation's members (an LAO's ``members``; an office's or the
operator's ``office_members``) and a member's own API tokens."""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg

from infra.auth.orgs import Org


def member_table(org: Org) -> tuple[str, str, Any]:
    """The table of the org's members, its key column and the org's key."""
    if org.tenant_id is not None:
        return ("members", "tenant_id", org.tenant_id)
    return ("office_members", "scope", org.scope.value)


async def members(conn: asyncpg.Connection, org: Org) -> list[dict[str, Any]]:
    table, key_col, key = member_table(org)
    rows = await conn.fetch(
        f"SELECT account_id, email, name, role, status, invited_at, joined_at, "
        f"last_sign_in_at, version FROM {table} WHERE {key_col} = $1 ORDER BY name",
        key,
    )
    return [dict(r) for r in rows]


async def tokens_of(conn: asyncpg.Connection, account_id: uuid.UUID) -> list[Any]:
    return list(
        await conn.fetch(
            "SELECT token_id, name, role, created_at, revoked_at FROM api_tokens "
            "WHERE account_id = $1 ORDER BY created_at DESC",
            account_id,
        )
    )


async def active_lao_members(
    conn: asyncpg.Connection, email: str, tenant_code: str | None = None
) -> list[Any]:
    """Every LAO where ``email`` is an active member (the owner's read, across tenants)."""
    return list(
        await conn.fetch(
            "SELECT m.account_id, m.role, o.code FROM members m JOIN organisations o "
            "ON o.id = m.tenant_id WHERE m.email = $1 AND m.status = 'active'"
            + (" AND o.code = $2" if tenant_code else ""),
            *([email, tenant_code] if tenant_code else [email]),
        )
    )


async def executives(conn: asyncpg.Connection, tenant_id: uuid.UUID, other_than: str) -> int:
    """The LAO's executives, invited or active, other than the account of ``other_than``."""
    n = await conn.fetchval(
        "SELECT count(*) FROM members WHERE tenant_id = $1 AND role = 'executive' "
        "AND status IN ('invited', 'active') AND email <> $2",
        tenant_id,
        other_than,
    )
    return int(n or 0)
