"""The province: the provincial office's dashboard of its LAOs with exports, the way into an
LAO's read-only pages, and the operator's national view."""

from __future__ import annotations

from services.api.province.pages import ProvincePages

ROUTES = [ProvincePages]
