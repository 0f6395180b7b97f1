"""The LAO's profile (population, area, income, the plan's coordinator, website) that the
e-PlanNACC export and the national systems ask for."""

from __future__ import annotations

from services.api.organisation.pages import ProfilePages

ROUTES = [ProfilePages]
