"""Importing plan documents: loose sheets (several files or a .zip) or a whole plan in one
file, kept for review; a person corrects, accepts (the ordinary plan commands add the item)
or rejects each sheet. Nothing reaches a plan before a person accepts it.

The pages and the JSON API call the use cases of an actor (the access rules first, then the
tenant's transaction); the CLI, which has no actor, calls the plain functions of a pool, an
event store and a context below them (``import_plan``, ``read_plan_review``, ...).
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import replace
from typing import Any

import asyncpg

from domain.plans import commands as c
from domain.plans.catalogue import Catalogue, Dimension, SubItem
from domain.plans.handlers import handle_draft_plan
from domain.shared.access import Action, Actor, may
from domain.shared.errors import DomainError, NotFound
from domain.shared.ports import Context
from infra.db.pool import tenant_transaction
from infra.eventstore.ports import EventStore
from infra.imports import review
from infra.imports.parse import parse_plan_upload, parse_upload
from infra.queries import imports as queries
from infra.repository import EventSourcedRepository
from services.usecases.bootstrap import Services
from services.usecases.scope import Call, authorize, context, need_tenant, reading

_PLAN_NS = uuid.UUID("0c6f2a4e-7d31-4b8e-a5c2-93e1f4d6b870")


class NotAPlanImport(DomainError):
    code = "not-a-plan-import"
    status = 409


async def import_plan(
    pool: asyncpg.Pool, tenant_id: uuid.UUID, actor: str, name: str, content: bytes
) -> uuid.UUID:
    """Read a whole plan (PDF, .docx or text) and keep it for review; the batch's id."""
    plan = await asyncio.to_thread(parse_plan_upload, name, content)
    return await review.create_plan_batch(pool, tenant_id, actor, name, plan)


def plan_review(batch: dict[str, Any]) -> dict[str, Any]:
    """The batch as one plan: its items under their dimensions and sub-items, each with its
    table row, how it was matched and its sheet (status, values, repairs, flags)."""
    plan = review.plan_of(batch)
    if plan is None:
        raise NotAPlanImport(
            "ชุดนำเข้านี้เป็นรายละเอียดโครงการแยกรายการ ไม่ใช่การนำเข้าทั้งแผน",
            batch_id=batch["batch_id"],
        )
    by_position = {s["position"]: s for s in batch["sheets"]}
    items = [
        {**i, "sheet": by_position.get(i["position"])}
        for i in plan["items"]
        if by_position.get(i["position"]) is not None
    ]
    placed: set[int] = set()
    dimensions = []
    for d in plan["dimensions"]:
        subs = []
        for s in d["sub_items"]:
            under = [
                i
                for i in items
                if i["number"] and ".".join(i["number"].split(".")[:2]) == s["number"]
            ]
            placed |= {i["position"] for i in under}
            subs.append({**s, "items": under})
        dimensions.append({**d, "sub_items": subs})
    sheets = [i["sheet"] for i in items]
    return {
        "batch_id": batch["batch_id"],
        "created_at": batch["created_at"],
        "created_by": batch["created_by"],
        "file": batch["files"][0]["name"],
        "title": plan["title"],
        "first_year": plan["first_year"],
        "last_year": plan["last_year"],
        "round": plan["round"],
        "dimensions": dimensions,
        "unplaced": [i for i in items if i["position"] not in placed],
        "repairs": plan["repairs"],
        "problems": plan["problems"],
        "counts": {
            "items": len(items),
            "table_items": sum(1 for i in items if i["table"]),
            "with_sheet": sum(1 for i in items if i["has_sheet"]),
            "matched": sum(1 for i in items if i["table"] and i["has_sheet"]),
            "pending": sum(1 for s in sheets if s["status"] == "pending"),
            "accepted": sum(1 for s in sheets if s["status"] == "accepted"),
            "rejected": sum(1 for s in sheets if s["status"] == "rejected"),
            "repairs": sum(len(s["sheet"]["repairs"]) for s in sheets) + len(plan["repairs"]),
            "flags": sum(len(s["sheet"]["unparsed"]) for s in sheets) + len(plan["problems"]),
        },
    }


async def read_plan_review(
    pool: asyncpg.Pool, tenant_id: uuid.UUID, batch_id: uuid.UUID
) -> dict[str, Any]:
    async with tenant_transaction(pool, tenant_id) as conn:
        batch = await queries.batch(conn, batch_id)
    return plan_review(batch)


def _catalogue(plan: dict[str, Any]) -> Catalogue:
    return Catalogue(
        tuple(
            Dimension(
                int(d["number"]),
                d["title"],
                tuple(SubItem(s["number"], s["title"]) for s in d["sub_items"]),
            )
            for d in plan["dimensions"]
        )
    )


async def draft_plan(
    pool: asyncpg.Pool,
    store: EventStore,
    ctx: Context,
    batch_id: uuid.UUID,
    title: str | None = None,
) -> uuid.UUID:
    """A draft plan for the imported one: its title, years and catalogue (the round's). The
    same batch always drafts the same plan (a retry does not make a second)."""
    async with tenant_transaction(pool, ctx.tenant_id) as conn:
        batch = await queries.batch(conn, batch_id)
    plan = review.plan_of(batch)
    if plan is None:
        raise NotAPlanImport("ชุดนำเข้านี้ไม่ใช่การนำเข้าทั้งแผน", batch_id=str(batch_id))
    if not plan["first_year"] or not plan["last_year"]:
        raise NotAPlanImport(
            "ไม่รู้ปีของแผนที่นำเข้า: สร้างแผนเองแล้วยอมรับรายการเข้าแผนนั้น", batch_id=str(batch_id)
        )
    plan_id = uuid.uuid5(_PLAN_NS, f"{ctx.tenant_id}:{batch_id}")
    await handle_draft_plan(
        EventSourcedRepository(store),
        replace(ctx, idempotency_key=f"import-plan:{batch_id}", fingerprint=None),
        c.DraftPlan(
            plan_id,
            (title or plan["title"]).strip(),
            int(plan["first_year"]),
            int(plan["last_year"]),
            _catalogue(plan),
        ),
    )
    return plan_id


async def accept_plan(
    pool: asyncpg.Pool,
    store: EventStore,
    ctx: Context,
    batch_id: uuid.UUID,
    plan_id: uuid.UUID,
    positions: list[int] | None = None,
) -> dict[str, Any]:
    """Accept the pending items (all, or those at ``positions``) into ``plan_id``, in table
    order, each by the ordinary commands. An item a rule refuses is reported with the reason
    and left pending; the others go in."""
    async with tenant_transaction(pool, ctx.tenant_id) as conn:
        batch = await queries.batch(conn, batch_id)
    if review.plan_of(batch) is None:
        raise NotAPlanImport("ชุดนำเข้านี้ไม่ใช่การนำเข้าทั้งแผน", batch_id=str(batch_id))
    wanted = set(positions) if positions is not None else None
    unknown = (wanted or set()) - {s["position"] for s in batch["sheets"]}
    if unknown:
        raise NotFound("ไม่พบรายการลำดับนี้ในชุดนำเข้า", positions=sorted(unknown))
    accepted: list[dict[str, Any]] = []
    refused: list[dict[str, Any]] = []
    for s in batch["sheets"]:
        if s["status"] != "pending" or (wanted is not None and s["position"] not in wanted):
            continue
        try:
            view = await review.accept_sheet(
                pool, store, ctx, batch_id, uuid.UUID(s["sheet_id"]), plan_id
            )
        except DomainError as exc:
            refused.append(
                {
                    "position": s["position"],
                    "sheet_id": s["sheet_id"],
                    "number": s["sheet"].get("number"),
                    "name": s["sheet"].get("name"),
                    "code": exc.code,
                    "detail": exc.message,
                }
            )
            continue
        accepted.append(
            {
                "position": s["position"],
                "sheet_id": s["sheet_id"],
                "number": view["sheet"].get("number"),
                "item_id": view["item_id"],
            }
        )
    return {"plan_id": str(plan_id), "accepted": accepted, "refused": refused}


# -- the use cases of an actor (pages and the JSON API) -----------------------------------


def allowed(actor: Actor) -> bool:
    """May the actor import documents (see and decide its LAO's import batches)?"""
    return may(actor, Action.IMPORT_DOCUMENTS)


def require(actor: Actor) -> None:
    """Forbidden unless the actor may import: checked before any input is read."""
    authorize(actor, Action.IMPORT_DOCUMENTS)
    need_tenant(actor)


async def upload(services: Services, actor: Actor, files: list[tuple[str, bytes]]) -> uuid.UUID:
    """Read the documents (name, content), each sheet with its repairs and what was not
    understood, and keep them as one batch for review; the batch's id."""
    require(actor)
    parsed = await asyncio.to_thread(parse_upload, files)
    return await review.create_batch(services.db, actor.tenant_id, actor.email, parsed)


async def batches(services: Services, actor: Actor) -> list[dict[str, Any]]:
    """The LAO's batches, newest first, with how many sheets await review (the API's list)."""
    require(actor)
    async with reading(services, actor) as conn:
        return await queries.batches(conn)


async def batch_rows(services: Services, actor: Actor) -> list[dict[str, Any]]:
    """The LAO's batches with their files and counts by status (the pages' list)."""
    require(actor)
    async with reading(services, actor) as conn:
        return await queries.batch_rows(conn)


async def batch(services: Services, actor: Actor, batch_id: uuid.UUID) -> dict[str, Any]:
    """One batch and its sheets; NotFound when the LAO has none such."""
    require(actor)
    async with reading(services, actor) as conn:
        return await queries.batch(conn, batch_id)


async def edit(
    services: Services,
    actor: Actor,
    batch_id: uuid.UUID,
    sheet_id: uuid.UUID,
    changes: dict[str, Any],
) -> dict[str, Any]:
    """Correct a pending sheet's headings; the notes about the edited headings go."""
    require(actor)
    return await review.edit_sheet(
        services.db, actor.tenant_id, batch_id, sheet_id, changes, actor.email
    )


async def accept(
    services: Services,
    actor: Actor,
    call: Call,
    batch_id: uuid.UUID,
    sheet_id: uuid.UUID,
    plan_id: uuid.UUID,
) -> dict[str, Any]:
    """Add the sheet's item to the plan (headings, budget, steps, indicators)."""
    require(actor)
    return await review.accept_sheet(
        services.db, services.store, context(actor, call), batch_id, sheet_id, plan_id
    )


async def reject(
    services: Services, actor: Actor, batch_id: uuid.UUID, sheet_id: uuid.UUID, reason: str
) -> dict[str, Any]:
    require(actor)
    return await review.reject_sheet(
        services.db, actor.tenant_id, batch_id, sheet_id, actor.email, reason
    )


async def upload_plan(services: Services, actor: Actor, name: str, content: bytes) -> uuid.UUID:
    """Read a whole plan in one file and keep it for review as one batch; its id."""
    require(actor)
    return await import_plan(services.db, actor.tenant_id, actor.email, name, content)


async def plan(services: Services, actor: Actor, batch_id: uuid.UUID) -> dict[str, Any]:
    """A whole-plan import as one review (NotAPlanImport for a batch of loose sheets)."""
    return plan_review(await batch(services, actor, batch_id))


async def accept_into_plan(
    services: Services,
    actor: Actor,
    call: Call,
    batch_id: uuid.UUID,
    plan_id: uuid.UUID | None,
    positions: list[int] | None = None,
    title: str | None = None,
) -> dict[str, Any]:
    """Accept the pending items (all, or those at ``positions``) into ``plan_id``, or into
    a draft plan made from the import when it is None."""
    require(actor)
    ctx = context(actor, call)
    target = plan_id or await draft_plan(services.db, services.store, ctx, batch_id, title)
    return await accept_plan(services.db, services.store, ctx, batch_id, target, positions)
