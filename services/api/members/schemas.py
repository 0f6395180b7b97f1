"""The members API's request bodies."""

from __future__ import annotations

from msgspec import Struct


class InviteIn(Struct, forbid_unknown_fields=True, kw_only=True):
    email: str
    name: str
    role: str


class OnboardIn(InviteIn, forbid_unknown_fields=True, kw_only=True):
    org: str  # an LAO's code, or po-<province code> for a provincial office's reviewer


class RoleIn(Struct, forbid_unknown_fields=True, kw_only=True):
    role: str


class TokenIn(Struct, forbid_unknown_fields=True, kw_only=True):
    name: str = ""
