"""Importing plan documents: its JSON API and its pages."""

from services.api.edge import api_routes
from services.api.imports.api import ImportsController
from services.api.imports.pages import ImportPages

ROUTES = [api_routes(ImportsController), ImportPages]
