"""The complaints register (ทะเบียนเรื่องร้องเรียน) on pages: the complaints of a fiscal year with
the counts per year, recording one received (day in พ.ศ., channel, subject), and moving it on
(อยู่ระหว่างดำเนินการ, ยุติเรื่อง with its outcome). The same use cases and rules as the API's
/api/v1/complaints; no personal data is asked for."""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from litestar import get, post
from litestar.di import NamedDependency as Dep
from litestar.di import Provide
from litestar.params import FromPath
from litestar.response import Redirect, Template

from domain.complaints import handlers as h
from domain.complaints.complaint import CHANNEL_NAMES, MAX_SUBJECT, OUTCOME_NAMES, STATUS_NAMES
from domain.shared.access import Action, Forbidden, may
from domain.shared.errors import DomainError, NotFound
from domain.shared.fiscal import arabic_digits, fiscal_year
from services.api.edge import form_call, new_aggregate_id
from services.api.pages import common as kit
from services.api.pages.bedays import read_day, typed_day
from services.api.pages.visit import LaoPages, Visit
from services.usecases import registers as usecase

DONE = {
    "received": "บันทึกเรื่องร้องเรียนแล้ว",
    "in_progress": "บันทึกว่าอยู่ระหว่างดำเนินการแล้ว",
    "resolved": "บันทึกการยุติเรื่องแล้ว",
}
REFUSED = "เฉพาะนักวิเคราะห์นโยบายและแผน (ผู้ดูแลแผน) และผู้บริหารเท่านั้นที่บันทึกทะเบียนเรื่องร้องเรียนได้"


class Register:
    """The register's pages for one visit (the LAO of the address, the viewer)."""

    def __init__(self, visit: Visit) -> None:
        self.visit, self.services, self.org, self.viewer = (
            visit,
            visit.services,
            visit.org,
            visit.viewer,
        )
        self.actor, self.today = visit.actor, visit.today

    def show(self, template: str, status: int, **context: Any) -> Template:
        """A register page with what both share: the lists to choose from, today, whether
        the viewer may write, and what was typed (``form``: the kit's fields read ``typed``)."""
        form = context.pop("form", None) or {}
        return self.visit.render(
            template,
            status,
            can_write=may(self.actor, Action.KEEP_REGISTERS),
            channels=CHANNEL_NAMES,
            outcomes=OUTCOME_NAMES,
            statuses=STATUS_NAMES,
            today=self.today,
            form=form,
            typed=form,
            form_key=secrets.token_urlsafe(16),
            **context,
        )

    async def year_page(self, year: int | None, status: int = 200, **context: Any) -> Template:
        year, rows = await usecase.complaints_of_year(self.services, self.actor, year)
        return self.show(
            "complaints.html",
            status,
            title="ทะเบียนเรื่องร้องเรียน",
            year=year,
            rows=rows,
            per_year=await usecase.complaints_per_year(self.services, self.actor),
            this_year=fiscal_year(self.today),
            max_subject=MAX_SUBJECT,
            **context,
        )

    async def complaint_page(self, cid: uuid.UUID, status: int = 200, **context: Any) -> Template:
        try:
            found = await usecase.complaint(self.services, self.actor, cid)
        except NotFound:
            return kit.not_found("ไม่พบเรื่องร้องเรียนนี้")
        return self.show("complaint.html", status, title="เรื่องร้องเรียน", c=found, **context)

    def refused(self) -> Template:
        return self.visit.refused(REFUSED, self.visit.url("/complaints/"))

    async def run(
        self, form: Any, cmd: h.ComplaintCommand | None, day: str, errors: dict[str, str], url: str
    ) -> Template | Redirect | None:
        """Run ``cmd`` (None: what was typed is wrong) as the API does: on to ``url`` when
        done; the refusal or 'not found' page; else None, with the rule's message in
        ``errors`` beside its field (the day's fieldset, ``day``, for a day)."""
        if not may(self.actor, Action.KEEP_REGISTERS):
            return self.refused()
        if cmd is None:
            return None
        call = form_call(form, type(cmd).__name__)
        try:
            await usecase.complaint_command(self.services, self.actor, call, cmd)
        except NotFound:
            return kit.not_found("ไม่พบเรื่องร้องเรียนนี้")
        except Forbidden:
            return self.refused()
        except DomainError as e:
            field = str(e.details.get("field", ""))
            errors[day if field in ("", "on") else field] = e.message
            return None
        return Redirect(url, status_code=303)


async def provide_register(visit: Dep[Visit]) -> Register:
    return Register(visit)


def _notice(request: kit.AnyRequest) -> str:
    return DONE.get(str(request.query_params.get("done") or ""), "")


class ComplaintPages(LaoPages):
    path = "/t/{org_code:str}/complaints"
    dependencies = {**LaoPages.dependencies, "reg": Provide(provide_register)}  # noqa: RUF012

    @get("/")
    async def register(self, reg: Dep[Register], request: kit.AnyRequest) -> Template:
        raw = arabic_digits(str(request.query_params.get("year") or ""))[:8]
        year = int(raw) if raw.isdigit() and 2400 <= int(raw) <= 2700 else None
        if raw and year is None:
            wrong = "ปีงบประมาณต้องเป็นปี พ.ศ. 4 หลัก เช่น 2570 จึงแสดงปีปัจจุบัน"
            return await reg.year_page(None, 400, errors={"year": wrong})
        return await reg.year_page(year, notice=_notice(request))

    @get("/{complaint_id:uuid}")
    async def complaint(
        self, reg: Dep[Register], complaint_id: FromPath[uuid.UUID], request: kit.AnyRequest
    ) -> Template:
        return await reg.complaint_page(complaint_id, notice=_notice(request))

    @post("/", status_code=200)
    async def receive(self, reg: Dep[Register], request: kit.AnyRequest) -> Template | Redirect:
        """Record a complaint received: the day (วัน / เดือน / ปี พ.ศ.), channel and subject."""
        form = await kit.posted(request, reg.viewer)
        typed: dict[str, Any] = {
            "received-on": typed_day(form, "on"),
            "channel": kit.text(form, "channel", 40),
            "category": kit.text(form, "category", MAX_SUBJECT + 100),
        }
        on, problem = read_day(typed["received-on"], "วันที่รับเรื่อง", reg.today)
        errors = {"received-on": problem} if problem else {}
        if typed["channel"] not in CHANNEL_NAMES:
            errors["channel"] = "กรุณาเลือกช่องทางที่รับเรื่อง"
        cid = new_aggregate_id(reg.actor, form_call(form, "complaint"))
        cmd = None
        if on is not None and not errors:
            cmd = h.ReceiveComplaint(cid, on, typed["channel"], typed["category"])
        year = fiscal_year(on) if on is not None else None
        url = f"/t/{reg.org.code}/complaints/?year={year}&done=received#c-{cid}"
        done = await reg.run(form, cmd, "received-on", errors, url)
        return done or await reg.year_page(year, 400, errors=errors, form=typed)

    @post("/{complaint_id:uuid}", status_code=200)
    async def move_on(
        self, reg: Dep[Register], complaint_id: FromPath[uuid.UUID], request: kit.AnyRequest
    ) -> Template | Redirect:
        """Update the status: อยู่ระหว่างดำเนินการ, or ยุติเรื่อง with an outcome from the list."""
        form = await kit.posted(request, reg.viewer)
        status, outcome = kit.text(form, "status", 20), kit.text(form, "outcome", 40)
        day = typed_day(form, "on")
        typed: dict[str, Any] = {"status-on": day, "status": status, "outcome": outcome}
        on, problem = read_day(day, "วันที่", reg.today)
        errors = {"status-on": problem} if problem else {}
        if status not in ("in_progress", "resolved"):
            errors["status"] = "กรุณาเลือกสถานะใหม่"
        elif status == "resolved" and outcome not in OUTCOME_NAMES:
            errors["outcome"] = "กรุณาเลือกผลการดำเนินการ"
        cmd: h.ComplaintCommand | None = None
        if on is not None and not errors:
            cmd = (
                h.ResolveComplaint(complaint_id, on, outcome)
                if status == "resolved"
                else h.TakeUpComplaint(complaint_id, on)
            )
        url = f"/t/{reg.org.code}/complaints/{complaint_id}?done={status}"
        done = await reg.run(form, cmd, "status-on", errors, url)
        return done or await reg.complaint_page(complaint_id, 400, errors=errors, form=typed)
