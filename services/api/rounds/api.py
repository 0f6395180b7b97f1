"""/api/v1: a plan's round of reporting per item (read, save) and its e-PlanNACC export.
Amounts are strings of baht with at most two decimals ("15000.50"), or null."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from litestar import Controller, Response, get, put
from litestar.di import NamedDependency as Dep
from litestar.params import FromPath, JSONBody, Parameter
from msgspec import Meta, Struct

from domain.reporting.entries import (
    CannotReason,
    InvalidEntry,
    ItemRoundEntry,
    RoundStatus,
    baht_plain,
    parse_baht,
)
from domain.shared.errors import NotFound
from services.api.edge import actor_of, api_call
from services.api.rounds.pages import export_response
from services.api.state import Services
from services.api.v1.auth import AnyRequest, Principal
from services.api.v1.common import PROBLEMS
from services.api.v1.schemas import ROUND
from services.usecases import rounds as usecase

Amount = Annotated[str, Meta(max_length=24, examples=["15000.50"])] | None
RoundCode = Annotated[str, Parameter(pattern=ROUND)]


class EntryIn(Struct, forbid_unknown_fields=True, kw_only=True):
    item_id: uuid.UUID
    budget_plan: Amount = None
    budget_ordinance: Amount = None
    disbursed: Amount = None
    in_ordinance: bool = False
    in_operating_plan: bool = False
    status: Literal["in_progress", "done", "cannot"] | None = None
    reason: Literal["no_budget", "policy_change", "too_few_staff", "other"] | None = None
    remark: Annotated[str, Meta(max_length=500)] = ""


class RoundIn(Struct, forbid_unknown_fields=True, kw_only=True):
    entries: Annotated[list[EntryIn], Meta(max_length=2000)]


def _amount(text: str | None, field: str, item: uuid.UUID) -> int | None:
    try:
        return parse_baht(text or "")
    except ValueError as e:
        raise InvalidEntry(str(e), field=field, item_id=str(item)) from e


def entry_of(e: EntryIn) -> ItemRoundEntry:
    return ItemRoundEntry(
        e.item_id,
        _amount(e.budget_plan, "budget_plan", e.item_id),
        _amount(e.budget_ordinance, "budget_ordinance", e.item_id),
        _amount(e.disbursed, "disbursed", e.item_id),
        e.in_ordinance,
        e.in_operating_plan,
        RoundStatus(e.status) if e.status else None,
        CannotReason(e.reason) if e.reason else None,
        e.remark.strip(),
    )


def view_json(view: usecase.RoundView) -> dict[str, Any]:
    return {
        "plan_id": view.plan["plan_id"],
        "round": view.round.code,
        "fiscal_year": view.round.fiscal_year,
        "months": view.round.kind.months,
        "start": view.round.start.isoformat(),
        "end": view.round.end.isoformat(),
        "version": view.version,
        "rate": {
            "percent": str(view.rate.percent),
            "level": view.rate.level,
            "implemented": view.rate.implemented,
            "total": view.rate.total,
        },
        "missing": view.missing,
        "items": [
            {
                "item_id": str(r.item_id),
                "number": r.number,
                "kind": r.kind.value,
                "name": r.name,
                "no_budget": r.no_budget,
                "planned": baht_plain(r.planned) or None,
                "entry": None
                if r.entry is None
                else {
                    "budget_plan": baht_plain(r.entry.budget_plan) or None,
                    "budget_ordinance": baht_plain(r.entry.budget_ordinance) or None,
                    "disbursed": baht_plain(r.entry.disbursed) or None,
                    "in_ordinance": r.entry.in_ordinance,
                    "in_operating_plan": r.entry.in_operating_plan,
                    "status": r.entry.status.value if r.entry.status else None,
                    "reason": r.entry.reason.value if r.entry.reason else None,
                    "remark": r.entry.remark,
                },
            }
            for r in view.rows
        ],
    }


class RoundsController(Controller):
    path = "/api/v1/plans/{plan_id:uuid}/rounds"
    tags = ["rounds"]  # noqa: RUF012

    @get("/{round_code:str}", responses=PROBLEMS)
    async def show(
        self,
        plan_id: FromPath[uuid.UUID],
        round_code: RoundCode,
        principal: Dep[Principal],
        services: Dep[Services],
    ) -> Response[dict[str, Any]]:
        view = await usecase.round_view(services, actor_of(principal), plan_id, round_code)
        return Response(view_json(view), headers={"ETag": f'"{view.version}"'})

    @put("/{round_code:str}", responses=PROBLEMS)
    async def save(
        self,
        plan_id: FromPath[uuid.UUID],
        round_code: RoundCode,
        data: JSONBody[RoundIn],
        request: AnyRequest,
        principal: Dep[Principal],
        services: Dep[Services],
    ) -> Response[dict[str, Any]]:
        actor = actor_of(principal)
        entries = [entry_of(e) for e in data.entries]
        await usecase.record_round(
            services, actor, await api_call(request), plan_id, round_code, entries
        )
        view = await usecase.round_view(services, actor, plan_id, round_code)
        return Response(view_json(view), headers={"ETag": f'"{view.version}"'})

    @get("/{round_code:str}/{filename:str}", responses=PROBLEMS)
    async def export(
        self,
        plan_id: FromPath[uuid.UUID],
        round_code: RoundCode,
        filename: FromPath[str],
        principal: Dep[Principal],
        services: Dep[Services],
    ) -> Response[bytes]:
        fmt = filename.removeprefix("eplannacc.")
        if filename not in ("eplannacc.xlsx", "eplannacc.csv"):
            raise NotFound("มีเฉพาะ eplannacc.xlsx และ eplannacc.csv")
        found = await usecase.eplannacc_export(
            services, actor_of(principal), plan_id, round_code, fmt
        )
        return export_response(found)
