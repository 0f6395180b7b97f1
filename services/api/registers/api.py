"""/api/v1: complaints, the timeline and the deadline calendar."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency as Dep
from litestar.params import FromPath, FromQuery, JSONBody, Parameter

from services.api.edge import Asked
from services.api.v1 import schemas as s
from services.api.v1.common import PROBLEMS, written
from services.usecases import registers as usecase

MAX_SEQUENCE = 2**63 - 1  # a tenant's sequence is a PostgreSQL bigint


class ComplaintsController(Controller):
    path = "/api/v1/complaints"
    tags = ["complaints"]  # noqa: RUF012

    @post("/", responses=PROBLEMS)
    async def receive(self, data: JSONBody[s.ComplaintIn], asked: Dep[Asked]) -> Response[Any]:
        new = asked.new_id()
        saved = await asked.write(
            usecase.receive_complaint, new, data.on, data.channel, data.category
        )
        return written(new, saved, 201)

    @post("/{complaint_id:uuid}/resolution", status_code=200, responses=PROBLEMS)
    async def resolve(
        self, complaint_id: FromPath[uuid.UUID], data: JSONBody[s.OnDateIn], asked: Dep[Asked]
    ) -> Response[Any]:
        saved = await asked.write(usecase.resolve_complaint, complaint_id, data.on)
        return written(complaint_id, saved)

    @get("/per-fiscal-year", responses=PROBLEMS)
    async def per_year(self, asked: Dep[Asked]) -> list[Any]:
        """Complaints received (and resolved) per fiscal year: 'fewer complaints' as a number."""
        return await asked.read(usecase.complaints_per_year)


class TenantReadsController(Controller):
    path = "/api/v1"
    tags = ["history"]  # noqa: RUF012

    @get("/timeline", responses=PROBLEMS)
    async def timeline(
        self,
        asked: Dep[Asked],
        before: Annotated[int | None, Parameter(ge=1, le=MAX_SEQUENCE)] = None,
        limit: Annotated[int, Parameter(ge=1, le=200)] = 50,
    ) -> list[Any]:
        """Who did what, when: newest first; page with ``before=<sequence>``."""
        return await asked.read(usecase.timeline, before, limit)

    @get("/deadlines", responses=PROBLEMS)
    async def deadlines(
        self,
        asked: Dep[Asked],
        start: FromQuery[date | None] = None,
        end: FromQuery[date | None] = None,
    ) -> list[Any]:
        """The deadline calendar: steps due between ``start`` and ``end`` (default: the next
        90 days and everything overdue), with their item and whether they are overdue."""
        return await asked.read(usecase.deadlines, start, end)
