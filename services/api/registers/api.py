"""/api/v1: complaints, the timeline and the deadline calendar."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency as Dep
from litestar.params import FromPath, FromQuery, JSONBody, Parameter

from domain.complaints.handlers import ComplaintCommand, ResolveComplaint, TakeUpComplaint
from services.api.edge import Asked
from services.api.v1 import schemas as s
from services.api.v1.auth import AnyRequest
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

    @post(
        ["/{complaint_id:uuid}/progress", "/{complaint_id:uuid}/resolution"],
        status_code=200,
        responses=PROBLEMS,
    )
    async def move_on(
        self,
        request: AnyRequest,  # which of the two addresses
        complaint_id: FromPath[uuid.UUID],
        data: JSONBody[s.ComplaintStatusIn],
        asked: Dep[Asked],
    ) -> Response[Any]:
        """``progress``: the LAO started to look into it (อยู่ระหว่างดำเนินการ); ``resolution``:
        it is resolved, with an ``outcome`` from the list (required, as on the page)."""
        cmd: ComplaintCommand = (
            TakeUpComplaint(complaint_id, data.on)
            if request.url.path.endswith("/progress")
            else ResolveComplaint(complaint_id, data.on, data.outcome or "")
        )
        return written(complaint_id, await asked.write(usecase.complaint_command, cmd))

    @get("/", responses=PROBLEMS)
    async def register(
        self,
        asked: Dep[Asked],
        fiscal_year: Annotated[int | None, Parameter(ge=2400, le=2700)] = None,
    ) -> list[Any]:
        """The register of a fiscal year (default: this one), newest received first: the day,
        channel, subject, status (received, in_progress, resolved) and outcome of each."""
        _, rows = await asked.read(usecase.complaints_of_year, fiscal_year)
        return rows

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
