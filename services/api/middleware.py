"""Request ids and access logs; the client's address behind trusted proxies; security headers."""

from __future__ import annotations

import hashlib
import ipaddress
import json
import logging
import re
import time
import uuid
from collections.abc import Awaitable, Callable

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


def _networks(
    allowed: tuple[str, ...],
) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    out = []
    for raw in allowed:
        try:
            out.append(ipaddress.ip_network(raw.strip(), strict=False))
        except ValueError:
            log.warning("FORWARDED_ALLOW_IPS: %r is not an address or a network; ignored", raw)
    return out


def _trusted(host: str, networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> bool:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return any(address in n for n in networks)


def client_address_middleware(allowed: tuple[str, ...]) -> Callable[[ASGIApp], ASGIApp]:
    """The client's address: the peer's, unless the peer is a configured proxy
    (FORWARDED_ALLOW_IPS): then the right-most address of X-Forwarded-For that is not itself a
    trusted proxy. A header from anyone else changes nothing (the sign-in throttle and the
    events record the real peer)."""
    networks = _networks(allowed)

    def wrap(app: ASGIApp) -> ASGIApp:
        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            client = scope.get("client")
            http = scope["type"] == "http"  # type: ignore[comparison-overlap]
            if http and networks and client and _trusted(client[0], networks):
                raw = b",".join(v for k, v in scope["headers"] if k == b"x-forwarded-for")
                hops = [h.strip() for h in raw.decode("latin-1").split(",") if h.strip()]
                while hops and _trusted(hops[-1], networks):
                    hops.pop()
                if hops:
                    try:
                        real = str(ipaddress.ip_address(hops[-1]))
                    except ValueError:
                        real = client[0]
                    scope["client"] = (real, 0)
            await app(scope, receive, send)

        return middleware

    return wrap


def security_headers(secure: bool) -> Callable[[Message, Scope], Awaitable[None]]:
    """A hook on every answer (404s and errors too): a Content-Security-Policy with no inline
    script (scripts and styles from this origin; style attributes allowed), no framing, no
    referrer across origins, no MIME sniffing; HSTS when the service is served over TLS
    (COOKIE_SECURE)."""
    headers = [
        (
            b"content-security-policy",
            b"default-src 'self'; script-src 'self'; style-src 'self'; "
            b"style-src-attr 'unsafe-inline'; img-src 'self' data:; font-src 'self'; "
            b"connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            b"frame-ancestors 'none'",
        ),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"same-origin"),
        (b"x-content-type-options", b"nosniff"),
    ]
    if secure:
        headers.append((b"strict-transport-security", b"max-age=31536000; includeSubDomains"))

    async def hook(message: Message, scope: Scope) -> None:
        if message["type"] == "http.response.start":
            have = {k.lower() for k, _ in message.get("headers", [])}
            extra = [(k, v) for k, v in headers if k not in have]
            message["headers"] = [*message.get("headers", []), *extra]

    return hook


SAFE = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
LOCK_SECONDS = 120  # longer than any request may take (statement_timeout is 60 s)


def idempotency_lock_middleware(app: ASGIApp) -> ASGIApp:
    """Concurrent retries of one request (same credentials, same Idempotency-Key) run one at a
    time: the second waits for the first to finish and then finds its answer recorded, instead
    of racing it (which answered 422 to some of twelve simultaneous retries). A Redis lock, so
    that it holds across API processes; without Redis the request runs unlocked (the event
    store still refuses a second write)."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method", "GET") in SAFE:  # type: ignore[comparison-overlap]
            await app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        key = headers.get(b"idempotency-key", b"")
        services = getattr(scope["app"].state, "services", None)  # type: ignore[typeddict-item]
        if not key or services is None:
            await app(scope, receive, send)
            return
        who = headers.get(b"authorization") or headers.get(b"cookie", b"")
        name = "idem:" + hashlib.sha256(who + b"\0" + key).hexdigest()
        lock = services.redis.lock(name, timeout=LOCK_SECONDS, sleep=0.05, blocking_timeout=90)
        try:
            held = await lock.acquire()
        except Exception as exc:  # Redis away: run unlocked
            log.warning("idempotency lock unavailable: %s: %s", type(exc).__name__, exc)
            held = False
        try:
            await app(scope, receive, send)
        finally:
            if held:
                try:
                    await lock.release()
                except Exception as exc:  # expired, or Redis away: nothing more to do
                    log.warning("idempotency lock release: %s: %s", type(exc).__name__, exc)

    return middleware
