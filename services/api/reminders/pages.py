"""Reminders on the pages: my delivery choice and what was sent to me; the executive's policy
for the LAO; the operator's list of reminders that failed for good."""

from __future__ import annotations

from typing import Any

from litestar import Controller, get, post
from litestar.di import NamedDependency as Dep
from litestar.di import Provide
from litestar.response import Redirect, Template

from domain.reminders.policy import InvalidPolicy
from domain.shared.access import Forbidden
from infra.auth.orgs import Org
from infra.auth.sessions import Session
from services.api.edge import actor_of_session
from services.api.pages.common import (
    AnyRequest,
    not_found,
    page,
    posted,
    provide_page_lao,
    provide_page_org,
    text,
)
from services.api.state import Services
from services.usecases import mail
from services.usecases import reminders as usecase


class ReminderPages(Controller):
    path = "/t/{org_code:str}/reminders"
    include_in_schema = False
    dependencies = {"org": Provide(provide_page_org)}  # noqa: RUF012

    async def _render(
        self, services: Services, org: Org, viewer: Session, status: int = 200, **extra: Any
    ) -> Template:
        actor = actor_of_session(viewer)
        if org.tenant_id is None:
            return page(
                "reminders_operator.html",
                status,
                session=viewer,
                org=org,
                title="การแจ้งเตือนที่ส่งไม่สำเร็จ",
                failed=await usecase.failed_reminders(services, actor),
                failed_mail=await mail.failed_mail(services, actor),
            )
        mine = await usecase.my_reminders(services, actor)
        return page(
            "reminders.html",
            status,
            session=viewer,
            org=org,
            title="การแจ้งเตือน",
            sent=mine.sent,
            mode=mine.mode,
            hour=mine.hour,
            policy=mine.policy,
            policy_form=extra.pop("policy_form", None),
            **extra,
        )

    @get("/")
    async def show(self, org: Dep[Org], viewer: Dep[Session], services: Dep[Services]) -> Template:
        if org.tenant_id is None and viewer.role != "operator":
            return not_found()
        return await self._render(services, org, viewer)

    @post("/preference", status_code=200, dependencies={"org": Provide(provide_page_lao)})
    async def preference(
        self,
        org: Dep[Org],
        request: AnyRequest,
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Template | Redirect:
        form = await posted(request, viewer)
        mode, hour = text(form, "mode", 20), text(form, "hour", 2)
        try:
            await usecase.set_preference(
                services, actor_of_session(viewer), mode, int(hour) if hour.isdigit() else -1
            )
        except usecase.InvalidPreference as e:
            return await self._render(services, org, viewer, 400, errors={"mode": e.message})
        return Redirect(f"/t/{org.code}/reminders?saved=1", status_code=303)

    @post("/policy", status_code=200, dependencies={"org": Provide(provide_page_lao)})
    async def policy(
        self,
        org: Dep[Org],
        request: AnyRequest,
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Template | Redirect:
        form = await posted(request, viewer)
        typed = {k: text(form, k, 40) for k in usecase.POLICY_FIELDS}
        try:
            await usecase.set_policy(services, actor_of_session(viewer), typed)
        except Forbidden:
            return page(
                "message.html",
                403,
                session=viewer,
                org=org,
                title="ทำรายการไม่ได้",
                message="เฉพาะผู้บริหารตั้งนโยบายการแจ้งเตือนได้",
            )
        except InvalidPolicy as e:
            return await self._render(
                services, org, viewer, 400, policy_form=typed, errors={"before_days": e.message}
            )
        return Redirect(f"/t/{org.code}/reminders?saved=1", status_code=303)
