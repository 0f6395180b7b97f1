"""/api/v1: declarations of intent, complaints, the timeline and the deadline calendar."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from litestar import Controller, Response, get, post, put
from litestar.di import NamedDependency as Dep
from litestar.params import FromPath, FromQuery, JSONBody

from domain.complaints.handlers import ReceiveComplaint, ResolveComplaint, handle_complaint_command
from domain.declarations.declaration import Channel
from domain.declarations.handlers import (
    AnnounceDeclaration,
    DraftDeclaration,
    PublishDeclaration,
    handle_declaration_command,
)
from domain.shared.errors import NotFound
from infra.repository import EventSourcedRepository
from services.api.state import Services
from services.api.v1 import schemas as s
from services.api.v1.auth import EXECUTIVE, WRITE_ROLES, AnyRequest, Principal
from services.api.v1.common import PROBLEMS, if_match, today_bangkok, written
from services.api.v1.evidence import cited, resolve_files


class DeclarationsController(Controller):
    path = "/api/v1/declarations"
    tags = ["declarations"]  # noqa: RUF012

    @get("/", responses=PROBLEMS)
    async def list_declarations(
        self, principal: Dep[Principal], services: Dep[Services]
    ) -> list[Any]:
        async with principal.reading(services) as conn:
            rows = await conn.fetch(
                "SELECT view FROM declaration_views ORDER BY published_on DESC NULLS FIRST"
            )
        return [r["view"] for r in rows]

    @get("/{declaration_id:uuid}", responses=PROBLEMS)
    async def get_declaration(
        self,
        declaration_id: FromPath[uuid.UUID],
        principal: Dep[Principal],
        services: Dep[Services],
    ) -> Response[Any]:
        async with principal.reading(services) as conn:
            row = await conn.fetchrow(
                "SELECT view, version FROM declaration_views WHERE declaration_id = $1",
                declaration_id,
            )
        if row is None:
            raise NotFound("ไม่พบประกาศเจตจำนงนี้")
        return Response(row["view"], headers={"ETag": f'"{row["version"]}"'})

    async def _do(
        self,
        request: AnyRequest,
        principal: Principal,
        services: Services,
        cmd: Any,
        status: int = 200,
    ) -> Response[Any]:
        saved = await handle_declaration_command(
            EventSourcedRepository(services.store),
            await principal.context(request),
            cmd,
            if_match=if_match(request),
        )
        return written(cmd.declaration_id, saved, status)

    @post("/", responses=PROBLEMS)
    async def draft(
        self,
        data: JSONBody[s.DeclarationIn],
        request: AnyRequest,
        principal: Dep[Principal],
        services: Dep[Services],
    ) -> Response[Any]:
        principal.require(WRITE_ROLES)
        cmd = DraftDeclaration(principal.new_id(request), data.text, tuple(data.signers))
        return await self._do(request, principal, services, cmd, 201)

    @put("/{declaration_id:uuid}", responses=PROBLEMS)
    async def redraft(
        self,
        declaration_id: FromPath[uuid.UUID],
        data: JSONBody[s.DeclarationIn],
        request: AnyRequest,
        principal: Dep[Principal],
        services: Dep[Services],
    ) -> Response[Any]:
        principal.require(WRITE_ROLES)
        async with principal.reading(services) as conn:
            if not await conn.fetchval(
                "SELECT 1 FROM declaration_views WHERE declaration_id = $1", declaration_id
            ):
                raise NotFound("ไม่พบประกาศเจตจำนงนี้")
        cmd = DraftDeclaration(declaration_id, data.text, tuple(data.signers))
        return await self._do(request, principal, services, cmd)

    @post("/{declaration_id:uuid}/publication", status_code=200, responses=PROBLEMS)
    async def publish(
        self,
        declaration_id: FromPath[uuid.UUID],
        data: JSONBody[s.PublishIn],
        request: AnyRequest,
        principal: Dep[Principal],
        services: Dep[Services],
    ) -> Response[Any]:
        principal.require(EXECUTIVE)
        document = None
        if data.document:
            [document] = await resolve_files(principal, services, [data.document])
        return await self._do(
            request, principal, services, PublishDeclaration(declaration_id, data.on, document)
        )

    @post("/{declaration_id:uuid}/announcements", status_code=200, responses=PROBLEMS)
    async def announce(
        self,
        declaration_id: FromPath[uuid.UUID],
        data: JSONBody[s.AnnounceIn],
        request: AnyRequest,
        principal: Dep[Principal],
        services: Dep[Services],
    ) -> Response[Any]:
        principal.require(WRITE_ROLES)
        cmd = AnnounceDeclaration(
            declaration_id,
            Channel(data.channel),
            data.on,
            data.detail,
            await cited(principal, services, data.links, data.files),
        )
        return await self._do(request, principal, services, cmd)


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
        principal.require(WRITE_ROLES)
        cmd = ReceiveComplaint(principal.new_id(request), data.on, data.channel, data.category)
        saved = await handle_complaint_command(
            EventSourcedRepository(services.store), await principal.context(request), cmd
        )
        return written(cmd.complaint_id, saved, 201)

    @post("/{complaint_id:uuid}/resolution", status_code=200, responses=PROBLEMS)
    async def resolve(
        self,
        complaint_id: FromPath[uuid.UUID],
        data: JSONBody[s.OnDateIn],
        request: AnyRequest,
        principal: Dep[Principal],
        services: Dep[Services],
    ) -> Response[Any]:
        principal.require(WRITE_ROLES)
        saved = await handle_complaint_command(
            EventSourcedRepository(services.store),
            await principal.context(request),
            ResolveComplaint(complaint_id, data.on),
        )
        return written(complaint_id, saved)

    @get("/per-fiscal-year", responses=PROBLEMS)
    async def per_year(self, principal: Dep[Principal], services: Dep[Services]) -> list[Any]:
        """Complaints received (and resolved) per fiscal year: 'fewer complaints' as a number."""
        async with principal.reading(services) as conn:
            rows = await conn.fetch(
                "SELECT fiscal_year, count(*) AS received, count(resolved_on) AS resolved "
                "FROM complaint_views GROUP BY fiscal_year ORDER BY fiscal_year"
            )
        return [dict(r) for r in rows]


class TenantReadsController(Controller):
    path = "/api/v1"
    tags = ["history"]  # noqa: RUF012

    @get("/timeline", responses=PROBLEMS)
    async def timeline(
        self,
        principal: Dep[Principal],
        services: Dep[Services],
        before: FromQuery[int | None] = None,
        limit: FromQuery[int] = 50,
    ) -> list[Any]:
        """Who did what, when: newest first; page with ``before=<sequence>``."""
        limit = max(1, min(limit, 200))
        async with principal.reading(services) as conn:
            rows = await conn.fetch(
                "SELECT sequence, recorded_at, event_type, stream_type, stream_id, version, "
                "actor FROM timeline WHERE ($1::bigint IS NULL OR sequence < $1) "
                "ORDER BY sequence DESC LIMIT $2",
                before,
                limit,
            )
        return [dict(r) for r in rows]

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
        today = today_bangkok()
        end = end or today + timedelta(days=90)
        async with principal.reading(services) as conn:
            rows = await conn.fetch(
                "SELECT d.due_date, d.plan_id, d.item_id, i.number AS item_number, "
                "coalesce(nullif(i.sheet->>'name', ''), i.registered_name) AS item_name, "
                "d.number AS step_number, d.title, d.status, d.completed_on "
                "FROM step_deadlines d JOIN item_views i USING (tenant_id, item_id) "
                "WHERE d.due_date <= $2 AND (d.due_date >= $1 OR ($1::date IS NULL "
                "AND d.status <> 'completed')) ORDER BY d.due_date, i.sort_key, d.number",
                start,
                end,
            )
        return [
            {**dict(r), "overdue": r["status"] != "completed" and r["due_date"] < today}
            for r in rows
        ]
