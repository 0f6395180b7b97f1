"""/t/operator/console: the operator's onboarding pages."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from litestar import Controller, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency as Dep
from litestar.di import Provide
from litestar.params import FromPath
from litestar.response import Redirect, Template

from domain.shared.access import Actor, Forbidden
from domain.shared.errors import DomainError
from domain.tenancy.organisations import KIND_THAI, RegisterChanges
from domain.tenancy.provinces import PROVINCES
from infra.auth.orgs import Org
from infra.auth.sessions import Session
from services.api.edge import actor_of_session
from services.api.pages.common import AnyRequest, not_found, page, posted, provide_page_org, text
from services.api.state import Services
from services.usecases import members
from services.usecases import register as usecase

LAO_FIELDS = ("code", "name_th", "name_en", "kind", "province", "district")
INVITE_FIELDS = ("org", "email", "name", "role")
PENDING_FIELDS = ("org", "email")  # a pending invitation: resend or withdraw it
CSV_LIMIT = 5_000_000  # characters: the national register is about 1 MB
FUNNEL = ("laos", "invited", "joined", "drafted", "declared", "promulgated", "reported")
DONE = {
    "lao": "เพิ่ม อปท. ในทะเบียนแล้ว",
    "imported": "นำเข้าทะเบียนแล้ว",
    "invite": "ส่งคำเชิญทางอีเมลแล้ว ลิงก์ใช้ได้ 7 วัน",
    "resend": "ส่งคำเชิญอีกครั้งแล้ว ลิงก์เดิมใช้ไม่ได้แล้ว ลิงก์ใหม่ใช้ได้ 7 วัน",
    "withdraw": "ถอนคำเชิญแล้ว ลิงก์ใช้ไม่ได้แล้ว",
}


async def csv_of(form: Any) -> str:
    upload = form.get("file")
    if isinstance(upload, UploadFile) and upload.filename:
        raw = await upload.read(CSV_LIMIT + 1)
        try:
            return raw[:CSV_LIMIT].decode("utf-8-sig")
        except UnicodeDecodeError:
            return ""
    return str(form.get("csv", ""))[:CSV_LIMIT]


async def console_page(
    services: Services, org: Org, viewer: Session, status: int, extra: dict[str, Any]
) -> Template:
    """The console: the funnel per province (and the nation's totals) and its forms."""
    funnel = await usecase.funnel(services, actor_of_session(viewer))
    totals = {k: sum(int(r[k]) for r in funnel) for k in FUNNEL}
    operator = viewer.scope == "operator"
    actor = actor_of_session(viewer)
    pending = await members.pending_invitations(services, actor) if operator else []
    return page(
        "console.html",
        status,
        session=viewer,
        org=org,
        title="การเริ่มใช้งานของ อปท.",
        operator=operator,
        funnel=funnel,
        pending=pending,
        totals=totals,
        funnel_columns=FUNNEL,
        kinds=[(k.value, thai) for k, thai in KIND_THAI.items()],
        provinces=sorted(((p.code, p.name_th) for p in PROVINCES), key=lambda p: p[1]),
        **{
            "lao_form": {},
            "invite_form": {"role": "executive"},
            "lao_errors": {},
            "invite_errors": {},
            "resend_errors": {},
            "withdraw_errors": {},
            **extra,
        },
    )


async def _add_lao(services: Services, actor: Actor, typed: dict[str, str]) -> Any:
    return await usecase.add_lao(services, actor, typed)


async def _invite(services: Services, actor: Actor, typed: dict[str, str]) -> Any:
    return await members.onboard(
        services, actor, typed["org"], typed["email"], typed["name"], typed["role"]
    )


async def _resend(services: Services, actor: Actor, typed: dict[str, str]) -> Any:
    return await members.resend_onboarding(services, actor, typed["org"], typed["email"])


async def _withdraw(services: Services, actor: Actor, typed: dict[str, str]) -> Any:
    return await members.withdraw(services, actor, typed["org"], typed["email"])


# form -> its fields and what it does; its errors are shown beside the fields, typed kept
FORMS: dict[str, tuple[tuple[str, ...], Callable[..., Awaitable[Any]]]] = {
    "lao": (LAO_FIELDS, _add_lao),
    "invite": (INVITE_FIELDS, _invite),
    "resend": (PENDING_FIELDS, _resend),
    "withdraw": (PENDING_FIELDS, _withdraw),
}


class ConsolePages(Controller):
    path = "/t/{org_code:str}/console"
    include_in_schema = False
    dependencies = {"org": Provide(provide_page_org)}  # noqa: RUF012

    @get("/")
    async def console(
        self, org: Dep[Org], request: AnyRequest, viewer: Dep[Session], services: Dep[Services]
    ) -> Template:
        if viewer.scope not in ("operator", "office") or viewer.org_code != org.code:
            return not_found()  # a provincial office sees its own province's funnel only
        notice = DONE.get(str(request.query_params.get("done", "")), "")
        return await console_page(services, org, viewer, 200, {"notice": notice})

    @post("/{kind:str}", status_code=200)
    async def submit(
        self,
        org: Dep[Org],
        kind: FromPath[str],
        request: AnyRequest,
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Template | Redirect:
        """Add an LAO (``lao``), invite a first executive or a reviewer (``invite``), send a
        pending invitation again (``resend``) or withdraw it (``withdraw``)."""
        fields, run = FORMS.get(kind, ((), _add_lao))
        form, actor = await posted(request, viewer), actor_of_session(viewer)
        if actor.scope != "operator" or not fields:
            return not_found()
        typed = {k: text(form, k, 254) for k in fields}
        try:
            await run(services, actor, typed)
        except members.InvalidInvitation as e:
            errors = e.errors
        except DomainError as e:  # a wrong field, a known code, not the first executive, ...
            errors = {str(e.details.get("field", fields[0])): e.message}
        else:
            return Redirect(f"/t/{org.code}/console/?done={kind}", status_code=303)
        extra = {f"{kind}_form": typed, f"{kind}_errors": errors}
        return await console_page(services, org, viewer, 400, extra)

    @post("/register", status_code=200)
    async def register_preview(
        self, org: Dep[Org], request: AnyRequest, viewer: Dep[Session], services: Dep[Services]
    ) -> Template:
        form = await posted(request, viewer)
        csv_text = await csv_of(form)
        try:
            changes = await usecase.preview(services, actor_of_session(viewer), csv_text)
        except Forbidden:
            return not_found()
        return self._preview(org, viewer, csv_text, changes)

    def _preview(
        self,
        org: Org,
        viewer: Session,
        csv_text: str,
        changes: RegisterChanges,
        status: int = 200,
        notice: str = "",
    ) -> Template:
        return page(
            "register_preview.html",
            status,
            session=viewer,
            org=org,
            title="ตรวจสอบก่อนนำเข้าทะเบียน อปท.",
            changes=changes,
            csv_text=csv_text,
            seen=usecase.fingerprint(changes),
            notice=notice,
        )

    @post("/register/apply", status_code=200)
    async def register_apply(
        self, org: Dep[Org], request: AnyRequest, viewer: Dep[Session], services: Dep[Services]
    ) -> Template | Redirect:
        form = await posted(request, viewer)
        csv_text, seen = str(form.get("csv", ""))[:CSV_LIMIT], text(form, "seen", 64)
        actor = actor_of_session(viewer)
        try:
            await usecase.apply(services, actor, csv_text, seen)
        except Forbidden:
            return not_found()
        except DomainError as e:  # problems left, or the register changed since the preview
            changes = await usecase.preview(services, actor, csv_text)
            return self._preview(org, viewer, csv_text, changes, e.status, e.message)
        return Redirect(f"/t/{org.code}/console/?done=imported", status_code=303)
