"""The clerk's ITA page (every item of a year, the address the service can give for it, a copy
button) and the public evidence behind each address (no sign-in)."""

from __future__ import annotations

from litestar import Controller, get
from litestar.di import NamedDependency as Dep
from litestar.params import FromPath
from litestar.response import Template

from domain.ita import SOURCES, years
from services.api.pages.common import page
from services.api.pages.visit import LaoPages, Visit
from services.api.public.pages import CACHE, not_found_public
from services.api.state import Services
from services.usecases import ita as usecase


class ItaPages(LaoPages):
    path = "/t/{org_code:str}/ita"

    @get("/")
    async def show(self, visit: Dep[Visit]) -> Template:
        wanted = visit.query("year")[:4]
        year = int(wanted) if wanted.isdigit() and int(wanted) in years() else None
        year = year or usecase.current_year(visit.services)
        lines = await usecase.ita_lines(visit.services, visit.actor, year)
        return visit.render(
            "ita.html",
            title=f"ITA ปี {year}",
            year=year,
            years=years(),
            lines=lines,
            source=SOURCES.get(year, ""),
        )


class ItaPublic(Controller):
    path = "/p/{code:str}/ita"
    include_in_schema = False

    @get("/{year:int}/{item_code:str}")
    async def evidence(
        self,
        code: FromPath[str],
        year: FromPath[int],
        item_code: FromPath[str],
        services: Dep[Services],
    ) -> Template:
        found = await usecase.ita_evidence(services, code, year, item_code[:10])
        if found is None:
            return not_found_public()
        return page(
            "ita_evidence.html",
            title=f"{found.item.code} {found.item.title}",
            home_url=f"/p/{found.org['code']}",
            e=found,
            headers=CACHE,
        )
