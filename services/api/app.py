"""The Litestar application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import fontpkg_sarabun as sarabun
from litestar import Litestar
from litestar.config.cors import CORSConfig
from litestar.datastructures import CacheControlHeader
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig
from litestar.types import ControllerRouterHandler

from domain.shared.clock import Clock
from infra.logs import configure_logging
from infra.settings import Settings
from services.api.conformance import JsonDocument, YamlDocument, allow_every_method
from services.api.edge import provide_actor
from services.api.features import feature_routes, template_directories
from services.api.health import health, ready
from services.api.i18n import language_middleware
from services.api.middleware import (
    allowed_hosts_middleware,
    client_address_middleware,
    idempotency_lock_middleware,
    request_id_middleware,
    security_headers,
)
from services.api.pages import all_pages
from services.api.pages.common import (
    FormRefused,
    PageNotFound,
    SignInRequired,
    form_refused,
    page_not_found,
    provide_viewer,
    to_sign_in,
)
from services.api.pages.filters import FILTERS, GLOBALS
from services.api.problems import EXCEPTION_HANDLERS
from services.api.state import Services
from services.api.v1.auth import provide_principal
from services.usecases import bootstrap

HERE = Path(__file__).parent


def configure_jinja(config: Any) -> None:
    """The pages' filters (Buddhist Era dates, baht) and globals (Thai month names)."""
    config.engine.filters.update(FILTERS)
    config.engine.globals.update(GLOBALS)


def create_app(
    settings: Settings,
    *,
    clock: Clock | None = None,
    extra_handlers: Sequence[ControllerRouterHandler] = (),
    configure_logs: bool = True,
) -> Litestar:
    if configure_logs:
        configure_logging(settings.log_level, json_lines=settings.log_json)
    holder: dict[str, Services] = {}

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        async with bootstrap.services(settings, clock=clock) as built:
            holder["services"] = built
            app.state.services = built  # for tests and tools that hold the app
            yield

    def provide_services() -> Services:
        return holder["services"]

    handlers: list[Any] = [
        health,
        ready,
        *all_pages(),
        *feature_routes(),
        create_static_files_router("/static", directories=[HERE / "static"], name="static"),
        # Sarabun, the official Thai typeface, from its package: Thai renders on any device.
        create_static_files_router(
            "/fonts",
            directories=[sarabun.ROOT / "files"],
            name="fonts",
            cache_control=CacheControlHeader(max_age=30 * 24 * 3600, public=True),
        ),
        *extra_handlers,
    ]
    handlers_of_errors: dict[Any, Any] = {
        **EXCEPTION_HANDLERS,
        SignInRequired: to_sign_in,
        FormRefused: form_refused,
        PageNotFound: page_not_found,
    }
    app = Litestar(
        route_handlers=handlers,
        lifespan=[lifespan],
        dependencies={
            "services": Provide(provide_services, sync_to_thread=False),
            "actor": Provide(provide_actor),
            "principal": Provide(provide_principal),  # the controllers not yet on use cases
            "viewer": Provide(provide_viewer),
        },
        exception_handlers=handlers_of_errors,
        before_send=[security_headers(settings.cookie_secure)],
        middleware=[
            client_address_middleware(settings.forwarded_allow_ips),
            allowed_hosts_middleware(settings.allowed_hosts),
            request_id_middleware,
            idempotency_lock_middleware,
            language_middleware,
        ],
        template_config=TemplateConfig(
            directory=template_directories(),
            engine=JinjaTemplateEngine,
            engine_callback=configure_jinja,
        ),
        cors_config=CORSConfig(allow_origins=list(settings.cors_origins))
        if settings.cors_origins
        else None,
        openapi_config=OpenAPIConfig(
            title="Sujarit API",
            version="1",
            path="/schema",
            # The document only, from this origin: no documentation page that loads scripts
            # from elsewhere into ours (the Content-Security-Policy allows none).
            # Completed with what the request structs enforce (services.api.conformance).
            render_plugins=[JsonDocument(), YamlDocument()],
            components=Components(
                security_schemes={
                    "bearer": SecurityScheme(
                        type="http", scheme="bearer", description="An API token (sjt_...)"
                    )
                }
            ),
        ),
        logging_config=None,
        debug=False,
    )
    return allow_every_method(app)
