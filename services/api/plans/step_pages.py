"""The item page's step forms (heading 6: start, complete with evidence, reschedule, reopen,
add a step) and indicator results (heading 10). Plain form posts that redirect back; the
evidence files come with the form (multipart) or were uploaded first by evidence.js."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any

from litestar import post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency as Dep
from litestar.params import FromPath
from litestar.response import Redirect, Template

from domain.plans import commands as c
from domain.plans.handlers import ItemCommand
from domain.plans.values import MAX_EVIDENCE_BYTES, Evidence, parse_result
from domain.shared.access import Actor
from domain.shared.errors import DomainError
from domain.shared.fiscal import arabic_digits
from infra.evidence import file_name
from infra.files import sniff_media_type
from services.api.pages.bedays import read_day, typed_day
from services.api.pages.common import form_body_limit, text
from services.api.plans.forms import lines
from services.api.plans.item_pages import ItemController, ItemPage, item_form
from services.api.state import Services
from services.usecases import items as usecase
from services.usecases.scope import today

STEP = re.compile(r"^\d{1,2}(\.\d{1,2}){0,2}$")
SHA = re.compile(r"^[0-9a-f]{64}$")
MAX_FILES_BODY = form_body_limit(5)


def anchor_of(number: str) -> str:
    return "s" + number.replace(".", "-")


async def keep_upload(services: Services, actor: Actor, upload: UploadFile) -> Evidence | str:
    """Store an uploaded file as POST /api/v1/evidence does; a Thai message when refused."""
    content = await upload.read()
    name = file_name(upload.filename)
    if len(content) > MAX_EVIDENCE_BYTES:
        return f"ไฟล์ {name} ใหญ่เกิน 20 MB"
    media_type = sniff_media_type(content)
    if media_type is None:
        return f"ไฟล์ {name} ไม่ใช่ PDF, JPEG, PNG, DOCX หรือ XLSX (ตรวจจากเนื้อไฟล์)"
    return await usecase.keep_file(services, actor, name, content, media_type)


class StepPages(ItemController):
    @post("/steps/{number:str}/complete", request_max_body_size=MAX_FILES_BODY)
    async def complete(self, ip: Dep[ItemPage], number: FromPath[str]) -> Template | Redirect:
        a = f"{anchor_of(number)}-complete"
        probe = partial(c.CompleteStep, number=number, on=date.min)  # the day is read below
        known = bool(STEP.match(number))
        # The access rules are asked before any file is kept.
        form, item = await item_form(ip, probe, a, known=known)
        plan_id, item_id, services = ip.plan_id, ip.item_id, ip.services
        on_day = today(services.clock)
        typed: dict[str, Any] = {f"{a}-on": typed_day(form, "on")}
        typed[f"{a}-note"] = text(form, "note", 5000)
        typed[f"{a}-link"] = text(form, "link", 2000)
        errors: dict[str, str] = {}
        on, problem = read_day(typed[f"{a}-on"], "วันที่เสร็จ", on_day, past_only=True)
        if problem:
            errors[f"{a}-on"] = problem
        evidence: list[Evidence] = []
        shas = [s for s in form.getall("evidence", []) if isinstance(s, str) and SHA.match(s)]
        try:
            found = await usecase.resolve_evidence(services, ip.actor, list(dict.fromkeys(shas)))
            evidence += found
        except DomainError as e:
            errors[f"{a}-files"] = e.message
        for upload in form.getall("files", []):
            if isinstance(upload, UploadFile) and upload.filename:
                kept = await keep_upload(services, ip.actor, upload)
                if isinstance(kept, str):
                    errors[f"{a}-files"] = kept
                elif kept.sha256 not in {e.sha256 for e in evidence}:
                    evidence.append(kept)
        link: list[Evidence] = []
        if typed[f"{a}-link"]:
            try:
                link.append(Evidence.link(typed[f"{a}-link"]))
            except DomainError as e:
                errors[f"{a}-link"] = e.message
        if errors or on is None:
            return await ip.render(
                status=400, errors=errors, typed=typed, open_form=a, kept_files=evidence
            )
        cmd = c.CompleteStep(plan_id, item_id, number, on, typed[f"{a}-note"], (*link, *evidence))
        return await ip.run(
            form,
            cmd,
            f"complete-{number}",
            anchor=a,
            fields={},
            typed=typed,
            done="completed",
            kept_files=evidence,
            authorized=item,
        )

    @post("/steps/{number:str}/{action:str}")
    async def step_action(
        self, ip: Dep[ItemPage], number: FromPath[str], action: FromPath[str]
    ) -> Template | Redirect:
        a = f"{anchor_of(number)}-{action}"
        probes: dict[str, Callable[[uuid.UUID, uuid.UUID], ItemCommand]] = {
            "start": partial(c.StartStep, number=number, on=date.min),
            "reschedule": partial(c.RescheduleStep, number=number, reason="", due=None),
            "reopen": partial(c.ReopenStep, number=number, reason=""),
            "due": partial(c.SetStepDueDate, number=number, due=None),
        }
        known = bool(STEP.match(number)) and action in probes
        probe = probes.get(action, probes["reopen"])
        form, item = await item_form(ip, probe, a, known=known)
        plan_id, item_id = ip.plan_id, ip.item_id
        on_day = today(ip.services.clock)
        typed: dict[str, Any] = {f"{a}-reason": text(form, "reason", 500)}
        typed[f"{a}-on"], typed[f"{a}-due"] = typed_day(form, "on"), typed_day(form, "due")
        errors: dict[str, str] = {}
        cmd: ItemCommand
        if action == "start":
            on, problem = read_day(typed[f"{a}-on"], "วันที่เริ่ม", on_day, past_only=True)
            if problem:
                errors[f"{a}-on"] = problem
            cmd = c.StartStep(plan_id, item_id, number, on or on_day)
        elif action == "reschedule":
            due, problem = read_day(typed[f"{a}-due"], "กำหนดเสร็จใหม่", on_day)
            if problem:
                errors[f"{a}-due"] = problem
            if not typed[f"{a}-reason"]:
                errors[f"{a}-reason"] = "กรุณาระบุเหตุผลที่เลื่อนกำหนด"
            cmd = c.RescheduleStep(plan_id, item_id, number, typed[f"{a}-reason"], due)
        elif action == "due":  # กำหนดวันเสร็จ: the first due date, no reason asked
            due, problem = read_day(typed[f"{a}-due"], "กำหนดวันเสร็จ", on_day)
            if problem:
                errors[f"{a}-due"] = problem
            cmd = c.SetStepDueDate(plan_id, item_id, number, due)
        else:
            if not typed[f"{a}-reason"]:
                errors[f"{a}-reason"] = "กรุณาระบุเหตุผลที่เปิดขั้นตอนใหม่"
            cmd = c.ReopenStep(plan_id, item_id, number, typed[f"{a}-reason"])
        if errors:
            return await ip.render(status=400, errors=errors, typed=typed, open_form=a)
        done = {"start": "started", "reschedule": "rescheduled", "reopen": "reopened"}.get(
            action, "due"
        )
        return await ip.run(
            form,
            cmd,
            f"{action}-{number}",
            anchor=a,
            fields={"reason": f"{a}-reason", "due": f"{a}-due"},
            typed=typed,
            done=done,
            authorized=item,
        )

    @post("/steps")
    async def add_step(self, ip: Dep[ItemPage]) -> Template | Redirect:
        a = "add-step"
        probe = partial(c.ScheduleStep, number="", title="", due=None)
        form, _ = await item_form(ip, probe, a)
        plan_id, item_id = ip.plan_id, ip.item_id
        keys = ("number", "title", "who")
        typed: dict[str, Any] = {f"{a}-{k}": text(form, k, 2000) for k in keys}
        typed[f"{a}-due"] = typed_day(form, "due")
        number = arabic_digits(typed[f"{a}-number"]).replace(" ", "")
        errors: dict[str, str] = {}
        if not STEP.match(number):
            errors[f"{a}-number"] = "กรุณากรอกเลขขั้นตอน เช่น 6.9"
        if not typed[f"{a}-title"]:
            errors[f"{a}-title"] = "กรุณากรอกชื่อขั้นตอน"
        due, problem = read_day(
            typed[f"{a}-due"], "กำหนดเสร็จ", today(ip.services.clock), required=False
        )
        if problem:
            errors[f"{a}-due"] = problem
        if errors:
            return await ip.render(status=400, errors=errors, typed=typed, open_form=a)
        cmd = c.ScheduleStep(
            plan_id,
            item_id,
            number,
            typed[f"{a}-title"][:500],
            due,
            None,
            tuple(r[:500] for r in lines(typed[f"{a}-who"])),
        )
        return await ip.run(
            form,
            cmd,
            "add-step",
            anchor=a,
            fields={"title": f"{a}-title", "due": f"{a}-due", "number": f"{a}-number"},
            typed=typed,
            done="step",
        )

    @post("/results")
    async def record_result(self, ip: Dep[ItemPage]) -> Template | Redirect:
        """A result typed by the organisation ("85", "85%", "ร้อยละ 85"), in one of the item's
        own fiscal years; indicators the service counts are not typed (see ``override``)."""
        a = "record-result"
        probe = partial(c.RecordIndicatorResult, indicator_id="", fiscal_year=0, value=Decimal(0))
        form, _ = await item_form(ip, probe, a)
        typed = {f"{a}-{k}": text(form, k, 2000) for k in ("indicator", "year", "value", "note")}
        errors, indicator, year, value = await read_result(ip, typed, a, counted=False)
        if errors or value is None or year is None:
            return await ip.render(status=400, errors=errors, typed=typed, open_form=a)
        cmd = c.RecordIndicatorResult(
            ip.plan_id, ip.item_id, indicator, year, value, typed[f"{a}-note"]
        )
        return await ip.run(form, cmd, "result", anchor=a, fields={}, typed=typed, done="result")

    @post("/results/override")
    async def override(self, ip: Dep[ItemPage]) -> Template | Redirect:
        """The plan officer's value for an indicator the service counts, with the reason."""
        a = "override-result"
        probe = partial(
            c.OverrideCountedResult,
            indicator_id="",
            fiscal_year=0,
            value=Decimal(0),
            reason="",
            role="",
            by="",
        )
        form, _ = await item_form(ip, probe, a)
        keys = ("indicator", "year", "value", "reason")
        typed = {f"{a}-{k}": text(form, k, 2000) for k in keys}
        errors, indicator, year, value = await read_result(ip, typed, a, counted=True)
        if not typed[f"{a}-reason"]:
            errors[f"{a}-reason"] = "กรุณาระบุเหตุผลที่แก้ไขค่าที่ระบบนับ"
        if errors or value is None or year is None:
            return await ip.render(status=400, errors=errors, typed=typed, open_form=a)
        actor = ip.actor
        cmd = c.OverrideCountedResult(
            ip.plan_id,
            ip.item_id,
            indicator,
            year,
            value,
            typed[f"{a}-reason"][:2000],
            actor.role,
            actor.email,
        )
        return await ip.run(
            form,
            cmd,
            "override",
            anchor=a,
            fields={"reason": f"{a}-reason"},
            typed=typed,
            done="override",
        )


async def read_result(
    ip: ItemPage, typed: dict[str, str], a: str, *, counted: bool
) -> tuple[dict[str, str], str, int | None, Decimal | None]:
    """The indicator, fiscal year and value of a result form, and what is wrong with them:
    the indicator must be one the organisation types (``counted``: one the service counts),
    the year one of the item's own, the value a number ("85%" for a percentage)."""
    loaded = await usecase.item_sheet_of(ip.services, ip.actor, ip.plan_id, ip.item_id, None)
    sheet = loaded.sheet
    indicators = {o["indicator_id"]: o for o in (*sheet["outputs"], *sheet["outcomes"])}
    errors: dict[str, str] = {}
    chosen = typed[f"{a}-indicator"]
    ind = indicators.get(chosen)
    if ind is None:
        errors[f"{a}-indicator"] = "กรุณาเลือกตัวชี้วัด"
    elif bool(ind.get("measure")) != counted:
        errors[f"{a}-indicator"] = (
            "ตัวชี้วัดนี้ไม่ได้นับโดยระบบ กรุณาบันทึกผลในแบบฟอร์มบันทึกผลตัวชี้วัด"
            if counted
            else "ตัวชี้วัดนี้ระบบนับให้จากข้อมูลในระบบ ไม่ต้องกรอก "
            "หากค่าที่นับไม่ถูกต้อง เจ้าหน้าที่แผนแก้ไขได้พร้อมระบุเหตุผล"
        )
    own = sheet.get("fiscal_years") or loaded.years
    raw_year = arabic_digits(typed[f"{a}-year"])
    year = int(raw_year) if raw_year.isdigit() and len(raw_year) == 4 else None
    if year is None:
        errors[f"{a}-year"] = "กรุณาเลือกปีงบประมาณ"
    elif year not in own:
        errors[f"{a}-year"] = (
            f"ปี {year} ไม่อยู่ในระยะเวลาดำเนินการของรายการนี้ (ปี {', '.join(str(y) for y in own)})"
        )
        year = None
    value: Decimal | None = None
    try:
        value = parse_result(typed[f"{a}-value"], ind.get("unit", "") if ind else "")
    except DomainError as e:
        errors[f"{a}-value"] = e.message
    return errors, chosen[:40], year, value
