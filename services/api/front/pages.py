"""/ and /favicon.ico."""

from __future__ import annotations

from pathlib import Path

from litestar import Controller, Response, get
from litestar.di import NamedDependency as Dep
from litestar.response import Template

from services.api.pages.common import AnyRequest, page
from services.api.state import Services
from services.usecases import public as usecase

FAVICON = (Path(__file__).parent.parent / "static" / "favicon.svg").read_bytes()


class FrontPages(Controller):
    path = "/"
    include_in_schema = False

    @get("/")
    async def front(self, request: AnyRequest, services: Dep[Services]) -> Template:
        typed = str(request.query_params.get("q", ""))[:200].strip()
        found = await usecase.find_laos(services, typed) if typed else []
        return page(
            "front.html",
            title="ค้นหา อปท. ของคุณ",
            q=typed,
            found=found,
            limit=usecase.SEARCH_LIMIT,
        )

    @get("/favicon.ico", media_type="image/svg+xml")
    async def favicon(self) -> Response[bytes]:
        return Response(
            FAVICON,
            media_type="image/svg+xml",
            headers={"Cache-Control": "public, max-age=604800"},
        )
