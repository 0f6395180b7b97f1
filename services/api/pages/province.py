"""The provincial office's dashboard of every LAO of its province (/t/po-<code>/province), its
CSV and XLSX exports, and the operator's national view (/t/operator/national, one row per
province; /t/operator/national/<province> that province's dashboard).

Read from the cross-tenant read model ``lao_overview`` (the async projector's), in an overview
transaction: row-level security gives an office its province's rows only, the operator all.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from litestar import Controller, Response, get
from litestar.di import NamedDependency as Dep
from litestar.params import FromPath
from litestar.response import Template

from domain.shared.clock import BANGKOK
from domain.tenancy.organisations import KIND_THAI, Kind
from domain.tenancy.provinces import PROVINCES_BY_CODE
from infra.auth.orgs import Org, overview_transaction
from infra.auth.sessions import Session
from services.api.pages.common import AnyRequest, cached_fragment, not_found, org_of, page
from services.api.pages.province_data import (
    KIND_SHORT,
    SORTS,
    Filters,
    districts,
    export_table,
    national_rows,
    province_rows,
    reporting_rounds,
    to_csv,
    to_xlsx,
    totals,
)
from services.api.state import Services

KINDS = [(k.value, KIND_THAI[k]) for k in Kind]


def _today(services: Services) -> date:
    return services.clock.now().astimezone(BANGKOK).date()


async def _version(conn: Any, province: str | None) -> str:
    """The data version of a province's rows (or all): any update of a row changes its xmin."""
    if province is None:
        sql = "SELECT md5(string_agg(xmin::text, ',' ORDER BY tenant_id)) FROM lao_overview"
        return str(await conn.fetchval(sql))
    sql = (
        "SELECT md5(string_agg(xmin::text, ',' ORDER BY tenant_id)) FROM lao_overview "
        "WHERE province_code = $1"
    )
    return str(await conn.fetchval(sql, province))


def _query_key(request: AnyRequest) -> str:
    raw = "&".join(f"{k}={v}" for k, v in sorted(request.query_params.multi_items()))
    return hashlib.sha256(raw.encode()).hexdigest()[:24]


async def _dashboard(
    services: Services, request: AnyRequest, viewer: Session, org: Org, province: str, base: str
) -> Template:
    f = Filters.of(request.query_params)
    today = _today(services)
    rounds = reporting_rounds(today)
    p = PROVINCES_BY_CODE[province]
    title = f"อปท. ในจังหวัด{p.name_th}"
    async with overview_transaction(services.db, org) as conn:
        version = await _version(conn, province)

        async def make() -> dict[str, Any]:
            rows = await province_rows(conn, province, today, f)
            return {
                "title": title,
                "province": p,
                "rows": rows,
                "totals": totals(rows, rounds),
                "rounds": rounds,
                "f": f,
                "sorts": SORTS,
                "kinds": KINDS,
                "kind_short": KIND_SHORT,
                "districts": await districts(conn, province),
                "today": today,
                "base": base,
                "lao_base": f"/t/{org.code}/lao/",
            }

        key = f"province:{org.code}:{province}:{today}:{version}:{_query_key(request)}"
        body = await cached_fragment(request, services, key, "province_body.html", make)
    return page("province.html", session=viewer, org=org, title=title, body=body)


async def _export(
    services: Services, request: AnyRequest, org: Org, province: str, fmt: str
) -> Response[bytes]:
    f = Filters.of(request.query_params)
    today = _today(services)
    rounds = reporting_rounds(today)
    async with overview_transaction(services.db, org) as conn:
        rows = await province_rows(conn, province, today, f)
    head, body = export_table(rows, rounds)
    name = f"sujarit-province-{province}-{today.isoformat()}"
    if fmt == "csv":
        data, media = to_csv(head, body), "text/csv; charset=utf-8"
    else:
        data = to_xlsx(head, body, f"จังหวัด{PROVINCES_BY_CODE[province].name_th}")
        media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(
        data,
        media_type=media,
        headers={
            "Content-Disposition": f'attachment; filename="{name}.{fmt}"',
            "Cache-Control": "no-store",
        },
    )


async def _office(services: Services, viewer: Session, org_code: str) -> Org | None:
    org = await org_of(services, org_code)
    if org is None or viewer.scope != "office" or org.scope.value != "office":
        return None
    return org


async def _operator(services: Services, viewer: Session, org_code: str) -> Org | None:
    org = await org_of(services, org_code)
    if org is None or viewer.scope != "operator" or org.scope.value != "operator":
        return None
    return org


class ProvincePages(Controller):
    path = "/t/{org_code:str}"
    include_in_schema = False

    @get("/province")
    async def dashboard(
        self,
        request: AnyRequest,
        services: Dep[Services],
        viewer: Dep[Session],
        org_code: FromPath[str],
    ) -> Template:
        org = await _office(services, viewer, org_code)
        if org is None:
            return not_found()
        return await _dashboard(services, request, viewer, org, org.province, "province")

    @get("/province.csv")
    async def export_csv(
        self,
        request: AnyRequest,
        services: Dep[Services],
        viewer: Dep[Session],
        org_code: FromPath[str],
    ) -> Any:
        org = await _office(services, viewer, org_code)
        if org is None:
            return not_found()
        return await _export(services, request, org, org.province, "csv")

    @get("/province.xlsx")
    async def export_xlsx(
        self,
        request: AnyRequest,
        services: Dep[Services],
        viewer: Dep[Session],
        org_code: FromPath[str],
    ) -> Any:
        org = await _office(services, viewer, org_code)
        if org is None:
            return not_found()
        return await _export(services, request, org, org.province, "xlsx")

    @get("/national")
    async def national(
        self,
        request: AnyRequest,
        services: Dep[Services],
        viewer: Dep[Session],
        org_code: FromPath[str],
    ) -> Template:
        org = await _operator(services, viewer, org_code)
        if org is None:
            return not_found()
        today = _today(services)
        rounds = reporting_rounds(today)
        async with overview_transaction(services.db, org) as conn:
            version = await _version(conn, None)

            async def make() -> dict[str, Any]:
                rows = await national_rows(conn, today)
                names = ("code", "name_th", "name_en")
                keys = [k for k in rows[0].keys() if k not in names] if rows else []  # noqa: SIM118
                sums: dict[str, Any] = {
                    k: sum(r[k] for r in rows) for k in keys if k != "oldest_overdue"
                }
                oldest = [r["oldest_overdue"] for r in rows if r["oldest_overdue"]]
                sums["oldest_overdue"] = min(oldest) if oldest else None
                return {
                    "org": org,
                    "rows": rows,
                    "sums": sums,
                    "rounds": rounds,
                    "today": today,
                    "provinces_without": 76 - len(rows),
                }

            body = await cached_fragment(
                request,
                services,
                f"national:{today}:{version}",
                "province_national_body.html",
                make,
            )
        return page(
            "province_national.html",
            session=viewer,
            org=org,
            title="ภาพรวมทั้งประเทศ",
            body=body,
        )

    @get("/national/{province:str}")
    async def national_province(
        self,
        request: AnyRequest,
        services: Dep[Services],
        viewer: Dep[Session],
        org_code: FromPath[str],
        province: FromPath[str],
    ) -> Template:
        org = await _operator(services, viewer, org_code)
        if org is None or province not in PROVINCES_BY_CODE:
            return not_found()
        return await _dashboard(services, request, viewer, org, province, province)


PAGES = (ProvincePages,)
