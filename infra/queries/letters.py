"""What a cover letter needs beyond the round's report: the LAO's kind, the name of its
province's office, and the executive who signs (an active member with the executive role)."""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg


async def letter_party(conn: asyncpg.Connection, tenant_id: uuid.UUID) -> dict[str, Any]:
    """{kind, office, executive} of the tenant (``conn`` scoped to it); executive is "" when
    no active member has the role."""
    row = await conn.fetchrow(
        "SELECT o.kind, coalesce(po.name_th, 'สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัด' || p.name_th) "
        "AS office, coalesce((SELECT m.name FROM members m WHERE m.tenant_id = o.id "
        "AND m.role = 'executive' AND m.status = 'active' "
        "ORDER BY m.joined_at NULLS LAST, m.name LIMIT 1), '') AS executive "
        "FROM organisations o JOIN provinces p ON p.code = o.province_code "
        "LEFT JOIN provincial_offices po ON po.province_code = o.province_code WHERE o.id = $1",
        tenant_id,
    )
    if row is None:
        raise LookupError(f"no organisation {tenant_id}")
    return dict(row)
