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


def problem(
    status: int, code: str, title: str, detail: str = "", extra: Mapping[str, Any] | None = None
) -> Response[Any]:
    body: dict[str, object] = {"type": TYPE_BASE + code, "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if rid := request_id_var.get():
        body["request_id"] = rid
    body.update(extra or {})
    headers = {"Retry-After": "5"} if status == 503 else {}
    return Response(body, status_code=status, media_type=PROBLEM, headers=headers)


def domain_error(_: Request[Any, Any, Any], exc: DomainError) -> Response[Any]:
    return problem(exc.status, exc.code, exc.message, extra=exc.details)


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
    return problem(exc.status_code, code, str(exc.detail))


def unavailable(_: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.warning("service unavailable: %s: %s", type(exc).__name__, exc)
    return problem(503, "service-unavailable", "ระบบไม่พร้อมให้บริการชั่วคราว กรุณาลองใหม่ในอีกสักครู่")


def unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    if isinstance(exc, UNAVAILABLE):
        return unavailable(request, exc)
    if isinstance(exc, NotCanonical):
        return problem(422, "invalid-data", "ข้อมูลมีรูปแบบที่บันทึกไม่ได้", str(exc))
    log.exception("unexpected error")
    return problem(500, "internal-error", "เกิดข้อผิดพลาดภายในระบบ ทีมงานได้รับแจ้งแล้ว")


EXCEPTION_HANDLERS = {
    DomainError: domain_error,
    HTTPException: http_error,
    Exception: unexpected,
}
