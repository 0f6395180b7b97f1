"""Where an account belongs, from the address it signs in at: /t/<code>/.

``<code>`` is an LAO's code (a tenant), ``po-<province code>`` for a provincial office
(e.g. po-47, Sakon Nakhon), or ``operator``.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import asyncpg

from domain.tenancy.members import Scope
from infra.db.pool import set_tenant

OPERATOR = "operator"


@dataclass(frozen=True)
class Org:
    code: str
    scope: Scope
    name: str
    tenant_id: uuid.UUID | None = None  # an LAO
    province: str = ""  # the LAO's or the office's province


async def find_org(conn: asyncpg.Connection, code: str) -> Org | None:
    code = code.strip()
    if code == OPERATOR:
        return Org(OPERATOR, Scope.OPERATOR, "ผู้ดูแลระบบสุจริต")
    if code.startswith("po-"):
        row = await conn.fetchrow(
            "SELECT province_code, name_th FROM provincial_offices WHERE province_code = $1",
            code[3:],
        )
        return Org(code, Scope.OFFICE, row["name_th"], None, row["province_code"]) if row else None
    row = await conn.fetchrow(
        "SELECT id, code, name_th, province_code FROM organisations WHERE code = $1", code
    )
    if row is None:
        return None
    return Org(row["code"], Scope.LAO, row["name_th"], row["id"], row["province_code"])


async def enter(conn: asyncpg.Connection, org: Org) -> None:
    """Scope the current transaction to the org's accounts (row-level security reads this)."""
    if org.tenant_id is not None:
        await set_tenant(conn, org.tenant_id)
    else:
        # No tenant: tenant tables show nothing (the nil id owns no rows), the org's own rows
        # (office and operator accounts) are visible.
        await conn.execute(
            "SELECT set_config('app.scope', 'org', true), "
            "set_config('app.tenant_id', '00000000-0000-0000-0000-000000000000', true)"
        )


@asynccontextmanager
async def org_transaction(
    pool: asyncpg.Pool, org: Org, *, readonly: bool = False
) -> AsyncIterator[asyncpg.Connection]:
    async with pool.acquire() as conn, conn.transaction(readonly=readonly):
        await enter(conn, org)
        yield conn


@asynccontextmanager
async def reviewer_transaction(
    pool: asyncpg.Pool, province: str, tenant_id: uuid.UUID
) -> AsyncIterator[asyncpg.Connection]:
    """A provincial reviewer reading one tenant: the database checks the tenant is of the
    reviewer's province and refuses every write (migration 0007)."""
    async with pool.acquire() as conn, conn.transaction(readonly=True):
        await conn.execute(
            "SELECT set_config('app.province', $1, true), set_config('app.tenant_id', $2, true)",
            province,
            str(tenant_id),
        )
        yield conn


@asynccontextmanager
async def overview_transaction(pool: asyncpg.Pool, org: Org) -> AsyncIterator[asyncpg.Connection]:
    """Read the province overview (``lao_overview``, migration 0016), read-only: a provincial
    office sees its province's rows (``app.province``; a tenant table read here fails, as no
    tenant of the province is set), the operator every row; an LAO none."""
    async with pool.acquire() as conn, conn.transaction(readonly=True):
        await enter(conn, org)
        if org.scope is Scope.OFFICE:
            await conn.execute("SELECT set_config('app.province', $1, true)", org.province)
        elif org.scope is Scope.OPERATOR:
            await conn.execute("SELECT set_config('app.overview', 'all', true)")
        yield conn
