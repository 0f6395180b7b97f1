"""The scan: every few minutes, what reminders are due across all tenants, grouped into one
digest per (tenant, recipient). Runs as the projector role (reads across tenants, writes
nothing); today is Asia/Bangkok's."""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

import asyncpg

from domain.reminders.policy import (
    Due,
    Policy,
    Recipient,
    StepTeam,
    indicator_reminder_due,
    named_in,
    round_reminders,
    step_reminders,
)
from domain.shared.clock import BANGKOK

HORIZON_DAYS = 60  # steps due further ahead than this have no reminder yet


@dataclass(frozen=True)
class Entry:
    """One reminder inside a digest."""

    subject: str
    due_date: str  # ISO
    kind: str
    title: str
    item: str = ""  # the item's number and name
    link: str = ""  # path of the page to act on
    days_overdue: int = 0


@dataclass
class Digest:
    tenant_id: str
    tenant_code: str
    tenant_name: str
    recipient: str
    name: str
    entries: list[Entry] = field(default_factory=list)

    def to_task(self) -> dict[str, Any]:
        return {**asdict(self), "entries": [asdict(e) for e in self.entries]}


def _policy(raw: Any) -> Policy:
    if not raw:
        return Policy()
    data = json.loads(raw) if isinstance(raw, str) else dict(raw)
    data["before_days"] = tuple(data.get("before_days", (14, 7, 1)))
    return Policy(**data)


async def due_digests(conn: asyncpg.Connection, now: datetime) -> list[Digest]:
    """Every digest that has something not yet sent (claims already sent are left out)."""
    today = now.astimezone(BANGKOK).date()
    hour = now.astimezone(BANGKOK).hour
    orgs = {
        r["id"]: r
        for r in await conn.fetch(
            "SELECT o.id, o.code, o.name_th, o.province_code, p.policy FROM organisations o "
            "LEFT JOIN reminder_policies p ON p.tenant_id = o.id"
        )
    }
    people: dict[uuid.UUID, list[Recipient]] = defaultdict(list)
    for r in await conn.fetch(
        "SELECT m.tenant_id, m.email, m.name, m.role, coalesce(p.mode, 'immediate') AS mode, "
        "coalesce(p.hour, 7) AS hour FROM members m LEFT JOIN reminder_preferences p "
        "USING (tenant_id, account_id) WHERE m.status = 'active'"
    ):
        people[r["tenant_id"]].append(
            Recipient(r["email"], r["name"], r["role"], r["mode"], r["hour"])
        )
    reviewers: dict[str, list[Recipient]] = defaultdict(list)
    for r in await conn.fetch(
        "SELECT province_code, email, name FROM office_members "
        "WHERE scope = 'office' AND status = 'active'"
    ):
        reviewers[r["province_code"]].append(Recipient(r["email"], r["name"], "reviewer"))
    steps = await conn.fetch(
        "SELECT d.tenant_id, d.item_id, d.plan_id, d.number, d.title, d.due_date, "
        "i.number AS item_number, i.registered_name, i.sheet "
        "FROM step_deadlines d JOIN item_views i USING (tenant_id, item_id) "
        "WHERE d.status <> 'completed' AND d.due_date IS NOT NULL "
        "AND d.due_date <= $1::date + $2::int",
        today,
        HORIZON_DAYS,
    )
    digests: dict[tuple[uuid.UUID, str], Digest] = {}

    def add(tenant: uuid.UUID, who: Recipient, entry: Entry) -> None:
        if who.mode == "daily" and hour < who.hour:
            return  # a daily digest waits for its hour
        org = orgs[tenant]
        d = digests.setdefault(
            (tenant, who.email),
            Digest(str(tenant), org["code"], org["name_th"], who.email, who.name),
        )
        d.entries.append(entry)

    for s in steps:
        tenant = s["tenant_id"]
        if tenant not in orgs:
            continue
        policy = _policy(orgs[tenant]["policy"])
        members = people.get(tenant, [])
        responsible = _responsible(s["sheet"], s["number"])
        team = StepTeam(
            named_in(responsible, members),
            tuple(m for m in members if m.role == "plan_officer"),
            tuple(m for m in members if m.role == "executive"),
            tuple(reviewers.get(orgs[tenant]["province_code"], ())),
        )
        for due in step_reminders(policy, s["due_date"], today):
            entry = Entry(
                f"step:{s['item_id']}:{s['number']}",
                s["due_date"].isoformat(),
                due.kind,
                f"ขั้นตอน {s['number']} {s['title']}",
                f"{s['item_number']} {s['registered_name']}",
                f"/t/{orgs[tenant]['code']}/plan/{s['plan_id']}/items/{s['item_id']}",
                due.days_overdue,
            )
            for who in team.for_(due):
                add(tenant, who, entry)
    for tenant, org in orgs.items():
        officers = [m for m in people.get(tenant, []) if m.role == "plan_officer"]
        for rnd, due in round_reminders(_policy(org["policy"]), today):
            entry = Entry(
                f"round:{rnd.fiscal_year}-{rnd.kind.months}",
                rnd.end.isoformat(),
                due.kind,
                f"ปิดรอบรายงาน {rnd.kind.thai} ปีงบประมาณ {rnd.fiscal_year}",
                "",
                f"/t/{org['code']}/",
            )
            for who in officers:
                add(tenant, who, entry)
    await _indicators(conn, today, orgs, people, add)
    return await _unsent(conn, list(digests.values()))


async def _indicators(
    conn: asyncpg.Connection,
    today: date,
    orgs: dict[uuid.UUID, Any],
    people: dict[uuid.UUID, list[Recipient]],
    add: Any,
) -> None:
    """Output indicators with no result for the fiscal year that has just ended (the service
    counts some itself: those are left out), to the plan officers."""
    due_by_tenant = {
        t: indicator_reminder_due(_policy(o["policy"]), today) for t, o in orgs.items()
    }
    tenants = [t for t, d in due_by_tenant.items() if d is not None]
    if not tenants:
        return
    for r in await conn.fetch(
        "SELECT i.tenant_id, i.plan_id, i.item_id, i.number, i.registered_name, i.sheet, "
        "(p.summary->>'first_year')::int AS first, (p.summary->>'last_year')::int AS last "
        "FROM item_views i JOIN plan_views p USING (tenant_id, plan_id) "
        "WHERE i.tenant_id = ANY($1::uuid[]) AND p.summary->>'status' <> 'closed'",
        tenants,
    ):
        found = due_by_tenant[r["tenant_id"]]
        assert found is not None
        fy, due = found
        sheet = json.loads(r["sheet"]) if isinstance(r["sheet"], str) else r["sheet"]
        years = sheet.get("fiscal_years") or list(range(r["first"], r["last"] + 1))
        if fy not in years:  # the item's own years, else its plan's
            continue
        missing = [
            o
            for o in sheet.get("outputs", [])
            if not o.get("measure")
            and not any(x.get("fiscal_year") == fy for x in o.get("results", []))
        ]
        if not missing:
            continue
        org = orgs[r["tenant_id"]]
        entry = Entry(
            f"indicators:{r['item_id']}:{fy}",
            date(fy - 543, 9, 30).isoformat(),
            due.kind,
            f"บันทึกผลตัวชี้วัด {len(missing)} ตัว ของปีงบประมาณ {fy}",
            f"{r['number']} {r['registered_name']}",
            f"/t/{org['code']}/plan/{r['plan_id']}/items/{r['item_id']}",
        )
        for who in people.get(r["tenant_id"], []):
            if who.role == "plan_officer":
                add(r["tenant_id"], who, entry)


def _responsible(sheet: Any, number: str) -> tuple[str, ...]:
    data = json.loads(sheet) if isinstance(sheet, str) else sheet
    for st in (data or {}).get("steps", []):
        if st.get("number") == number:
            return tuple(st.get("responsible") or ())
    return ()


async def _unsent(conn: asyncpg.Connection, digests: list[Digest]) -> list[Digest]:
    """Drop what was sent (or failed for good) already, and digests left empty."""
    if not digests:
        return []
    done = {
        (str(r["tenant_id"]), r["recipient"], r["subject"], r["due_date"].isoformat(), r["kind"])
        for r in await conn.fetch(
            "SELECT tenant_id, recipient, subject, due_date, kind FROM reminder_claims "
            "WHERE status <> 'pending' AND tenant_id = ANY($1::uuid[])",
            list({d.tenant_id for d in digests}),
        )
    }
    out = []
    for d in digests:
        d.entries = [
            e
            for e in d.entries
            if (d.tenant_id, d.recipient, e.subject, e.due_date, e.kind) not in done
        ]
        if d.entries:
            out.append(d)
    return out


def today_in_bangkok(now: datetime) -> date:
    return now.astimezone(BANGKOK).date()


__all__ = ["Digest", "Due", "Entry", "due_digests", "today_in_bangkok"]
