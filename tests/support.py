"""Helpers the tests share: tenants made the way the operator makes them."""

from __future__ import annotations

import secrets
import uuid

import asyncpg

from domain.tenancy.organisations import Kind, Organisation, organisation_id
from domain.tenancy.provinces import PROVINCES_BY_CODE
from infra.tenancy import upsert_organisations


def org(code: str | None = None, province: str = "47", kind: Kind = Kind.SAO) -> Organisation:
    code = code or f"T{secrets.token_hex(4)}"
    return Organisation(
        id=organisation_id(code),
        code=code,
        name_th=f"อปท.ทดสอบ {code}",
        name_en=f"Test LAO {code}",
        kind=kind,
        province=PROVINCES_BY_CODE[province],
        district="เมือง",
    )


async def make_tenants(conn: asyncpg.Connection, n: int, province: str = "47") -> list[uuid.UUID]:
    orgs = [org(province=province) for _ in range(n)]
    await upsert_organisations(conn, orgs)
    return [o.id for o in orgs]
