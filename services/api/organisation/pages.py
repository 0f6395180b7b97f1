"""The organisation page: the LAO's profile for e-PlanNACC, editable by the executive and the
plan officer; errors beside each field with what was typed kept."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from litestar import get, post
from litestar.di import NamedDependency as Dep
from litestar.response import Redirect, Template

from domain.reporting.entries import baht, parse_baht
from domain.shared.access import Action, Forbidden, may
from domain.tenancy.profile import LaoProfileSet, check
from services.api.pages.common import text
from services.api.pages.visit import LaoPages, Visit
from services.usecases import profile as usecase
from services.usecases.scope import Call

FIELDS = (
    "population",
    "area_km2",
    "income",
    "coordinator_name",
    "coordinator_position",
    "coordinator_phone",
    "coordinator_email",
    "website",
)
_INT = re.compile(r"^[0-9][0-9,]{0,12}$")
_AREA = re.compile(r"^[0-9][0-9,]{0,8}(\.[0-9]{1,2})?$")


def typed_of(p: LaoProfileSet) -> dict[str, str]:
    return {
        "population": "" if p.population is None else f"{p.population:,}",
        "area_km2": "" if p.area_km2 is None else f"{p.area_km2:,.2f}",
        "income": baht(p.income),
        "coordinator_name": p.coordinator_name,
        "coordinator_position": p.coordinator_position,
        "coordinator_phone": p.coordinator_phone,
        "coordinator_email": p.coordinator_email,
        "website": p.website,
    }


def parse(form: Any) -> tuple[LaoProfileSet | None, dict[str, str], dict[str, str]]:
    typed = {f: text(form, f, 300) for f in FIELDS}
    errors: dict[str, str] = {}
    population = area = income = None
    if t := typed["population"]:
        if _INT.match(t):
            population = int(t.replace(",", ""))
        else:
            errors["population"] = "จำนวนประชากรต้องเป็นจำนวนเต็ม เช่น 5,230"
    if t := typed["area_km2"]:
        try:
            if not _AREA.match(t):
                raise InvalidOperation
            area = Decimal(t.replace(",", ""))
        except InvalidOperation:
            errors["area_km2"] = "พื้นที่เป็นตารางกิโลเมตร ทศนิยมไม่เกิน 2 ตำแหน่ง เช่น 48.5"
    try:
        income = parse_baht(typed["income"])
    except ValueError as e:
        errors["income"] = str(e)
    p = LaoProfileSet(
        population,
        area,
        income,
        typed["coordinator_name"],
        typed["coordinator_position"],
        typed["coordinator_phone"],
        typed["coordinator_email"],
        typed["website"],
    )
    errors = {**check(p), **errors}  # what could not be read says so first
    return (None if errors else p), errors, typed


class ProfilePages(LaoPages):
    path = "/t/{org_code:str}/organisation"

    def _render(self, visit: Visit, status: int = 200, **context: Any) -> Template:
        return visit.render(
            "organisation.html",
            status,
            title="ข้อมูลองค์กร",
            can_edit=may(visit.actor, Action.EDIT_PLAN),
            **context,
        )

    @get("/")
    async def show(self, visit: Dep[Visit]) -> Template:
        found, version = await usecase.profile(visit.services, visit.actor)
        saved = visit.query("saved") == "1"
        return self._render(visit, form=typed_of(found), version=version, saved=saved)

    @post("/", status_code=200)
    async def save(self, visit: Dep[Visit]) -> Template | Redirect:
        form = await visit.form()
        p, errors, typed = parse(form)
        if p is not None:
            try:
                await usecase.set_profile(visit.services, visit.actor, Call(), p)
            except Forbidden:
                errors = {"population": "บทบาทของคุณแก้ไขข้อมูลองค์กรไม่ได้"}
                status = 403
            else:
                return visit.see_other("/organisation/?saved=1")
        else:
            status = 400
        return self._render(visit, status, form=typed, errors=errors, version=0, saved=False)
