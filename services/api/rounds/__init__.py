"""Round reporting per item: the round table (every item of a 6- or 12-month round on one
sheet, one save), its JSON API, and the e-PlanNACC export of a round."""

from __future__ import annotations

from services.api.edge import api_routes
from services.api.rounds.api import RoundsController
from services.api.rounds.pages import DocumentPages, RoundPages

ROUTES = [api_routes(RoundsController), RoundPages, DocumentPages]
