"""Reminders on the pages: my delivery choice and what was sent to me; the executive's policy
for the LAO; the operator's list of reminders that failed for good."""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from litestar import Controller, get, post
from litestar.di import NamedDependency as Dep
from litestar.params import FromPath
from litestar.response import Redirect, Template

from domain.reminders.policy import InvalidPolicy, Policy
from infra.auth.orgs import Org
from infra.auth.sessions import Session
from infra.db.pool import tenant_transaction
from services.api.pages.common import AnyRequest, not_found, org_of, page, posted, text
from services.api.state import Services


class ReminderPages(Controller):
    path = "/t/{org_code:str}/reminders"
    include_in_schema = False

    async def _render(
        self, services: Services, org: Org, viewer: Session, status: int = 200, **extra: Any
    ) -> Template:
        if org.tenant_id is None:
            async with services.db.acquire() as conn:
                failed = await conn.fetch("SELECT * FROM app_failed_reminders()")
            return page(
                "reminders_operator.html",
                status,
                session=viewer,
                org=org,
                title="การแจ้งเตือนที่ส่งไม่สำเร็จ",
                failed=failed,
            )
        async with tenant_transaction(services.db, org.tenant_id, readonly=True) as conn:
            sent = await conn.fetch(
                "SELECT subject, due_date, kind, sent_at, detail FROM reminder_claims "
                "WHERE recipient = $1 AND status = 'sent' ORDER BY sent_at DESC LIMIT 100",
                viewer.email,
            )
            pref = await conn.fetchrow(
                "SELECT mode, hour FROM reminder_preferences WHERE account_id = $1",
                uuid.UUID(viewer.account_id),
            )
            raw = await conn.fetchval("SELECT policy FROM reminder_policies")
        policy = (
            Policy(**{**json.loads(raw), "before_days": tuple(json.loads(raw)["before_days"])})
            if raw
            else Policy()
        )
        return page(
            "reminders.html",
            status,
            session=viewer,
            org=org,
            title="การแจ้งเตือน",
            sent=sent,
            mode=(pref["mode"] if pref else "immediate"),
            hour=(pref["hour"] if pref else 7),
            policy=policy,
            policy_form=extra.pop("policy_form", None),
            **extra,
        )

    @get("/")
    async def show(
        self, org_code: FromPath[str], viewer: Dep[Session], services: Dep[Services]
    ) -> Template:
        org = await org_of(services, org_code)
        if org is None or (org.tenant_id is None and viewer.role != "operator"):
            return not_found()
        return await self._render(services, org, viewer)

    @post("/preference", status_code=200)
    async def preference(
        self,
        org_code: FromPath[str],
        request: AnyRequest,
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Template | Redirect:
        org = await org_of(services, org_code)
        if org is None or org.tenant_id is None:
            return not_found()
        form = await posted(request, viewer)
        mode, hour = text(form, "mode", 20), text(form, "hour", 2)
        if mode not in ("immediate", "daily") or not hour.isdigit() or not 0 <= int(hour) <= 23:
            return await self._render(
                services, org, viewer, 400, errors={"mode": "เลือกรูปแบบการรับ และเวลา 0 ถึง 23 นาฬิกา"}
            )
        async with tenant_transaction(services.db, org.tenant_id) as conn:
            await conn.execute(
                "INSERT INTO reminder_preferences (tenant_id, account_id, mode, hour) "
                "VALUES ($1, $2, $3, $4) ON CONFLICT (tenant_id, account_id) DO UPDATE SET "
                "mode = EXCLUDED.mode, hour = EXCLUDED.hour",
                org.tenant_id,
                uuid.UUID(viewer.account_id),
                mode,
                int(hour),
            )
        return Redirect(f"/t/{org.code}/reminders?saved=1", status_code=303)

    @post("/policy", status_code=200)
    async def policy(
        self,
        org_code: FromPath[str],
        request: AnyRequest,
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Template | Redirect:
        org = await org_of(services, org_code)
        if org is None or org.tenant_id is None:
            return not_found()
        if viewer.role != "executive":
            return page(
                "message.html",
                403,
                session=viewer,
                org=org,
                title="ทำรายการไม่ได้",
                message="เฉพาะผู้บริหารตั้งนโยบายการแจ้งเตือนได้",
            )
        form = await posted(request, viewer)
        typed = {
            k: text(form, k, 40)
            for k in (
                "before_days",
                "overdue_every_days",
                "escalate_after_days",
                "province_after_days",
            )
        }
        try:
            before = tuple(int(x) for x in typed["before_days"].replace(" ", "").split(",") if x)
            province = typed["province_after_days"]
            policy = Policy(
                before_days=before,
                overdue_every_days=int(typed["overdue_every_days"] or 0),
                escalate_after_days=int(typed["escalate_after_days"] or 14),
                province_after_days=int(province) if province else None,
            )
        except ValueError:
            return await self._render(
                services,
                org,
                viewer,
                400,
                policy_form=typed,
                errors={"before_days": "กรอกเป็นตัวเลข เช่น 14,7,1"},
            )
        except InvalidPolicy as e:
            return await self._render(
                services, org, viewer, 400, policy_form=typed, errors={"before_days": e.message}
            )
        async with tenant_transaction(services.db, org.tenant_id) as conn:
            await conn.execute(
                "INSERT INTO reminder_policies (tenant_id, policy, changed_by, changed_at) "
                "VALUES ($1, $2, $3, $4) ON CONFLICT (tenant_id) DO UPDATE SET "
                "policy = EXCLUDED.policy, changed_by = EXCLUDED.changed_by, "
                "changed_at = EXCLUDED.changed_at",
                org.tenant_id,
                {**asdict(policy), "before_days": list(policy.before_days)},
                viewer.email,
                datetime.now(UTC),
            )
        return Redirect(f"/t/{org.code}/reminders?saved=1", status_code=303)


PAGES = (ReminderPages,)
