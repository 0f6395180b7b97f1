"""The import pages: upload plan documents (several files or a .zip), review each sheet read
from them (its ten headings, the repairs made, what was not understood), correct it, accept it
into a plan (the ordinary plan commands add the item) or reject it.

The same parsing and review store as /api/v1/imports: nothing reaches a plan before a person
accepts a sheet.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import msgspec
from litestar import Controller, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency as Dep
from litestar.exceptions import ValidationException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from domain.imports.headings import HEADINGS
from domain.plans.values import ItemKind
from domain.shared.errors import DomainError, NotFound
from domain.shared.fiscal import arabic_digits
from domain.shared.ports import Context
from infra.auth.orgs import Org
from infra.auth.sessions import Session
from infra.imports import review
from infra.imports.parse import parse_upload
from infra.logs import request_id_var
from services.api.edge import actor_of_session
from services.api.pages.common import AnyRequest, lao_of, not_found, page, posted, text
from services.api.state import Services
from services.api.v1.auth import WRITE_ROLES, principal_of
from services.api.v1.imports import MAX_UPLOAD, SheetEditIn, _changes
from services.usecases import imports as plan_import
from services.usecases import plans as plan_cases

KINDS = [(k.value, k.thai) for k in ItemKind]
COMPARATORS = [("at_least", "อย่างน้อย"), ("exactly", "จำนวน"), ("at_most", "ไม่เกิน")]
STATUS_TH = {"pending": "รอตรวจ", "accepted": "ยอมรับเข้าแผนแล้ว", "rejected": "ปฏิเสธแล้ว"}
HEADING_TH = {k: v[0] for k, v in HEADINGS.items()}
UNPARSED_TH = {"uncertain_spelling": "คำที่อาจสแกนผิด (ไม่ได้แก้)"}
EXTRA_ROWS = 2  # blank rows under the steps, budget years and indicators of the edit form
CONFLICT = (
    "มีผู้อื่นแก้ไขรายการนำเข้านี้ก่อนคุณ ระบบจึงยังไม่ได้บันทึกสิ่งที่คุณกรอก "
    "ข้อมูลด้านล่างเป็นข้อมูลล่าสุดแล้ว กรุณาตรวจสอบแล้วบันทึกอีกครั้ง"
)
DONE = {
    "edited": "บันทึกการแก้ไขแล้ว",
    "accepted": "ยอมรับเข้าแผนแล้ว ระบบเพิ่มรายการในแผนด้วยคำสั่งปกติของแผน",
    "rejected": "ปฏิเสธรายการนี้แล้ว ไม่มีสิ่งใดถูกเพิ่มในแผน",
}
MATCHED_TH = {
    "listed_as": "ตรงกับรายละเอียดตามลำดับในตาราง",
    "number": "ตรงกับรายละเอียดตามเลขที่",
    "name": "ตรงกับรายละเอียดตามชื่อ",
    "": "ไม่มีรายละเอียดโครงการในเอกสาร",
}


def refused(org: Org, viewer: Session) -> Template:
    return page(
        "message.html",
        403,
        session=viewer,
        org=org,
        title="ทำรายการนี้ไม่ได้",
        message="การนำเข้าเอกสารแผนทำได้เฉพาะเจ้าหน้าที่ผู้รับผิดชอบแผนและผู้บริหาร",
        link=f"/t/{org.code}/",
        link_text="กลับหน้าหลัก",
    )


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _lines(raw: str) -> list[str]:
    return [s.strip() for s in raw.replace("\r", "").split("\n") if s.strip()]


def _amount_text(value: Any) -> str:
    return "" if value in (None, "") else str(value)


def form_of(sheet: dict[str, Any]) -> dict[str, Any]:
    """The edit form's values from a sheet as stored."""
    budget = sheet.get("budget")
    return {
        "number": sheet.get("number") or "",
        "kind": sheet.get("kind") or "",
        "name": sheet.get("name") or "",
        "rationale": sheet.get("rationale") or "",
        "objectives": "\n".join(sheet.get("objectives") or ()),
        "targets": "\n".join(sheet.get("targets") or ()),
        "area": sheet.get("area") or "",
        "steps": [{"number": s["number"], "title": s["title"]} for s in sheet.get("steps") or ()],
        "fiscal_years": " ".join(str(y) for y in sheet.get("fiscal_years") or ()),
        "no_budget": budget is None,
        "budget": [{"year": y, "amount": _amount_text(a)} for y, a in (budget or {}).items()],
        "responsible": sheet.get("responsible") or "",
        "outputs": [
            {
                "text": o["text"],
                "comparator": o["comparator"],
                "target": _amount_text(o["target"]),
                "unit": o["unit"],
            }
            for o in sheet.get("output_indicators") or ()
        ],
        "outcomes": "\n".join(sheet.get("outcomes") or ()),
    }


def _rows(form: Any, prefix: str, keys: tuple[str, ...], limit: int = 2000) -> list[dict[str, str]]:
    out = []
    for n in range(60):
        row = {k: text(form, f"{prefix}-{n}-{k}", limit) for k in keys}
        if f"{prefix}-{n}-{keys[0]}" not in form:
            break
        if any(row.values()):
            out.append(row)
    return out


def _area(form: Any, name: str) -> str:
    """A textarea's text; browsers send its line breaks as CRLF."""
    return text(form, name, 20_000).replace("\r\n", "\n").replace("\r", "\n")


def typed_of(form: Any) -> dict[str, Any]:
    """What the reviewer typed, kept as typed (shown again on errors)."""
    return {
        "number": arabic_digits(text(form, "number", 40)).replace(" ", ""),
        "kind": text(form, "kind", 20),
        "name": text(form, "name", 600),
        "rationale": _area(form, "rationale"),
        "objectives": _area(form, "objectives"),
        "targets": _area(form, "targets"),
        "area": text(form, "area", 600),
        "steps": _rows(form, "step", ("number", "title"), 600),
        "fiscal_years": text(form, "fiscal_years", 200),
        "no_budget": bool(text(form, "no_budget", 5)),
        "budget": _rows(form, "budget", ("year", "amount"), 40),
        "responsible": text(form, "responsible", 600),
        "outputs": _rows(form, "output", ("text", "comparator", "target", "unit")),
        "outcomes": _area(form, "outcomes"),
    }


def _decimal(raw: str) -> Decimal | None:
    try:
        value = Decimal(arabic_digits(raw).replace(",", "").strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def edit_of(typed: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    """The PATCH body of the API for what was typed; Thai errors per field in ``errors``."""
    body: dict[str, Any] = {}
    number = typed["number"]
    parts = number.split(".")
    if len(parts) != 3 or not all(p.isdigit() and 1 <= len(p) <= 2 for p in parts):
        errors["number"] = "กรุณากรอกลำดับที่ของรายการเป็น มิติ.ภารกิจ.ลำดับ เช่น 2.1.1"
    body["number"] = number
    if typed["kind"] not in {k for k, _ in KINDS}:
        errors["kind"] = "กรุณาเลือกประเภท: โครงการ กิจกรรม หรือมาตรการ"
    body["kind"] = typed["kind"]
    if not typed["name"]:
        errors["name"] = "กรุณากรอกชื่อโครงการ/กิจกรรม/มาตรการ"
    elif len(typed["name"]) > 500:
        errors["name"] = "ชื่อยาวได้ไม่เกิน 500 ตัวอักษร"
    body["name"] = typed["name"]
    body["rationale"] = typed["rationale"]
    body["objectives"] = _lines(typed["objectives"])
    body["targets"] = _lines(typed["targets"])
    body["area"] = typed["area"][:500]
    steps = []
    for n, s in enumerate(typed["steps"]):
        num = arabic_digits(s["number"]).replace(" ", "")
        ok = num and all(p.isdigit() and len(p) <= 2 for p in num.split("."))
        if not ok or len(num.split(".")) > 3:
            errors[f"step-{n}-number"] = f"ขั้นตอนแถวที่ {n + 1}: เลขขั้นตอนต้องเป็นตัวเลข เช่น 6.1"
        if not s["title"]:
            errors[f"step-{n}-title"] = f"ขั้นตอนแถวที่ {n + 1}: กรุณากรอกชื่อขั้นตอน"
        steps.append({"number": num, "title": s["title"][:500]})
    body["steps"] = steps
    years = []
    for word in arabic_digits(typed["fiscal_years"]).replace(",", " ").split():
        if not word.isdigit() or not 2400 <= int(word) <= 2700:
            errors["fiscal_years"] = "ปีงบประมาณต้องเป็นปี พ.ศ. 4 หลัก คั่นด้วยช่องว่าง เช่น 2561 2562"
            break
        years.append(int(word))
    body["fiscal_years"] = years
    if typed["no_budget"]:
        if typed["budget"]:
            errors["no_budget"] = "เลือก ไม่ใช้งบประมาณ หรือกรอกงบประมาณรายปี อย่างใดอย่างหนึ่ง"
        body["no_budget"] = True
    else:
        budget: dict[str, Any] = {}
        for n, b in enumerate(typed["budget"]):
            year = arabic_digits(b["year"]).strip()
            amount = _decimal(b["amount"])
            if not year.isdigit() or not 2400 <= int(year) <= 2700:
                errors[f"budget-{n}-year"] = f"งบประมาณแถวที่ {n + 1}: กรุณากรอกปี พ.ศ. 4 หลัก"
            if amount is None or amount < 0:
                errors[f"budget-{n}-amount"] = f"งบประมาณแถวที่ {n + 1}: กรุณากรอกจำนวนเงิน (บาท)"
            budget[year] = str(amount) if amount is not None else "0"
        if not budget:
            errors["no_budget"] = "กรอกงบประมาณอย่างน้อยหนึ่งปี หรือเลือก ไม่ใช้งบประมาณ"
        body["budget"] = budget
    body["responsible"] = typed["responsible"][:500]
    outputs = []
    for n, o in enumerate(typed["outputs"]):
        target = _decimal(o["target"])
        if not o["text"]:
            errors[f"output-{n}-text"] = f"ตัวชี้วัดผลผลิตแถวที่ {n + 1}: กรุณากรอกข้อความ"
        if o["comparator"] not in {c for c, _ in COMPARATORS}:
            errors[f"output-{n}-comparator"] = f"ตัวชี้วัดผลผลิตแถวที่ {n + 1}: กรุณาเลือกเงื่อนไข"
        if target is None:
            errors[f"output-{n}-target"] = f"ตัวชี้วัดผลผลิตแถวที่ {n + 1}: ค่าเป้าหมายต้องเป็นตัวเลข"
        if not o["unit"]:
            errors[f"output-{n}-unit"] = f"ตัวชี้วัดผลผลิตแถวที่ {n + 1}: กรุณากรอกหน่วย เช่น ครั้ง"
        outputs.append(
            {
                "text": o["text"],
                "comparator": o["comparator"],
                "target": str(target or 0),
                "unit": o["unit"][:500],
            }
        )
    body["output_indicators"] = outputs
    body["outcomes"] = _lines(typed["outcomes"])
    return body


def changed(body: dict[str, Any], sheet: dict[str, Any]) -> dict[str, Any]:
    """Only the headings that differ from the sheet as stored (so notes about the others stay)."""
    out: dict[str, Any] = {}
    for key, value in body.items():
        if key == "no_budget":
            if sheet.get("budget") is not None:
                out["no_budget"] = True
        elif key == "budget":
            old = {y: str(Decimal(str(a))) for y, a in (sheet.get("budget") or {}).items()}
            new = {y: str(Decimal(a)) for y, a in value.items()}
            if sheet.get("budget") is None or old != new:
                out["budget"] = value
        elif key == "output_indicators":
            old_o = [
                (o["text"], o["comparator"], Decimal(str(o["target"])), o["unit"])
                for o in sheet.get(key) or ()
            ]
            new_o = [(o["text"], o["comparator"], Decimal(o["target"]), o["unit"]) for o in value]
            if old_o != new_o:
                out[key] = value
        elif key == "rationale":
            if (sheet.get(key) or "").strip() != value.strip():
                out[key] = value
        elif (sheet.get(key) or type(value)()) != value:
            out[key] = value
    return out


class ImportPages(Controller):
    path = "/t/{org_code:str}/imports"
    include_in_schema = False

    async def _org(self, services: Services, code: str) -> Org | None:
        return await lao_of(services, code)

    async def _batches(self, services: Services, viewer: Session) -> list[dict[str, Any]]:
        async with principal_of(viewer).reading(services) as conn:
            rows = await conn.fetch(
                "SELECT b.batch_id, b.created_at, b.created_by, b.files, "
                "count(s.*) FILTER (WHERE s.status = 'pending') AS pending, "
                "count(s.*) FILTER (WHERE s.status = 'accepted') AS accepted, "
                "count(s.*) FILTER (WHERE s.status = 'rejected') AS rejected "
                "FROM import_batches b LEFT JOIN import_sheets s USING (tenant_id, batch_id) "
                "GROUP BY b.batch_id, b.created_at, b.created_by, b.files "
                "ORDER BY b.created_at DESC LIMIT 200"
            )
        return [dict(r) for r in rows]

    async def _batch(
        self, services: Services, viewer: Session, batch_id: uuid.UUID
    ) -> dict[str, Any] | None:
        try:
            async with principal_of(viewer).reading(services) as conn:
                batch = await review.read_batch(conn, batch_id)
        except NotFound:
            return None
        batch["created"] = _when(batch["created_at"])
        for s in batch["sheets"]:
            s["decided"] = _when(s["decided_at"])
            s["edited"] = _when(s["edited_at"])
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
            batches=await self._batches(services, viewer),
            **extra,
        )

    @get("/")
    async def imports_page(
        self, org_code: FromPath[str], viewer: Dep[Session], services: Dep[Services]
    ) -> Template:
        org = await self._org(services, org_code)
        if org is None:
            return not_found()
        if viewer.role not in WRITE_ROLES:
            return refused(org, viewer)
        return await self._list(services, org, viewer)

    @post("/", status_code=200, request_max_body_size=MAX_UPLOAD)
    async def upload(
        self,
        org_code: FromPath[str],
        request: AnyRequest,
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Template | Redirect:
        org = await self._org(services, org_code)
        if org is None:
            return not_found()
        form = await posted(request, viewer)
        if viewer.role not in WRITE_ROLES:
            return refused(org, viewer)
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
            parsed = await asyncio.to_thread(parse_upload, files)
        except DomainError as e:
            name = str(e.details.get("file") or "")
            message = e.message if not name or name in e.message else f"{e.message} ({name})"
            return await self._list(services, org, viewer, 400, errors={"files": message})
        p = principal_of(viewer)
        batch_id = await review.create_batch(services.db, p.tenant_id, p.actor, parsed)
        return Redirect(f"/t/{org.code}/imports/{batch_id}", status_code=303)

    @get("/{batch_id:uuid}")
    async def batch_page(
        self,
        org_code: FromPath[str],
        batch_id: FromPath[uuid.UUID],
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Template:
        org = await self._org(services, org_code)
        if org is None:
            return not_found()
        if viewer.role not in WRITE_ROLES:
            return refused(org, viewer)
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
        plans = await plan_cases.plans(services, actor_of_session(viewer))
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
        org_code: FromPath[str],
        batch_id: FromPath[uuid.UUID],
        sheet_id: FromPath[uuid.UUID],
        request: AnyRequest,
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Template:
        org = await self._org(services, org_code)
        if org is None:
            return not_found()
        if viewer.role not in WRITE_ROLES:
            return refused(org, viewer)
        notice = DONE.get(str(request.query_params.get("done", "")), "")
        return await self._sheet_page(services, org, viewer, batch_id, sheet_id, notice=notice)

    @post("/{batch_id:uuid}/sheets/{sheet_id:uuid}", status_code=200)
    async def edit(
        self,
        org_code: FromPath[str],
        batch_id: FromPath[uuid.UUID],
        sheet_id: FromPath[uuid.UUID],
        request: AnyRequest,
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Template | Redirect:
        org = await self._org(services, org_code)
        if org is None:
            return not_found()
        form = await posted(request, viewer)
        if viewer.role not in WRITE_ROLES:
            return refused(org, viewer)
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
                changes = _changes(msgspec.convert(body, SheetEditIn, strict=False))
                await review.edit_sheet(
                    services.db,
                    principal_of(viewer).tenant_id,
                    batch_id,
                    sheet_id,
                    changes,
                    principal_of(viewer).actor,
                )
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
        org_code: FromPath[str],
        batch_id: FromPath[uuid.UUID],
        sheet_id: FromPath[uuid.UUID],
        request: AnyRequest,
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Template | Redirect:
        org = await self._org(services, org_code)
        if org is None:
            return not_found()
        form = await posted(request, viewer)
        if viewer.role not in WRITE_ROLES:
            return refused(org, viewer)
        errors: dict[str, str] = {}
        status = 400
        try:
            plan_id = uuid.UUID(text(form, "plan_id", 40))
        except ValueError:
            errors["plan_id"] = "กรุณาเลือกแผนที่จะเพิ่มรายการนี้"
        if not errors:
            p = principal_of(viewer)
            ctx = Context(p.tenant_id, p.actor, None, request_id_var.get(), None)
            try:
                await review.accept_sheet(
                    services.db, services.store, ctx, batch_id, sheet_id, plan_id
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
        org_code: FromPath[str],
        batch_id: FromPath[uuid.UUID],
        sheet_id: FromPath[uuid.UUID],
        request: AnyRequest,
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Template | Redirect:
        org = await self._org(services, org_code)
        if org is None:
            return not_found()
        form = await posted(request, viewer)
        if viewer.role not in WRITE_ROLES:
            return refused(org, viewer)
        reason = text(form, "reason", 2000)
        errors: dict[str, str] = {}
        status = 400
        if len(reason) > 500:
            errors["reason"] = "เหตุผลยาวได้ไม่เกิน 500 ตัวอักษร"
        else:
            p = principal_of(viewer)
            try:
                await review.reject_sheet(
                    services.db, p.tenant_id, batch_id, sheet_id, p.actor, reason
                )
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
        p = principal_of(viewer)
        try:
            plan = await plan_import.read_plan_review(services.db, p.tenant_id, batch_id)
        except NotFound:
            return not_found("ไม่พบชุดนำเข้านี้")
        except plan_import.NotAPlanImport:
            return not_found("ชุดนำเข้านี้เป็นรายละเอียดโครงการแยกรายการ ไม่ใช่การนำเข้าทั้งแผน")
        plan["created"] = _when(plan["created_at"])
        listed = await plan_cases.plans(services, actor_of_session(viewer))
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
        self,
        org_code: FromPath[str],
        request: AnyRequest,
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Template | Redirect:
        org = await lao_of(services, org_code)
        if org is None:
            return not_found()
        form = await posted(request, viewer)
        if viewer.role not in WRITE_ROLES:
            return refused(org, viewer)
        upload = form.get("plan_file")
        content = await upload.read() if isinstance(upload, UploadFile) else b""
        errors: dict[str, str] = {}
        if not isinstance(upload, UploadFile) or not upload.filename or not content:
            errors["plan_file"] = "กรุณาเลือกไฟล์แผนหนึ่งไฟล์ (.pdf ที่มีข้อความ, .docx หรือ .txt)"
        else:
            p = principal_of(viewer)
            name = upload.filename.rsplit("/", 1)[-1]
            try:
                batch_id = await plan_import.import_plan(
                    services.db, p.tenant_id, p.actor, name, content
                )
            except DomainError as e:
                errors["plan_file"] = e.message
            else:
                return Redirect(f"/t/{org.code}/imports/{batch_id}/plan", status_code=303)
        return await self._list(services, org, viewer, 400, errors=errors)

    @get("/{batch_id:uuid}/plan")
    async def plan_page(
        self,
        org_code: FromPath[str],
        batch_id: FromPath[uuid.UUID],
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Template:
        org = await lao_of(services, org_code)
        if org is None:
            return not_found()
        if viewer.role not in WRITE_ROLES:
            return refused(org, viewer)
        return await self._plan_review(services, org, viewer, batch_id)

    @post("/{batch_id:uuid}/plan/accept", status_code=200)
    async def accept_plan(
        self,
        org_code: FromPath[str],
        batch_id: FromPath[uuid.UUID],
        request: AnyRequest,
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Template:
        org = await lao_of(services, org_code)
        if org is None:
            return not_found()
        form = await posted(request, viewer)
        if viewer.role not in WRITE_ROLES:
            return refused(org, viewer)
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
        p = principal_of(viewer)
        ctx = Context(p.tenant_id, p.actor, None, request_id_var.get(), None)
        try:
            plan_id = (
                uuid.UUID(target)
                if target and target != "new"
                else await plan_import.draft_plan(services.db, services.store, ctx, batch_id)
            )
            result = await plan_import.accept_plan(
                services.db, services.store, ctx, batch_id, plan_id, positions
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


PAGES = (ImportPages,)
