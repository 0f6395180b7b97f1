"""/api/v1/imports: upload plan documents, review the sheets read from them, accept or reject.

Nothing reaches the plan before a person accepts a sheet; accepting adds the item through the
ordinary plan commands (the same events as typing it in).
"""

from __future__ import annotations

import uuid
from typing import Any, NamedTuple

from litestar import Controller, Response, get, patch, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency as Dep
from litestar.di import Provide
from litestar.exceptions import ValidationException
from litestar.params import FromPath, JSONBody

from domain.shared.access import Actor
from services.api.edge import api_call
from services.api.imports.forms import MAX_UPLOAD, changes_of
from services.api.imports.schemas import AcceptIn, PlanAcceptIn, RejectIn, SheetEditIn
from services.api.state import Services
from services.api.v1.auth import AnyRequest
from services.api.v1.common import PROBLEMS
from services.usecases import imports as usecase

UNREADABLE = "อ่านไฟล์ที่ส่งมาไม่ได้ (multipart/form-data ไม่ถูกต้อง)"


async def uploads_of(request: AnyRequest, not_multipart: str) -> list[UploadFile]:
    """The files of a multipart request (parsed here: Litestar's own list[UploadFile]
    parsing fails with a 500 on an empty body)."""
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise ValidationException(not_multipart)
    try:
        form = await request.form()
    except Exception as exc:
        raise ValidationException(UNREADABLE) from exc
    return [u for _, u in form.multi_items() if isinstance(u, UploadFile)]


class SheetAt(NamedTuple):
    """The sheet a route's path names: its batch's id and its own."""

    batch_id: uuid.UUID
    sheet_id: uuid.UUID


async def provide_sheet_at(batch_id: FromPath[uuid.UUID], sheet_id: FromPath[uuid.UUID]) -> SheetAt:
    return SheetAt(batch_id, sheet_id)


class ImportsController(Controller):
    path = "/api/v1/imports"
    tags = ["imports"]  # noqa: RUF012
    dependencies = {"at": Provide(provide_sheet_at)}  # noqa: RUF012

    @post("/", request_max_body_size=MAX_UPLOAD, responses=PROBLEMS)
    async def upload(
        self, request: AnyRequest, actor: Dep[Actor], services: Dep[Services]
    ) -> Response[Any]:
        """Upload one or several documents (.txt, .docx, .pdf with a text layer) or a .zip
        of them, as multipart/form-data files. Returns the batch: each sheet as read, with
        its repairs and what was not understood, for review."""
        usecase.require(actor)
        uploads = await uploads_of(request, "ส่งไฟล์เอกสารแบบ multipart/form-data")
        if not uploads:
            raise ValidationException("ส่งไฟล์เอกสารอย่างน้อยหนึ่งไฟล์ (multipart/form-data)")
        files = [((u.filename or "เอกสาร").rsplit("/", 1)[-1], await u.read()) for u in uploads]
        batch_id = await usecase.upload(services, actor, files)
        return Response(await usecase.batch(services, actor, batch_id), status_code=201)

    @get("/", responses=PROBLEMS)
    async def batches(self, actor: Dep[Actor], services: Dep[Services]) -> Any:
        """The tenant's import batches, newest first, with how many sheets await review."""
        return await usecase.batches(services, actor)

    @get("/{batch_id:uuid}", responses=PROBLEMS)
    async def batch(
        self, batch_id: FromPath[uuid.UUID], actor: Dep[Actor], services: Dep[Services]
    ) -> Any:
        return await usecase.batch(services, actor, batch_id)

    @patch("/{batch_id:uuid}/sheets/{sheet_id:uuid}", responses=PROBLEMS)
    async def edit(
        self,
        at: Dep[SheetAt],
        data: JSONBody[SheetEditIn],
        actor: Dep[Actor],
        services: Dep[Services],
    ) -> Any:
        """Correct what was read before accepting; notes about an edited heading go."""
        usecase.require(actor)
        return await usecase.edit(services, actor, *at, changes_of(data))

    @post("/{batch_id:uuid}/sheets/{sheet_id:uuid}/accept", status_code=200, responses=PROBLEMS)
    async def accept(
        self,
        at: Dep[SheetAt],
        data: JSONBody[AcceptIn],
        request: AnyRequest,
        actor: Dep[Actor],
        services: Dep[Services],
    ) -> Any:
        """Add the sheet's item to the plan, with its headings, budget, steps and indicators."""
        usecase.require(actor)
        call = await api_call(request)
        return await usecase.accept(services, actor, call, *at, data.plan_id)

    @post("/{batch_id:uuid}/sheets/{sheet_id:uuid}/reject", status_code=200, responses=PROBLEMS)
    async def reject(
        self, at: Dep[SheetAt], data: JSONBody[RejectIn], actor: Dep[Actor], services: Dep[Services]
    ) -> Any:
        usecase.require(actor)
        return await usecase.reject(services, actor, *at, data.reason)

    @post("/plan", request_max_body_size=MAX_UPLOAD, responses=PROBLEMS)
    async def upload_plan(
        self, request: AnyRequest, actor: Dep[Actor], services: Dep[Services]
    ) -> Response[Any]:
        """Upload a whole plan (one .pdf with a text layer, .docx or .txt: the summary table
        and the detail sheets) as multipart/form-data. Returns it as one review: its round,
        the table's items under their dimensions and sub-items, each matched to its sheet."""
        usecase.require(actor)
        uploads = await uploads_of(request, "ส่งไฟล์แผนแบบ multipart/form-data")
        if len(uploads) != 1:
            raise ValidationException("ส่งไฟล์แผนหนึ่งไฟล์ (ทั้งตารางและรายละเอียดโครงการ)")
        name = (uploads[0].filename or "แผน").rsplit("/", 1)[-1]
        batch_id = await usecase.upload_plan(services, actor, name, await uploads[0].read())
        return Response(await usecase.plan(services, actor, batch_id), status_code=201)

    @get("/{batch_id:uuid}/plan", responses=PROBLEMS)
    async def plan_review(
        self, batch_id: FromPath[uuid.UUID], actor: Dep[Actor], services: Dep[Services]
    ) -> Any:
        """A whole-plan import as one review (409 for a batch of loose sheets)."""
        return await usecase.plan(services, actor, batch_id)

    @post("/{batch_id:uuid}/plan/accept", status_code=200, responses=PROBLEMS)
    async def accept_plan(
        self,
        batch_id: FromPath[uuid.UUID],
        data: JSONBody[PlanAcceptIn],
        request: AnyRequest,
        actor: Dep[Actor],
        services: Dep[Services],
    ) -> Any:
        """Accept the items into a plan (a new draft unless ``plan_id`` is given), each by the
        ordinary commands; those a rule refuses are listed with the reason and stay pending."""
        usecase.require(actor)
        call = await api_call(request)
        return await usecase.accept_into_plan(
            services, actor, call, batch_id, data.plan_id, data.positions, data.title
        )
