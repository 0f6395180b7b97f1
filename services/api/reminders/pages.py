"""Reminders on the pages: my delivery choice and what was sent to me; the executive's policy
for the LAO; the operator's list of reminders that failed for good."""

from __future__ import annotations

from typing import Any

from litestar import get, post
from litestar.di import NamedDependency as Dep
from litestar.di import Provide
from litestar.response import Redirect, Template

from domain.reminders.policy import InvalidPolicy
from domain.shared.access import Forbidden
from services.api.pages.common import not_found, provide_page_lao, text, view_context
from services.api.pages.visit import OrgPages, Visit
from services.usecases import mail
from services.usecases import reminders as usecase

AN_LAO = {"org": Provide(provide_page_lao)}


class ReminderPages(OrgPages):
    path = "/t/{org_code:str}/reminders"

    async def _render(self, visit: Visit, status: int = 200, **extra: Any) -> Template:
        services, actor = visit.services, visit.actor
        if visit.org.tenant_id is None:
            return visit.render(
                "reminders_operator.html",
                status,
                title="การแจ้งเตือนที่ส่งไม่สำเร็จ",
                failed=await usecase.failed_reminders(services, actor),
                failed_mail=await mail.failed_mail(services, actor),
            )
        mine = await usecase.my_reminders(services, actor)
        return visit.render(
            "reminders.html",
            status,
            title="การแจ้งเตือน",
            **view_context(mine),
            policy_form=extra.pop("policy_form", None),
            **extra,
        )

    @get("/")
    async def show(self, visit: Dep[Visit]) -> Template:
        if visit.org.tenant_id is None and visit.viewer.role != "operator":
            return not_found()
        return await self._render(visit)

    @post("/preference", status_code=200, dependencies=AN_LAO)
    async def preference(self, visit: Dep[Visit]) -> Template | Redirect:
        form = await visit.form()
        mode, hour = text(form, "mode", 20), text(form, "hour", 2)
        try:
            await usecase.set_preference(
                visit.services, visit.actor, mode, int(hour) if hour.isdigit() else -1
            )
        except usecase.InvalidPreference as e:
            return await self._render(visit, 400, errors={"mode": e.message})
        return visit.see_other("/reminders?saved=1")

    @post("/policy", status_code=200, dependencies=AN_LAO)
    async def policy(self, visit: Dep[Visit]) -> Template | Redirect:
        form = await visit.form()
        typed = {k: text(form, k, 40) for k in usecase.POLICY_FIELDS}
        try:
            await usecase.set_policy(visit.services, visit.actor, typed)
        except Forbidden:
            return visit.render(
                "message.html",
                403,
                title="ทำรายการไม่ได้",
                message="เฉพาะผู้บริหารตั้งนโยบายการแจ้งเตือนได้",
            )
        except InvalidPolicy as e:
            problem = {"before_days": e.message}
            return await self._render(visit, 400, policy_form=typed, errors=problem)
        return visit.see_other("/reminders?saved=1")
