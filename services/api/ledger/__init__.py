"""The public transparency log of each LAO: its endpoints (api.py) and verify page (pages.py)."""

from __future__ import annotations

from typing import Any


def ledger_handlers() -> list[Any]:
    from services.api.ledger.api import LogController
    from services.api.ledger.pages import LedgerPages, OperatorLogPage

    return [LogController, LedgerPages, OperatorLogPage]
