"""The demo data (``demo/sujarit-demo-2570.json``) loaded through the use cases.

Each part is entered by the person who would enter it, through the use case a page or the
API calls, so the demo passes the same rules (authorization, the plans' and declarations'
rules, evidence kept content-addressed) and has the same events, read models and history as
real work:

- the operator imports the province's LAOs, onboards their executives and plan officers and
  the provincial office's reviewer; a plan officer invites the LAO's other members; each one
  accepts the invitation with the demo password (no email is queued: the link is used at once);
- the plan officer drafts each plan from its template, adds the items and their detail sheets,
  budgets, steps and indicators; the executive promulgates the plan (the headings checked, as
  on the pages) with its signed document;
- the plan officer records progress: postponements with their reasons, steps started and done
  with their evidence, indicator results of the years that have ended, the round tables of
  the 6- and 12-month rounds (budgets in the ordinance, disbursed, status); the executive closes
  the plan whose years are over and chooses the current one;
- the plan officer drafts and announces the declarations of intent, the executive publishes
  them signed; the plan officer keeps the complaints register.

An LAO that has a plan already is left as it is, so loading twice changes nothing. A role the
file names no account for (Tha Rae's executive, say) acts as ``DEMO_ACTOR``.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import asyncpg

from domain.declarations.declaration import Channel
from domain.plans import commands as c
from domain.plans.events import ItemHeadingsEdited
from domain.plans.values import Comparator, ItemKind, OutcomeIndicator, OutputIndicator
from domain.reporting.entries import CannotReason, ItemRoundEntry, RoundStatus, parse_baht
from domain.reporting.rounds import ReportingRound
from domain.shared.access import (
    EXECUTIVE,
    NIL,
    OPERATOR,
    PLAN_OFFICER,
    Action,
    Actor,
)
from domain.tenancy.organisations import Kind, Organisation, organisation_id
from domain.tenancy.provinces import PROVINCES_BY_CODE
from infra.auth.orgs import Org, find_org, org_transaction
from infra.db.pool import connect
from infra.queries import plans as plan_queries
from infra.settings import Settings
from infra.tenancy import seed_provinces, upsert_organisations
from services.usecases import declarations, items, plans, registers, rounds
from services.usecases.bootstrap import Services, services
from services.usecases.scope import Call, authorize

DEMO_FILE = Path(__file__).resolve().parents[2] / "demo" / "sujarit-demo-2570.json"
DEMO_PASSWORD = "sujarit-demo-2569"  # noqa: S105 - the published demo password (README)
DEMO_ACTOR = "ข้อมูลตัวอย่าง (demo)"
PDF = "application/pdf"
_NS = uuid.UUID("3f2b8d4e-6a1c-4b7e-9d05-8c2e4f6a1b3d")
_CALL = Call()


def demo_data(path: Path = DEMO_FILE) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def demo_id(*parts: object) -> uuid.UUID:
    """The demo's ids are the same at every load (a plan's, an item's, a declaration's)."""
    return uuid.uuid5(_NS, "/".join(str(p) for p in parts))


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def demo_organisations(data: dict[str, Any]) -> list[Organisation]:
    province = PROVINCES_BY_CODE[data["province"]["code"]]
    return [
        Organisation(
            organisation_id(o["code"]),
            o["code"],
            o["name"],
            o["name_en"],
            Kind(o["kind"]),
            province,
            o["district"],
        )
        for o in data["organisations"]
    ]


@dataclass(frozen=True)
class DemoAccount:
    org: str  # an LAO's code, po-<province>, operator
    email: str
    name: str
    role: str


def demo_accounts(data: dict[str, Any]) -> list[DemoAccount]:
    """Every account of the file, in the order they are made (the operator first, then who
    the operator onboards, then who the LAOs' plan officers invite)."""
    op = data["operator"]
    out = [DemoAccount(OPERATOR, op["email"], op["name"], OPERATOR)]
    office = data["province"]["office"]
    reviewers = data["province"]["reviewers"]
    out += [DemoAccount(office, r["email"], r["name"], "reviewer") for r in reviewers]
    for o in data["organisations"]:
        out += [
            DemoAccount(o["code"], m["email"], m["name"], m["role"])
            for m in sorted(o["members"], key=lambda m: m["role"] not in (EXECUTIVE, PLAN_OFFICER))
        ]
    return out


def demo_pdf(title: str) -> bytes:
    """A small, valid PDF standing in for a scanned document."""
    text = title.encode("utf-8").hex()
    body = (
        "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        "2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
        f"4 0 obj<</Title<{text}>>>endobj\n"
        "trailer<</Root 1 0 R/Info 4 0 R>>\n%%EOF\n"
    )
    return body.encode("ascii")


@dataclass
class Loaded:
    organisations: int = 0
    plans: int = 0
    accounts: int = 0

    def message(self) -> str:
        if not (self.organisations or self.plans or self.accounts):
            return "demo data already present"
        return f"demo data loaded ({self.plans} plans, {self.accounts} accounts)"


# -- who acts ---------------------------------------------------------------------------------


def _operator(data: dict[str, Any]) -> Actor:
    return Actor(OPERATOR, OPERATOR, NIL, "", data["operator"]["email"], org_code=OPERATOR)


# {(org code, role): (email, account id)} of the LAOs' executives and plan officers
_Accounts = dict[tuple[str, str], tuple[str, uuid.UUID]]


@dataclass(frozen=True)
class _Office:
    """An LAO's people as actors: its executive and its plan officer."""

    executive: Actor
    officer: Actor


def _lao_actor(org: Org, role: str, email: str, account_id: uuid.UUID | None) -> Actor:
    assert org.tenant_id is not None
    return Actor(role, "lao", org.tenant_id, org.code, email, account_id, org_code=org.code)


def _office(org: Org, accounts: _Accounts) -> _Office:
    def who(role: str) -> Actor:
        email, account_id = accounts.get((org.code, role), (DEMO_ACTOR, None))
        return _lao_actor(org, role, email, account_id)

    return _Office(who(EXECUTIVE), who(PLAN_OFFICER))


# -- organisations and accounts ------------------------------------------------------------


async def _organisations(owner: asyncpg.Connection, actor: Actor, data: dict[str, Any]) -> int:
    """The operator imports the demo LAOs (as ``sujarit organisations import`` does, on the
    owner's connection) when one is missing; returns how many were imported."""
    authorize(actor, Action.OPERATE)
    orgs = demo_organisations(data)
    await seed_provinces(owner)
    missing = [o for o in orgs if await find_org(owner, o.code) is None]
    if missing:
        await upsert_organisations(owner, orgs)
    return len(missing)


async def _org(services: Services, code: str) -> Org:
    async with services.db.acquire() as conn:
        org = await find_org(conn, code)
    if org is None:
        raise RuntimeError(f"demo organisation {code} is missing")
    return org


async def _join(services: Services, by: Actor, account: DemoAccount) -> tuple[uuid.UUID, bool]:
    """``by`` invites the account and its owner accepts with the demo password; an account that
    exists is left as it is. Returns its id and whether it was made."""
    authorize(by, Action.OPERATE if by.role == OPERATOR else Action.MANAGE_MEMBERS)
    org = await _org(services, account.org)
    async with org_transaction(services.db, org, readonly=True) as conn:
        found = await services.accounts.find(conn, org, email=account.email)
    if found is not None:
        return found.account_id, False
    _, link = await services.accounts.invite(
        org, account.email, account.name, account.role, by.email
    )
    return await services.accounts.accept(org, link, account.name, DEMO_PASSWORD), True


async def _accounts(services: Services, data: dict[str, Any], loaded: Loaded) -> _Accounts:
    """Every account of the file; {(org code, role): (email, account id)} of the LAOs'."""
    operator = _operator(data)
    made: _Accounts = {}
    for account in demo_accounts(data):
        by = operator
        if account.role not in (OPERATOR, "reviewer", EXECUTIVE, PLAN_OFFICER):
            org = await _org(services, account.org)
            email, officer_id = made[(account.org, PLAN_OFFICER)]
            by = _lao_actor(org, PLAN_OFFICER, email, officer_id)
        account_id, new = await _join(services, by, account)
        loaded.accounts += new
        made.setdefault((account.org, account.role), (account.email, account_id))
    return made


# -- plans ------------------------------------------------------------------------------------


async def _file(services: Services, actor: Actor, name: str, action: Action) -> Any:
    return await items.keep_file(services, actor, name, demo_pdf(name), PDF, action)


def _headings(it: dict[str, Any]) -> ItemHeadingsEdited:
    return ItemHeadingsEdited(
        rationale=it["rationale"],
        objectives=tuple(it["objectives"]),
        targets=tuple(it["targets"]),
        area=it["area"] or None,
        fiscal_years=tuple(it["fiscal_years"]),
        responsible_unit=it["responsible_unit"],
    )


def _sheet(plan_id: uuid.UUID, item_id: uuid.UUID, it: dict[str, Any]) -> Iterator[Any]:
    """The plan officer's commands that write an item's detail sheet."""
    yield c.EditItemHeadings(plan_id, item_id, _headings(it))
    budget = it["budget"]
    amounts = None if budget is None else {int(y): Decimal(a) for y, a in budget.items()}
    yield c.SetBudget(plan_id, item_id, amounts)
    for s in it["steps"]:
        first = s["reschedules"][0]["from_due"] if s["reschedules"] else s["due"]
        yield c.ScheduleStep(
            plan_id, item_id, s["number"], s["title"], _day(first), s["fiscal_year"],
            tuple(s["responsible"]),
        )  # fmt: skip
    for o in it["outputs"]:
        indicator = OutputIndicator(
            o["indicator_id"], o["text"], Comparator(o["comparator"]), Decimal(o["target"]),
            o["unit"], o["measure"],
        )  # fmt: skip
        yield c.DefineIndicator(plan_id, item_id, indicator)
    for o in it["outcomes"]:
        outcome = OutcomeIndicator(o["indicator_id"], o["text"], o["measure"])
        yield c.DefineIndicator(plan_id, item_id, outcome)


async def _progress(
    services: Services, officer: Actor, plan_id: uuid.UUID, item_id: uuid.UUID, it: dict[str, Any]
) -> None:
    """The plan officer records what was done: postponements, steps started and done (with
    their evidence), results of the years that have ended."""
    for s in it["steps"]:
        n = s["number"]
        for r in s["reschedules"]:
            cmd: Any = c.RescheduleStep(plan_id, item_id, n, r["reason"], _day(r["to_due"]))
            await items.item_command(services, officer, _CALL, cmd)
        if s["started_on"]:
            cmd = c.StartStep(plan_id, item_id, n, date.fromisoformat(s["started_on"]))
            await items.item_command(services, officer, _CALL, cmd)
        if s["completed_on"]:
            names = [e["name"] for e in s["evidence"]]
            proof = tuple(
                [await _file(services, officer, f, Action.RECORD_PROGRESS) for f in names]
            )
            on = date.fromisoformat(s["completed_on"])
            cmd = c.CompleteStep(plan_id, item_id, n, on, s["note"], proof)
            await items.item_command(services, officer, _CALL, cmd)
    for r in it["results"]:
        cmd = c.RecordIndicatorResult(
            plan_id, item_id, r["indicator_id"], r["fiscal_year"], Decimal(r["value"]), r["note"]
        )
        await items.item_command(services, officer, _CALL, cmd)


def round_entries(
    r: dict[str, Any], ids: dict[str, uuid.UUID], plan_items: list[dict[str, Any]]
) -> list[ItemRoundEntry]:
    """A round's entries as the round table records them (the plan's budget for the round's
    fiscal year as the table shows it; amounts in satang)."""
    year = str(ReportingRound.parse(r["round"]).fiscal_year)
    budgets = {it["number"]: (it["budget"] or {}).get(year) for it in plan_items}
    return [
        ItemRoundEntry(
            ids[e["number"]],
            parse_baht(budgets[e["number"]] or ""),
            parse_baht(e["budget_ordinance"] or ""),
            parse_baht(e["disbursed"] or ""),
            e["in_ordinance"],
            e["in_operating_plan"],
            RoundStatus(e["status"]) if e["status"] else None,
            CannotReason(e["reason"]) if e["reason"] else None,
            e["remark"],
        )
        for e in r["entries"]
    ]


async def _plan(
    services: Services, who: _Office, code: str, p: dict[str, Any], as_of: date
) -> None:
    officer, executive = who.officer, who.executive
    plan_id = demo_id(code, "plan", p["key"])
    draft = c.DraftPlan(
        plan_id, p["title"], p["first_year"], p["last_year"], template_id=p["template_id"]
    )
    await plans.draft_plan(services, officer, _CALL, draft)
    ids = {it["number"]: demo_id(code, p["key"], "item", it["number"]) for it in p["items"]}
    for it in p["items"]:
        item_id = ids[it["number"]]
        add = c.AddItem(plan_id, item_id, it["number"], ItemKind(it["kind"]), it["name"])
        await plans.plan_command(services, officer, _CALL, add)
        for cmd in _sheet(plan_id, item_id, it):
            await items.item_command(services, officer, _CALL, cmd)
    if p["promulgated"]:
        on, by = date.fromisoformat(p["promulgated"]["on"]), p["promulgated"]["by"]
        signed = await _file(
            services, executive, f"ประกาศใช้{p['title']}.pdf", Action.PROMULGATE_PLAN
        )
        promulgate = c.PromulgatePlan(plan_id, on, by, signed, check_headings=True)
        await plans.plan_command(services, executive, _CALL, promulgate)
    for it in p["items"]:
        await _progress(services, officer, plan_id, ids[it["number"]], it)
    for r in p["rounds"]:
        entries = round_entries(r, ids, p["items"])
        await rounds.record_round(services, officer, _CALL, plan_id, r["round"], entries)
    if p["closed_on"]:
        close = c.ClosePlan(plan_id, date.fromisoformat(p["closed_on"]))
        await plans.plan_command(services, executive, _CALL, close)
    if p["current"]:
        chosen = _day(p["promulgated"]["on"] if p["promulgated"] else None)
        current = c.MakePlanCurrent(plan_id, chosen or as_of)
        await plans.plan_command(services, executive, _CALL, current)


async def _declaration(
    services: Services, who: _Office, code: str, n: int, d: dict[str, Any]
) -> None:
    """The plan officer drafts, the executive publishes it signed, the plan officer announces."""
    declaration_id = demo_id(code, "declaration", n)
    await declarations.draft(services, who.officer, _CALL, declaration_id, d["text"], d["signers"])
    on = date.fromisoformat(d["published_on"])
    name = f"ประกาศเจตจำนงสุจริตของผู้บริหาร {on.year + 543}.pdf"
    signed = await _file(services, who.executive, name, Action.PUBLISH_DECLARATION)
    await declarations.publish(services, who.executive, _CALL, declaration_id, on, signed)
    for a in d["announcements"]:
        when = date.fromisoformat(a["on"])
        await declarations.announce(
            services, who.officer, _CALL, declaration_id, Channel(a["channel"]), when, a["detail"]
        )


async def _complaints(services: Services, who: _Office, code: str, rows: list[Any]) -> None:
    for n, r in enumerate(rows):
        complaint_id = demo_id(code, "complaint", n)
        received = date.fromisoformat(r["received_on"])
        await registers.receive_complaint(
            services, who.officer, _CALL, complaint_id, received, r["channel"], r["category"]
        )
        if r["resolved_on"]:
            resolved = date.fromisoformat(r["resolved_on"])
            await registers.resolve_complaint(
                services, who.officer, _CALL, complaint_id, resolved, r["outcome"]
            )


async def _has_plans(services: Services, org: Org) -> bool:
    assert org.tenant_id is not None
    async with org_transaction(services.db, org, readonly=True) as conn:
        return bool(await plan_queries.plan_list(conn))


async def _content(
    services: Services, data: dict[str, Any], o: dict[str, Any], accounts: _Accounts
) -> int:
    """One LAO's plans, declarations and complaints; how many plans were written (none when it
    has a plan already)."""
    org = await _org(services, o["code"])
    if await _has_plans(services, org):
        return 0
    who = _office(org, accounts)
    for p in o["plans"]:
        await _plan(services, who, o["code"], p, date.fromisoformat(data["as_of"]))
    for n, d in enumerate(o["declarations"]):
        await _declaration(services, who, o["code"], n, d)
    await _complaints(services, who, o["code"], o["complaints"])
    return len(o["plans"])


async def load(services: Services, data: dict[str, Any], loaded: Loaded | None = None) -> Loaded:
    """Write the demo ``data`` (``demo_data()``) through the use cases, the organisations
    being there; what was written. The LAOs are written side by side (each has its own log)."""
    loaded = loaded or Loaded()
    accounts = await _accounts(services, data, loaded)
    written = await asyncio.gather(
        *(_content(services, data, o, accounts) for o in data["organisations"])
    )
    loaded.plans += sum(written)
    return loaded


async def load_demo(settings: Settings, path: Path = DEMO_FILE) -> str:
    """Load the demo file once: the organisations on the owner's connection (as the
    operator's import does), the rest through the use cases as the web role, like the API.
    Says what it did."""
    data = demo_data(path)
    owner = await connect(settings.database_url)
    try:
        loaded = Loaded(organisations=await _organisations(owner, _operator(data), data))
    finally:
        await owner.close()
    async with services(settings, pool_min=1, pool_max=8, listen_tokens=False) as built:
        return (await load(built, data, loaded)).message()
