"""An LAO's first steps (the home page's first-run checklist), read in its own transaction."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import asyncpg

from domain.tenancy.organisations import Kind, Organisation
from domain.tenancy.provinces import PROVINCES_BY_CODE


async def first_steps(conn: asyncpg.Connection) -> dict[str, Any]:
    """What the LAO has done so far: plans drafted and promulgated, declarations published,
    members other than the first, whether reminders were set."""
    row = await conn.fetchrow(
        "SELECT (SELECT count(*) FROM plan_views) AS plans, "
        "(SELECT count(*) FROM plan_views WHERE summary->>'status' = 'promulgated') "
        "AS promulgated, "
        "(SELECT count(*) FROM declaration_views WHERE published_on IS NOT NULL) AS declared, "
        "(SELECT count(*) FROM members WHERE status IN ('invited', 'active')) AS members, "
        "(SELECT count(*) FROM reminder_policies) AS reminders"
    )
    return dict(row) if row else {}


async def register_of(conn: asyncpg.Connection, codes: list[str]) -> dict[str, Organisation]:
    """The register's LAOs of these codes, by code."""
    rows = await conn.fetch(
        "SELECT id, code, name_th, name_en, kind, province_code, district "
        "FROM organisations WHERE code = ANY($1::text[])",
        codes,
    )
    return {
        r["code"]: Organisation(
            r["id"],
            r["code"],
            r["name_th"],
            r["name_en"],
            Kind(r["kind"]),
            PROVINCES_BY_CODE[r["province_code"]],
            r["district"],
        )
        for r in rows
    }


async def funnel(conn: asyncpg.Connection, province: str = "") -> list[dict[str, Any]]:
    """Per province: LAOs, first executives invited and joined (the operator log), plans
    drafted and promulgated, declarations published, a first report submitted (the province
    overview); one province's
    when given. Read in an overview transaction (the operator's, or its province office's)."""
    rows = await conn.fetch(
        "SELECT o.province_code AS province, p.name_th AS province_name, count(*) AS laos, "
        "count(*) FILTER (WHERE a.invited) AS invited, "
        "count(*) FILTER (WHERE a.joined) AS joined, "
        "count(*) FILTER (WHERE v.declarations_published > 0) AS declared, "
        "count(*) FILTER (WHERE v.plan_id IS NOT NULL) AS drafted, "
        "count(*) FILTER (WHERE v.plan_promulgated_on IS NOT NULL) AS promulgated, "
        "count(*) FILTER (WHERE v.reports <> '{}'::jsonb) AS reported "
        "FROM organisations o JOIN provinces p ON p.code = o.province_code "
        "LEFT JOIN lao_overview v ON v.tenant_id = o.id "
        "LEFT JOIN (SELECT stream_id, "
        # invited: the last invitation was not withdrawn after it
        "  max(version) FILTER (WHERE data->>'what' = 'first_executive_invited') > coalesce("
        "  max(version) FILTER (WHERE data->>'what' = 'invitation_withdrawn'), 0) AS invited, "
        "  bool_or(data->>'what' = 'executive_joined') AS joined "
        "  FROM operator_events WHERE event_type = 'OperatorAccessGranted' GROUP BY stream_id"
        ") a ON a.stream_id = o.id "
        "WHERE $1 = '' OR o.province_code = $1 "
        "GROUP BY o.province_code, p.name_th ORDER BY p.name_th",
        province,
    )
    return [dict(r) for r in rows]


async def pending_invitations(conn: asyncpg.Connection, days: int) -> list[dict[str, Any]]:
    """The invitations the operator sent that nobody took yet, newest first: an LAO's first
    executive (the operator log: its last access decision about that address is the
    invitation, not a join or a withdrawal) and a provincial office's reviewer (its accounts).
    ``invited_at`` is the latest link's day; a link lasts ``days``. Read in the operator's
    transaction (the org scope)."""
    rows = await conn.fetch(
        "WITH latest AS (SELECT DISTINCT ON (stream_id, data->>'account_id') stream_id, "
        "  data->>'email' AS email, data->>'role' AS role, data->>'what' AS what, recorded_at "
        "  FROM operator_events WHERE event_type = 'OperatorAccessGranted' "
        "  ORDER BY stream_id, data->>'account_id', position DESC) "
        "SELECT o.code AS org, o.name_th AS org_name, l.email, l.role, "
        "l.recorded_at AS invited_at "
        "FROM latest l JOIN organisations o ON o.id = l.stream_id "
        "WHERE l.what = 'first_executive_invited' "
        "UNION ALL "
        "SELECT 'po-' || m.province_code, p.name_th, m.email, m.role, m.invited_at "
        "FROM office_members m JOIN provincial_offices p ON p.province_code = m.province_code "
        "WHERE m.scope = 'office' AND m.status = 'invited' "
        "ORDER BY invited_at DESC, org, email LIMIT 1000"
    )
    return [{**dict(r), "expires_at": r["invited_at"] + timedelta(days=days)} for r in rows]
