"""Request ids and access logs."""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Callable

from litestar.types import (
    ASGIApp,
    HTTPResponseBodyEvent,
    HTTPResponseStartEvent,
    Message,
    Receive,
    Scope,
    Send,
)

from infra.logs import request_id_var, tenant_var

log = logging.getLogger("sujarit.access")
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def request_id_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # type: ignore[comparison-overlap]
            await app(scope, receive, send)
            return
        given = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        rid = given if _VALID_ID.match(given) else uuid.uuid4().hex
        token = request_id_var.set(rid)
        tenant_token = tenant_var.set("")
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-request-id", rid.encode())]
            await send(message)

        try:
            await app(scope, receive, send_with_id)
        finally:
            quiet = scope["path"] in ("/health", "/ready") and status < 400
            (log.debug if quiet else log.info)(
                "%s %s %s",
                scope.get("method", ""),
                scope["path"],
                status,
                extra={"status": status, "ms": round((time.perf_counter() - started) * 1000, 2)},
            )
            tenant_var.reset(tenant_token)
            request_id_var.reset(token)

    return middleware


def allowed_hosts_middleware(hosts: tuple[str, ...]) -> Callable[[ASGIApp], ASGIApp]:
    """Refuse a request whose Host (port aside) is not one of ``hosts`` ("*" allows all;
    "*.example.go.th" allows its subdomains)."""
    exact = {h.lower() for h in hosts if not h.startswith("*")}
    suffixes = tuple(h[1:].lower() for h in hosts if h.startswith("*."))
    anything = "*" in hosts
    body = json.dumps(
        {
            "type": "https://sujarit.go.th/problems/invalid-host",
            "title": "ชื่อโฮสต์ของคำขอไม่ได้รับอนุญาต",
            "status": 400,
        },
        ensure_ascii=False,
    ).encode()

    def wrap(app: ASGIApp) -> ASGIApp:
        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            if anything or scope["type"] not in ("http", "websocket"):
                await app(scope, receive, send)
                return
            host = dict(scope["headers"]).get(b"host", b"").decode("latin-1").lower()
            name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
            if name in exact or (suffixes and name.endswith(suffixes)):
                await app(scope, receive, send)
                return
            start: HTTPResponseStartEvent = {
                "type": "http.response.start",
                "status": 400,
                "headers": [(b"content-type", b"application/problem+json")],
            }
            await send(start)
            end: HTTPResponseBodyEvent = {
                "type": "http.response.body",
                "body": body,
                "more_body": False,
            }
            await send(end)

        return middleware

    return wrap
