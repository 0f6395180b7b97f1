"""Plans and items, and the home page: the JSON API and the pages over the same use cases
(services/usecases/plans.py and items.py)."""

from __future__ import annotations

from services.api.edge import api_routes
from services.api.plans.addition_pages import AdditionPages
from services.api.plans.api import ItemsController, PlansController
from services.api.plans.home import HomePages
from services.api.plans.indicator_pages import IndicatorPages
from services.api.plans.item_pages import ItemPages
from services.api.plans.pages import PlanPages
from services.api.plans.sheet_pages import RevisionPages, SheetPages
from services.api.plans.step_pages import StepPages

ROUTES = [
    api_routes(PlansController, ItemsController),
    PlanPages,
    ItemPages,
    StepPages,
    SheetPages,
    RevisionPages,
    AdditionPages,
    IndicatorPages,
    HomePages,
]
