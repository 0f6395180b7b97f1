"""The provincial office's dashboard of every LAO of its province (/t/po-<code>/province), its
CSV and XLSX exports, the links into an LAO's read-only pages (/t/po-<code>/lao/<code>/), and
the operator's national view (/t/operator/national, one row per province;
/t/operator/national/<province> that province's dashboard). Over services/usecases/province."""

from __future__ import annotations

import hashlib
from typing import Any

from litestar import Response, get
from litestar.di import NamedDependency as Dep
from litestar.params import FromPath
from litestar.response import Redirect, Template

from domain.shared.errors import DomainError
from domain.tenancy.organisations import KIND_THAI, Kind
from infra.auth.sessions import Session
from infra.queries.province import KIND_SHORT, SORTS, Filters
from services.api.pages.common import AnyRequest, PageNotFound, cached_fragment, not_found, page
from services.api.pages.visit import OrgPages, Visit
from services.api.province.exports import export_table, to_csv, to_xlsx
from services.usecases import province as usecase

KINDS = [(k.value, KIND_THAI[k]) for k in Kind]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _query_key(request: AnyRequest) -> str:
    raw = "&".join(f"{k}={v}" for k, v in sorted(request.query_params.multi_items()))
    return hashlib.sha256(raw.encode()).hexdigest()[:24]


async def _scope(visit: Visit, scope: str, province: str | None = None) -> usecase.Scope:
    """The overview the viewer may read at this address (its own office's or the operator's);
    any other is the 'not found' page."""
    viewer = visit.viewer
    if viewer.org_code != visit.org.code or viewer.scope != scope:
        raise PageNotFound
    try:
        return await usecase.scope(visit.services, visit.actor, province)
    except DomainError as e:
        raise PageNotFound from e


async def _dashboard(visit: Visit, s: usecase.Scope, base: str) -> Template:
    assert s.province is not None
    request, services = visit.request, visit.services
    f = Filters.of(request.query_params)
    title = f"อปท. ในจังหวัด{s.province.name_th}"

    async def make() -> dict[str, Any]:
        found = await usecase.dashboard(services, s, f)
        return {
            **found,
            "title": title,
            "province": s.province,
            "rounds": s.rounds,
            "f": f,
            "sorts": SORTS,
            "kinds": KINDS,
            "kind_short": KIND_SHORT,
            "today": s.today,
            "base": base,
            "lao_base": f"/t/{s.org.code}/lao/",
        }

    version = await usecase.version(services, s)
    key = f"province:{s.org.code}:{s.province.code}:{s.today}:{version}:{_query_key(request)}"
    body = await cached_fragment(request, services, key, "province_body.html", make)
    return page("province.html", session=visit.viewer, org=s.org, title=title, body=body)


async def _export(visit: Visit, fmt: str) -> Response[bytes]:
    s = await _scope(visit, "office")
    assert s.province is not None
    found = await usecase.dashboard(visit.services, s, Filters.of(visit.request.query_params))
    head, body = export_table(found["rows"], s.rounds)
    name = f"sujarit-province-{s.province.code}-{s.today.isoformat()}"
    if fmt == "csv":
        data, media = to_csv(head, body), "text/csv; charset=utf-8"
    else:
        data, media = (
            to_xlsx(head, body, f"จังหวัด{s.province.name_th}", visit.services.clock.now()),
            XLSX,
        )
    return Response(
        data,
        media_type=media,
        headers={
            "Content-Disposition": f'attachment; filename="{name}.{fmt}"',
            "Cache-Control": "no-store",
        },
    )


class ProvincePages(OrgPages):
    """The office's dashboard and exports, the operator's national view: each only at the
    viewer's own address (any other is 'not found')."""

    @get("/province")
    async def dashboard(self, visit: Dep[Visit]) -> Template:
        return await _dashboard(visit, await _scope(visit, "office"), "province")

    @get("/province.csv")
    async def export_csv(self, visit: Dep[Visit]) -> Response[bytes]:
        return await _export(visit, "csv")

    @get("/province.xlsx")
    async def export_xlsx(self, visit: Dep[Visit]) -> Response[bytes]:
        return await _export(visit, "xlsx")

    @get("/national")
    async def national(self, visit: Dep[Visit]) -> Template:
        s = await _scope(visit, "operator")
        services = visit.services

        async def make() -> dict[str, Any]:
            found = await usecase.national(services, s)
            return {**found, "org": s.org, "rounds": s.rounds, "today": s.today}

        version = await usecase.version(services, s)
        key = f"national:{s.today}:{version}"
        body = await cached_fragment(
            visit.request, services, key, "province_national_body.html", make
        )
        return page(
            "province_national.html",
            session=visit.viewer,
            org=s.org,
            title="ภาพรวมทั้งประเทศ",
            body=body,
        )

    @get("/national/{province:str}")
    async def national_province(self, visit: Dep[Visit], province: FromPath[str]) -> Template:
        s = await _scope(visit, "operator", province[:10])
        if s.province is None:
            return not_found()
        return await _dashboard(visit, s, s.province.code)

    @get("/lao/{lao:str}/")
    async def into_lao(self, lao: FromPath[str], viewer: Dep[Session]) -> Redirect | Template:
        """The dashboard's link into an LAO: its own pages, which a reviewer of its province
        reads read-only (the pages' guard checks the province)."""
        if viewer.scope != "office" or len(lao) > 40:
            return not_found()
        return Redirect(f"/t/{lao}/", status_code=303)
