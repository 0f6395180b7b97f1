"""The public page of each LAO: no sign-in, only what the LAO has published, read as the
database role that can read the public read model and nothing else (infra.queries.public)."""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import asyncpg

from domain.shared.fiscal import fiscal_year
from infra.queries import public as queries
from infra.tlog import store as tlog
from services.usecases.bootstrap import Services
from services.usecases.scope import today

INLINE = ("application/pdf", "image/jpeg", "image/png")


@dataclass(frozen=True)
class PublicOrg:
    code: str
    name: str
    province: str
    address: str = ""
    phone: str = ""
    website: str = ""
    name_en: str = ""
    province_en: str = ""


@dataclass(frozen=True)
class NationalChannel:
    """A channel every citizen may use for a complaint about any LAO."""

    name: str
    phone: str
    website: str
    about: str


NATIONAL_CHANNELS = (
    NationalChannel(
        "ศูนย์ดำรงธรรม กระทรวงมหาดไทย",
        "1567",
        "https://www.damrongdhama.moi.go.th",
        "รับเรื่องร้องเรียนและร้องทุกข์ทุกเรื่อง โทรฟรีตลอด 24 ชั่วโมง",
    ),
    NationalChannel(
        "สำนักงาน ป.ป.ช. (คณะกรรมการป้องกันและปราบปรามการทุจริตแห่งชาติ)",
        "1205",
        "https://www.nacc.go.th",
        "แจ้งเบาะแสการทุจริตของเจ้าหน้าที่รัฐ",
    ),
)


class InvalidContact(ValueError):
    """Contact details the public page cannot show as given (the message says why, in Thai)."""


def check_contact(address: str, phone: str, website: str) -> tuple[str, str, str]:
    """The contact details trimmed, or InvalidContact: a phone of digits, spaces, dashes, commas
    and an optional leading +; a website beginning http:// or https://."""
    address, phone, website = (" ".join(v.split()) for v in (address, phone, website))
    if len(address) > 500 or len(phone) > 100 or len(website) > 300:
        raise InvalidContact("ข้อมูลยาวเกินไป (ที่อยู่ไม่เกิน 500 ตัวอักษร)")
    if phone and not re.fullmatch(r"\+?[0-9][0-9 ,\-]*", phone):
        raise InvalidContact("เบอร์โทรศัพท์ใช้ได้เฉพาะตัวเลข เว้นวรรค ขีด และจุลภาค")
    if website and not re.fullmatch(r"https?://[^\s<>\"']+", website):
        raise InvalidContact("เว็บไซต์ต้องขึ้นต้นด้วย http:// หรือ https://")
    return address, phone, website


async def set_contact(
    owner: asyncpg.Connection, code: str, address: str, phone: str, website: str
) -> bool:
    """The operator sets an LAO's published contact details (the CLI, on the owner's
    connection: the register of organisations is not the web role's to write); False when
    there is no LAO with that code."""
    address, phone, website = check_contact(address, phone, website)
    return await queries.set_contact(owner, code, address, phone, website)


# How an item is going, in the words a citizen uses (the order of the summary bar).
STATUSES = ("done", "on_time", "late", "not_started")
# Each dimension's short plain name, by its number (the same four in every template round);
# a catalogue with another number keeps its own title.
PLAIN_HEADINGS = {
    1: "ปลูกฝังความซื่อสัตย์ ให้ชุมชนไม่ยอมรับการโกง",
    2: "บริหารงานอย่างโปร่งใส ป้องกันการโกง",
    3: "เปิดให้ประชาชนมีส่วนร่วมและตรวจสอบ",
    4: "ตรวจสอบการทำงานของ อปท. เอง",
}


@dataclass(frozen=True)
class LaoPage:
    org: PublicOrg
    declarations: list[Any]
    plans: list[Any]
    plan: dict[str, Any] | None
    dimensions: list[dict[str, Any]]
    totals: dict[str, int]
    today: date
    version: str = ""
    complaints: list[dict[str, Any]] = field(default_factory=list)
    national: tuple[NationalChannel, ...] = NATIONAL_CHANNELS
    reports: list[dict[str, Any]] = field(default_factory=list)
    alarms: list[dict[str, Any]] = field(default_factory=list)  # witnesses that refused the log


@dataclass(frozen=True)
class ItemPage:
    org: PublicOrg
    item: dict[str, Any]
    plan: dict[str, Any]
    today: date


@dataclass(frozen=True)
class PublicFile:
    name: str
    media_type: str
    content: bytes = field(repr=False)

    @property
    def inline(self) -> bool:
        return self.media_type in INLINE


def progress(view: dict[str, Any], on: date) -> dict[str, Any]:
    """An item's public view with its steps done, total and overdue (as of ``on``)."""
    steps = view["steps"]
    done = sum(1 for s in steps if s["status"] == "completed")
    overdue = [
        s["number"]
        for s in steps
        if s["status"] != "completed" and s["due"] and date.fromisoformat(s["due"]) < on
    ]
    for s in steps:
        s["overdue"] = s["number"] in overdue
    budget = view.get("budget") or {}
    return {
        **view,
        "steps_done": done,
        "steps_total": len(steps),
        "percent_done": round(100 * done / len(steps)) if steps else 0,
        "overdue": overdue,
        "state": state(steps, overdue),
        "budget_total": sum((Decimal(a) for a in budget.values()), Decimal(0)) if budget else None,
    }


def state(steps: list[dict[str, Any]], overdue: list[str]) -> str:
    """done (every step completed), late (a step past its due date), not_started (no step
    begun) or on_time (begun, nothing late)."""
    if steps and all(s["status"] == "completed" for s in steps):
        return "done"
    if overdue:
        return "late"
    if all(s["status"] == "scheduled" for s in steps):
        return "not_started"
    return "on_time"


def group(plan: dict[str, Any], items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The items under their dimension and sub-item (only those with items)."""
    by_sub: dict[str, list[dict[str, Any]]] = {}
    for it in items:
        by_sub.setdefault(".".join(it["number"].split(".")[:2]), []).append(it)
    out = []
    for dim in plan["catalogue"]["dimensions"]:
        subs = [
            {"number": s["number"], "title": s["title"], "items": by_sub[s["number"]]}
            for s in dim["sub_items"]
            if s["number"] in by_sub
        ]
        if subs:
            out.append(
                {
                    "number": dim["number"],
                    "title": dim["title"],
                    "plain": PLAIN_HEADINGS.get(dim["number"], dim["title"]),
                    "sub_items": subs,
                    "items": [it for sub in subs for it in sub["items"]],
                }
            )
    return out


def choose(plans: list[dict[str, Any]], wanted: str, on: date) -> dict[str, Any] | None:
    """The plan asked for, else the one whose years cover ``on``, else the latest."""
    if wanted:
        return next((p for p in plans if p["plan_id"] == wanted), None) or choose(plans, "", on)
    fy = fiscal_year(on)
    for p in plans:
        if p["first_year"] <= fy <= p["last_year"]:
            return p
    return plans[0] if plans else None


def report_rounds(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The submitted reports by round, newest first: each round with its fiscal year, its
    months (6 or 12), when it was submitted and its files by format."""
    rounds: dict[str, dict[str, Any]] = {}
    for r in rows:
        year, months = (int(x) for x in r["round"].split("-"))
        entry = rounds.setdefault(
            r["round"],
            {"round": r["round"], "year": year, "months": months, "files": {}},
        )
        entry["files"][r["format"]] = r
        entry["submitted_on"] = max(
            entry.get("submitted_on") or r["submitted_on"], r["submitted_on"]
        )
        entry["as_of"] = r["as_of"]
    return sorted(rounds.values(), key=lambda e: (e["year"], e["months"]), reverse=True)


def _org(row: Any) -> PublicOrg:
    return PublicOrg(
        row["code"],
        row["name_th"],
        row["province"],
        row["address"],
        row["phone"],
        row["website"],
        row["name_en"],
        row["province_en"],
    )


async def published_by(
    conn: asyncpg.Connection, code: str
) -> tuple[asyncpg.Record, list[Any], list[Any]] | None:
    """An LAO (by its code) and what it has published: its plans and its declarations; None
    when there is no such LAO. In the caller's public reading."""
    org = await queries.organisation(conn, code)
    if org is None:
        return None
    return org, await queries.plans(conn, org["id"]), await queries.declarations(conn, org["id"])


async def lao_page(services: Services, code: str, wanted_plan: str = "") -> LaoPage | None:
    """An LAO's published declarations and plans, and the chosen plan's items with their
    progress; None when there is no such LAO."""
    on = today(services.clock)
    async with queries.public_reading(services.db) as conn:
        found = await published_by(conn, code)
        if found is None:
            return None
        org, plans, declarations = found
        alarms = [
            {**r, "witness": r["witness"].split("+")[0]} for r in await tlog.alarms(conn, org["id"])
        ]
        complaints = await queries.complaint_counts(conn, org["id"])
        reports = report_rounds(await queries.reports(conn, org["id"]))
        chosen = choose(plans, wanted_plan, on)
        views = (
            await queries.items(conn, org["id"], uuid.UUID(chosen["plan_id"]))
            if chosen is not None
            else []
        )
    version = hashlib.sha256(
        json.dumps(
            [on.isoformat(), dict(org), declarations, plans, chosen, views, complaints, reports],
            default=str,
            sort_keys=True,
        ).encode()
    ).hexdigest()[:32]
    items = [progress(v, on) for v in views]
    totals = {
        **{k: sum(1 for i in items if i["state"] == k) for k in STATUSES},
        "items": len(items),
        "steps_done": sum(i["steps_done"] for i in items),
        "steps_total": sum(i["steps_total"] for i in items),
        "overdue": sum(len(i["overdue"]) for i in items),
    }
    totals["percent_done"] = (
        round(100 * totals["steps_done"] / totals["steps_total"]) if totals["steps_total"] else 0
    )
    return LaoPage(
        _org(org),
        declarations,
        plans,
        chosen,
        group(chosen, items) if chosen else [],
        totals,
        on,
        version,
        complaints,
        alarms=alarms,
        reports=reports,
    )


async def exists(services: Services, code: str) -> bool:
    """Whether there is an LAO with this code (its public page's address)."""
    async with queries.public_reading(services.db) as conn:
        return await queries.organisation(conn, code) is not None


async def item_page(services: Services, code: str, item_id: uuid.UUID) -> ItemPage | None:
    on = today(services.clock)
    async with queries.public_reading(services.db) as conn:
        org = await queries.organisation(conn, code)
        row = await queries.item(conn, org["id"], item_id) if org is not None else None
    if org is None or row is None:
        return None
    return ItemPage(_org(org), progress(row["view"], on), row["plan"], on)


async def public_file(services: Services, code: str, sha256: str) -> PublicFile | None:
    """A file the public read model lists for the LAO (never a step's evidence)."""
    if not re.fullmatch(r"[0-9a-f]{64}", sha256):
        return None
    async with queries.public_reading(services.db) as conn:
        org = await queries.organisation(conn, code)
        row = await queries.file(conn, org["id"], sha256) if org is not None else None
    content = await services.files.get(sha256) if row is not None else None
    if row is None or content is None:
        return None
    return PublicFile(row["name"], row["media_type"], content)


SEARCH_LIMIT = 20


async def find_laos(services: Services, text: str) -> list[dict[str, Any]]:
    """The front page's search: LAOs by code, Thai name, district or province (every word
    typed must match; at most SEARCH_LIMIT)."""
    words = [w.replace("%", "").replace("_", "") for w in text.split()[:5]]
    words = [w[:60] for w in words if w]
    if not words:
        return []
    async with queries.public_reading(services.db) as conn:
        return [dict(r) for r in await queries.find_laos(conn, words, SEARCH_LIMIT)]
