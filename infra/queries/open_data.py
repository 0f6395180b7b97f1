"""Open data: the public read model as CSV tables, read as the role ``sujarit_public`` (so only
what is published can be in them), streamed by COPY ... TO STDOUT.

One SELECT per table, written here once; the column names are the published schema
(docs/open-data.md): add columns at the end, never rename one.
"""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path
from typing import Any

import asyncpg

# lao_code first in every table, so that one LAO's rows are easy to pick out. The big tables
# (items, budgets, steps) are streamed as they are stored, without a sort: an item's steps come
# in their order, the rest in no promised order.
TABLES: dict[str, str] = {
    "organisations": """
        SELECT o.code AS lao_code, o.name_th, o.name_en, o.kind, o.province_code,
               p.name_th AS province_th, o.district, o.address, o.phone, o.website
        FROM organisations o JOIN provinces p ON p.code = o.province_code
        WHERE ({tenants} IS NULL OR o.id = {tenants}) ORDER BY o.code""",
    "plans": """
        SELECT o.code AS lao_code, pp.plan_id, pp.view->>'title' AS title,
               pp.first_year, pp.last_year, pp.view->>'status' AS status,
               pp.view->>'promulgated_on' AS promulgated_on,
               (pp.view->>'revision')::int AS revision,
               pp.view->'document'->>'sha256' AS document_sha256
        FROM public_plans pp JOIN organisations o ON o.id = pp.tenant_id
        WHERE ({tenants} IS NULL OR pp.tenant_id = {tenants})
        ORDER BY o.code, pp.first_year, pp.plan_id""",
    "items": """
        SELECT o.code AS lao_code, i.plan_id, i.item_id, i.number,
               i.sort_key[1] AS dimension, i.kind, v.name, v.responsible_unit, v.no_budget,
               (SELECT sum(value::numeric) FROM jsonb_each_text(v.budget)) AS budget_total_baht,
               jsonb_array_length(v.steps) AS steps_total,
               (SELECT count(*) FROM jsonb_to_recordset(v.steps) AS s(status text)
                 WHERE s.status = 'completed') AS steps_done
        FROM public_items i JOIN organisations o ON o.id = i.tenant_id,
             jsonb_to_record(i.view) AS v(name text, responsible_unit text, no_budget boolean,
                                         budget jsonb, steps jsonb)
        WHERE ({tenants} IS NULL OR i.tenant_id = {tenants})""",
    "budgets": """
        SELECT o.code AS lao_code, i.plan_id, i.item_id, b.key::int AS fiscal_year,
               b.value::numeric AS amount_baht
        FROM public_items i JOIN organisations o ON o.id = i.tenant_id,
             jsonb_to_record(i.view) AS v(budget jsonb), jsonb_each_text(v.budget) b
        WHERE ({tenants} IS NULL OR i.tenant_id = {tenants})""",
    "steps": """
        SELECT o.code AS lao_code, i.plan_id, i.item_id, s->>'number' AS step_number,
               s->>'title' AS title, s->>'due' AS due, (s->>'fiscal_year')::int AS fiscal_year,
               s->>'status' AS status, s->>'started_on' AS started_on,
               s->>'completed_on' AS completed_on
        FROM public_items i JOIN organisations o ON o.id = i.tenant_id,
             jsonb_to_record(i.view) AS v(steps jsonb), jsonb_array_elements(v.steps) s
        WHERE ({tenants} IS NULL OR i.tenant_id = {tenants})""",
    "declarations": """
        SELECT o.code AS lao_code, d.declaration_id, d.published_on,
               array_to_string(ARRAY(SELECT jsonb_array_elements_text(d.view->'signers')), '; ')
                 AS signers,
               d.view->>'text' AS text, d.view->'document'->>'sha256' AS document_sha256,
               jsonb_array_length(d.view->'announcements') AS announcements
        FROM public_declarations d JOIN organisations o ON o.id = d.tenant_id
        WHERE ({tenants} IS NULL OR d.tenant_id = {tenants})
        ORDER BY o.code, d.published_on, d.declaration_id""",
    "complaints": """
        SELECT o.code AS lao_code, c.fiscal_year, c.received, c.resolved
        FROM public_complaint_counts c JOIN organisations o ON o.id = c.tenant_id
        WHERE ({tenants} IS NULL OR c.tenant_id = {tenants}) ORDER BY o.code, c.fiscal_year""",
    "reports": """
        SELECT o.code AS lao_code, r.round, r.format, r.sha256, r.size AS size_bytes, r.as_of,
               r.submitted_on, '/p/' || o.code || '/files/' || r.sha256 AS download_path
        FROM public_reports r JOIN organisations o ON o.id = r.tenant_id
        WHERE ({tenants} IS NULL OR r.tenant_id = {tenants})
        ORDER BY o.code, r.round, r.format""",
}
# Every LAO (the national files: the planner folds the condition away) or one.
ALL = "NULL::uuid"
ONE = "$1::uuid"
PUBLIC_TABLES = (
    "public_plans",
    "public_items",
    "public_declarations",
    "public_complaint_counts",
)


def table_sql(table: str, tenants: str = ALL) -> str:
    return TABLES[table].format(tenants=tenants)


async def data_version(conn: asyncpg.Connection) -> str:
    """A short fingerprint of the public read model and the register: changes when a row is
    written (its xmin) or removed (the count)."""
    parts = []
    for t in (*PUBLIC_TABLES, "organisations"):
        row = await conn.fetchrow(f"SELECT count(*), max(xmin::text::bigint) FROM {t}")
        parts.append(f"{t}:{row[0]}:{row[1]}")
    # the submitted reports (a view: the public role reads no system column of reports)
    row = await conn.fetchrow(
        "SELECT count(*), max(submitted_on), md5(string_agg(sha256, ',' ORDER BY sha256)) "
        "FROM public_reports"
    )
    parts.append(f"reports:{row[0]}:{row[1]}:{row[2]}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:20]


async def copy_table(conn: asyncpg.Connection, table: str, path: Path) -> None:
    """One table for every LAO, as CSV with a header, streamed by COPY into ``path``."""
    await conn.execute("SET LOCAL work_mem = '64MB'")
    await conn.copy_from_query(table_sql(table), output=str(path), format="csv", header=True)


async def rows(conn: asyncpg.Connection, table: str, tenant_id: uuid.UUID) -> list[dict[str, Any]]:
    """One LAO's rows of a table (its data.csv / data.json)."""
    return [dict(r) for r in await conn.fetch(table_sql(table, ONE), tenant_id)]
