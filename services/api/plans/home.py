"""The tenant's home page (/t/<org>/): what needs doing next, as a task list, and the
progress of the current plan per dimension. A provincial office and the operator get their
short page (their own pages live elsewhere)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from litestar import Controller, get
from litestar.di import NamedDependency as Dep
from litestar.params import FromPath
from litestar.response import Template

from domain.plans.item import StepStatus
from domain.plans.values import parse_item_number
from domain.plans.views import sort_key, with_attainment
from domain.reporting.rounds import current_round, last_closed_round
from domain.shared.access import Actor, assigned
from domain.shared.fiscal import fiscal_year, fiscal_year_end
from infra.auth.sessions import Session
from services.api.edge import actor_of_session
from services.api.pages.common import not_found, org_of, page
from services.api.state import Services
from services.usecases import onboarding
from services.usecases import plans as usecase

SOON_DAYS = 30
YEAR_END_WARNING_DAYS = 60  # the current fiscal year counts as "near its end" this close to it


@dataclass
class StepTask:
    item_id: str
    item_number: str
    item_name: str
    number: str
    title: str
    due: date
    status: str
    mine: bool
    days: int  # days late (overdue) or left (due soon)


@dataclass
class IndicatorTask:
    item_id: str
    item_number: str
    item_name: str
    indicators: list[tuple[str, list[int]]] = field(default_factory=list)  # text, years


def tasks_of(
    sheets: list[dict[str, Any]],
    years: list[int],
    count: dict[str, dict[int, int]],
    today: date,
    actor: Actor,
) -> dict[str, Any]:
    """The home page's task lists and per-dimension progress, from the items' sheets."""
    mine: list[StepTask] = []
    overdue: list[StepTask] = []
    soon: list[StepTask] = []
    indicators: list[IndicatorTask] = []
    dims: dict[int, dict[str, int]] = {}
    horizon = today + timedelta(days=SOON_DAYS)
    for sheet in sorted(sheets, key=lambda s: sort_key(s["number"])):
        d = parse_item_number(sheet["number"])[0]
        dim = dims.setdefault(d, {"total": 0, "done": 0, "overdue": 0})
        for st in sheet["steps"]:
            dim["total"] += 1
            if st["status"] == StepStatus.COMPLETED.value:
                dim["done"] += 1
                continue
            due = date.fromisoformat(st["due"]) if st["due"] else None
            late = due is not None and due < today
            dim["overdue"] += late
            is_mine = assigned(actor, tuple(st["responsible"]))
            if due is None or not (is_mine or due <= horizon):
                continue
            task = StepTask(
                sheet["item_id"],
                sheet["number"],
                sheet["name"],
                st["number"],
                st["title"],
                due,
                st["status"],
                is_mine,
                abs((today - due).days),
            )
            (mine if is_mine else overdue if late else soon).append(task)
        missing = IndicatorTask(sheet["item_id"], sheet["number"], sheet["name"])
        for o in with_attainment(sheet, years, count, today)["outputs"]:
            gap = [
                y["fiscal_year"]
                for y in o["by_year"]
                if y["value"] is None
                and (
                    today > fiscal_year_end(y["fiscal_year"])
                    or (
                        y["fiscal_year"] == fiscal_year(today)
                        and (fiscal_year_end(y["fiscal_year"]) - today).days
                        <= YEAR_END_WARNING_DAYS
                    )
                )
            ]
            if gap:
                missing.indicators.append((o["text"], gap))
        if missing.indicators:
            indicators.append(missing)
    by_due = lambda t: (t.due, sort_key(t.item_number), t.number)  # noqa: E731
    mine.sort(key=by_due)
    overdue.sort(key=by_due)
    soon.sort(key=by_due)
    return {
        "mine": mine,
        "overdue": overdue,
        "soon": soon,
        "indicators": indicators,
        "dims": dims,
    }


def rounds_due(today: date) -> list[dict[str, Any]]:
    """The reporting round open today (and when it closes), and the round just closed while
    its report is still due."""
    out = []
    closed = last_closed_round(today)
    if closed.due() >= today:
        out.append(
            {
                "round": closed,
                "closed": True,
                "date": closed.due(),
                "days": (closed.due() - today).days,
            }
        )
    now = current_round(today)
    out.append({"round": now, "closed": False, "date": now.end, "days": (now.end - today).days})
    return out


def revision_task(row: dict[str, Any], items: dict[str, str]) -> dict[str, Any]:
    """An open revision request of the provincial office, with what it is about."""
    kind, _, ref = row["subject"].partition(":")
    about = {"plan": "แผนปฏิบัติการ", "declaration": "ประกาศเจตจำนง"}.get(kind, "")
    if kind == "item":
        about = f"รายการ {items.get(ref, '')}".strip()
    elif kind == "report":
        about = f"รายงานผล {ref}"
    return {**row, "about": about}


class HomePages(Controller):
    path = "/t/{org_code:str}"
    include_in_schema = False

    @get("/")
    async def home(
        self, org_code: FromPath[str], viewer: Dep[Session], services: Dep[Services]
    ) -> Template:
        org = await org_of(services, org_code)
        if org is None:
            return not_found("ไม่พบหน่วยงานนี้")
        if org.tenant_id is None or (viewer.scope != "lao" and not viewer.viewing):
            return page("home.html", org=org, session=viewer, title=org.name, lao=False)
        actor = actor_of_session(viewer)
        found_home = await usecase.home(services, actor)
        plan, today = found_home.plan, found_home.today
        items = {s["item_id"]: s["number"] for s in found_home.sheets}
        context: dict[str, Any] = {
            "plan": plan,
            "rounds": rounds_due(today),
            "today": today,
            "revisions": [revision_task(r, items) for r in found_home.revisions],
            "checklist": await onboarding.checklist(services, actor)
            if viewer.scope == "lao"
            else [],
        }
        if plan is not None:
            years = list(range(int(plan["first_year"]), int(plan["last_year"]) + 1))
            found = tasks_of(found_home.sheets, years, found_home.count, today, actor)
            titles = {d["number"]: d["title"] for d in plan["catalogue"]["dimensions"]}
            progress = []
            for number in sorted(set(titles) | set(found["dims"])):
                n = found["dims"].get(number, {"total": 0, "done": 0, "overdue": 0})
                percent = round(100 * n["done"] / n["total"]) if n["total"] else 0
                progress.append(
                    {"number": number, "title": titles.get(number, ""), **n, "percent": percent}
                )
            context |= found | {"progress": progress}
        return page(
            "home.html",
            org=org,
            session=viewer,
            title=org.name,
            lao=True,
            item_base=f"/t/{org.code}/plan/{plan['plan_id']}/items/" if plan else "",
            base_url=f"/t/{org.code}",
            staff=viewer.role == "staff",
            **context,
        )
