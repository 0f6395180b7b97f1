"""The public transparency log of each LAO: its endpoints (api.py) and verify page (pages.py)."""

from __future__ import annotations

from services.api.ledger.api import LogController
from services.api.ledger.pages import LedgerPages, OperatorLogPage

ROUTES = [LogController, LedgerPages, OperatorLogPage]
