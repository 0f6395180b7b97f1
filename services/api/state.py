"""What a running app holds: the composition root's services (services.usecases.bootstrap)."""

from __future__ import annotations

from services.usecases.bootstrap import Services

__all__ = ["Services"]
