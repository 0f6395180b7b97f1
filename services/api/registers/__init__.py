"""The LAO's registers: complaints, the timeline and the deadline calendar (JSON API), the
history page and the complaints register's pages."""

from services.api.edge import api_routes
from services.api.registers.api import ComplaintsController, TenantReadsController
from services.api.registers.complaint_pages import ComplaintPages
from services.api.registers.pages import HistoryPages

ROUTES = [api_routes(ComplaintsController, TenantReadsController), HistoryPages, ComplaintPages]
