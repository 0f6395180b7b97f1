"""Members and their own accounts: the members API and page (invite, role, disable), API
tokens, the operator's onboarding, who am I."""

from __future__ import annotations

from services.api.edge import api_routes
from services.api.members.api import MembersController, OperatorController
from services.api.members.pages import MemberPages

ROUTES = [api_routes(MembersController, OperatorController), MemberPages]
