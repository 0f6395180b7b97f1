"""The members API's request bodies."""

from __future__ import annotations

from typing import Annotated, Literal

from msgspec import Meta, Struct

# What domain.tenancy.members.normalise_email accepts (surrounding spaces aside).
# (\x1c-\x1f: whitespace to Python, not to JSON Schema's \s.)
EMAIL = r"^[^@\s\x1c-\x1f]{1,64}@[^@\s\x1c-\x1f]{1,190}\.[^@\s\x1c-\x1f.]{2,63}$"


LaoRole = Literal["executive", "plan_officer", "staff", "viewer"]


class InviteIn(Struct, forbid_unknown_fields=True, kw_only=True):
    email: Annotated[str, Meta(pattern=EMAIL)]
    name: Annotated[str, Meta(min_length=1, max_length=200)]
    role: LaoRole


class OnboardIn(InviteIn, forbid_unknown_fields=True, kw_only=True):
    role: Literal["executive", "reviewer"]  # type: ignore[assignment]  # an LAO's, an office's
    org: str  # an LAO's code, or po-<province code> for a provincial office's reviewer


class RoleIn(Struct, forbid_unknown_fields=True, kw_only=True):
    role: LaoRole


class TokenIn(Struct, forbid_unknown_fields=True, kw_only=True):
    name: str = ""
