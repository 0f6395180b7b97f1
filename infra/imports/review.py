"""The review store: import batches and their sheets, kept per tenant until a person accepts
(the ordinary plan commands add the item) or rejects each sheet."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from typing import Any

import asyncpg

from domain.imports.accept import SheetAlreadyDecided, commands_for
from domain.imports.plan import ParsedPlan
from domain.plans import commands as c
from domain.plans.handlers import handle_item_command, handle_plan_command
from domain.registry import event_from
from domain.shared.aggregate import Aggregate
from domain.shared.errors import NotFound
from domain.shared.messages import Event
from domain.shared.ports import Context, Repository, Saved
from infra.db.pool import tenant_transaction
from infra.eventstore.ports import EventStore
from infra.imports.parse import ParsedUpload
from infra.repository import EventSourcedRepository

_ITEM_NS = uuid.UUID("5b0f7c1e-2d4a-4e8b-9c6f-1a3d5e7b9c20")
# Which unparsed notes an edit of a field answers.
_HEADINGS_OF = {
    "number": ("",),
    "kind": ("1",),
    "name": ("1",),
    "rationale": ("2",),
    "objectives": ("3",),
    "targets": ("4",),
    "area": ("5",),
    "steps": ("6",),
    "fiscal_years": ("7",),
    "budget": ("8",),
    "responsible": ("9",),
    "output_indicators": ("10", "10.1"),
    "outcomes": ("10", "10.2"),
}
SHEET_COLUMNS = (
    "sheet_id, batch_id, position, source, status, sheet, edited_at, edited_by, plan_id, "
    "item_id, decided_at, decided_by, reason"
)


def _plain(value: Any) -> Any:
    """JSONB comes back with decimals (the pool's codec): numbers again, as they went in."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def sheet_view(row: asyncpg.Record) -> dict[str, Any]:
    def when(v: datetime | None) -> str | None:
        return v.isoformat() if v else None

    return {
        "sheet_id": str(row["sheet_id"]),
        "position": row["position"],
        "source": row["source"],
        "status": row["status"],
        "sheet": _plain(row["sheet"]),
        "edited_at": when(row["edited_at"]),
        "edited_by": row["edited_by"],
        "plan_id": str(row["plan_id"]) if row["plan_id"] else None,
        "item_id": str(row["item_id"]) if row["item_id"] else None,
        "decided_at": when(row["decided_at"]),
        "decided_by": row["decided_by"],
        "reason": row["reason"],
    }


async def create_batch(
    pool: asyncpg.Pool, tenant_id: uuid.UUID, actor: str, upload: ParsedUpload
) -> uuid.UUID:
    batch_id = uuid.uuid4()
    files = [{"name": f.name, "sheets": len(f.sheets), "skipped": f.skipped} for f in upload.files]
    async with tenant_transaction(pool, tenant_id) as conn:
        await conn.execute(
            "INSERT INTO import_batches (tenant_id, batch_id, created_by, files) "
            "VALUES ($1, $2, $3, $4)",
            tenant_id,
            batch_id,
            actor,
            files,
        )
        await conn.executemany(
            "INSERT INTO import_sheets (tenant_id, sheet_id, batch_id, position, source, "
            "parsed, sheet) VALUES ($1, $2, $3, $4, $5, $6, $6)",
            [
                (
                    tenant_id,
                    uuid.uuid4(),
                    batch_id,
                    n,
                    source,
                    json.dumps(s.to_json(), ensure_ascii=False),
                )
                for n, (source, s) in enumerate(upload.sheets, 1)
            ],
        )
    return batch_id


async def create_plan_batch(
    pool: asyncpg.Pool, tenant_id: uuid.UUID, actor: str, name: str, plan: ParsedPlan
) -> uuid.UUID:
    """A batch holding a whole plan: one sheet per item (in table order; an item without a
    detail sheet is its table row), and the plan's summary in the batch's file entry."""
    batch_id = uuid.uuid4()
    years = plan.years or (0, 0)
    files = [{"name": name, "sheets": len(plan.items), "skipped": [], "plan": plan.summary_json()}]
    async with tenant_transaction(pool, tenant_id) as conn:
        await conn.execute(
            "INSERT INTO import_batches (tenant_id, batch_id, created_by, files) "
            "VALUES ($1, $2, $3, $4)",
            tenant_id,
            batch_id,
            actor,
            files,
        )
        await conn.executemany(
            "INSERT INTO import_sheets (tenant_id, sheet_id, batch_id, position, source, "
            "parsed, sheet) VALUES ($1, $2, $3, $4, $5, $6, $6)",
            [
                (
                    tenant_id,
                    uuid.uuid4(),
                    batch_id,
                    n,
                    f"{name} #{n}",
                    json.dumps(_plain(item.sheet_json(years)), ensure_ascii=False),
                )
                for n, item in enumerate(plan.items, 1)
            ],
        )
    return batch_id


def plan_of(batch: dict[str, Any]) -> dict[str, Any] | None:
    """The plan summary of a batch made by a whole-plan import (None for loose sheets)."""
    files = batch.get("files") or []
    if len(files) == 1 and isinstance(files[0], dict) and "plan" in files[0]:
        plan: dict[str, Any] = _plain(files[0]["plan"])
        return plan
    return None


async def _pending(
    conn: asyncpg.Connection, batch_id: uuid.UUID, sheet_id: uuid.UUID
) -> asyncpg.Record:
    row = await conn.fetchrow(
        f"SELECT {SHEET_COLUMNS} FROM import_sheets WHERE batch_id = $1 AND sheet_id = $2 "
        "FOR UPDATE",
        batch_id,
        sheet_id,
    )
    if row is None:
        raise NotFound("ไม่พบรายการนำเข้านี้", sheet_id=str(sheet_id))
    return row


async def edit_sheet(
    pool: asyncpg.Pool,
    tenant_id: uuid.UUID,
    batch_id: uuid.UUID,
    sheet_id: uuid.UUID,
    changes: dict[str, Any],
    actor: str,
) -> dict[str, Any]:
    """Replace the fields given; the notes about those headings are then answered."""
    async with tenant_transaction(pool, tenant_id) as conn:
        row = await _pending(conn, batch_id, sheet_id)
        if row["status"] != "pending":
            raise SheetAlreadyDecided("รายการนี้ตัดสินแล้ว แก้ไขไม่ได้", status=row["status"])
        sheet = dict(row["sheet"])
        answered = {h for k in changes for h in _HEADINGS_OF[k]}
        sheet.update(changes)
        sheet["unparsed"] = [u for u in sheet["unparsed"] if u["heading"] not in answered]
        updated = await conn.fetchrow(
            "UPDATE import_sheets SET sheet = $3, edited_at = now(), edited_by = $4 "
            f"WHERE batch_id = $1 AND sheet_id = $2 RETURNING {SHEET_COLUMNS}",
            batch_id,
            sheet_id,
            json.dumps(_plain(sheet), ensure_ascii=False),
            actor,
        )
    return sheet_view(updated)


async def reject_sheet(
    pool: asyncpg.Pool,
    tenant_id: uuid.UUID,
    batch_id: uuid.UUID,
    sheet_id: uuid.UUID,
    actor: str,
    reason: str,
) -> dict[str, Any]:
    async with tenant_transaction(pool, tenant_id) as conn:
        row = await _pending(conn, batch_id, sheet_id)
        if row["status"] == "rejected":
            return sheet_view(row)
        if row["status"] != "pending":
            raise SheetAlreadyDecided("รายการนี้ยอมรับเข้าแผนแล้ว ปฏิเสธไม่ได้", status=row["status"])
        updated = await conn.fetchrow(
            "UPDATE import_sheets SET status = 'rejected', decided_at = now(), decided_by = $3, "
            f"reason = $4 WHERE batch_id = $1 AND sheet_id = $2 RETURNING {SHEET_COLUMNS}",
            batch_id,
            sheet_id,
            actor,
            reason,
        )
    return sheet_view(updated)


class _Rehearsal:
    """A repository that reads the real streams and keeps what is saved in memory: the
    commands of an accept are tried here first, so a rule that says no writes nothing."""

    def __init__(self, store: EventStore) -> None:
        self.store = store
        self.extra: dict[uuid.UUID, list[Event]] = {}

    async def load(
        self, cls: type[Any], tenant_id: uuid.UUID, id: uuid.UUID, *, as_of: datetime | None = None
    ) -> Any:
        stored = await self.store.read_stream(tenant_id, id)
        events = [event_from(e.event_type, e.data) for e in stored]
        return cls.replay(id, [*events, *self.extra.get(id, [])])

    async def prior(self, ctx: Context) -> Saved | None:
        return None

    async def save(self, ctx: Context, agg: Aggregate, *, expected: int | None = None) -> Saved:
        self.extra.setdefault(agg.id, []).extend(agg.pending())
        return Saved(agg.version)


async def _run(repo: Repository, ctx: Context, cmd: Any) -> Saved:
    if isinstance(cmd, c.AddItem):
        return await handle_plan_command(repo, ctx, cmd)
    return await handle_item_command(repo, ctx, cmd)


async def accept_sheet(
    pool: asyncpg.Pool,
    store: EventStore,
    ctx: Context,
    batch_id: uuid.UUID,
    sheet_id: uuid.UUID,
    plan_id: uuid.UUID,
) -> dict[str, Any]:
    """Add the sheet's item to ``plan_id`` by the ordinary commands, then mark it accepted.

    The commands are rehearsed first (nothing is written if a rule says no); each then runs
    with an idempotency key of its own, so a retry after a failure part way resumes where it
    stopped instead of adding the item twice.
    """
    async with tenant_transaction(pool, ctx.tenant_id) as conn:
        row = await _pending(conn, batch_id, sheet_id)
        if row["status"] == "accepted" and row["plan_id"] == plan_id:
            return sheet_view(row)
        if row["status"] != "pending":
            raise SheetAlreadyDecided("รายการนี้ตัดสินแล้ว", status=row["status"])
        item_id = uuid.uuid5(_ITEM_NS, f"{ctx.tenant_id}:{sheet_id}:{plan_id}")
        cmds = commands_for(row["sheet"], plan_id, item_id)
        rehearsal = _Rehearsal(store)
        for cmd in cmds:
            await _run(rehearsal, replace(ctx, idempotency_key=None), cmd)
        repo = EventSourcedRepository(store)
        for n, cmd in enumerate(cmds):
            key = f"import:{sheet_id}:{plan_id}:{n}"
            await _run(repo, replace(ctx, idempotency_key=key, fingerprint=None), cmd)
        updated = await conn.fetchrow(
            "UPDATE import_sheets SET status = 'accepted', plan_id = $3, item_id = $4, "
            "decided_at = now(), decided_by = $5 WHERE batch_id = $1 AND sheet_id = $2 "
            f"RETURNING {SHEET_COLUMNS}",
            batch_id,
            sheet_id,
            plan_id,
            item_id,
            ctx.actor,
        )
    return sheet_view(updated)
