"""Thai first, with an English toggle: templates write Thai and say ``_("...")``.

English lives in ``translations/*.json`` (Thai text -> English), one file per page area;
a text without an entry stays Thai. The language is the ``lang`` cookie (set by /lang/en or
/lang/th), read once per request by the middleware below.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextvars import ContextVar
from functools import cache
from pathlib import Path

from litestar.types import ASGIApp, Receive, Scope, Send

LANGS = ("th", "en")
COOKIE = "lang"
lang_var: ContextVar[str] = ContextVar("lang", default="th")
path_var: ContextVar[str] = ContextVar("path", default="/")  # for the toggle's way back
HERE = Path(__file__).parent / "translations"


@cache
def catalogue() -> dict[str, str]:
    merged: dict[str, str] = {}
    for f in sorted(HERE.glob("*.json")):
        merged.update(json.loads(f.read_text(encoding="utf-8")))
    return merged


def translator(lang: str) -> Callable[[str], str]:
    if lang != "en":
        return lambda text: text
    table = catalogue()
    return lambda text: table.get(text, text)


def _cookie_lang(scope: Scope) -> str:
    raw = dict(scope["headers"]).get(b"cookie", b"").decode("latin-1")
    for part in raw.split(";"):
        name, _, value = part.strip().partition("=")
        if name == COOKIE and value in LANGS:
            return value
    return "th"


def language_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # type: ignore[comparison-overlap]
            await app(scope, receive, send)
            return
        token = lang_var.set(_cookie_lang(scope))
        query = scope.get("query_string", b"").decode("latin-1")
        path_token = path_var.set(scope["path"] + (f"?{query}" if query else ""))
        try:
            await app(scope, receive, send)
        finally:
            path_var.reset(path_token)
            lang_var.reset(token)

    return middleware
