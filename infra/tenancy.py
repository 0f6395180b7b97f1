"""Reference data and organisations in PostgreSQL (written by the owner / operator)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import asyncpg

from domain.tenancy.organisations import Organisation
from domain.tenancy.provinces import PROVINCES

OFFICE_NAMESPACE = uuid.UUID("0e7f4a52-3b1c-4d9e-8f20-6a5c1b7d3e44")


async def seed_provinces(conn: asyncpg.Connection) -> None:
    """The 76 provinces and their provincial offices (idempotent)."""
    await conn.executemany(
        "INSERT INTO provinces (code, name_th, name_en, region) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT (code) DO UPDATE SET name_th = EXCLUDED.name_th, "
        "name_en = EXCLUDED.name_en, region = EXCLUDED.region",
        [(p.code, p.name_th, p.name_en, p.region) for p in PROVINCES],
    )
    await conn.executemany(
        "INSERT INTO provincial_offices (id, province_code, name_th, name_en) "
        "VALUES ($1, $2, $3, $4) ON CONFLICT (province_code) DO NOTHING",
        [
            (
                uuid.uuid5(OFFICE_NAMESPACE, p.code),
                p.code,
                f"สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัด{p.name_th}",
                f"{p.name_en} Provincial Office of Local Administration",
            )
            for p in PROVINCES
        ],
    )


async def upsert_organisations(conn: asyncpg.Connection, orgs: Sequence[Organisation]) -> int:
    """Insert or update organisations (by code) and open their tenant heads, in one go."""
    async with conn.transaction():
        await conn.execute(
            "CREATE TEMP TABLE org_import (LIKE organisations INCLUDING DEFAULTS) ON COMMIT DROP"
        )
        await conn.copy_records_to_table(
            "org_import",
            records=[
                (o.id, o.code, o.name_th, o.name_en, o.kind.value, o.province.code, o.district)
                for o in orgs
            ],
            columns=("id", "code", "name_th", "name_en", "kind", "province_code", "district"),
        )
        await conn.execute(
            "INSERT INTO organisations (id, code, name_th, name_en, kind, province_code, district) "
            "SELECT id, code, name_th, name_en, kind, province_code, district FROM org_import "
            "ON CONFLICT (code) DO UPDATE SET name_th = EXCLUDED.name_th, "
            "name_en = EXCLUDED.name_en, kind = EXCLUDED.kind, "
            "province_code = EXCLUDED.province_code, district = EXCLUDED.district"
        )
        await conn.execute(
            "INSERT INTO tenant_heads (tenant_id) SELECT id FROM org_import ON CONFLICT DO NOTHING"
        )
    return len(orgs)


async def write_organisations(conn: asyncpg.Connection, orgs: Sequence[Organisation]) -> None:
    """Insert or update organisations by code, in the caller's transaction (the operator's:
    the web role writes the register only there, migration 0031)."""
    await conn.executemany(
        "INSERT INTO organisations (id, code, name_th, name_en, kind, province_code, district) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (code) DO UPDATE SET "
        "name_th = EXCLUDED.name_th, name_en = EXCLUDED.name_en, kind = EXCLUDED.kind, "
        "province_code = EXCLUDED.province_code, district = EXCLUDED.district",
        [
            (o.id, o.code, o.name_th, o.name_en, o.kind.value, o.province.code, o.district)
            for o in orgs
        ],
    )
