"""The organisation page: the LAO's profile for e-PlanNACC, editable by the executive and the
plan officer; errors beside each field with what was typed kept."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from litestar import Controller, get, post
from litestar.di import NamedDependency as Dep
from litestar.params import FromPath
from litestar.response import Redirect, Template

from domain.reporting.entries import baht, parse_baht
from domain.shared.access import Action, Forbidden, may
from domain.tenancy.profile import LaoProfileSet, check
from infra.auth.sessions import Session
from services.api.edge import actor_of_session
from services.api.pages.common import AnyRequest, lao_of, not_found, page, posted, text
from services.api.state import Services
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


class ProfilePages(Controller):
    path = "/t/{org_code:str}/organisation"
    include_in_schema = False

    @get("/")
    async def show(
        self,
        org_code: FromPath[str],
        request: AnyRequest,
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Template:
        org = await lao_of(services, org_code)
        if org is None:
            return not_found()
        actor = actor_of_session(viewer)
        found, version = await usecase.profile(services, actor)
        return page(
            "organisation.html",
            session=viewer,
            org=org,
            title="ข้อมูลองค์กร",
            form=typed_of(found),
            version=version,
            can_edit=may(actor, Action.EDIT_PLAN),
            saved=request.query_params.get("saved") == "1",
        )

    @post("/", status_code=200)
    async def save(
        self,
        org_code: FromPath[str],
        request: AnyRequest,
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Template | Redirect:
        org = await lao_of(services, org_code)
        if org is None:
            return not_found()
        actor = actor_of_session(viewer)
        form = await posted(request, viewer)
        p, errors, typed = parse(form)
        if p is not None:
            try:
                await usecase.set_profile(services, actor, Call(), p)
            except Forbidden:
                errors = {"population": "บทบาทของคุณแก้ไขข้อมูลองค์กรไม่ได้"}
                status = 403
            else:
                return Redirect(f"/t/{org.code}/organisation/?saved=1", status_code=303)
        else:
            status = 400
        return page(
            "organisation.html",
            status,
            session=viewer,
            org=org,
            title="ข้อมูลองค์กร",
            form=typed,
            errors=errors,
            version=0,
            can_edit=may(actor, Action.EDIT_PLAN),
            saved=False,
        )
