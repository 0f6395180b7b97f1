"""The declaration of intent against corruption: its JSON API and its pages."""

from services.api.declarations.api import DeclarationsController
from services.api.declarations.pages import DeclarationPages
from services.api.edge import api_routes

ROUTES = [api_routes(DeclarationsController), DeclarationPages]
