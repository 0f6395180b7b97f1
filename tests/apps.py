"""An app for tests that exercise the store through HTTP before the domain's routes exist."""

from __future__ import annotations

import uuid

from litestar import Litestar, Request, post
from litestar.di import NamedDependency

from infra.eventstore.records import NewEvent
from infra.settings import load_settings
from services.api.app import create_app
from services.api.state import Services


@post("/test/append/{tenant_id:uuid}")
async def append_ping(
    tenant_id: uuid.UUID,
    services: NamedDependency[Services],
    request: Request[object, object, object],
) -> dict[str, int]:
    key = request.headers.get("idempotency-key")
    result = await services.store.append(
        tenant_id, tenant_id, "test", None, [NewEvent("Ping", {"key": key})], idempotency_key=key
    )
    return {"sequence": result.last_sequence}


def make_app() -> Litestar:
    return create_app(load_settings(), extra_handlers=[append_ping])
