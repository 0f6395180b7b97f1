"""The operator console API's request bodies."""

from __future__ import annotations

from msgspec import Struct


class RegisterIn(Struct, forbid_unknown_fields=True, kw_only=True):
    csv: str  # the register: code, name_th, name_en, kind, province, district
    seen: str = ""  # to apply: the preview's fingerprint (what the operator saw)


class LaoIn(Struct, forbid_unknown_fields=True, kw_only=True):
    code: str
    name_th: str
    kind: str
    province: str  # a province code or its Thai name
    district: str = ""
    name_en: str = ""


class WithdrawIn(Struct, forbid_unknown_fields=True, kw_only=True):
    org: str  # an LAO's code or po-<province code>
    email: str
