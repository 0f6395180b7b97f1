"""/api/v1/imports: upload plan documents, review the sheets read from them, accept or reject.

Nothing reaches the plan before a person accepts a sheet; accepting adds the item through the
ordinary plan commands (the same events as typing it in).
"""

from __future__ import annotations

import asyncio
import uuid
from decimal import Decimal
from typing import Annotated, Any, Literal

from litestar import Controller, Response, get, patch, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency as Dep
from litestar.exceptions import ValidationException
from litestar.params import FromPath, JSONBody
from msgspec import Meta, Struct

from infra.imports import review
from infra.imports.files import MAX_FILE_BYTES
from infra.imports.parse import parse_upload
from services.api.state import Services
from services.api.v1.auth import WRITE_ROLES, AnyRequest, Principal
from services.api.v1.common import PROBLEMS
from services.usecases import imports as plan_import

Text = Annotated[str, Meta(max_length=20_000)]
Short = Annotated[str, Meta(max_length=500)]
Year = Annotated[int, Meta(ge=2400, le=2700)]
MAX_UPLOAD = 5 * MAX_FILE_BYTES


class StepIn(Struct, forbid_unknown_fields=True):
    number: Annotated[str, Meta(pattern=r"^\d{1,2}(\.\d{1,2}){0,2}$")]
    title: Short


class OutputIn(Struct, forbid_unknown_fields=True):
    text: Text
    comparator: Literal["at_least", "exactly", "at_most"]
    target: Decimal
    unit: Short


class SheetEditIn(Struct, forbid_unknown_fields=True, kw_only=True, omit_defaults=True):
    """The headings to change; those not given stay. ``no_budget: true`` for
    ไม่ใช้งบประมาณ, or ``budget`` in baht per fiscal year."""

    number: Annotated[str, Meta(pattern=r"^\d{1,2}\.\d{1,2}\.\d{1,2}$")] | None = None
    kind: Literal["project", "activity", "measure"] | None = None
    name: Short | None = None
    rationale: Text | None = None
    objectives: list[Text] | None = None
    targets: list[Text] | None = None
    area: Short | None = None
    steps: list[StepIn] | None = None
    fiscal_years: list[Year] | None = None
    budget: dict[str, Decimal] | None = None
    no_budget: bool | None = None
    responsible: Short | None = None
    output_indicators: list[OutputIn] | None = None
    outcomes: list[Text] | None = None


class AcceptIn(Struct, forbid_unknown_fields=True):
    plan_id: uuid.UUID


class RejectIn(Struct, forbid_unknown_fields=True):
    reason: Short = ""


class PlanAcceptIn(Struct, forbid_unknown_fields=True, kw_only=True, omit_defaults=True):
    """Accept a whole-plan import's pending items (or those at ``positions``) into
    ``plan_id``; without it a draft plan is made from the import (its title, years and
    round's catalogue; ``title`` to name it otherwise)."""

    plan_id: uuid.UUID | None = None
    title: Short | None = None
    positions: list[Annotated[int, Meta(ge=1, le=10_000)]] | None = None


def _number(d: Decimal) -> int | float:
    return int(d) if d == d.to_integral_value() else float(d)


def _changes(data: SheetEditIn) -> dict[str, Any]:
    if data.no_budget and data.budget is not None:
        raise ValidationException("ระบุอย่างใดอย่างหนึ่ง: no_budget หรือ budget")
    out: dict[str, Any] = {}
    for key in (
        "number",
        "kind",
        "name",
        "rationale",
        "objectives",
        "targets",
        "area",
        "fiscal_years",
        "responsible",
        "outcomes",
    ):
        value = getattr(data, key)
        if value is not None:
            out[key] = value
    if data.steps is not None:
        out["steps"] = [{"number": s.number, "title": s.title} for s in data.steps]
    if data.output_indicators is not None:
        out["output_indicators"] = [
            {
                "text": o.text,
                "comparator": o.comparator,
                "target": _number(o.target),
                "unit": o.unit,
            }
            for o in data.output_indicators
        ]
    if data.no_budget:
        out["budget"] = None
    elif data.budget is not None:
        try:
            out["budget"] = {str(int(y)): _number(a) for y, a in sorted(data.budget.items())}
        except ValueError:
            raise ValidationException('ปีงบประมาณต้องเป็นตัวเลข เช่น "2562"') from None
    if not out:
        raise ValidationException("ไม่มีหัวข้อที่จะแก้ไข")
    return out


class ImportsController(Controller):
    path = "/api/v1/imports"
    tags = ["imports"]  # noqa: RUF012

    @post("/", request_max_body_size=MAX_UPLOAD, responses=PROBLEMS)
    async def upload(
        self,
        request: AnyRequest,
        principal: Dep[Principal],
        services: Dep[Services],
    ) -> Response[Any]:
        """Upload one or several documents (.txt, .docx, .pdf with a text layer) or a .zip
        of them, as multipart/form-data files. Returns the batch: each sheet as read, with
        its repairs and what was not understood, for review."""
        principal.require(WRITE_ROLES)
        if not request.headers.get("content-type", "").startswith("multipart/form-data"):
            raise ValidationException("ส่งไฟล์เอกสารแบบ multipart/form-data")
        try:  # parsed here: Litestar's own list[UploadFile] parsing fails (500) on an empty body
            form = await request.form()
        except Exception as exc:
            raise ValidationException("อ่านไฟล์ที่ส่งมาไม่ได้ (multipart/form-data ไม่ถูกต้อง)") from exc
        uploads = [u for _, u in form.multi_items() if isinstance(u, UploadFile)]
        if not uploads:
            raise ValidationException("ส่งไฟล์เอกสารอย่างน้อยหนึ่งไฟล์ (multipart/form-data)")
        files = [((u.filename or "เอกสาร").rsplit("/", 1)[-1], await u.read()) for u in uploads]
        parsed = await asyncio.to_thread(parse_upload, files)
        batch_id = await review.create_batch(
            services.db, principal.tenant_id, principal.actor, parsed
        )
        async with principal.reading(services) as conn:
            body = await review.read_batch(conn, batch_id)
        return Response(body, status_code=201)

    @get("/", responses=PROBLEMS)
    async def batches(self, principal: Dep[Principal], services: Dep[Services]) -> Any:
        """The tenant's import batches, newest first, with how many sheets await review."""
        principal.require(WRITE_ROLES)
        async with principal.reading(services) as conn:
            return await review.list_batches(conn)

    @get("/{batch_id:uuid}", responses=PROBLEMS)
    async def batch(
        self, batch_id: FromPath[uuid.UUID], principal: Dep[Principal], services: Dep[Services]
    ) -> Any:
        principal.require(WRITE_ROLES)
        async with principal.reading(services) as conn:
            return await review.read_batch(conn, batch_id)

    @patch("/{batch_id:uuid}/sheets/{sheet_id:uuid}", responses=PROBLEMS)
    async def edit(
        self,
        batch_id: FromPath[uuid.UUID],
        sheet_id: FromPath[uuid.UUID],
        data: JSONBody[SheetEditIn],
        principal: Dep[Principal],
        services: Dep[Services],
    ) -> Any:
        """Correct what was read before accepting; notes about an edited heading go."""
        principal.require(WRITE_ROLES)
        return await review.edit_sheet(
            services.db, principal.tenant_id, batch_id, sheet_id, _changes(data), principal.actor
        )

    @post("/{batch_id:uuid}/sheets/{sheet_id:uuid}/accept", status_code=200, responses=PROBLEMS)
    async def accept(
        self,
        batch_id: FromPath[uuid.UUID],
        sheet_id: FromPath[uuid.UUID],
        data: JSONBody[AcceptIn],
        request: AnyRequest,
        principal: Dep[Principal],
        services: Dep[Services],
    ) -> Any:
        """Add the sheet's item to the plan, with its headings, budget, steps and indicators."""
        principal.require(WRITE_ROLES)
        return await review.accept_sheet(
            services.db,
            services.store,
            await principal.context(request),
            batch_id,
            sheet_id,
            data.plan_id,
        )

    @post("/{batch_id:uuid}/sheets/{sheet_id:uuid}/reject", status_code=200, responses=PROBLEMS)
    async def reject(
        self,
        batch_id: FromPath[uuid.UUID],
        sheet_id: FromPath[uuid.UUID],
        data: JSONBody[RejectIn],
        principal: Dep[Principal],
        services: Dep[Services],
    ) -> Any:
        principal.require(WRITE_ROLES)
        return await review.reject_sheet(
            services.db, principal.tenant_id, batch_id, sheet_id, principal.actor, data.reason
        )

    @post("/plan", request_max_body_size=MAX_UPLOAD, responses=PROBLEMS)
    async def upload_plan(
        self,
        request: AnyRequest,
        principal: Dep[Principal],
        services: Dep[Services],
    ) -> Response[Any]:
        """Upload a whole plan (one .pdf with a text layer, .docx or .txt: the summary table
        and the detail sheets) as multipart/form-data. Returns it as one review: its round,
        the table's items under their dimensions and sub-items, each matched to its sheet."""
        principal.require(WRITE_ROLES)
        if not request.headers.get("content-type", "").startswith("multipart/form-data"):
            raise ValidationException("ส่งไฟล์แผนแบบ multipart/form-data")
        try:
            form = await request.form()
        except Exception as exc:
            raise ValidationException("อ่านไฟล์ที่ส่งมาไม่ได้ (multipart/form-data ไม่ถูกต้อง)") from exc
        uploads = [u for _, u in form.multi_items() if isinstance(u, UploadFile)]
        if len(uploads) != 1:
            raise ValidationException("ส่งไฟล์แผนหนึ่งไฟล์ (ทั้งตารางและรายละเอียดโครงการ)")
        name = (uploads[0].filename or "แผน").rsplit("/", 1)[-1]
        batch_id = await plan_import.import_plan(
            services.db, principal.tenant_id, principal.actor, name, await uploads[0].read()
        )
        body = await plan_import.read_plan_review(services.db, principal.tenant_id, batch_id)
        return Response(body, status_code=201)

    @get("/{batch_id:uuid}/plan", responses=PROBLEMS)
    async def plan_review(
        self, batch_id: FromPath[uuid.UUID], principal: Dep[Principal], services: Dep[Services]
    ) -> Any:
        """A whole-plan import as one review (409 for a batch of loose sheets)."""
        principal.require(WRITE_ROLES)
        return await plan_import.read_plan_review(services.db, principal.tenant_id, batch_id)

    @post("/{batch_id:uuid}/plan/accept", status_code=200, responses=PROBLEMS)
    async def accept_plan(
        self,
        batch_id: FromPath[uuid.UUID],
        data: JSONBody[PlanAcceptIn],
        request: AnyRequest,
        principal: Dep[Principal],
        services: Dep[Services],
    ) -> Any:
        """Accept the items into a plan (a new draft unless ``plan_id`` is given), each by the
        ordinary commands; those a rule refuses are listed with the reason and stay pending."""
        principal.require(WRITE_ROLES)
        ctx = await principal.context(request)
        plan_id = data.plan_id or await plan_import.draft_plan(
            services.db, services.store, ctx, batch_id, data.title
        )
        return await plan_import.accept_plan(
            services.db, services.store, ctx, batch_id, plan_id, data.positions
        )
