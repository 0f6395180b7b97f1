"""The LAO's registers: complaints, the timeline and the deadline calendar (JSON API), and the
history page."""

from services.api.edge import api_routes
from services.api.registers.api import ComplaintsController, TenantReadsController
from services.api.registers.pages import HistoryPages

ROUTES = [api_routes(ComplaintsController, TenantReadsController), HistoryPages]
