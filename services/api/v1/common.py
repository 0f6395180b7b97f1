"""Shared pieces of the v1 controllers: If-Match, ETags, as-of, writes."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import asyncpg
from litestar import Response
from litestar.openapi.datastructures import ResponseSpec
from msgspec import Struct

from domain.shared.clock import BANGKOK
from domain.shared.fiscal import fiscal_year
from domain.shared.ports import Saved
from services.api.edge import if_match as if_match  # read at the edge, kept here for v1
from services.api.state import Services
from services.api.v1.auth import Principal
from services.api.v1.schemas import Written


def written(id: uuid.UUID, saved: Saved, status: int = 200) -> Response[Written]:
    return Response(
        Written(str(id), saved.version, saved.duplicate),
        status_code=status,
        headers={"ETag": f'"{saved.version}"'},
    )


def end_of_day(as_of: date) -> datetime:
    """The last instant of ``as_of`` in Asia/Bangkok, in UTC."""
    return datetime.combine(as_of + timedelta(days=1), time(), BANGKOK).astimezone(UTC) - (
        timedelta(microseconds=1)
    )


async def read_row(
    principal: Principal, services: Services, sql: str, *args: Any
) -> asyncpg.Record | None:
    """One row from a reading function that takes the tenant first and sets it for itself
    (``app_plan_overview(tenant, ...)``): one statement, one round trip. A reviewer reads in
    its own transaction (which checks the tenant is of its province) as usual."""
    principal.need_tenant()
    if principal.scope == "lao":
        async with services.db.acquire() as conn:
            row: asyncpg.Record | None = await conn.fetchrow(sql, principal.tenant_id, *args)
            return row
    async with principal.reading(services) as conn:
        row = await conn.fetchrow(sql, principal.tenant_id, *args)
        return row


def today_bangkok() -> date:
    return datetime.now(BANGKOK).date()


class Problem(Struct, omit_defaults=True):
    """RFC 9457 problem details; ``type`` is stable per rule, ``title`` is Thai for people."""

    type: str
    title: str
    status: int
    detail: str = ""
    request_id: str = ""


def _problem(description: str) -> ResponseSpec:
    return ResponseSpec(
        data_container=Problem,
        media_type="application/problem+json",
        description=description,
        generate_examples=False,
    )


PROBLEMS = {
    400: _problem("The request is malformed (schema, headers)"),
    401: _problem("No valid API token"),
    403: _problem("The token's role may not do this"),
    404: _problem("Not found (or another tenant's)"),
    409: _problem("A rule about the current state, or someone else saved first"),
    412: _problem("If-Match names a version that is not the current one"),
    413: _problem("The evidence file is larger than 20 MB"),
    415: _problem("The evidence file is not PDF, JPEG, PNG, DOCX or XLSX"),
    422: _problem("A business rule said no"),
    503: _problem("The database or Redis is unavailable; retry later"),
}


async def counted(conn: Any, as_of: date | None = None) -> dict[str, dict[int, int]]:
    """What the service counts by itself, per fiscal year, for indicators with a measure."""
    rows = await conn.fetch(
        """
        SELECT 'declarations_published' AS m, published_on AS d FROM declaration_views
         WHERE published_on IS NOT NULL
        UNION ALL
        SELECT 'declarations_announced', (a->>'on')::date FROM declaration_views,
               jsonb_array_elements(view->'announcements') AS a
        UNION ALL
        SELECT 'plans_promulgated', (summary->>'promulgated_on')::date FROM plan_views
         WHERE summary->>'promulgated_on' IS NOT NULL
        UNION ALL
        SELECT 'complaints_received', received_on FROM complaint_views
        """
    )
    out: dict[str, dict[int, int]] = {}
    for r in rows:
        if as_of is None or r["d"] <= as_of:
            fy = fiscal_year(r["d"])
            out.setdefault(r["m"], {}).setdefault(fy, 0)
            out[r["m"]][fy] += 1
    return out
