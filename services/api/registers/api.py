"""/api/v1: complaints, the timeline and the deadline calendar."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency as Dep
from litestar.params import FromPath, FromQuery, JSONBody, Parameter

from domain.complaints.handlers import ComplaintCommand, ResolveComplaint, TakeUpComplaint
from services.api.edge import actor_of, api_call, new_aggregate_id
from services.api.state import Services
from services.api.v1 import schemas as s
from services.api.v1.auth import AnyRequest, Principal
from services.api.v1.common import PROBLEMS, written
from services.usecases import registers as usecase

MAX_SEQUENCE = 2**63 - 1  # a tenant's sequence is a PostgreSQL bigint


class ComplaintsController(Controller):
    path = "/api/v1/complaints"
    tags = ["complaints"]  # noqa: RUF012

    @post("/", responses=PROBLEMS)
    async def receive(
        self,
        data: JSONBody[s.ComplaintIn],
        request: AnyRequest,
        principal: Dep[Principal],
        services: Dep[Services],
    ) -> Response[Any]:
        actor, call = actor_of(principal), await api_call(request)
        new = new_aggregate_id(actor, call)
        saved = await usecase.receive_complaint(
            services, actor, call, new, data.on, data.channel, data.category
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
        principal: Dep[Principal],
        services: Dep[Services],
    ) -> Response[Any]:
        """``progress``: the LAO started to look into it (อยู่ระหว่างดำเนินการ); ``resolution``:
        it is resolved, with an ``outcome`` from the list (required, as on the page)."""
        cmd: ComplaintCommand = (
            TakeUpComplaint(complaint_id, data.on)
            if request.url.path.endswith("/progress")
            else ResolveComplaint(complaint_id, data.on, data.outcome or "")
        )
        actor, call = actor_of(principal), await api_call(request)
        return written(complaint_id, await usecase.complaint_command(services, actor, call, cmd))

    @get("/", responses=PROBLEMS)
    async def register(
        self,
        principal: Dep[Principal],
        services: Dep[Services],
        fiscal_year: Annotated[int | None, Parameter(ge=2400, le=2700)] = None,
    ) -> list[Any]:
        """The register of a fiscal year (default: this one), newest received first: the day,
        channel, subject, status (received, in_progress, resolved) and outcome of each."""
        _, rows = await usecase.complaints_of_year(services, actor_of(principal), fiscal_year)
        return rows

    @get("/per-fiscal-year", responses=PROBLEMS)
    async def per_year(self, principal: Dep[Principal], services: Dep[Services]) -> list[Any]:
        """Complaints received (and resolved) per fiscal year: 'fewer complaints' as a number."""
        return await usecase.complaints_per_year(services, actor_of(principal))


class TenantReadsController(Controller):
    path = "/api/v1"
    tags = ["history"]  # noqa: RUF012

    @get("/timeline", responses=PROBLEMS)
    async def timeline(
        self,
        principal: Dep[Principal],
        services: Dep[Services],
        before: Annotated[int | None, Parameter(ge=1, le=MAX_SEQUENCE)] = None,
        limit: Annotated[int, Parameter(ge=1, le=200)] = 50,
    ) -> list[Any]:
        """Who did what, when: newest first; page with ``before=<sequence>``."""
        return await usecase.timeline(services, actor_of(principal), before, limit)

    @get("/deadlines", responses=PROBLEMS)
    async def deadlines(
        self,
        principal: Dep[Principal],
        services: Dep[Services],
        start: FromQuery[date | None] = None,
        end: FromQuery[date | None] = None,
    ) -> list[Any]:
        """The deadline calendar: steps due between ``start`` and ``end`` (default: the next
        90 days and everything overdue), with their item and whether they are overdue."""
        return await usecase.deadlines(services, actor_of(principal), start, end)
