"""The app the api benchmark serves: the real one, plus a baseline route that returns a body
held in memory (the cost of serving alone, with no sign-in, reading or assembling)."""

from __future__ import annotations

from litestar import Litestar, Response, get

from infra.settings import load_settings
from services.api.app import create_app

BODY: dict[str, bytes] = {"overview": b"{}"}


@get("/bench/memory", include_in_schema=False)
async def from_memory() -> Response[bytes]:
    return Response(BODY["overview"], media_type="application/json")


def make_app() -> Litestar:
    import os
    from pathlib import Path

    app = create_app(load_settings(), extra_handlers=[from_memory])
    body = Path(os.environ["BENCH_API_BODY"]).read_bytes()
    BODY["overview"] = body
    return app
