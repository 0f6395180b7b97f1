"""The public read model (infra/projections/public.py), read as the role ``sujarit_public``
(migration 0013), which can read the public tables and the register of organisations and
nothing else: a tenant table is refused by the database."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg

PUBLIC_ROLE = "sujarit_public"


@asynccontextmanager
async def public_reading(pool: asyncpg.Pool) -> AsyncIterator[asyncpg.Connection]:
    """A read-only transaction as the role ``sujarit_public`` (undone when it ends)."""
    async with pool.acquire() as conn, conn.transaction(readonly=True):
        await conn.execute("SELECT set_config('role', $1, true)", PUBLIC_ROLE)
        yield conn


async def organisation(conn: asyncpg.Connection, code: str) -> asyncpg.Record | None:
    if not re.fullmatch(r"[0-9A-Za-z-]{3,20}", code):
        return None
    return await conn.fetchrow(
        "SELECT o.id, o.code, o.name_th, o.name_en, o.district, o.address, o.phone, o.website, "
        "p.name_th AS province, p.name_en AS province_en FROM organisations o "
        "JOIN provinces p ON p.code = o.province_code WHERE o.code = $1",
        code,
    )


async def declarations(conn: asyncpg.Connection, tenant_id: uuid.UUID) -> list[Any]:
    rows = await conn.fetch(
        "SELECT view FROM public_declarations WHERE tenant_id = $1 "
        "ORDER BY published_on DESC, declaration_id",
        tenant_id,
    )
    return [r["view"] for r in rows]


async def plans(conn: asyncpg.Connection, tenant_id: uuid.UUID) -> list[Any]:
    rows = await conn.fetch(
        "SELECT view FROM public_plans WHERE tenant_id = $1 ORDER BY first_year DESC, plan_id",
        tenant_id,
    )
    return [r["view"] for r in rows]


async def items(conn: asyncpg.Connection, tenant_id: uuid.UUID, plan_id: uuid.UUID) -> list[Any]:
    rows = await conn.fetch(
        "SELECT view FROM public_items WHERE tenant_id = $1 AND plan_id = $2 "
        "ORDER BY sort_key, item_id",
        tenant_id,
        plan_id,
    )
    return [r["view"] for r in rows]


async def item(
    conn: asyncpg.Connection, tenant_id: uuid.UUID, item_id: uuid.UUID
) -> asyncpg.Record | None:
    """An item's public view and its plan's (``view``, ``plan``)."""
    return await conn.fetchrow(
        "SELECT i.view, p.view AS plan FROM public_items i JOIN public_plans p "
        "USING (tenant_id, plan_id) WHERE i.tenant_id = $1 AND i.item_id = $2",
        tenant_id,
        item_id,
    )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def file(
    conn: asyncpg.Connection, tenant_id: uuid.UUID, sha256: str
) -> asyncpg.Record | None:
    """A file the public read model lists (name, media_type)."""
    return await conn.fetchrow(
        "SELECT name, media_type FROM public_files WHERE tenant_id = $1 AND sha256 = $2 "
        "UNION ALL SELECT 'report-' || round || '.' || format, CASE format "
        "WHEN 'pdf' THEN 'application/pdf' ELSE $3 END FROM public_reports "
        "WHERE tenant_id = $1 AND sha256 = $2 LIMIT 1",
        tenant_id,
        sha256,
        XLSX,
    )


async def reports(conn: asyncpg.Connection, tenant_id: uuid.UUID) -> list[dict[str, Any]]:
    """The round reports the LAO submitted (the latest of each round and format), newest
    round first."""
    rows = await conn.fetch(
        "SELECT round, format, sha256, size, as_of, submitted_on FROM public_reports "
        "WHERE tenant_id = $1 ORDER BY round DESC, format",
        tenant_id,
    )
    return [dict(r) for r in rows]


async def complaint_counts(conn: asyncpg.Connection, tenant_id: uuid.UUID) -> list[dict[str, Any]]:
    """Complaints received and resolved per fiscal year (numbers only)."""
    rows = await conn.fetch(
        "SELECT fiscal_year, received, resolved FROM public_complaint_counts "
        "WHERE tenant_id = $1 ORDER BY fiscal_year DESC",
        tenant_id,
    )
    return [dict(r) for r in rows]


async def set_contact(
    conn: asyncpg.Connection, code: str, address: str, phone: str, website: str
) -> bool:
    """The LAO's published contact details (the owner's connection: the CLI); False when
    there is no such LAO."""
    done = await conn.execute(
        "UPDATE organisations SET address = $2, phone = $3, website = $4 WHERE code = $1",
        code,
        address,
        phone,
        website,
    )
    return bool(done.endswith(" 1"))
