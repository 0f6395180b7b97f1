"""Conditional GETs for the public, cacheable responses: an ETag from what is served and a
304 Not Modified when the client already holds it (If-None-Match, RFC 9110 §13.1.2)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from litestar import Request, Response


def etag_of(content: bytes | str) -> str:
    """A strong ETag from the bytes served."""
    data = content.encode() if isinstance(content, str) else content
    return '"' + hashlib.sha256(data).hexdigest()[:32] + '"'


def matches(request: Request[Any, Any, Any], etag: str) -> bool:
    """If-None-Match names ``etag`` (weak comparison: a W/ prefix is ignored) or is ``*``."""
    sent = str(request.headers.get("if-none-match", ""))
    tags = [t.strip().removeprefix("W/") for t in sent.split(",")]
    return "*" in tags or etag in tags


def not_modified(
    request: Request[Any, Any, Any], etag: str, headers: Mapping[str, str]
) -> Response[bytes] | None:
    """A 304 with ``headers`` and the ETag when the client holds ``etag``; None otherwise."""
    if matches(request, etag):
        return Response(b"", status_code=304, headers={**headers, "ETag": etag})
    return None
