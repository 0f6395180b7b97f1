"""The declaration of intent pages: the tenant's declarations (draft, published, announced),
composing and redrafting a draft, publishing it with the signed document (executive only), and
recording its public announcements. The same handlers and read model as /api/v1/declarations.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import date
from typing import Any

from litestar import Controller, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency as Dep
from litestar.params import FromPath
from litestar.response import Redirect, Template

from domain.declarations.declaration import Channel
from domain.declarations.handlers import (
    AnnounceDeclaration,
    DeclarationCommand,
    DraftDeclaration,
    PublishDeclaration,
    handle_declaration_command,
)
from domain.plans.values import MAX_EVIDENCE_BYTES, Evidence
from domain.shared.errors import ConcurrencyConflict, DomainError, NotFound
from domain.shared.fiscal import arabic_digits
from domain.shared.ports import Context
from infra.auth.orgs import Org
from infra.auth.sessions import Session
from infra.evidence import file_name, keep_evidence
from infra.files import sniff_media_type
from infra.logs import request_id_var
from infra.repository import EventSourcedRepository
from services.api.pages.common import AnyRequest, lao_of, not_found, page, posted, text
from services.api.state import Services
from services.api.v1.auth import EXECUTIVE, WRITE_ROLES, principal_of
from services.api.v1.common import today_bangkok

CHANNELS = [(c.value, c.thai) for c in Channel]
MAX_FILES = 3
SIGNED_TYPES = {"application/pdf", "image/jpeg", "image/png"}
CONFLICT = (
    "มีผู้อื่นบันทึกการเปลี่ยนแปลงประกาศเจตจำนงนี้ก่อนคุณ ระบบจึงยังไม่ได้บันทึกสิ่งที่คุณกรอก "
    "ข้อมูลด้านล่างเป็นข้อมูลล่าสุดแล้ว กรุณาตรวจสอบแล้วบันทึกอีกครั้ง"
)
DONE = {
    "drafted": "บันทึกร่างประกาศเจตจำนงแล้ว",
    "redrafted": "บันทึกการแก้ไขร่างแล้ว",
    "published": "เผยแพร่ประกาศเจตจำนงแล้ว ประชาชนดูได้ที่หน้าข้อมูลสาธารณะ",
    "announced": "บันทึกการประกาศต่อสาธารณะแล้ว",
}


def status_of(view: dict[str, Any]) -> str:
    if not view.get("published_on"):
        return "draft"
    return "announced" if view.get("announcements") else "published"


def signers_of(raw: str) -> tuple[str, ...]:
    return tuple(s.strip() for s in raw.replace("\r", "").split("\n") if s.strip())


def version_of(form: Any) -> int | None:
    raw = text(form, "version", 12)
    return int(raw) if raw.isdigit() else None


def parse_day(raw: str, what: str, errors: dict[str, str], field: str) -> date | None:
    try:
        on = date.fromisoformat(arabic_digits(raw.strip()))
    except ValueError:
        errors[field] = f"กรุณาระบุ{what}ในรูปแบบ วัน/เดือน/ปี"
        return None
    if on > today_bangkok():
        errors[field] = f"{what}ต้องไม่เลยวันนี้"
        return None
    return on


def context_of(viewer: Session, form: Any, what: str) -> Context:
    """The command's context; the form's one-time key makes a double submit harmless."""
    p = principal_of(viewer)
    key = text(form, "form_key", 80)
    typed = "\n".join(
        f"{k}={text(form, k, 5000)}" for k in sorted(form.keys()) if k not in ("csrf_token",)
    )
    fingerprint = hashlib.sha256(f"{what}\n{typed}".encode()).digest() if key else None
    return Context(
        p.tenant_id,
        p.actor,
        f"page:declaration:{what}:{key}" if key else None,
        request_id_var.get(),
        fingerprint,
    )


async def store_upload(
    services: Services, viewer: Session, upload: UploadFile, content: bytes, media_type: str
) -> Evidence:
    """Keep an uploaded file as POST /api/v1/evidence does (content-addressed, listed in the
    tenant's evidence_files)."""
    return await keep_evidence(
        services.db,
        services.files,
        uuid.UUID(viewer.tenant_id),
        file_name(upload.filename),
        content,
        media_type,
        viewer.email,
    )


def uploads(form: Any, name: str) -> list[UploadFile]:
    values = form.getall(name, []) if hasattr(form, "getall") else [form.get(name)]
    return [u for u in values if isinstance(u, UploadFile) and u.filename]


class DeclarationPages(Controller):
    path = "/t/{org_code:str}/declaration"
    include_in_schema = False

    async def _org(self, services: Services, code: str) -> Org | None:
        return await lao_of(services, code)

    async def _views(self, services: Services, viewer: Session) -> list[dict[str, Any]]:
        async with principal_of(viewer).reading(services) as conn:
            rows = await conn.fetch(
                "SELECT view FROM declaration_views ORDER BY published_on DESC NULLS FIRST, "
                "declaration_id"
            )
        return [dict(r["view"]) for r in rows]

    async def _one(
        self, services: Services, viewer: Session, declaration_id: uuid.UUID
    ) -> dict[str, Any] | None:
        async with principal_of(viewer).reading(services) as conn:
            view = await conn.fetchval(
                "SELECT view FROM declaration_views WHERE declaration_id = $1", declaration_id
            )
        return dict(view) if view is not None else None

    def _common(self, viewer: Session, org: Org) -> dict[str, Any]:
        return {
            "session": viewer,
            "org": org,
            "can_write": viewer.role in WRITE_ROLES,
            "can_publish": viewer.role in EXECUTIVE,
            "channels": CHANNELS,
            "channel_th": dict(CHANNELS),
            "status_of": status_of,
            "form_key": secrets.token_urlsafe(16),
            "today": today_bangkok(),
        }

    async def _list(
        self, services: Services, org: Org, viewer: Session, status: int = 200, **extra: Any
    ) -> Template:
        return page(
            "declaration.html",
            status,
            title="ประกาศเจตจำนงต่อต้านการทุจริต",
            declarations=await self._views(services, viewer),
            form=extra.pop("form", {}),
            notice=extra.pop("notice", ""),
            **self._common(viewer, org),
            **extra,
        )

    async def _detail(
        self,
        services: Services,
        org: Org,
        viewer: Session,
        declaration_id: uuid.UUID,
        status: int = 200,
        **extra: Any,
    ) -> Template:
        view = await self._one(services, viewer, declaration_id)
        if view is None:
            return not_found("ไม่พบประกาศเจตจำนงนี้")
        return page(
            "declaration_detail.html",
            status,
            title="ประกาศเจตจำนงต่อต้านการทุจริต",
            d=view,
            state=status_of(view),
            form=extra.pop("form", {}),
            open_form=extra.pop("open_form", ""),
            notice=extra.pop("notice", ""),
            **self._common(viewer, org),
            **extra,
        )

    async def _run(
        self, services: Services, ctx: Context, cmd: DeclarationCommand, form: Any
    ) -> None:
        await handle_declaration_command(
            EventSourcedRepository(services.store), ctx, cmd, if_match=version_of(form)
        )

    # -- reading ----------------------------------------------------------------------------

    @get("/")
    async def list_page(
        self,
        org_code: FromPath[str],
        request: AnyRequest,
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Template:
        org = await self._org(services, org_code)
        if org is None:
            return not_found()
        notice = DONE.get(str(request.query_params.get("done", "")), "")
        return await self._list(services, org, viewer, notice=notice)

    @get("/{declaration_id:uuid}")
    async def detail_page(
        self,
        org_code: FromPath[str],
        declaration_id: FromPath[uuid.UUID],
        request: AnyRequest,
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Template:
        org = await self._org(services, org_code)
        if org is None:
            return not_found()
        notice = DONE.get(str(request.query_params.get("done", "")), "")
        return await self._detail(services, org, viewer, declaration_id, notice=notice)

    # -- writing ----------------------------------------------------------------------------

    def _draft_input(self, form: Any) -> tuple[dict[str, str], dict[str, str]]:
        typed = {"text": text(form, "text", 5000), "signers": text(form, "signers", 1000)}
        errors: dict[str, str] = {}
        if not typed["text"]:
            errors["text"] = "กรุณากรอกข้อความประกาศเจตจำนง"
        if not signers_of(typed["signers"]):
            errors["signers"] = "กรุณาระบุผู้บริหารผู้ลงนามอย่างน้อย 1 คน (บรรทัดละ 1 คน)"
        return typed, errors

    @post("/", status_code=200)
    async def compose(
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
            return refused(
                org, viewer, "บทบาทของคุณร่างประกาศเจตจำนงไม่ได้ กรุณาติดต่อผู้บริหารหรือเจ้าหน้าที่ผู้รับผิดชอบแผน"
            )
        typed, errors = self._draft_input(form)
        if not errors:
            ctx = context_of(viewer, form, "draft")
            new_id = (
                uuid.uuid5(uuid.NAMESPACE_URL, f"{ctx.tenant_id}:{ctx.idempotency_key}")
                if ctx.idempotency_key
                else uuid.uuid4()
            )
            try:
                await handle_declaration_command(
                    EventSourcedRepository(services.store),
                    ctx,
                    DraftDeclaration(new_id, typed["text"], signers_of(typed["signers"])),
                )
            except DomainError as e:
                errors[str(e.details.get("field", "text"))] = e.message
            else:
                return Redirect(f"/t/{org.code}/declaration/{new_id}?done=drafted", status_code=303)
        return await self._list(services, org, viewer, 400, errors=errors, form=typed)

    @post("/{declaration_id:uuid}", status_code=200)
    async def redraft(
        self,
        org_code: FromPath[str],
        declaration_id: FromPath[uuid.UUID],
        request: AnyRequest,
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Template | Redirect:
        org = await self._org(services, org_code)
        if org is None:
            return not_found()
        form = await posted(request, viewer)
        if viewer.role not in WRITE_ROLES:
            return refused(org, viewer, "บทบาทของคุณแก้ไขร่างประกาศเจตจำนงไม่ได้")
        if await self._one(services, viewer, declaration_id) is None:
            return not_found("ไม่พบประกาศเจตจำนงนี้")
        typed, errors = self._draft_input(form)
        status = 400
        if not errors:
            cmd = DraftDeclaration(declaration_id, typed["text"], signers_of(typed["signers"]))
            try:
                await self._run(services, context_of(viewer, form, "redraft"), cmd, form)
            except ConcurrencyConflict:
                errors["redraft"], status = CONFLICT, 409
            except DomainError as e:
                errors[str(e.details.get("field", "redraft"))] = e.message
                status = e.status if 400 <= e.status < 500 else 400
            else:
                return Redirect(
                    f"/t/{org.code}/declaration/{declaration_id}?done=redrafted", status_code=303
                )
        return await self._detail(
            services,
            org,
            viewer,
            declaration_id,
            status,
            errors=errors,
            form=typed,
            open_form="redraft",
        )

    @post(
        "/{declaration_id:uuid}/publication",
        status_code=200,
        request_max_body_size=MAX_EVIDENCE_BYTES + 1024 * 1024,
    )
    async def publish(
        self,
        org_code: FromPath[str],
        declaration_id: FromPath[uuid.UUID],
        request: AnyRequest,
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Template | Redirect:
        org = await self._org(services, org_code)
        if org is None:
            return not_found()
        form = await posted(request, viewer)
        if viewer.role not in EXECUTIVE:
            return refused(
                org,
                viewer,
                "เฉพาะผู้บริหาร (นายก) เท่านั้นที่เผยแพร่ประกาศเจตจำนงได้ "
                "กรุณาแจ้งผู้บริหารให้เข้าสู่ระบบเพื่อลงนามและเผยแพร่",
                link=f"/t/{org.code}/declaration/{declaration_id}",
            )
        if await self._one(services, viewer, declaration_id) is None:
            return not_found("ไม่พบประกาศเจตจำนงนี้")
        typed = {"on": text(form, "on", 20)}
        errors: dict[str, str] = {}
        on = parse_day(typed["on"], "วันที่เผยแพร่", errors, "on")
        files = uploads(form, "document")
        document: Evidence | None = None
        if not files:
            errors["document"] = "กรุณาแนบไฟล์ประกาศเจตจำนงที่ลงนามแล้ว (PDF หรือภาพสแกน)"
        else:
            content = await files[0].read()
            media_type = sniff_media_type(content) if content else None
            if media_type not in SIGNED_TYPES:
                errors["document"] = "ไฟล์ประกาศที่ลงนามแล้วต้องเป็น PDF, JPEG หรือ PNG (ตรวจจากเนื้อไฟล์)"
            elif len(content) > MAX_EVIDENCE_BYTES:
                errors["document"] = "ไฟล์ต้องมีขนาดไม่เกิน 20 MB"
            elif not errors and media_type is not None:
                document = await store_upload(services, viewer, files[0], content, media_type)
        status = 400
        if not errors and on is not None:
            try:
                await self._run(
                    services,
                    context_of(viewer, form, "publish"),
                    PublishDeclaration(declaration_id, on, document),
                    form,
                )
            except NotFound:
                return not_found("ไม่พบประกาศเจตจำนงนี้")
            except ConcurrencyConflict:
                errors["publish"], status = CONFLICT, 409
            except DomainError as e:
                errors[str(e.details.get("field", "publish"))] = e.message
                status = e.status if 400 <= e.status < 500 else 400
            else:
                return Redirect(
                    f"/t/{org.code}/declaration/{declaration_id}?done=published", status_code=303
                )
        return await self._detail(
            services,
            org,
            viewer,
            declaration_id,
            status,
            errors=errors,
            form=typed,
            open_form="publish",
        )

    @post(
        "/{declaration_id:uuid}/announcements",
        status_code=200,
        request_max_body_size=MAX_FILES * MAX_EVIDENCE_BYTES + 1024 * 1024,
    )
    async def announce(
        self,
        org_code: FromPath[str],
        declaration_id: FromPath[uuid.UUID],
        request: AnyRequest,
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Template | Redirect:
        org = await self._org(services, org_code)
        if org is None:
            return not_found()
        form = await posted(request, viewer)
        if viewer.role not in WRITE_ROLES:
            return refused(org, viewer, "บทบาทของคุณบันทึกการประกาศต่อสาธารณะไม่ได้")
        if await self._one(services, viewer, declaration_id) is None:
            return not_found("ไม่พบประกาศเจตจำนงนี้")
        typed = {k: text(form, k, 2000) for k in ("channel", "announced_on", "detail", "links")}
        errors: dict[str, str] = {}
        if typed["channel"] not in {c for c, _ in CHANNELS}:
            errors["channel"] = "กรุณาเลือกช่องทางที่ประกาศ"
        on = parse_day(typed["announced_on"], "วันที่ประกาศ", errors, "announced_on")
        if typed["channel"] == Channel.OTHER.value and not typed["detail"]:
            errors["detail"] = "ช่องทางอื่น: กรุณาระบุรายละเอียดว่าประกาศที่ใด"
        evidence: list[Evidence] = []
        for line in typed["links"].replace("\r", "").split("\n"):
            if line.strip():
                try:
                    evidence.append(Evidence.link(line.strip()))
                except DomainError as e:
                    errors["links"] = f"{e.message}: {line.strip()[:80]}"
                    break
        files = uploads(form, "files")
        if len(files) > MAX_FILES:
            errors["files"] = f"แนบไฟล์ได้ไม่เกิน {MAX_FILES} ไฟล์ต่อครั้ง"
        kept: list[tuple[UploadFile, bytes, str]] = []
        for f in files[:MAX_FILES]:
            content = await f.read()
            media_type = sniff_media_type(content) if content else None
            if media_type is None:
                errors["files"] = f"ไฟล์ {f.filename} ต้องเป็น PDF, JPEG, PNG, DOCX หรือ XLSX"
            elif len(content) > MAX_EVIDENCE_BYTES:
                errors["files"] = f"ไฟล์ {f.filename} มีขนาดเกิน 20 MB"
            else:
                kept.append((f, content, media_type))
        status = 400
        if not errors and on is not None:
            for f, content, media_type in kept:
                evidence.append(await store_upload(services, viewer, f, content, media_type))
            cmd = AnnounceDeclaration(
                declaration_id, Channel(typed["channel"]), on, typed["detail"], tuple(evidence)
            )
            try:
                await self._run(services, context_of(viewer, form, "announce"), cmd, form)
            except NotFound:
                return not_found("ไม่พบประกาศเจตจำนงนี้")
            except ConcurrencyConflict:
                errors["announce"], status = CONFLICT, 409
            except DomainError as e:
                field = str(
                    e.details.get("field", "announced_on" if "วันที่" in e.message else "announce")
                )
                errors[field] = e.message
                status = e.status if 400 <= e.status < 500 else 400
            else:
                return Redirect(
                    f"/t/{org.code}/declaration/{declaration_id}?done=announced#announcements",
                    status_code=303,
                )
        return await self._detail(
            services,
            org,
            viewer,
            declaration_id,
            status,
            errors=errors,
            form=typed,
            open_form="announce",
        )


def refused(org: Org, viewer: Session, message: str, link: str = "") -> Template:
    return page(
        "message.html",
        403,
        session=viewer,
        org=org,
        title="ทำรายการนี้ไม่ได้",
        message=message,
        link=link or f"/t/{org.code}/declaration",
        link_text="กลับไปหน้าประกาศเจตจำนง",
    )


PAGES = (DeclarationPages,)
