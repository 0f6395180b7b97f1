"""ASGI entry point for servers: ``uvicorn --factory services.api.asgi:make_app``."""

from __future__ import annotations

from litestar import Litestar

from infra.settings import load_settings


def make_app() -> Litestar:
    from services.api.app import create_app

    return create_app(load_settings())
