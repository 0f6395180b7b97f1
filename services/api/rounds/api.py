"""/api/v1: a plan's round of reporting per item (read, save) and its e-PlanNACC export.
Amounts are strings of baht with at most two decimals ("15000.50"), or null."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal, NamedTuple

from litestar import Controller, Response, get, put
from litestar.di import NamedDependency as Dep
from litestar.di import Provide
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
from services.api.edge import Asked
from services.api.rounds.pages import export_response
from services.api.v1.common import PROBLEMS, tagged
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


class RoundAt(NamedTuple):
    """The round a route's path names: its plan's id and its code ("2568-6")."""

    plan_id: uuid.UUID
    round_code: str


async def provide_round_at(plan_id: FromPath[uuid.UUID], round_code: RoundCode) -> RoundAt:
    return RoundAt(plan_id, round_code)


async def _round(asked: Asked, plan_id: uuid.UUID, round_code: str) -> Response[dict[str, Any]]:
    """The round as it stands, its version the ETag."""
    view = await asked.read(usecase.round_view, plan_id, round_code)
    return tagged(view_json(view), view.version)


class RoundsController(Controller):
    path = "/api/v1/plans/{plan_id:uuid}/rounds"
    tags = ["rounds"]  # noqa: RUF012
    dependencies = {"at": Provide(provide_round_at)}  # noqa: RUF012

    @get("/{round_code:str}", responses=PROBLEMS)
    async def show(self, at: Dep[RoundAt], asked: Dep[Asked]) -> Response[dict[str, Any]]:
        return await _round(asked, *at)

    @put("/{round_code:str}", responses=PROBLEMS)
    async def save(
        self, at: Dep[RoundAt], data: JSONBody[RoundIn], asked: Dep[Asked]
    ) -> Response[dict[str, Any]]:
        entries = [entry_of(e) for e in data.entries]
        await asked.write(usecase.record_round, *at, entries)
        return await _round(asked, *at)

    @get("/{round_code:str}/{filename:str}", responses=PROBLEMS)
    async def export(
        self, at: Dep[RoundAt], filename: FromPath[str], asked: Dep[Asked]
    ) -> Response[bytes]:
        fmt = filename.removeprefix("eplannacc.")
        if filename not in ("eplannacc.xlsx", "eplannacc.csv"):
            raise NotFound("มีเฉพาะ eplannacc.xlsx และ eplannacc.csv")
        found = await asked.read(usecase.eplannacc_export, *at, fmt)
        return export_response(found)
