"""Report tasks (scheduled and on demand)."""

from __future__ import annotations
