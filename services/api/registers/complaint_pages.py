"""The complaints register (ทะเบียนเรื่องร้องเรียน) on pages: the complaints of a fiscal year with
the counts per year, recording one received (day in พ.ศ., channel, subject), and moving it on
(อยู่ระหว่างดำเนินการ, ยุติเรื่อง with its outcome). The same use cases and rules as the API's
/api/v1/complaints; no personal data is asked for."""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from litestar import Controller, get, post
from litestar.di import NamedDependency as Dep
from litestar.params import FromPath
from litestar.response import Redirect, Template

from domain.complaints.complaint import CHANNEL_NAMES, MAX_SUBJECT, OUTCOME_NAMES, STATUS_NAMES
from domain.shared.access import Action, Forbidden, may
from domain.shared.errors import DomainError, NotFound
from domain.shared.fiscal import arabic_digits, fiscal_year
from infra.auth.orgs import Org
from infra.auth.sessions import Session
from services.api.edge import actor_of_session, form_call, new_aggregate_id
from services.api.pages.bedays import Typed, read_day, typed_day
from services.api.pages.common import AnyRequest, lao_of, not_found, page, posted, refused, text
from services.api.state import Services
from services.usecases import registers as usecase
from services.usecases.scope import today

DONE = {
    "received": "บันทึกเรื่องร้องเรียนแล้ว",
    "in_progress": "บันทึกว่าอยู่ระหว่างดำเนินการแล้ว",
    "resolved": "บันทึกการยุติเรื่องแล้ว",
}
REFUSED = "เฉพาะนักวิเคราะห์นโยบายและแผน (ผู้ดูแลแผน) และผู้บริหารเท่านั้นที่บันทึกทะเบียนเรื่องร้องเรียนได้"


def _error_key(e: DomainError, date_field: str) -> str:
    """Where a rule's message goes: beside the field it names (the day's fieldset for "on")."""
    field = str(e.details.get("field", ""))
    return date_field if field in ("", "on") else field


class ComplaintPages(Controller):
    path = "/t/{org_code:str}/complaints"
    include_in_schema = False

    async def _register(
        self,
        services: Services,
        org: Org,
        viewer: Session,
        year: int | None,
        *,
        status: int = 200,
        errors: dict[str, str] | None = None,
        form: dict[str, Any] | None = None,
        notice: str = "",
    ) -> Template:
        actor = actor_of_session(viewer)
        year, rows = await usecase.complaints_of_year(services, actor, year)
        per_year = await usecase.complaints_per_year(services, actor)
        return page(
            "complaints.html",
            status,
            session=viewer,
            org=org,
            title="ทะเบียนเรื่องร้องเรียน",
            year=year,
            rows=rows,
            per_year=per_year,
            this_year=fiscal_year(today(services.clock)),
            can_write=may(actor, Action.KEEP_REGISTERS),
            channels=CHANNEL_NAMES,
            outcomes=OUTCOME_NAMES,
            statuses=STATUS_NAMES,
            max_subject=MAX_SUBJECT,
            today=today(services.clock),
            errors=errors or {},
            form=form or {},
            typed=form or {},  # what the kit's fields show again (services/api/plans/templates)
            form_key=secrets.token_urlsafe(16),
            notice=notice,
        )

    @get("/")
    async def register(
        self,
        org_code: FromPath[str],
        request: AnyRequest,
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Template:
        org = await lao_of(services, org_code)
        if org is None:
            return not_found()
        q = request.query_params
        raw = arabic_digits(str(q.get("year") or ""))[:8]
        errors: dict[str, str] = {}
        year: int | None = None
        if raw:
            if raw.isdigit() and 2400 <= int(raw) <= 2700:
                year = int(raw)
            else:
                errors["year"] = "ปีงบประมาณต้องเป็นปี พ.ศ. 4 หลัก เช่น 2570 จึงแสดงปีปัจจุบัน"
        notice = DONE.get(str(q.get("done") or ""), "")
        return await self._register(
            services, org, viewer, year, status=400 if errors else 200, errors=errors, notice=notice
        )

    @post("/", status_code=200)
    async def receive(
        self,
        org_code: FromPath[str],
        request: AnyRequest,
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Template | Redirect:
        """Record a complaint received: the day (วัน / เดือน / ปี พ.ศ.), channel and subject."""
        org = await lao_of(services, org_code)
        if org is None:
            return not_found()
        form = await posted(request, viewer)
        actor = actor_of_session(viewer)
        if not may(actor, Action.KEEP_REGISTERS):
            return refused(org, viewer, REFUSED, f"/t/{org.code}/complaints/")
        typed: dict[str, Any] = {
            "received-on": typed_day(form, "on"),
            "channel": text(form, "channel", 40),
            "category": text(form, "category", MAX_SUBJECT + 100),
        }
        on, problem = read_day(typed["received-on"], "วันที่รับเรื่อง", today(services.clock))
        errors = {"received-on": problem} if problem else {}
        if typed["channel"] not in CHANNEL_NAMES:
            errors["channel"] = "กรุณาเลือกช่องทางที่รับเรื่อง"
        if on is not None and not errors:
            call = form_call(form, "complaint")
            complaint_id = new_aggregate_id(actor, call)
            try:
                await usecase.receive_complaint(
                    services, actor, call, complaint_id, on, typed["channel"], typed["category"]
                )
            except DomainError as e:
                errors[_error_key(e, "received-on")] = e.message
            else:
                url = f"/t/{org.code}/complaints/?year={fiscal_year(on)}&done=received"
                return Redirect(f"{url}#c-{complaint_id}", status_code=303)
        year = fiscal_year(on) if on is not None else None
        return await self._register(
            services, org, viewer, year, status=400, errors=errors, form=typed
        )

    async def _complaint_page(
        self,
        services: Services,
        org: Org,
        viewer: Session,
        complaint_id: uuid.UUID,
        *,
        status: int = 200,
        errors: dict[str, str] | None = None,
        form: dict[str, Any] | None = None,
        notice: str = "",
    ) -> Template:
        actor = actor_of_session(viewer)
        try:
            found = await usecase.complaint(services, actor, complaint_id)
        except NotFound:
            return not_found("ไม่พบเรื่องร้องเรียนนี้")
        return page(
            "complaint.html",
            status,
            session=viewer,
            org=org,
            title="เรื่องร้องเรียน",
            c=found,
            can_write=may(actor, Action.KEEP_REGISTERS),
            channels=CHANNEL_NAMES,
            outcomes=OUTCOME_NAMES,
            statuses=STATUS_NAMES,
            today=today(services.clock),
            errors=errors or {},
            form=form or {},
            typed=form or {},  # what the kit's fields show again (services/api/plans/templates)
            form_key=secrets.token_urlsafe(16),
            notice=notice,
        )

    @get("/{complaint_id:uuid}")
    async def complaint(
        self,
        org_code: FromPath[str],
        complaint_id: FromPath[uuid.UUID],
        request: AnyRequest,
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Template:
        org = await lao_of(services, org_code)
        if org is None:
            return not_found()
        notice = DONE.get(str(request.query_params.get("done") or ""), "")
        return await self._complaint_page(services, org, viewer, complaint_id, notice=notice)

    @post("/{complaint_id:uuid}", status_code=200)
    async def move_on(
        self,
        org_code: FromPath[str],
        complaint_id: FromPath[uuid.UUID],
        request: AnyRequest,
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Template | Redirect:
        """Update the status: อยู่ระหว่างดำเนินการ, or ยุติเรื่อง with an outcome from the list."""
        org = await lao_of(services, org_code)
        if org is None:
            return not_found()
        form = await posted(request, viewer)
        actor = actor_of_session(viewer)
        if not may(actor, Action.KEEP_REGISTERS):
            return refused(org, viewer, REFUSED, f"/t/{org.code}/complaints/{complaint_id}")
        day: Typed = typed_day(form, "on")
        typed: dict[str, Any] = {
            "status-on": day,
            "status": text(form, "status", 20),
            "outcome": text(form, "outcome", 40),
        }
        on, problem = read_day(day, "วันที่", today(services.clock))
        errors = {"status-on": problem} if problem else {}
        if typed["status"] not in ("in_progress", "resolved"):
            errors["status"] = "กรุณาเลือกสถานะใหม่"
        elif typed["status"] == "resolved" and typed["outcome"] not in OUTCOME_NAMES:
            errors["outcome"] = "กรุณาเลือกผลการดำเนินการ"
        if on is not None and not errors:
            call = form_call(form, f"complaint-{typed['status']}")
            try:
                if typed["status"] == "resolved":
                    await usecase.resolve_complaint(
                        services, actor, call, complaint_id, on, typed["outcome"]
                    )
                else:
                    await usecase.take_up_complaint(services, actor, call, complaint_id, on)
            except NotFound:
                return not_found("ไม่พบเรื่องร้องเรียนนี้")
            except Forbidden:
                return refused(org, viewer, REFUSED, f"/t/{org.code}/complaints/")
            except DomainError as e:
                errors[_error_key(e, "status-on")] = e.message
            else:
                url = f"/t/{org.code}/complaints/{complaint_id}?done={typed['status']}"
                return Redirect(url, status_code=303)
        return await self._complaint_page(
            services, org, viewer, complaint_id, status=400, errors=errors, form=typed
        )
