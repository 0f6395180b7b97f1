"""The language toggle (Thai or English), back to where the person was."""

from __future__ import annotations

from services.api.language.pages import set_language

ROUTES = [set_language]
