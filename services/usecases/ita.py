"""The ITA items of an LAO: for each assessment year, the address on the service that
answers each item it can cover (the clerk copies it into the assessment system), and the
public evidence behind that address (no sign-in; only what the LAO has published)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.ita import CATALOGUE, Evidence, ItaItem, item_of
from domain.shared.access import Action, Actor
from domain.shared.fiscal import fiscal_year, fiscal_year_end
from infra.queries import public as queries
from services.usecases.bootstrap import Services
from services.usecases.scope import authorize, today


class UnknownYear(ValueError):
    pass


@dataclass(frozen=True)
class ItaLine:
    item: ItaItem
    url: str | None  # None: the service cannot cover the item
    published: bool  # the LAO has published what the address shows


@dataclass(frozen=True)
class ItaEvidence:
    org: dict[str, str]
    year: int
    item: ItaItem
    plan: dict[str, Any] | None = None
    declaration: dict[str, Any] | None = None


def address(base_url: str, code: str, year: int, item: ItaItem) -> str:
    return f"{base_url.rstrip('/')}/p/{code}/ita/{year}/{item.code}"


def _plan_for(plans: list[Any], year: int) -> dict[str, Any] | None:
    """The published (promulgated) plan covering fiscal year ``year``."""
    covering = [
        p
        for p in plans
        if p["first_year"] <= year <= p["last_year"] and p.get("promulgated_on") is not None
    ]
    return max(covering, key=lambda p: (p["first_year"], p["plan_id"]), default=None)


def _declaration_for(declarations: list[Any], year: int) -> dict[str, Any] | None:
    """The latest declaration published by the end of fiscal year ``year``."""
    end = fiscal_year_end(year)
    shown = [d for d in declarations if date.fromisoformat(d["published_on"]) <= end]
    return max(shown, key=lambda d: d["published_on"], default=None)


async def _published(
    services: Services, code: str
) -> tuple[dict[str, str], list[Any], list[Any]] | None:
    async with queries.public_reading(services.db) as conn:
        org = await queries.organisation(conn, code)
        if org is None:
            return None
        plans = await queries.plans(conn, org["id"])
        declarations = await queries.declarations(conn, org["id"])
    return {"code": org["code"], "name": org["name_th"]}, plans, declarations


def _evidence(
    org: dict[str, str], year: int, item: ItaItem, plans: list[Any], declarations: list[Any]
) -> ItaEvidence | None:
    if item.evidence is Evidence.PLAN and (plan := _plan_for(plans, year)) is not None:
        return ItaEvidence(org, year, item, plan=plan)
    if item.evidence is Evidence.DECLARATION and (d := _declaration_for(declarations, year)):
        return ItaEvidence(org, year, item, declaration=d)
    return None


def current_year(services: Services) -> int:
    """The assessment year of this fiscal year when the catalogue has it, else its latest."""
    fy = fiscal_year(today(services.clock))
    return fy if fy in CATALOGUE else max(CATALOGUE)


async def ita_lines(services: Services, actor: Actor, year: int) -> list[ItaLine]:
    """Every item of the year with the address the LAO can give, or None."""
    authorize(actor, Action.READ)
    if year not in CATALOGUE:
        raise UnknownYear(year)
    found = await _published(services, actor.tenant_code)
    org, plans, declarations = found if found else ({}, [], [])
    lines = []
    for item in CATALOGUE[year]:
        url = address(services.settings.base_url, actor.tenant_code, year, item)
        shown = found is not None and _evidence(org, year, item, plans, declarations) is not None
        lines.append(ItaLine(item, url if item.covered else None, shown))
    return lines


async def ita_evidence(
    services: Services, code: str, year: int, item_code: str
) -> ItaEvidence | None:
    """The published evidence behind an ITA address; None: nothing published (or no such
    LAO, year or item)."""
    item = item_of(year, item_code)
    if item is None or not item.covered:
        return None
    found = await _published(services, code)
    if found is None:
        return None
    org, plans, declarations = found
    return _evidence(org, year, item, plans, declarations)
