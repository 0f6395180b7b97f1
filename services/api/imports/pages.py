"""The import pages: upload plan documents (several files or a .zip), review each sheet read
from them (its ten headings, the repairs made, what was not understood), correct it, accept it
into a plan (the ordinary plan commands add the item) or reject it.

The same use cases as /api/v1/imports: nothing reaches a plan before a person accepts a sheet.
"""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
from litestar import Controller, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency as Dep
from litestar.di import Provide
from litestar.exceptions import ValidationException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from domain.shared.access import Actor
from domain.shared.errors import DomainError, NotFound
from infra.auth.orgs import Org
from infra.auth.sessions import Session
from services.api.edge import actor_of_session, form_call
from services.api.imports.forms import (
    COMPARATORS,
    CONFLICT,
    DONE,
    EXTRA_ROWS,
    HEADING_TH,
    KINDS,
    MATCHED_TH,
    MAX_UPLOAD,
    STATUS_TH,
    UNPARSED_TH,
    changed,
    changes_of,
    edit_of,
    form_of,
    typed_of,
    when,
)
from services.api.imports.schemas import SheetEditIn
from services.api.pages.common import (
    AnyRequest,
    not_found,
    page,
    posted,
    provide_page_lao,
    refused,
    text,
)
from services.api.state import Services
from services.usecases import imports as usecase
from services.usecases import plans as plan_cases

REFUSED = "การนำเข้าเอกสารแผนทำได้เฉพาะเจ้าหน้าที่ผู้รับผิดชอบแผนและผู้บริหาร"


def _actor(viewer: Session) -> Actor:
    return actor_of_session(viewer)


class ImportPages(Controller):
    path = "/t/{org_code:str}/imports"
    include_in_schema = False
    dependencies = {"org": Provide(provide_page_lao)}  # noqa: RUF012

    async def _batch(
        self, services: Services, viewer: Session, batch_id: uuid.UUID
    ) -> dict[str, Any] | None:
        try:
            batch = await usecase.batch(services, _actor(viewer), batch_id)
        except NotFound:
            return None
        batch["created"] = when(batch["created_at"])
        for s in batch["sheets"]:
            s["decided"] = when(s["decided_at"])
            s["edited"] = when(s["edited_at"])
        return batch

    async def _list(
        self, services: Services, org: Org, viewer: Session, status: int = 200, **extra: Any
    ) -> Template:
        return page(
            "imports.html",
            status,
            session=viewer,
            org=org,
            title="นำเข้าเอกสารแผน",
            batches=await usecase.batch_rows(services, _actor(viewer)),
            **extra,
        )

    @get("/")
    async def imports_page(
        self, org: Dep[Org], viewer: Dep[Session], services: Dep[Services]
    ) -> Template:
        if not usecase.allowed(_actor(viewer)):
            return refused(org, viewer, REFUSED)
        return await self._list(services, org, viewer)

    @post("/", status_code=200, request_max_body_size=MAX_UPLOAD)
    async def upload(
        self, org: Dep[Org], request: AnyRequest, viewer: Dep[Session], services: Dep[Services]
    ) -> Template | Redirect:
        form = await posted(request, viewer)
        if not usecase.allowed(_actor(viewer)):
            return refused(org, viewer, REFUSED)
        values = form.getall("files", []) if hasattr(form, "getall") else [form.get("files")]
        uploads = [u for u in values if isinstance(u, UploadFile) and u.filename]
        files = [((u.filename or "เอกสาร").rsplit("/", 1)[-1], await u.read()) for u in uploads]
        files = [(name, content) for name, content in files if content]
        if not files:
            return await self._list(
                services,
                org,
                viewer,
                400,
                errors={"files": "กรุณาเลือกไฟล์เอกสารแผนอย่างน้อยหนึ่งไฟล์ (.txt, .docx, .pdf หรือ .zip)"},
            )
        try:
            batch_id = await usecase.upload(services, _actor(viewer), files)
        except DomainError as e:
            name = str(e.details.get("file") or "")
            message = e.message if not name or name in e.message else f"{e.message} ({name})"
            return await self._list(services, org, viewer, 400, errors={"files": message})
        return Redirect(f"/t/{org.code}/imports/{batch_id}", status_code=303)

    @get("/{batch_id:uuid}")
    async def batch_page(
        self,
        org: Dep[Org],
        batch_id: FromPath[uuid.UUID],
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Template:
        if not usecase.allowed(_actor(viewer)):
            return refused(org, viewer, REFUSED)
        batch = await self._batch(services, viewer, batch_id)
        if batch is None:
            return not_found("ไม่พบชุดนำเข้านี้")
        return page(
            "imports_batch.html",
            session=viewer,
            org=org,
            title="ตรวจรายการนำเข้า",
            batch=batch,
            kind_th=dict(KINDS),
            status_th=STATUS_TH,
        )

    async def _sheet_page(
        self,
        services: Services,
        org: Org,
        viewer: Session,
        batch_id: uuid.UUID,
        sheet_id: uuid.UUID,
        status: int = 200,
        **extra: Any,
    ) -> Template:
        batch = await self._batch(services, viewer, batch_id)
        sheet = None
        if batch is not None:
            sheet = next((s for s in batch["sheets"] if s["sheet_id"] == str(sheet_id)), None)
        if batch is None or sheet is None:
            return not_found("ไม่พบรายการนำเข้านี้")
        plans = await plan_cases.plans(services, _actor(viewer))
        form = extra.pop("form", None) or form_of(sheet["sheet"])
        for key in ("steps", "budget", "outputs"):
            form[key] = [*form[key], *({} for _ in range(EXTRA_ROWS))]
        notes: dict[str, list[dict[str, Any]]] = {}
        for u in sheet["sheet"].get("unparsed") or ():
            notes.setdefault(str(u.get("heading", "")), []).append(u)
        return page(
            "imports_sheet.html",
            status,
            session=viewer,
            org=org,
            title="ตรวจรายการนำเข้า",
            batch=batch,
            s=sheet,
            sh=sheet["sheet"],
            notes=notes,
            plans=plans,
            plan_title={p["plan_id"]: p["title"] for p in plans},
            form=form,
            kinds=KINDS,
            kind_th=dict(KINDS),
            comparators=COMPARATORS,
            comparator_th=dict(COMPARATORS),
            status_th=STATUS_TH,
            heading_th=HEADING_TH,
            unparsed_th=UNPARSED_TH,
            **extra,
        )

    @get("/{batch_id:uuid}/sheets/{sheet_id:uuid}")
    async def sheet_page(
        self,
        org: Dep[Org],
        batch_id: FromPath[uuid.UUID],
        sheet_id: FromPath[uuid.UUID],
        request: AnyRequest,
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Template:
        if not usecase.allowed(_actor(viewer)):
            return refused(org, viewer, REFUSED)
        notice = DONE.get(str(request.query_params.get("done", "")), "")
        return await self._sheet_page(services, org, viewer, batch_id, sheet_id, notice=notice)

    @post("/{batch_id:uuid}/sheets/{sheet_id:uuid}", status_code=200)
    async def edit(
        self,
        org: Dep[Org],
        batch_id: FromPath[uuid.UUID],
        sheet_id: FromPath[uuid.UUID],
        request: AnyRequest,
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Template | Redirect:
        form = await posted(request, viewer)
        if not usecase.allowed(_actor(viewer)):
            return refused(org, viewer, REFUSED)
        batch = await self._batch(services, viewer, batch_id)
        current = next(
            (s for s in (batch or {}).get("sheets", ()) if s["sheet_id"] == str(sheet_id)), None
        )
        if current is None:
            return not_found("ไม่พบรายการนำเข้านี้")
        back = f"/t/{org.code}/imports/{batch_id}/sheets/{sheet_id}"
        if text(form, "edited_at", 60) != (current["edited_at"] or ""):
            return await self._sheet_page(
                services, org, viewer, batch_id, sheet_id, 409, errors={"edit": CONFLICT}
            )
        typed = typed_of(form)
        errors: dict[str, str] = {}
        body = changed(edit_of(typed, errors), current["sheet"])
        status = 400
        if not errors:
            if not body:
                return Redirect(f"{back}?done=edited", status_code=303)
            try:
                changes = changes_of(msgspec.convert(body, SheetEditIn, strict=False))
                await usecase.edit(services, _actor(viewer), batch_id, sheet_id, changes)
            except (msgspec.ValidationError, ValidationException):
                errors["edit"] = "ข้อมูลบางหัวข้อไม่ถูกต้อง กรุณาตรวจสอบแล้วบันทึกอีกครั้ง"
            except NotFound:
                return not_found("ไม่พบรายการนำเข้านี้")
            except DomainError as e:
                errors["edit"], status = e.message, e.status
            else:
                return Redirect(f"{back}?done=edited", status_code=303)
        return await self._sheet_page(
            services, org, viewer, batch_id, sheet_id, status, errors=errors, form=typed
        )

    @post("/{batch_id:uuid}/sheets/{sheet_id:uuid}/accept", status_code=200)
    async def accept(
        self,
        org: Dep[Org],
        batch_id: FromPath[uuid.UUID],
        sheet_id: FromPath[uuid.UUID],
        request: AnyRequest,
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Template | Redirect:
        form = await posted(request, viewer)
        if not usecase.allowed(_actor(viewer)):
            return refused(org, viewer, REFUSED)
        errors: dict[str, str] = {}
        status = 400
        try:
            plan_id = uuid.UUID(text(form, "plan_id", 40))
        except ValueError:
            errors["plan_id"] = "กรุณาเลือกแผนที่จะเพิ่มรายการนี้"
        if not errors:
            try:
                await usecase.accept(
                    services, _actor(viewer), form_call(None, ""), batch_id, sheet_id, plan_id
                )
            except NotFound as e:
                if "sheet_id" in e.details:
                    return not_found("ไม่พบรายการนำเข้านี้")
                errors["plan_id"] = "ไม่พบแผนนี้ กรุณาเลือกแผนอีกครั้ง"
            except DomainError as e:
                errors["plan_id"], status = e.message, e.status if e.status >= 400 else 400
            else:
                back = f"/t/{org.code}/imports/{batch_id}/sheets/{sheet_id}"
                return Redirect(f"{back}?done=accepted", status_code=303)
        return await self._sheet_page(
            services,
            org,
            viewer,
            batch_id,
            sheet_id,
            status,
            errors=errors,
            chosen_plan=text(form, "plan_id", 40),
        )

    @post("/{batch_id:uuid}/sheets/{sheet_id:uuid}/reject", status_code=200)
    async def reject(
        self,
        org: Dep[Org],
        batch_id: FromPath[uuid.UUID],
        sheet_id: FromPath[uuid.UUID],
        request: AnyRequest,
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Template | Redirect:
        form = await posted(request, viewer)
        if not usecase.allowed(_actor(viewer)):
            return refused(org, viewer, REFUSED)
        reason = text(form, "reason", 2000)
        errors: dict[str, str] = {}
        status = 400
        if len(reason) > 500:
            errors["reason"] = "เหตุผลยาวได้ไม่เกิน 500 ตัวอักษร"
        else:
            try:
                await usecase.reject(services, _actor(viewer), batch_id, sheet_id, reason)
            except NotFound:
                return not_found("ไม่พบรายการนำเข้านี้")
            except DomainError as e:
                errors["reason"], status = e.message, e.status if e.status >= 400 else 400
            else:
                back = f"/t/{org.code}/imports/{batch_id}/sheets/{sheet_id}"
                return Redirect(f"{back}?done=rejected", status_code=303)
        return await self._sheet_page(
            services, org, viewer, batch_id, sheet_id, status, errors=errors, reason=reason
        )

    # A whole plan in one file: one review page, then a draft plan and its items.

    async def _plan_review(
        self,
        services: Services,
        org: Org,
        viewer: Session,
        batch_id: uuid.UUID,
        status: int = 200,
        **extra: Any,
    ) -> Template:
        try:
            plan = await usecase.plan(services, _actor(viewer), batch_id)
        except NotFound:
            return not_found("ไม่พบชุดนำเข้านี้")
        except usecase.NotAPlanImport:
            return not_found("ชุดนำเข้านี้เป็นรายละเอียดโครงการแยกรายการ ไม่ใช่การนำเข้าทั้งแผน")
        plan["created"] = when(plan["created_at"])
        listed = await plan_cases.plans(services, _actor(viewer))
        drafts = [x for x in listed if x.get("status") == "draft"]
        return page(
            "imports_plan.html",
            status,
            session=viewer,
            org=org,
            title="ตรวจแผนที่นำเข้าทั้งแผน",
            plan=plan,
            drafts=drafts,
            kind_th=dict(KINDS),
            status_th=STATUS_TH,
            matched_th=MATCHED_TH,
            **extra,
        )

    @post("/plan", status_code=200, request_max_body_size=MAX_UPLOAD)
    async def upload_plan(
        self, org: Dep[Org], request: AnyRequest, viewer: Dep[Session], services: Dep[Services]
    ) -> Template | Redirect:
        form = await posted(request, viewer)
        if not usecase.allowed(_actor(viewer)):
            return refused(org, viewer, REFUSED)
        upload = form.get("plan_file")
        content = await upload.read() if isinstance(upload, UploadFile) else b""
        errors: dict[str, str] = {}
        if not isinstance(upload, UploadFile) or not upload.filename or not content:
            errors["plan_file"] = "กรุณาเลือกไฟล์แผนหนึ่งไฟล์ (.pdf ที่มีข้อความ, .docx หรือ .txt)"
        else:
            name = upload.filename.rsplit("/", 1)[-1]
            try:
                batch_id = await usecase.upload_plan(services, _actor(viewer), name, content)
            except DomainError as e:
                errors["plan_file"] = e.message
            else:
                return Redirect(f"/t/{org.code}/imports/{batch_id}/plan", status_code=303)
        return await self._list(services, org, viewer, 400, errors=errors)

    @get("/{batch_id:uuid}/plan")
    async def plan_page(
        self,
        org: Dep[Org],
        batch_id: FromPath[uuid.UUID],
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Template:
        if not usecase.allowed(_actor(viewer)):
            return refused(org, viewer, REFUSED)
        return await self._plan_review(services, org, viewer, batch_id)

    @post("/{batch_id:uuid}/plan/accept", status_code=200)
    async def accept_plan(
        self,
        org: Dep[Org],
        batch_id: FromPath[uuid.UUID],
        request: AnyRequest,
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Template:
        form = await posted(request, viewer)
        if not usecase.allowed(_actor(viewer)):
            return refused(org, viewer, REFUSED)
        raw = form.getall("positions", []) if hasattr(form, "getall") else []
        positions = sorted({int(x) for x in raw if str(x).isdigit()})
        target = text(form, "plan_id", 40)
        if not positions:
            return await self._plan_review(
                services,
                org,
                viewer,
                batch_id,
                400,
                errors={"positions": "กรุณาเลือกรายการที่จะยอมรับเข้าแผนอย่างน้อยหนึ่งรายการ"},
            )
        try:
            plan_id = uuid.UUID(target) if target and target != "new" else None
            result = await usecase.accept_into_plan(
                services, _actor(viewer), form_call(None, ""), batch_id, plan_id, positions
            )
        except ValueError:
            return await self._plan_review(
                services, org, viewer, batch_id, 400, errors={"plan_id": "กรุณาเลือกแผนอีกครั้ง"}
            )
        except NotFound as e:
            if "positions" in e.details:
                message = "รายการที่เลือกไม่อยู่ในชุดนำเข้านี้ กรุณาเลือกใหม่"
            else:
                message = "ไม่พบแผนที่เลือก กรุณาเลือกแผนอีกครั้ง"
            return await self._plan_review(
                services, org, viewer, batch_id, 400, errors={"plan_id": message}
            )
        except DomainError as e:
            return await self._plan_review(
                services,
                org,
                viewer,
                batch_id,
                e.status if e.status >= 400 else 400,
                errors={"plan_id": e.message},
            )
        return await self._plan_review(services, org, viewer, batch_id, result=result)
