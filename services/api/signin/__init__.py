"""Signing in and out, accepting an invitation, resetting a password: /t/<org>/..."""

from __future__ import annotations

from services.api.signin.pages import SignInPages

ROUTES = [SignInPages]
