"""The operator's console (ผู้ดูแลระบบ): the register of LAOs (add one, import the national
register with a preview), invitations of first executives and provincial reviewers, and the
onboarding funnel per province."""

from services.api.console.api import ConsoleController
from services.api.console.pages import ConsolePages
from services.api.edge import api_routes

ROUTES = [api_routes(ConsoleController), ConsolePages]
