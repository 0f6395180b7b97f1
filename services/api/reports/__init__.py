"""Reports: the LAO's progress reports of a round (generate, follow, download, submit) and a
reviewer's provincial summaries; the JSON API and the pages over services/usecases/reports."""

from __future__ import annotations

from services.api.edge import api_routes
from services.api.reports.api import ReportsController
from services.api.reports.pages import ReportPages

ROUTES = [api_routes(ReportsController), ReportPages]
