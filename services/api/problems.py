"""Errors as RFC 9457 problem+json; a database or Redis that is away is 503, never 500."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import asyncpg
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException

from domain.shared.errors import DomainError
from infra.eventstore.canonical import NotCanonical
from infra.logs import request_id_var
from infra.redis_client import UNAVAILABLE as REDIS_UNAVAILABLE

log = logging.getLogger("sujarit.api")
PROBLEM = "application/problem+json"
TYPE_BASE = "https://sujarit.go.th/problems/"

UNAVAILABLE = (
    asyncpg.PostgresConnectionError,
    asyncpg.exceptions.OperatorInterventionError,
    asyncpg.InterfaceError,
    # A connection the server dropped mid-protocol (e.g. during a restart) surfaces as an
    # internal client error on its next use; the pool replaces it.
    asyncpg.InternalClientError,
    asyncpg.exceptions.TooManyConnectionsError,
    # A statement the server ended after its 60 s (statement_timeout, infra/db/pool.py).
    asyncpg.exceptions.QueryCanceledError,
    ConnectionError,
    TimeoutError,
    OSError,
    # Redis away (sessions, sign-in throttling): its errors are not the builtin ones.
    *REDIS_UNAVAILABLE,
)


# Text PostgreSQL cannot store: the client sent it, so the answer is 400, not 500.
UNSTORABLE_TEXT = (
    asyncpg.exceptions.CharacterNotInRepertoireError,
    asyncpg.exceptions.UntranslatableCharacterError,
)


class InvalidText(DomainError):
    """Input PostgreSQL or the parser cannot take (400): the client's to fix."""

    code = "invalid-input"
    status = 400


def problem(
    status: int,
    code: str,
    title: str,
    detail: str = "",
    extra: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response[Any]:
    body: dict[str, object] = {"type": TYPE_BASE + code, "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if rid := request_id_var.get():
        body["request_id"] = rid
    body.update(extra or {})
    sent = {"Retry-After": "5"} if status == 503 else {}
    return Response(
        body, status_code=status, media_type=PROBLEM, headers={**sent, **(headers or {})}
    )


def wants_page(request: Request[Any, Any, Any]) -> bool:
    """A person's page (Thai HTML) rather than the JSON API (problem+json)."""
    path = request.url.path
    return not path.startswith(("/api/", "/schema")) and path != "/ready"


def domain_error(request: Request[Any, Any, Any], exc: DomainError) -> Response[Any]:
    """A rule said no: problem+json for the API, the Thai message page for a person. Pages that
    keep what was typed catch the error themselves; anything else ends here."""
    if wants_page(request):
        from services.api.pages.common import page

        return page(
            "message.html",
            exc.status,
            title="ทำรายการนี้ไม่ได้" if exc.status == 403 else "ทำรายการไม่สำเร็จ",
            message=exc.message,
            link=request.headers.get("referer") or "/",
            link_text="กลับไปหน้าเดิม",
        )
    wait = exc.details.get("retry_after") if exc.status == 429 else None
    headers = {"Retry-After": str(wait)} if wait else None
    return problem(exc.status, exc.code, exc.message, extra=exc.details, headers=headers)


def http_error(_: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    if isinstance(exc, ValidationException):
        return problem(
            400,
            "invalid-request",
            "คำขอไม่ถูกต้อง",
            str(exc.detail),
            extra={"errors": exc.extra or []},
        )
    code = {
        404: "not-found",
        405: "method-not-allowed",
        403: "forbidden",
        401: "unauthorized",
        429: "too-many-requests",
    }.get(exc.status_code, "http-error")
    # The exception's own headers go out with it (405: Allow; 429: Retry-After).
    return problem(exc.status_code, code, str(exc.detail), headers=exc.headers)


def unavailable(_: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.warning("service unavailable: %s: %s", type(exc).__name__, exc)
    return problem(503, "service-unavailable", "ระบบไม่พร้อมให้บริการชั่วคราว กรุณาลองใหม่ในอีกสักครู่")


def unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    if isinstance(exc, UNAVAILABLE):
        return unavailable(request, exc)
    if isinstance(exc, NotCanonical):
        return problem(422, "invalid-data", "ข้อมูลมีรูปแบบที่บันทึกไม่ได้", str(exc))
    if isinstance(exc, UNSTORABLE_TEXT):  # e.g. a NUL byte in a path, a query or a field
        return domain_error(request, InvalidText("ข้อความที่ส่งมามีอักขระที่ใช้ไม่ได้ (เช่น อักขระ NUL)"))
    if isinstance(exc, RecursionError):  # JSON nested deeper than anything we accept
        return domain_error(request, InvalidText("ข้อมูลที่ส่งมาซ้อนกันลึกเกินไป"))
    log.exception("unexpected error")
    return problem(500, "internal-error", "เกิดข้อผิดพลาดภายในระบบ ทีมงานได้รับแจ้งแล้ว")


EXCEPTION_HANDLERS = {
    DomainError: domain_error,
    HTTPException: http_error,
    Exception: unexpected,
}
