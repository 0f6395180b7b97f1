"""The ITA items of an LAO: for each assessment year, the address on the service that
answers each item it can cover (the clerk copies it into the assessment system), and the
public evidence behind that address (no sign-in; only what the LAO has published)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.ita import CATALOGUE, Evidence, ItaItem, is_no_gift, item_of
from domain.reporting.rounds import ReportingRound
from domain.shared.access import Action, Actor
from domain.shared.fiscal import fiscal_year, fiscal_year_end
from infra.queries import ita as ita_queries
from infra.queries import public as queries
from services.usecases.bootstrap import Services
from services.usecases.public import published_by
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
    reports: tuple[dict[str, Any], ...] = ()  # submitted reports: round, label, url, ...
    complaints: tuple[dict[str, Any], ...] = ()  # per fiscal year: received, resolved


@dataclass(frozen=True)
class Published:
    """What an LAO has published: its plans, declarations, submitted reports and complaint
    counts (read once per request, as the public role)."""

    org: dict[str, str]
    plans: list[Any]
    declarations: list[Any]
    reports: list[dict[str, Any]]
    complaints: list[dict[str, Any]]


def report_rounds(evidence: Evidence, year: int) -> list[str]:
    """The rounds whose submitted report answers an item of assessment year ``year``: the
    6-month report of that fiscal year, the annual report of the year before; the one item
    of 2568 on (the plan's report) any of them, latest first."""
    return {
        Evidence.REPORT_6: [f"{year}-6"],
        Evidence.REPORT_12: [f"{year - 1}-12"],
        Evidence.PLAN_REPORT: [f"{year}-12", f"{year}-6", f"{year - 1}-12"],
    }.get(evidence, [])


def report_url(code: str, round_code: str) -> str:
    return f"/p/{code}/reports/{round_code}.pdf"


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


def _declaration_for(
    declarations: list[Any], year: int, *, no_gift: bool = False
) -> dict[str, Any] | None:
    """The latest declaration published by the end of fiscal year ``year`` (``no_gift``:
    the latest whose text is the No Gift policy)."""
    end = fiscal_year_end(year)
    shown = [
        d
        for d in declarations
        if date.fromisoformat(d["published_on"]) <= end and (not no_gift or is_no_gift(d["text"]))
    ]
    return max(shown, key=lambda d: d["published_on"], default=None)


async def _published(services: Services, code: str) -> Published | None:
    async with queries.public_reading(services.db) as conn:
        found = await published_by(conn, code)
        if found is None:
            return None
        org, plans, declarations = found
        return Published(
            {"code": org["code"], "name": org["name_th"]},
            plans,
            declarations,
            await ita_queries.submitted_reports(conn, org["id"]),
            await queries.complaint_counts(conn, org["id"]),
        )


def _reports(p: Published, item: ItaItem, year: int) -> tuple[dict[str, Any], ...]:
    by_round = {r["round"]: r for r in p.reports}
    return tuple(
        {
            **by_round[code],
            "label": str(ReportingRound.parse(code)),
            "url": report_url(p.org["code"], code),
        }
        for code in report_rounds(item.evidence, year)
        if code in by_round
    )


def _complaints(p: Published, year: int) -> tuple[dict[str, Any], ...]:
    counts = {c["fiscal_year"]: c for c in p.complaints}
    empty = {"received": 0, "resolved": 0}
    return tuple(
        {"fiscal_year": y, **{k: counts.get(y, empty)[k] for k in empty}} for y in (year, year - 1)
    )


def _evidence(p: Published, year: int, item: ItaItem) -> ItaEvidence | None:
    if item.evidence is Evidence.PLAN and (plan := _plan_for(p.plans, year)) is not None:
        return ItaEvidence(p.org, year, item, plan=plan)
    if item.evidence is Evidence.DECLARATION and (d := _declaration_for(p.declarations, year)):
        return ItaEvidence(p.org, year, item, declaration=d)
    no_gift = item.evidence is Evidence.NO_GIFT
    if no_gift and (d := _declaration_for(p.declarations, year, no_gift=True)):
        return ItaEvidence(p.org, year, item, declaration=d)
    if reports := _reports(p, item, year):
        return ItaEvidence(p.org, year, item, reports=reports)
    if item.evidence is Evidence.COMPLAINT_STATS:  # none received is a statistic too
        return ItaEvidence(p.org, year, item, complaints=_complaints(p, year))
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
    lines = []
    for item in CATALOGUE[year]:
        url = address(services.settings.base_url, actor.tenant_code, year, item)
        shown = found is not None and _evidence(found, year, item) is not None
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
    return None if found is None else _evidence(found, year, item)


async def public_report(services: Services, code: str, round_code: str) -> bytes | None:
    """The PDF of the latest report of a round that the LAO submitted (None: none)."""
    try:
        rnd = ReportingRound.parse(round_code)
    except ValueError:
        return None
    async with queries.public_reading(services.db) as conn:
        org = await queries.organisation(conn, code)
        if org is None:
            return None
        found = await ita_queries.submitted_report(conn, org["id"], rnd.code)
    return None if found is None else await services.files.get(found["sha256"])
