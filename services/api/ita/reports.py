"""The reports an LAO submitted to its provincial office, public at /p/<code>/reports/<round>.pdf
(the ITA's 6-month and annual report items link here); nothing that was not submitted."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Response, get
from litestar.di import NamedDependency as Dep

from services.api.pages.common import AnyRequest
from services.api.public.pages import CACHE, not_found_public
from services.api.reports.api import attachment
from services.api.state import Services
from services.usecases import ita as usecase


class SubmittedReports(Controller):
    path = "/p/{code:str}/reports"
    include_in_schema = False

    @get("/{filename:str}")
    async def report(self, request: AnyRequest, services: Dep[Services]) -> Response[Any]:
        code, filename = request.path_params["code"], request.path_params["filename"]
        round_code = filename.removesuffix(".pdf")[:20]
        data = (
            None
            if not filename.endswith(".pdf")
            else await usecase.public_report(services, code, round_code)
        )
        if data is None:
            return not_found_public()
        name = f"รายงานผลการดำเนินงาน-{code[:20]}-{round_code}"
        disposition = attachment(name, f"sujarit-report-{code[:20]}-{round_code}", "pdf")
        return Response(
            data,
            media_type="application/pdf",
            headers={
                **CACHE,
                "Content-Disposition": disposition.replace("attachment", "inline", 1),
            },
        )
