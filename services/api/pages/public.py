"""The public page of each LAO, /p/<code>: no sign-in, only what the LAO has published.

Everything here is read from the public read model (infra/projections/public.py) in a
transaction switched to the database role ``sujarit_public`` (migration 0013), which can read
the public tables and the register of organisations and nothing else: a tenant table is
refused by the database, not only by this code. Files are served only when the public
read model lists them (the signed declaration, the announcements' evidence, the signed
promulgation); step evidence is never public.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from typing import Any
from urllib.parse import quote

import asyncpg
from litestar import Controller, Response, get
from litestar.di import NamedDependency as Dep
from litestar.params import FromPath
from litestar.response import Template

from domain.declarations.declaration import Channel
from domain.plans.values import ItemKind
from domain.shared.fiscal import fiscal_year
from services.api.pages.common import AnyRequest, page
from services.api.state import Services
from services.api.v1.common import today_bangkok

PUBLIC_ROLE = "sujarit_public"
CHANNEL_TH = {c.value: c.thai for c in Channel}
KIND_TH = {k.value: k.thai for k in ItemKind}
STATUS_TH = {"scheduled": "ยังไม่เริ่ม", "in_progress": "กำลังดำเนินการ", "completed": "เสร็จแล้ว"}
# Public, but it changes when the LAO records progress: a short shared cache; the language
# comes from a cookie, so caches keep one copy per cookie.
CACHE = {"Cache-Control": "public, max-age=60", "Vary": "Cookie"}


@asynccontextmanager
async def public_reading(services: Services) -> AsyncIterator[asyncpg.Connection]:
    """A read-only transaction as the role ``sujarit_public`` (undone when it ends)."""
    async with services.db.acquire() as conn, conn.transaction(readonly=True):
        await conn.execute("SELECT set_config('role', $1, true)", PUBLIC_ROLE)
        yield conn


async def _org(conn: asyncpg.Connection, code: str) -> asyncpg.Record | None:
    if not re.fullmatch(r"[0-9A-Za-z-]{3,20}", code):
        return None
    return await conn.fetchrow(
        "SELECT o.id, o.code, o.name_th, p.name_th AS province FROM organisations o "
        "JOIN provinces p ON p.code = o.province_code WHERE o.code = $1",
        code,
    )


def progress(view: dict[str, Any], today: date) -> dict[str, Any]:
    """An item's public view with its steps done, total and overdue (as of today)."""
    steps = view["steps"]
    done = sum(1 for s in steps if s["status"] == "completed")
    overdue = [
        s["number"]
        for s in steps
        if s["status"] != "completed" and s["due"] and date.fromisoformat(s["due"]) < today
    ]
    for s in steps:
        s["overdue"] = s["number"] in overdue
    return {
        **view,
        "steps_done": done,
        "steps_total": len(steps),
        "percent_done": round(100 * done / len(steps)) if steps else 0,
        "overdue": overdue,
    }


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
            out.append({"number": dim["number"], "title": dim["title"], "sub_items": subs})
    return out


def not_found_public() -> Template:
    return page(
        "message.html",
        404,
        title="ไม่พบหน้าข้อมูลสาธารณะนี้",
        message="ไม่พบองค์กรปกครองส่วนท้องถิ่นหรือรายการตามที่อยู่นี้ "
        "กรุณาตรวจสอบรหัส อปท. ในที่อยู่อีกครั้ง (เช่น /p/6470101)",
        link="/",
        link_text="กลับหน้าแรก",
    )


class PublicPages(Controller):
    path = "/p/{code:str}"
    include_in_schema = False

    @get("/")
    async def lao(
        self, code: FromPath[str], request: AnyRequest, services: Dep[Services]
    ) -> Template:
        today = today_bangkok()
        async with public_reading(services) as conn:
            org = await _org(conn, code)
            if org is None:
                return not_found_public()
            declarations = [
                r["view"]
                for r in await conn.fetch(
                    "SELECT view FROM public_declarations WHERE tenant_id = $1 "
                    "ORDER BY published_on DESC, declaration_id",
                    org["id"],
                )
            ]
            plans = [
                r["view"]
                for r in await conn.fetch(
                    "SELECT view FROM public_plans WHERE tenant_id = $1 "
                    "ORDER BY first_year DESC, plan_id",
                    org["id"],
                )
            ]
            alarms = await conn.fetch(  # witnesses' refusals (the transparency log)
                "SELECT witness, size, status, at FROM tlog_alarms WHERE tenant_id = $1 "
                "ORDER BY at DESC LIMIT 5",
                org["id"],
            )
            chosen = _choose(plans, str(request.query_params.get("plan", ""))[:40], today)
            rows = []
            if chosen is not None:
                rows = await conn.fetch(
                    "SELECT view FROM public_items WHERE tenant_id = $1 AND plan_id = $2 "
                    "ORDER BY sort_key, item_id",
                    org["id"],
                    uuid.UUID(chosen["plan_id"]),
                )
        items = [progress(r["view"], today) for r in rows]
        totals = {
            "items": len(items),
            "steps_done": sum(i["steps_done"] for i in items),
            "steps_total": sum(i["steps_total"] for i in items),
            "overdue": sum(len(i["overdue"]) for i in items),
        }
        totals["percent_done"] = (
            round(100 * totals["steps_done"] / totals["steps_total"])
            if totals["steps_total"]
            else 0
        )
        return page(
            "public.html",
            org=_org_view(org),
            title=org["name_th"],
            home_url=f"/p/{org['code']}",
            declarations=declarations,
            plans=plans,
            plan=chosen,
            dimensions=group(chosen, items) if chosen else [],
            totals=totals,
            today=today,
            channel_th=CHANNEL_TH,
            kind_th=KIND_TH,
            alarms=[{**a, "witness": a["witness"].split("+")[0]} for a in alarms],
            headers=CACHE,
        )

    @get("/items/{item_id:uuid}")
    async def item(
        self, code: FromPath[str], item_id: FromPath[uuid.UUID], services: Dep[Services]
    ) -> Template:
        today = today_bangkok()
        async with public_reading(services) as conn:
            org = await _org(conn, code)
            if org is None:
                return not_found_public()
            row = await conn.fetchrow(
                "SELECT i.view, p.view AS plan FROM public_items i JOIN public_plans p "
                "USING (tenant_id, plan_id) WHERE i.tenant_id = $1 AND i.item_id = $2",
                org["id"],
                item_id,
            )
        if row is None:
            return not_found_public()
        item = progress(row["view"], today)
        return page(
            "public_item.html",
            org=_org_view(org),
            title=f"{item['number']} {item['name']}",
            home_url=f"/p/{org['code']}",
            item=item,
            plan=row["plan"],
            kind_th=KIND_TH,
            status_th=STATUS_TH,
            today=today,
            headers=CACHE,
        )

    @get("/files/{sha256:str}", media_type="application/octet-stream")
    async def file(
        self, code: FromPath[str], sha256: FromPath[str], services: Dep[Services]
    ) -> Response[bytes] | Template:
        if not re.fullmatch(r"[0-9a-f]{64}", sha256):
            return not_found_public()
        async with public_reading(services) as conn:
            org = await _org(conn, code)
            row = (
                await conn.fetchrow(
                    "SELECT name, media_type FROM public_files WHERE tenant_id = $1 "
                    "AND sha256 = $2 LIMIT 1",
                    org["id"],
                    sha256,
                )
                if org is not None
                else None
            )
        content = await services.files.get(sha256) if row is not None else None
        if row is None or content is None:
            return not_found_public()
        inline = row["media_type"] in ("application/pdf", "image/jpeg", "image/png")
        return Response(
            content,
            media_type=row["media_type"],
            headers={
                "Content-Disposition": f"{'inline' if inline else 'attachment'}; "
                f"filename*=UTF-8''{quote(row['name'])}",
                "X-Content-Type-Options": "nosniff",
                "Cache-Control": "public, max-age=86400, immutable",
            },
        )


def _org_view(org: asyncpg.Record) -> dict[str, str]:
    return {"code": org["code"], "name": org["name_th"], "province": org["province"]}


def _choose(plans: list[dict[str, Any]], wanted: str, today: date) -> dict[str, Any] | None:
    """The plan asked for (?plan=<id>), else the one whose years cover today, else the latest."""
    if wanted:
        return next((p for p in plans if p["plan_id"] == wanted), None) or _choose(plans, "", today)
    fy = fiscal_year(today)
    for p in plans:
        if p["first_year"] <= fy <= p["last_year"]:
            return p
    return plans[0] if plans else None


PAGES = (PublicPages,)
