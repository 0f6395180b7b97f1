"""The import pages: upload plan documents (several files or a .zip), review each sheet read
from them (its ten headings, the repairs made, what was not understood), correct it, accept it
into a plan (the ordinary plan commands add the item) or reject it.

The same use cases as /api/v1/imports: nothing reaches a plan before a person accepts a sheet.
"""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
from litestar import get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency as Dep
from litestar.exceptions import ValidationException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from domain.shared.errors import DomainError, NotFound
from services.api.edge import form_call
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
from services.api.pages.common import not_found, text
from services.api.pages.visit import LaoPages, Visit
from services.usecases import imports as usecase
from services.usecases import plans as plan_cases

REFUSED = "การนำเข้าเอกสารแผนทำได้เฉพาะเจ้าหน้าที่ผู้รับผิดชอบแผนและผู้บริหาร"


class ImportPages(LaoPages):
    """Every route first asks whether the role may import (the refusal page when not)."""

    path = "/t/{org_code:str}/imports"

    async def _batch(self, visit: Visit, batch_id: uuid.UUID) -> dict[str, Any] | None:
        try:
            batch = await usecase.batch(visit.services, visit.actor, batch_id)
        except NotFound:
            return None
        batch["created"] = when(batch["created_at"])
        for s in batch["sheets"]:
            s["decided"] = when(s["decided_at"])
            s["edited"] = when(s["edited_at"])
        return batch

    async def _list(self, visit: Visit, status: int = 200, **extra: Any) -> Template:
        return visit.render(
            "imports.html",
            status,
            title="นำเข้าเอกสารแผน",
            batches=await usecase.batch_rows(visit.services, visit.actor),
            **extra,
        )

    @get("/")
    async def imports_page(self, visit: Dep[Visit]) -> Template:
        allowed(visit)
        return await self._list(visit)

    @post("/", status_code=200, request_max_body_size=MAX_UPLOAD)
    async def upload(self, visit: Dep[Visit]) -> Template | Redirect:
        form = await allowed_form(visit)
        values = form.getall("files", []) if hasattr(form, "getall") else [form.get("files")]
        uploads = [u for u in values if isinstance(u, UploadFile) and u.filename]
        files = [((u.filename or "เอกสาร").rsplit("/", 1)[-1], await u.read()) for u in uploads]
        files = [(name, content) for name, content in files if content]
        if not files:
            return await self._list(
                visit,
                400,
                errors={"files": "กรุณาเลือกไฟล์เอกสารแผนอย่างน้อยหนึ่งไฟล์ (.txt, .docx, .pdf หรือ .zip)"},
            )
        try:
            batch_id = await usecase.upload(visit.services, visit.actor, files)
        except DomainError as e:
            name = str(e.details.get("file") or "")
            message = e.message if not name or name in e.message else f"{e.message} ({name})"
            return await self._list(visit, 400, errors={"files": message})
        return visit.see_other(f"/imports/{batch_id}")

    @get("/{batch_id:uuid}")
    async def batch_page(self, visit: Dep[Visit], batch_id: FromPath[uuid.UUID]) -> Template:
        allowed(visit)
        batch = await self._batch(visit, batch_id)
        if batch is None:
            return not_found("ไม่พบชุดนำเข้านี้")
        return visit.render(
            "imports_batch.html",
            title="ตรวจรายการนำเข้า",
            batch=batch,
            kind_th=dict(KINDS),
            status_th=STATUS_TH,
        )

    async def _sheet_page(
        self,
        visit: Visit,
        batch_id: uuid.UUID,
        sheet_id: uuid.UUID,
        status: int = 200,
        **extra: Any,
    ) -> Template:
        batch = await self._batch(visit, batch_id)
        sheet = None
        if batch is not None:
            sheet = next((s for s in batch["sheets"] if s["sheet_id"] == str(sheet_id)), None)
        if batch is None or sheet is None:
            return not_found("ไม่พบรายการนำเข้านี้")
        plans = await plan_cases.plans(visit.services, visit.actor)
        form = extra.pop("form", None) or form_of(sheet["sheet"])
        for key in ("steps", "budget", "outputs"):
            form[key] = [*form[key], *({} for _ in range(EXTRA_ROWS))]
        notes: dict[str, list[dict[str, Any]]] = {}
        for u in sheet["sheet"].get("unparsed") or ():
            notes.setdefault(str(u.get("heading", "")), []).append(u)
        return visit.render(
            "imports_sheet.html",
            status,
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
        self, visit: Dep[Visit], batch_id: FromPath[uuid.UUID], sheet_id: FromPath[uuid.UUID]
    ) -> Template:
        allowed(visit)
        return await self._sheet_page(visit, batch_id, sheet_id, notice=visit.notice(DONE))

    @post("/{batch_id:uuid}/sheets/{sheet_id:uuid}", status_code=200)
    async def edit(
        self, visit: Dep[Visit], batch_id: FromPath[uuid.UUID], sheet_id: FromPath[uuid.UUID]
    ) -> Template | Redirect:
        form = await allowed_form(visit)
        batch = await self._batch(visit, batch_id)
        current = next(
            (s for s in (batch or {}).get("sheets", ()) if s["sheet_id"] == str(sheet_id)), None
        )
        if current is None:
            return not_found("ไม่พบรายการนำเข้านี้")
        back = f"/imports/{batch_id}/sheets/{sheet_id}"
        if text(form, "edited_at", 60) != (current["edited_at"] or ""):
            return await self._sheet_page(visit, batch_id, sheet_id, 409, errors={"edit": CONFLICT})
        typed = typed_of(form)
        errors: dict[str, str] = {}
        body = changed(edit_of(typed, errors), current["sheet"])
        status = 400
        if not errors:
            if not body:
                return visit.see_other(f"{back}?done=edited")
            try:
                changes = changes_of(msgspec.convert(body, SheetEditIn, strict=False))
                await usecase.edit(visit.services, visit.actor, batch_id, sheet_id, changes)
            except (msgspec.ValidationError, ValidationException):
                errors["edit"] = "ข้อมูลบางหัวข้อไม่ถูกต้อง กรุณาตรวจสอบแล้วบันทึกอีกครั้ง"
            except NotFound:
                return not_found("ไม่พบรายการนำเข้านี้")
            except DomainError as e:
                errors["edit"], status = e.message, e.status
            else:
                return visit.see_other(f"{back}?done=edited")
        return await self._sheet_page(visit, batch_id, sheet_id, status, errors=errors, form=typed)

    @post("/{batch_id:uuid}/sheets/{sheet_id:uuid}/accept", status_code=200)
    async def accept(
        self, visit: Dep[Visit], batch_id: FromPath[uuid.UUID], sheet_id: FromPath[uuid.UUID]
    ) -> Template | Redirect:
        form = await allowed_form(visit)
        errors: dict[str, str] = {}
        status = 400
        try:
            plan_id = uuid.UUID(text(form, "plan_id", 40))
        except ValueError:
            errors["plan_id"] = "กรุณาเลือกแผนที่จะเพิ่มรายการนี้"
        if not errors:
            try:
                await usecase.accept(
                    visit.services, visit.actor, form_call(None, ""), batch_id, sheet_id, plan_id
                )
            except NotFound as e:
                if "sheet_id" in e.details:
                    return not_found("ไม่พบรายการนำเข้านี้")
                errors["plan_id"] = "ไม่พบแผนนี้ กรุณาเลือกแผนอีกครั้ง"
            except DomainError as e:
                errors["plan_id"], status = e.message, e.status if e.status >= 400 else 400
            else:
                return visit.see_other(f"/imports/{batch_id}/sheets/{sheet_id}?done=accepted")
        chosen = text(form, "plan_id", 40)
        return await self._sheet_page(
            visit, batch_id, sheet_id, status, errors=errors, chosen_plan=chosen
        )

    @post("/{batch_id:uuid}/sheets/{sheet_id:uuid}/reject", status_code=200)
    async def reject(
        self, visit: Dep[Visit], batch_id: FromPath[uuid.UUID], sheet_id: FromPath[uuid.UUID]
    ) -> Template | Redirect:
        form = await allowed_form(visit)
        reason = text(form, "reason", 2000)
        errors: dict[str, str] = {}
        status = 400
        if len(reason) > 500:
            errors["reason"] = "เหตุผลยาวได้ไม่เกิน 500 ตัวอักษร"
        else:
            try:
                await usecase.reject(visit.services, visit.actor, batch_id, sheet_id, reason)
            except NotFound:
                return not_found("ไม่พบรายการนำเข้านี้")
            except DomainError as e:
                errors["reason"], status = e.message, e.status if e.status >= 400 else 400
            else:
                return visit.see_other(f"/imports/{batch_id}/sheets/{sheet_id}?done=rejected")
        return await self._sheet_page(
            visit, batch_id, sheet_id, status, errors=errors, reason=reason
        )

    # A whole plan in one file: one review page, then a draft plan and its items.

    async def _plan_review(
        self, visit: Visit, batch_id: uuid.UUID, status: int = 200, **extra: Any
    ) -> Template:
        try:
            plan = await usecase.plan(visit.services, visit.actor, batch_id)
        except NotFound:
            return not_found("ไม่พบชุดนำเข้านี้")
        except usecase.NotAPlanImport:
            return not_found("ชุดนำเข้านี้เป็นรายละเอียดโครงการแยกรายการ ไม่ใช่การนำเข้าทั้งแผน")
        plan["created"] = when(plan["created_at"])
        listed = await plan_cases.plans(visit.services, visit.actor)
        drafts = [x for x in listed if x.get("status") == "draft"]
        return visit.render(
            "imports_plan.html",
            status,
            title="ตรวจแผนที่นำเข้าทั้งแผน",
            plan=plan,
            drafts=drafts,
            kind_th=dict(KINDS),
            status_th=STATUS_TH,
            matched_th=MATCHED_TH,
            **extra,
        )

    @post("/plan", status_code=200, request_max_body_size=MAX_UPLOAD)
    async def upload_plan(self, visit: Dep[Visit]) -> Template | Redirect:
        form = await allowed_form(visit)
        upload = form.get("plan_file")
        content = await upload.read() if isinstance(upload, UploadFile) else b""
        errors: dict[str, str] = {}
        if not isinstance(upload, UploadFile) or not upload.filename or not content:
            errors["plan_file"] = "กรุณาเลือกไฟล์แผนหนึ่งไฟล์ (.pdf ที่มีข้อความ, .docx หรือ .txt)"
        else:
            name = upload.filename.rsplit("/", 1)[-1]
            try:
                batch_id = await usecase.upload_plan(visit.services, visit.actor, name, content)
            except DomainError as e:
                errors["plan_file"] = e.message
            else:
                return visit.see_other(f"/imports/{batch_id}/plan")
        return await self._list(visit, 400, errors=errors)

    @get("/{batch_id:uuid}/plan")
    async def plan_page(self, visit: Dep[Visit], batch_id: FromPath[uuid.UUID]) -> Template:
        allowed(visit)
        return await self._plan_review(visit, batch_id)

    @post("/{batch_id:uuid}/plan/accept", status_code=200)
    async def accept_plan(self, visit: Dep[Visit], batch_id: FromPath[uuid.UUID]) -> Template:
        form = await allowed_form(visit)
        raw = form.getall("positions", []) if hasattr(form, "getall") else []
        positions = sorted({int(x) for x in raw if str(x).isdigit()})
        target = text(form, "plan_id", 40)
        if not positions:
            return await self._plan_review(
                visit,
                batch_id,
                400,
                errors={"positions": "กรุณาเลือกรายการที่จะยอมรับเข้าแผนอย่างน้อยหนึ่งรายการ"},
            )
        try:
            plan_id = uuid.UUID(target) if target and target != "new" else None
            result = await usecase.accept_into_plan(
                visit.services, visit.actor, form_call(None, ""), batch_id, plan_id, positions
            )
        except ValueError:
            return await self._plan_review(
                visit, batch_id, 400, errors={"plan_id": "กรุณาเลือกแผนอีกครั้ง"}
            )
        except NotFound as e:
            if "positions" in e.details:
                message = "รายการที่เลือกไม่อยู่ในชุดนำเข้านี้ กรุณาเลือกใหม่"
            else:
                message = "ไม่พบแผนที่เลือก กรุณาเลือกแผนอีกครั้ง"
            return await self._plan_review(visit, batch_id, 400, errors={"plan_id": message})
        except DomainError as e:
            status = e.status if e.status >= 400 else 400
            return await self._plan_review(visit, batch_id, status, errors={"plan_id": e.message})
        return await self._plan_review(visit, batch_id, result=result)


def allowed(visit: Visit) -> None:
    """Only the plan officer and the executive import (else the refusal page)."""
    visit.require(usecase.allowed(visit.actor), REFUSED)


async def allowed_form(visit: Visit) -> Any:
    """The form posted (its CSRF token checked first), when the role may import."""
    form = await visit.form()
    allowed(visit)
    return form
