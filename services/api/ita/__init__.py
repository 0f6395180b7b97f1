"""The ITA items: the clerk's list of addresses per assessment year (with a copy button), and
the stable public addresses /p/<code>/ita/<year>/<item> behind them."""

from __future__ import annotations

from services.api.ita.pages import ItaPages, ItaPublic
from services.api.ita.reports import SubmittedReports

ROUTES = [ItaPages, ItaPublic, SubmittedReports]
