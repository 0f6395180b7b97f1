"""The declaration of intent pages: the tenant's declarations (draft, published, announced),
composing and redrafting a draft, publishing it with the signed document (executive only), and
recording its public announcements. The same use cases as /api/v1/declarations."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from litestar import get, post
from litestar.di import NamedDependency as Dep
from litestar.params import FromPath
from litestar.response import Redirect, Template

from domain.declarations.declaration import Channel
from domain.plans.values import Evidence
from domain.shared.access import Action, Actor, may
from domain.shared.errors import ConcurrencyConflict, DomainError, NotFound
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
from services.api.edge import form_call, new_aggregate_id
from services.api.pages.common import ONE_FILE_FORM, PageNotFound, form_body_limit, not_found
from services.api.pages.visit import LaoPages, Visit, attempt
from services.api.state import Services
from services.usecases import declarations as usecase
from services.usecases import evidence

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


# Who may write what on a declaration, what the others are told, and whether the refusal
# page leads back to the declaration itself (else to the list).
WRITES = {
    "draft": (
        Action.EDIT_DECLARATION,
        "บทบาทของคุณร่างประกาศเจตจำนงไม่ได้ กรุณาติดต่อผู้บริหารหรือเจ้าหน้าที่ผู้รับผิดชอบแผน",
        False,
    ),
    "redraft": (Action.EDIT_DECLARATION, "บทบาทของคุณแก้ไขร่างประกาศเจตจำนงไม่ได้", False),
    "publish": (
        Action.PUBLISH_DECLARATION,
        "เฉพาะผู้บริหาร (นายก) เท่านั้นที่เผยแพร่ประกาศเจตจำนงได้ กรุณาแจ้งผู้บริหารให้เข้าสู่ระบบเพื่อลงนามและเผยแพร่",
        True,
    ),
    "announce": (Action.EDIT_DECLARATION, "บทบาทของคุณบันทึกการประกาศต่อสาธารณะไม่ได้", False),
}


async def writing(visit: Visit, what: str, declaration_id: uuid.UUID | None = None) -> Any:
    """The form of a POST that writes ``what``: the refusal page (403) instead for a role that
    may not, whatever it sent."""
    form = await visit.form()
    action, refusal, to_it = WRITES[what]
    back = f"/declaration/{declaration_id}" if to_it else "/declaration"
    visit.require(may(visit.actor, action), refusal, visit.url(back), "กลับไปหน้าประกาศเจตจำนง")
    return form


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


class DeclarationPages(LaoPages):
    path = "/t/{org_code:str}/declaration"

    def _render(self, visit: Visit, template: str, status: int, **extra: Any) -> Template:
        """A declaration page, with what every one of them shows (what the role may do, the
        channels, a new form key, today) and the form and notice when there are any."""
        actor = visit.actor
        return visit.render(
            template,
            status,
            title="ประกาศเจตจำนงต่อต้านการทุจริต",
            form=extra.pop("form", {}),
            notice=extra.pop("notice", ""),
            can_write=may(actor, Action.EDIT_DECLARATION),
            can_publish=may(actor, Action.PUBLISH_DECLARATION),
            channels=CHANNELS,
            channel_th=dict(CHANNELS),
            status_of=status_of,
            form_key=secrets.token_urlsafe(16),
            today=visit.today,
            **extra,
        )

    async def _list(self, visit: Visit, status: int = 200, **extra: Any) -> Template:
        found = await usecase.declarations(visit.services, visit.actor)
        return self._render(visit, "declaration.html", status, declarations=found, **extra)

    async def _detail(
        self, visit: Visit, declaration_id: uuid.UUID, status: int = 200, **extra: Any
    ) -> Template:
        try:
            view, _ = await usecase.declaration(visit.services, visit.actor, declaration_id)
        except NotFound:
            return not_found(usecase.NOT_FOUND)
        extra.setdefault("open_form", "")
        return self._render(
            visit, "declaration_detail.html", status, d=view, state=status_of(view), **extra
        )

    async def _exists(self, visit: Visit, declaration_id: uuid.UUID) -> bool:
        try:
            await usecase.declaration(visit.services, visit.actor, declaration_id)
        except NotFound:
            return False
        return True

    # -- reading ----------------------------------------------------------------------------

    @get("/")
    async def list_page(self, visit: Dep[Visit]) -> Template:
        return await self._list(visit, notice=visit.notice(DONE))

    @get("/{declaration_id:uuid}")
    async def detail_page(self, visit: Dep[Visit], declaration_id: FromPath[uuid.UUID]) -> Template:
        return await self._detail(visit, declaration_id, notice=visit.notice(DONE))

    # -- writing ----------------------------------------------------------------------------

    @post("/", status_code=200)
    async def compose(self, visit: Dep[Visit]) -> Template | Redirect:
        form = await writing(visit, "draft")
        actor = visit.actor
        typed = draft_form(form)
        if not typed.errors:
            call = form_call(form, "declaration:draft")
            new = new_aggregate_id(actor, call)
            v = typed.values
            drafted = usecase.draft(
                visit.services, actor, call, new, v["text"], signers_of(v["signers"])
            )
            if await attempt(drafted, typed.errors, "text"):
                return visit.see_other(f"/declaration/{new}?done=drafted")
        return await self._list(visit, 400, errors=typed.errors, form=typed.values)

    async def _writing(self, visit: Visit, what: str, declaration_id: uuid.UUID) -> Any:
        """As ``writing``, on one declaration: 'not found' when it is none."""
        form = await writing(visit, what, declaration_id)
        if not await self._exists(visit, declaration_id):
            raise PageNotFound(usecase.NOT_FOUND)
        return form

    async def _attempt(
        self,
        visit: Visit,
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
                return visit.see_other(f"/declaration/{declaration_id}?done={done}")
        return await self._detail(
            visit,
            declaration_id,
            status,
            errors=typed.errors,
            form=typed.values,
            open_form=name,
        )

    @post("/{declaration_id:uuid}", status_code=200)
    async def redraft(
        self, visit: Dep[Visit], declaration_id: FromPath[uuid.UUID]
    ) -> Template | Redirect:
        form = await self._writing(visit, "redraft", declaration_id)
        typed = draft_form(form)

        async def run() -> Any:
            v = typed.values
            call = form_call(form, "declaration:redraft", version_of(form))
            signers = signers_of(v["signers"])
            return await usecase.draft(
                visit.services, visit.actor, call, declaration_id, v["text"], signers, existing=True
            )

        return await self._attempt(visit, declaration_id, typed, "redraft", run, "redrafted")

    @post(
        "/{declaration_id:uuid}/publication", status_code=200, request_max_body_size=ONE_FILE_FORM
    )
    async def publish(
        self, visit: Dep[Visit], declaration_id: FromPath[uuid.UUID]
    ) -> Template | Redirect:
        form = await self._writing(visit, "publish", declaration_id)
        typed, on, upload = await publish_form(form, visit.today)

        async def run() -> Any:
            assert on is not None and upload is not None  # the form is valid
            actor = visit.actor
            [document] = await kept(visit.services, actor, Action.PUBLISH_DECLARATION, [upload])
            call = form_call(form, "declaration:publish", version_of(form))
            return await usecase.publish(visit.services, actor, call, declaration_id, on, document)

        return await self._attempt(visit, declaration_id, typed, "publish", run, "published")

    @post(
        "/{declaration_id:uuid}/announcements",
        status_code=200,
        request_max_body_size=form_body_limit(MAX_FILES),
    )
    async def announce(
        self, visit: Dep[Visit], declaration_id: FromPath[uuid.UUID]
    ) -> Template | Redirect:
        form = await self._writing(visit, "announce", declaration_id)
        typed, on, links, files = await announce_form(form, visit.today)

        async def run() -> Any:
            assert on is not None  # the form is valid
            actor = visit.actor
            cites = links + await kept(visit.services, actor, Action.EDIT_DECLARATION, files)
            v = typed.values
            call = form_call(form, "declaration:announce", version_of(form))
            channel = Channel(v["channel"])
            return await usecase.announce(
                visit.services, actor, call, declaration_id, channel, on, v["detail"], cites
            )

        return await self._attempt(
            visit, declaration_id, typed, "announce", run, "announced#announcements"
        )
