"""The language toggle: /lang/en or /lang/th, back to where the person was."""

from __future__ import annotations

from litestar import get
from litestar.datastructures import Cookie
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect

from services.api.i18n import COOKIE, LANGS


@get("/lang/{lang:str}", include_in_schema=False)
async def set_language(lang: FromPath[str], next: FromQuery[str] = "/") -> Redirect:
    back = next if next.startswith("/") and not next.startswith("//") else "/"
    cookie = Cookie(
        key=COOKIE,
        value=lang if lang in LANGS else "th",
        max_age=365 * 24 * 3600,
        samesite="lax",
        httponly=True,
        path="/",
    )
    return Redirect(back, status_code=303, cookies=[cookie])
