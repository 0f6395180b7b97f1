"""Evidence files: upload (type checked by its bytes) and download, over the JSON API."""

from services.api.edge import api_routes
from services.api.evidence.api import EvidenceController

ROUTES = [api_routes(EvidenceController)]
