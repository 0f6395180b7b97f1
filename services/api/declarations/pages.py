"""The declaration of intent pages: the tenant's declarations (draft, published, announced),
composing and redrafting a draft, publishing it with the signed document (executive only), and
recording its public announcements. The same use cases as /api/v1/declarations."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from litestar import Controller, get, post
from litestar.di import NamedDependency as Dep
from litestar.di import Provide
from litestar.params import FromPath
from litestar.response import Redirect, Template

from domain.declarations.declaration import Channel
from domain.plans.values import MAX_EVIDENCE_BYTES, Evidence
from domain.shared.access import Action, Actor, may
from domain.shared.errors import ConcurrencyConflict, DomainError, NotFound
from infra.auth.orgs import Org
from infra.auth.sessions import Session
from services.api.declarations.forms import (
    CHANNELS,
    MAX_FILES,
    Typed,
    Upload,
    announce_form,
    draft_form,
    publish_form,
    signers_of,
    version_of,
)
from services.api.edge import actor_of_session, form_call, new_aggregate_id
from services.api.pages.common import AnyRequest, not_found, page, posted, provide_page_lao, refused
from services.api.state import Services
from services.usecases import declarations as usecase
from services.usecases import evidence
from services.usecases.scope import today

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


def refused_here(org: Org, viewer: Session, message: str, link: str = "") -> Template:
    back = link or f"/t/{org.code}/declaration"
    return refused(org, viewer, message, back, "กลับไปหน้าประกาศเจตจำนง")


def failed(e: DomainError, errors: dict[str, str], name: str) -> int:
    """A rule's refusal beside the form ``name`` (or the field it names; an announcement's
    day when it is about a day); the page's status."""
    if isinstance(e, ConcurrencyConflict):
        errors[name] = CONFLICT
        return 409
    day = "announced_on" if name == "announce" and "วันที่" in e.message else name
    errors[str(e.details.get("field", day))] = e.message
    return e.status if 400 <= e.status < 500 else 400


async def kept(
    services: Services, actor: Actor, action: Action, files: list[Upload]
) -> list[Evidence]:
    return [
        await evidence.keep(services, actor, action, f.filename, f.content, f.media_type)
        for f in files
    ]


class DeclarationPages(Controller):
    path = "/t/{org_code:str}/declaration"
    include_in_schema = False
    dependencies = {"org": Provide(provide_page_lao)}  # noqa: RUF012

    def _common(self, services: Services, viewer: Session, org: Org) -> dict[str, Any]:
        actor = actor_of_session(viewer)
        return {
            "session": viewer,
            "org": org,
            "can_write": may(actor, Action.EDIT_DECLARATION),
            "can_publish": may(actor, Action.PUBLISH_DECLARATION),
            "channels": CHANNELS,
            "channel_th": dict(CHANNELS),
            "status_of": status_of,
            "form_key": secrets.token_urlsafe(16),
            "today": today(services.clock),
        }

    async def _list(
        self, services: Services, org: Org, viewer: Session, status: int = 200, **extra: Any
    ) -> Template:
        return page(
            "declaration.html",
            status,
            title="ประกาศเจตจำนงต่อต้านการทุจริต",
            declarations=await usecase.declarations(services, actor_of_session(viewer)),
            form=extra.pop("form", {}),
            notice=extra.pop("notice", ""),
            **self._common(services, viewer, org),
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
        try:
            view, _ = await usecase.declaration(services, actor_of_session(viewer), declaration_id)
        except NotFound:
            return not_found(usecase.NOT_FOUND)
        return page(
            "declaration_detail.html",
            status,
            title="ประกาศเจตจำนงต่อต้านการทุจริต",
            d=view,
            state=status_of(view),
            form=extra.pop("form", {}),
            open_form=extra.pop("open_form", ""),
            notice=extra.pop("notice", ""),
            **self._common(services, viewer, org),
            **extra,
        )

    async def _exists(self, services: Services, viewer: Session, declaration_id: uuid.UUID) -> bool:
        try:
            await usecase.declaration(services, actor_of_session(viewer), declaration_id)
        except NotFound:
            return False
        return True

    # -- reading ----------------------------------------------------------------------------

    @get("/")
    async def list_page(
        self,
        org: Dep[Org],
        request: AnyRequest,
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Template:
        notice = DONE.get(str(request.query_params.get("done", "")), "")
        return await self._list(services, org, viewer, notice=notice)

    @get("/{declaration_id:uuid}")
    async def detail_page(
        self,
        org: Dep[Org],
        declaration_id: FromPath[uuid.UUID],
        request: AnyRequest,
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Template:
        notice = DONE.get(str(request.query_params.get("done", "")), "")
        return await self._detail(services, org, viewer, declaration_id, notice=notice)

    # -- writing ----------------------------------------------------------------------------

    @post("/", status_code=200)
    async def compose(
        self,
        org: Dep[Org],
        request: AnyRequest,
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Template | Redirect:
        form = await posted(request, viewer)
        actor = actor_of_session(viewer)
        if not may(actor, Action.EDIT_DECLARATION):
            return refused_here(
                org, viewer, "บทบาทของคุณร่างประกาศเจตจำนงไม่ได้ กรุณาติดต่อผู้บริหารหรือเจ้าหน้าที่ผู้รับผิดชอบแผน"
            )
        typed = draft_form(form)
        if not typed.errors:
            call = form_call(form, "declaration:draft")
            new = new_aggregate_id(actor, call)
            v = typed.values
            try:
                await usecase.draft(services, actor, call, new, v["text"], signers_of(v["signers"]))
            except DomainError as e:
                typed.errors[str(e.details.get("field", "text"))] = e.message
            else:
                return Redirect(f"/t/{org.code}/declaration/{new}?done=drafted", status_code=303)
        return await self._list(services, org, viewer, 400, errors=typed.errors, form=typed.values)

    async def _writing(
        self,
        services: Services,
        org: Org,
        request: AnyRequest,
        viewer: Session,
        action: Action,
        refusal: str,
        declaration_id: uuid.UUID,
        link: str = "",
    ) -> Template | tuple[Org, Any, Actor]:
        """The LAO, the form and the actor of a POST on one declaration: the refusal page
        (403) for a role that may not do ``action``, whatever it sent; 404 when it is none."""
        form = await posted(request, viewer)
        actor = actor_of_session(viewer)
        if not may(actor, action):
            return refused_here(org, viewer, refusal, link)
        if not await self._exists(services, viewer, declaration_id):
            return not_found(usecase.NOT_FOUND)
        return org, form, actor

    async def _attempt(
        self,
        services: Services,
        org: Org,
        viewer: Session,
        declaration_id: uuid.UUID,
        typed: Typed,
        name: str,
        run: Callable[[], Awaitable[Any]],
        done: str,
    ) -> Template | Redirect:
        """Run the use case when the form ``name`` is valid and go to the declaration; else
        show it again with what was typed and why it was refused."""
        status = 400
        if not typed.errors:
            try:
                await run()
            except NotFound:
                return not_found(usecase.NOT_FOUND)
            except DomainError as e:
                status = failed(e, typed.errors, name)
            else:
                return Redirect(
                    f"/t/{org.code}/declaration/{declaration_id}?done={done}", status_code=303
                )
        return await self._detail(
            services,
            org,
            viewer,
            declaration_id,
            status,
            errors=typed.errors,
            form=typed.values,
            open_form=name,
        )

    @post("/{declaration_id:uuid}", status_code=200)
    async def redraft(
        self,
        org: Dep[Org],
        declaration_id: FromPath[uuid.UUID],
        request: AnyRequest,
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Template | Redirect:
        got = await self._writing(
            services,
            org,
            request,
            viewer,
            Action.EDIT_DECLARATION,
            "บทบาทของคุณแก้ไขร่างประกาศเจตจำนงไม่ได้",
            declaration_id,
        )
        if isinstance(got, Template):
            return got
        org, form, actor = got
        typed = draft_form(form)

        async def run() -> Any:
            v = typed.values
            call = form_call(form, "declaration:redraft", version_of(form))
            signers = signers_of(v["signers"])
            return await usecase.draft(
                services, actor, call, declaration_id, v["text"], signers, existing=True
            )

        return await self._attempt(
            services, org, viewer, declaration_id, typed, "redraft", run, "redrafted"
        )

    @post(
        "/{declaration_id:uuid}/publication",
        status_code=200,
        request_max_body_size=MAX_EVIDENCE_BYTES + 1024 * 1024,
    )
    async def publish(
        self,
        org: Dep[Org],
        declaration_id: FromPath[uuid.UUID],
        request: AnyRequest,
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Template | Redirect:
        got = await self._writing(
            services,
            org,
            request,
            viewer,
            Action.PUBLISH_DECLARATION,
            "เฉพาะผู้บริหาร (นายก) เท่านั้นที่เผยแพร่ประกาศเจตจำนงได้ "
            "กรุณาแจ้งผู้บริหารให้เข้าสู่ระบบเพื่อลงนามและเผยแพร่",
            declaration_id,
            link=f"/t/{org.code}/declaration/{declaration_id}",
        )
        if isinstance(got, Template):
            return got
        org, form, actor = got
        typed, on, upload = await publish_form(form, today(services.clock))

        async def run() -> Any:
            assert on is not None and upload is not None  # the form is valid
            [document] = await kept(services, actor, Action.PUBLISH_DECLARATION, [upload])
            call = form_call(form, "declaration:publish", version_of(form))
            return await usecase.publish(services, actor, call, declaration_id, on, document)

        return await self._attempt(
            services, org, viewer, declaration_id, typed, "publish", run, "published"
        )

    @post(
        "/{declaration_id:uuid}/announcements",
        status_code=200,
        request_max_body_size=MAX_FILES * MAX_EVIDENCE_BYTES + 1024 * 1024,
    )
    async def announce(
        self,
        org: Dep[Org],
        declaration_id: FromPath[uuid.UUID],
        request: AnyRequest,
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Template | Redirect:
        got = await self._writing(
            services,
            org,
            request,
            viewer,
            Action.EDIT_DECLARATION,
            "บทบาทของคุณบันทึกการประกาศต่อสาธารณะไม่ได้",
            declaration_id,
        )
        if isinstance(got, Template):
            return got
        org, form, actor = got
        typed, on, links, files = await announce_form(form, today(services.clock))

        async def run() -> Any:
            assert on is not None  # the form is valid
            cites = links + await kept(services, actor, Action.EDIT_DECLARATION, files)
            v = typed.values
            call = form_call(form, "declaration:announce", version_of(form))
            channel = Channel(v["channel"])
            return await usecase.announce(
                services, actor, call, declaration_id, channel, on, v["detail"], cites
            )

        return await self._attempt(
            services,
            org,
            viewer,
            declaration_id,
            typed,
            "announce",
            run,
            "announced#announcements",
        )
