"""/open-data/: one CSV per table for every LAO, a DCAT catalogue (catalogue.json) and the
schema; no sign-in. The files are made by COPY as the public role, once per data version."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Response, get
from litestar.di import NamedDependency as Dep
from litestar.params import FromPath
from litestar.response import File, Template

from services.api.caching import not_modified
from services.api.pages.common import AnyRequest, page
from services.api.public.pages import not_found_public
from services.api.state import Services
from services.usecases import open_data as usecase


class OpenDataPages(Controller):
    path = "/open-data"
    include_in_schema = False

    @get("/")
    async def index(self, services: Dep[Services]) -> Template:
        version, files = await usecase.national_files(services)
        return page(
            "open_data.html",
            title="ข้อมูลเปิด",
            tables=[(t, usecase.DESCRIPTIONS[t], files[t].stat().st_size) for t in usecase.TABLES],
            version=version,
            license=usecase.LICENSE,
            headers={"Cache-Control": "public, max-age=300"},
        )

    @get("/catalogue.json", media_type="application/json")
    async def catalogue(
        self, request: AnyRequest, services: Dep[Services]
    ) -> Response[dict[str, Any]] | Response[bytes]:
        version, files = await usecase.national_files(services)
        headers = {"Cache-Control": "public, max-age=300", "ETag": f'"{version}"'}
        return not_modified(request, headers["ETag"], headers) or Response(
            usecase.catalogue(services.settings.base_url, version, files),
            media_type="application/json",
            headers=headers,
        )

    @get("/{name:str}")
    async def table(
        self, name: FromPath[str], request: AnyRequest, services: Dep[Services]
    ) -> File | Template | Response[bytes]:
        table = name.removesuffix(".csv")
        if not name.endswith(".csv") or table not in usecase.TABLES:
            return not_found_public()
        version, files = await usecase.national_files(services)
        headers = {"Cache-Control": "public, max-age=300", "ETag": f'"{version}-{table}"'}
        return not_modified(request, headers["ETag"], headers) or File(
            files[table],
            filename=f"sujarit-{table}.csv",
            media_type="text/csv; charset=utf-8",
            headers=headers,
        )
