"""Shared pieces of the v1 controllers: If-Match, ETags, as-of, writes."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime, time, timedelta

from litestar import Response
from litestar.exceptions import ValidationException

from domain.shared.clock import BANGKOK
from domain.shared.ports import Saved
from services.api.v1.auth import AnyRequest
from services.api.v1.schemas import Written

_IF_MATCH = re.compile(r'^\s*(?:W/)?"?(\d{1,9})"?\s*$')


def if_match(request: AnyRequest) -> int | None:
    value = request.headers.get("if-match")
    if value is None:
        return None
    m = _IF_MATCH.match(value)
    if not m:
        raise ValidationException('If-Match ต้องเป็นเลขรุ่น เช่น "3"')
    return int(m[1])


def written(id: uuid.UUID, saved: Saved, status: int = 200) -> Response[Written]:
    return Response(
        Written(str(id), saved.version, saved.duplicate),
        status_code=status,
        headers={"ETag": f'"{saved.version}"'},
    )


def end_of_day(as_of: date) -> datetime:
    """The last instant of ``as_of`` in Asia/Bangkok, in UTC."""
    return datetime.combine(as_of + timedelta(days=1), time(), BANGKOK).astimezone(UTC) - (
        timedelta(microseconds=1)
    )


def today_bangkok() -> date:
    return datetime.now(BANGKOK).date()
