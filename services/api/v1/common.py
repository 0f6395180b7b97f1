"""Shared pieces of the v1 controllers: If-Match, ETags, as-of, writes."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from litestar import Response
from litestar.openapi.datastructures import ResponseSpec
from msgspec import Struct

from domain.shared.clock import BANGKOK
from domain.shared.ports import Saved
from services.api.edge import if_match as if_match  # read at the edge, kept here for v1
from services.api.v1.schemas import Written


def written(id: uuid.UUID, saved: Saved, status: int = 200) -> Response[Written]:
    return Response(
        Written(str(id), saved.version, saved.duplicate),
        status_code=status,
        headers={"ETag": f'"{saved.version}"'},
    )


def tagged(body: Any, version: int) -> Response[Any]:
    """A read with its stream's version as the ETag (what a later If-Match names)."""
    return Response(body, headers={"ETag": f'"{version}"'})


def end_of_day(as_of: date) -> datetime:
    """The last instant of ``as_of`` in Asia/Bangkok, in UTC."""
    return datetime.combine(as_of + timedelta(days=1), time(), BANGKOK).astimezone(UTC) - (
        timedelta(microseconds=1)
    )


def today_bangkok() -> date:
    return datetime.now(BANGKOK).date()


class Problem(Struct, omit_defaults=True):
    """RFC 9457 problem details; ``type`` is stable per rule, ``title`` is Thai for people."""

    type: str
    title: str
    status: int
    detail: str = ""
    request_id: str = ""


def _problem(description: str) -> ResponseSpec:
    return ResponseSpec(
        data_container=Problem,
        media_type="application/problem+json",
        description=description,
        generate_examples=False,
    )


PROBLEMS = {
    400: _problem("The request is malformed (schema, headers)"),
    401: _problem("No valid API token"),
    403: _problem("The token's role may not do this"),
    404: _problem("Not found (or another tenant's)"),
    409: _problem("A rule about the current state, or someone else saved first"),
    412: _problem("If-Match names a version that is not the current one"),
    413: _problem("The evidence file is larger than 20 MB"),
    415: _problem("The evidence file is not PDF, JPEG, PNG, DOCX or XLSX"),
    422: _problem("A business rule said no"),
    503: _problem("The database or Redis is unavailable; retry later"),
}
# Operations that are limited: mail (an invitation) per address and per client address, report
# jobs per LAO.
LIMITED = {
    **PROBLEMS,
    429: _problem(
        "Too many mails to one address or from one client, or report jobs; see Retry-After"
    ),
}
