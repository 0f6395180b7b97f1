"""Inline projection "plans": plan_views, item_views, step_deadlines.

Each append touches one stream; the projection folds that whole stream (it is small) with
the domain's own aggregate and view functions and writes the rows, so live tables, rebuilds
and as-of reads all come from the same code.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from itertools import groupby
from operator import attrgetter
from typing import Any

import asyncpg
import msgspec

from domain.complaints.complaint import Complaint
from domain.declarations.declaration import Declaration, declaration_view
from domain.plans.item import Item
from domain.plans.plan import ItemEntry, Plan
from domain.plans.values import ItemKind
from domain.plans.views import (
    OverviewTemplate,
    item_brief,
    item_sheet,
    overview_template,
    plan_summary,
    sheet_of,
    sort_key,
    template_digest,
)
from domain.registry import EVENT_TYPES, event_from
from domain.shared.aggregate import Aggregate
from domain.shared.fiscal import fiscal_year
from domain.shared.messages import Event
from infra.eventstore.postgres import decode_json
from infra.eventstore.records import StoredEvent

STREAMS: dict[str, type[Aggregate]] = {
    "plan": Plan,
    "item": Item,
    "declaration": Declaration,
    "complaint": Complaint,
}


_ENCODER = msgspec.json.Encoder()


def _j(value: Any) -> bytes:
    # Views are made of JSON-native values already (domain.shared.serialization.to_data); the
    # text goes into JSONB columns, so only its meaning counts (msgspec: several times faster
    # than json.dumps on a whole sheet). UTF-8 bytes, as the JSONB codec sends them.
    return _ENCODER.encode(value)


def _text(value: Any) -> str:
    # The overview's text: msgspec writes what json.dumps(ensure_ascii=False, compact) writes
    # for the values of an overview (strings, integers, booleans, null, lists and objects;
    # tests/unit/test_overview_order.py compares them), several times faster.
    return _ENCODER.encode(value).decode()


async def _stream(conn: asyncpg.Connection, tenant: uuid.UUID, stream: uuid.UUID) -> list[Event]:
    rows = await conn.fetch(
        "SELECT event_type, data FROM events WHERE tenant_id = $1 AND stream_id = $2 "
        "ORDER BY version",
        tenant,
        stream,
    )
    return [event_from(r["event_type"], decode_json(r["data"])) for r in rows]


def _deadline_rows(tenant: uuid.UUID, plan_id: uuid.UUID, item: Item) -> list[tuple[Any, ...]]:
    rows = []
    for s in item.ordered_steps():
        rows.append(
            (
                tenant,
                item.id,
                s.number,
                plan_id,
                s.title,
                s.schedule.due_date(),
                s.status._value_,  # an enum member's .value is a property
                s.completed_on,
            )
        )
    return rows


async def _write_plan(conn: asyncpg.Connection, tenant: uuid.UUID, plan: Plan) -> None:
    await conn.execute(
        "INSERT INTO plan_views (tenant_id, plan_id, version, summary) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT (tenant_id, plan_id) DO UPDATE SET version = EXCLUDED.version, "
        "summary = EXCLUDED.summary",
        tenant,
        plan.id,
        plan.version,
        _j(plan_summary(plan)),
    )
    empty = item_sheet(Item(uuid.UUID(int=0)))
    empty_sheet, empty_brief = _j(empty), _j(item_brief(empty))
    await conn.executemany(
        "INSERT INTO item_views (tenant_id, item_id, plan_id, number, sort_key, kind, "
        "registered_name, sheet, brief) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
        "ON CONFLICT (tenant_id, item_id) DO UPDATE SET number = EXCLUDED.number, "
        "sort_key = EXCLUDED.sort_key, kind = EXCLUDED.kind, "
        "registered_name = EXCLUDED.registered_name",
        [
            (
                tenant,
                e.item_id,
                plan.id,
                e.number,
                sort_key(e.number),
                e.kind.value,
                e.name,
                empty_sheet,
                empty_brief,
            )
            for e in plan.items.values()
        ],
    )
    kept = list(plan.items)
    await conn.execute(
        "DELETE FROM step_deadlines WHERE tenant_id = $1 AND plan_id = $2 "
        "AND NOT item_id = ANY($3::uuid[])",
        tenant,
        plan.id,
        kept,
    )
    await conn.execute(
        "DELETE FROM item_views WHERE tenant_id = $1 AND plan_id = $2 "
        "AND NOT item_id = ANY($3::uuid[])",
        tenant,
        plan.id,
        kept,
    )
    await _write_overview(conn, tenant, plan.id)


async def _write_overview(conn: asyncpg.Connection, tenant: uuid.UUID, plan_id: uuid.UUID) -> None:
    """The plan's overview template, from its summary and its items' briefs."""
    summary = await conn.fetchval(
        "SELECT summary FROM plan_views WHERE tenant_id = $1 AND plan_id = $2", tenant, plan_id
    )
    rows = await conn.fetch(
        "SELECT item_id, number, kind, registered_name, brief FROM item_views "
        "WHERE tenant_id = $1 AND plan_id = $2",
        tenant,
        plan_id,
    )
    items = [
        sheet_of(
            ItemEntry(r["item_id"], r["number"], ItemKind(r["kind"]), r["registered_name"]),
            r["brief"],
        )
        for r in rows
    ]
    await conn.execute(
        "UPDATE plan_views SET overview_parts = $3, overview_breaks = $4, overview_fillers = $5, "
        "overview_totals = $6, overview_digest = $7 WHERE tenant_id = $1 AND plan_id = $2",
        tenant,
        plan_id,
        *_overview_columns(overview_template(summary, items, _text)),
    )


def _overview_columns(t: OverviewTemplate) -> tuple[Any, ...]:
    parts = [p.encode() for p in t.parts]
    return (
        parts,
        [date.fromisoformat(d) for d in t.breaks],
        [f for period in t.fillers for f in period],  # period after period
        list(t.totals),
        template_digest(parts),
    )


async def _write_item(conn: asyncpg.Connection, tenant: uuid.UUID, item: Item) -> None:
    sheet = item_sheet(item)
    plan_id = await conn.fetchval(
        "UPDATE item_views SET sheet = $3, brief = $4, version = $5 "
        "WHERE tenant_id = $1 AND item_id = $2 RETURNING plan_id",
        tenant,
        item.id,
        _j(sheet),
        _j(item_brief(sheet)),
        item.version,
    )
    if plan_id is None:
        raise LookupError(f"item {item.id} has events but no plan lists it")
    await conn.execute(
        "DELETE FROM step_deadlines WHERE tenant_id = $1 AND item_id = $2", tenant, item.id
    )
    await conn.executemany(
        "INSERT INTO step_deadlines (tenant_id, item_id, number, plan_id, title, due_date, "
        "status, completed_on) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        _deadline_rows(tenant, plan_id, item),
    )
    await _write_overview(conn, tenant, plan_id)


async def _write_declaration(conn: asyncpg.Connection, tenant: uuid.UUID, d: Declaration) -> None:
    await conn.execute(
        "INSERT INTO declaration_views (tenant_id, declaration_id, version, published_on, view) "
        "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tenant_id, declaration_id) DO UPDATE SET "
        "version = EXCLUDED.version, published_on = EXCLUDED.published_on, view = EXCLUDED.view",
        tenant,
        d.id,
        d.version,
        d.published_on,
        _j(declaration_view(d)),
    )


async def _write_complaint(conn: asyncpg.Connection, tenant: uuid.UUID, c: Complaint) -> None:
    assert c.received_on is not None
    await conn.execute(
        "INSERT INTO complaint_views (tenant_id, complaint_id, received_on, fiscal_year, channel, "
        "category, taken_up_on, resolved_on, outcome) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
        "ON CONFLICT (tenant_id, complaint_id) DO UPDATE SET taken_up_on = EXCLUDED.taken_up_on, "
        "resolved_on = EXCLUDED.resolved_on, outcome = EXCLUDED.outcome",
        tenant,
        c.id,
        c.received_on,
        fiscal_year(c.received_on),
        c.channel,
        c.category,
        c.taken_up_on,
        c.resolved_on,
        c.outcome,
    )


async def _write(conn: asyncpg.Connection, tenant: uuid.UUID, agg: Aggregate) -> None:
    match agg:
        case Plan():
            await _write_plan(conn, tenant, agg)
        case Item():
            await _write_item(conn, tenant, agg)
        case Declaration():
            await _write_declaration(conn, tenant, agg)
        case Complaint():
            await _write_complaint(conn, tenant, agg)


@cache
def _decoder(event_type: str) -> msgspec.json.Decoder[Any]:
    return msgspec.json.Decoder(EVENT_TYPES[event_type])


def _decode(event_type: str, data: Any) -> Event:
    """An event from its stored data: JSON text straight into the event's dataclass (msgspec
    reads the same shapes as domain.shared.serialization; the rebuild tests compare them)."""
    if isinstance(data, str):
        event: Event = _decoder(event_type).decode(data)
        return event
    return event_from(event_type, decode_json(data))


_TENANT = attrgetter("tenant_id")


@dataclass
class Folded:
    """One tenant's streams as a rebuild folded them: each stream's decoded events and its
    aggregate, and each item's sheet (``item_sheet``), by (stream type, stream id)."""

    events: dict[tuple[str, uuid.UUID], list[Event]] = field(default_factory=dict)
    aggregates: dict[tuple[str, uuid.UUID], Aggregate] = field(default_factory=dict)
    sheets: dict[uuid.UUID, dict[str, Any]] = field(default_factory=dict)


def fold_tenant(
    tenant: uuid.UUID, events: Iterable[StoredEvent]
) -> tuple[dict[str, list[tuple[Any, ...]]], Folded]:
    """Fold one tenant's whole streams (its events in log order; those of other stream types
    are skipped) into the rows of every table (and what was folded).

    In a rebuild the events' data is still JSON text; it is decoded here.
    """
    done = Folded()
    streams: dict[tuple[str, uuid.UUID], list[StoredEvent]] = defaultdict(list)
    for ev in events:  # the events themselves, not a tuple made per event
        streams[(ev.stream_type, ev.stream_id)].append(ev)
    for key, group in streams.items():
        if (aggregate := STREAMS.get(key[0])) is None:
            continue
        decoded = [_decode(ev.event_type, ev.data) for ev in group]
        done.events[key] = decoded
        done.aggregates[key] = aggregate.replay(key[1], decoded)
    items = {agg.id: agg for agg in done.aggregates.values() if isinstance(agg, Item)}
    rows: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for (stream_type, _), agg in done.aggregates.items():
        if stream_type == "item":  # written with its plan, below
            continue
        match agg:
            case Plan():
                summary = plan_summary(agg)
                briefs = []
                item_rows, deadline_rows = rows["item_views"], rows["step_deadlines"]
                for e in agg.items.values():
                    item = items.get(e.item_id) or Item(e.item_id)
                    sheet = item_sheet(item)
                    done.sheets[e.item_id] = sheet
                    brief = item_brief(sheet)
                    briefs.append(sheet_of(e, brief))
                    item_rows.append(
                        (
                            tenant,
                            e.item_id,
                            agg.id,
                            e.number,
                            sort_key(e.number),
                            e.kind._value_,
                            e.name,
                            item.version,
                            _j(sheet),
                            _j(brief),
                        )
                    )
                    deadline_rows += _deadline_rows(tenant, agg.id, item)
                template = _overview_columns(overview_template(summary, briefs, _text))
                rows["plan_views"].append((tenant, agg.id, agg.version, _j(summary), *template))
            case Declaration():
                rows["declaration_views"].append(
                    (tenant, agg.id, agg.version, agg.published_on, _j(declaration_view(agg)))
                )
            case Complaint() if agg.received_on is not None:
                rows["complaint_views"].append(
                    (
                        tenant,
                        agg.id,
                        agg.received_on,
                        fiscal_year(agg.received_on),
                        agg.channel,
                        agg.category,
                        agg.taken_up_on,
                        agg.resolved_on,
                        agg.outcome,
                    )
                )
    return rows, done


class _Replay:
    """Folds each tenant's streams as soon as the scan (in tenant order) has passed them, and
    COPYs the rows in chunks: memory stays bounded by one tenant's log plus a chunk of rows."""

    CHUNK = 20_000  # rows held before they are copied

    def __init__(self) -> None:
        self.pending: list[StoredEvent] = []  # the current tenant's events so far
        self.tenant: uuid.UUID | None = None
        self.rows: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        self.held = 0
        self.held_tenants: list[uuid.UUID] = []  # whose rows are held
        self.listeners: list[Callable[[uuid.UUID, Folded], None]] = []
        self.written: list[Callable[[Any, list[uuid.UUID]], Awaitable[None]]] = []

    def subscribe(self, listener: Callable[[uuid.UUID, Folded], None]) -> None:
        """``listener(tenant, folded)`` after each tenant is folded (another projection's
        rebuilder in the same pass, which then need not decode and replay the same streams)."""
        self.listeners.append(listener)

    def on_written(self, listener: Callable[[Any, list[uuid.UUID]], Awaitable[None]]) -> None:
        """``await listener(conn, tenants)`` once the rows of ``tenants`` are written (on
        ``conn``, in order: a write the listener makes there comes after them)."""
        self.written.append(listener)

    async def add(self, conn: asyncpg.Connection, events: Sequence[StoredEvent]) -> None:
        # A million events: cut into tenants by groupby (in C), not looked at one by one.
        for tenant, group in groupby(events, _TENANT):
            if tenant != self.tenant:
                await self._fold(conn)
                self.tenant = tenant
            self.pending += group

    async def _fold(self, conn: asyncpg.Connection) -> None:
        if self.tenant is None or not self.pending:
            return
        tenant = self.tenant
        rows, folded = fold_tenant(tenant, self.pending)
        self.pending = []
        for listener in self.listeners:
            listener(tenant, folded)
        for table, r in rows.items():
            self.rows[table] += r
            self.held += len(r)
        self.held_tenants.append(tenant)
        if self.held >= self.CHUNK:
            await self._copy(conn)
        # Let the queued writes run (rebuild._Deferred): a COPY streams its rows only while
        # the event loop runs it, and a batch of 20,000 events is ~20 tenants. Folding a whole
        # batch without a pause starved the server (the writer idled, then the folding waited
        # for the full queue): 2.7 s of 8.4 waiting per 300,000 events, 1.0 s with this.
        await asyncio.sleep(0)

    async def _copy(self, conn: asyncpg.Connection) -> None:
        for table, columns in _COLUMNS.items():
            if self.rows.get(table):
                await conn.copy_records_to_table(table, records=self.rows[table], columns=columns)
        self.rows.clear()
        self.held = 0
        tenants, self.held_tenants = self.held_tenants, []
        if tenants:
            for listener in self.written:
                await listener(conn, tenants)

    async def finish(self, conn: asyncpg.Connection) -> None:
        await self._fold(conn)
        await self._copy(conn)


_COLUMNS = {
    "plan_views": (
        "tenant_id",
        "plan_id",
        "version",
        "summary",
        "overview_parts",
        "overview_breaks",
        "overview_fillers",
        "overview_totals",
        "overview_digest",
    ),
    "item_views": (
        "tenant_id",
        "item_id",
        "plan_id",
        "number",
        "sort_key",
        "kind",
        "registered_name",
        "version",
        "sheet",
        "brief",
    ),
    "step_deadlines": (
        "tenant_id",
        "item_id",
        "number",
        "plan_id",
        "title",
        "due_date",
        "status",
        "completed_on",
    ),
    "declaration_views": ("tenant_id", "declaration_id", "version", "published_on", "view"),
    "complaint_views": (
        "tenant_id",
        "complaint_id",
        "received_on",
        "fiscal_year",
        "channel",
        "category",
        "taken_up_on",
        "resolved_on",
        "outcome",
    ),
}


class PlansProjection:
    """Plans, items, deadlines, declarations and complaints: the tenant's own pages."""

    name: str = "plans"
    tables: tuple[str, ...] = (
        "plan_views",
        "item_views",
        "step_deadlines",
        "declaration_views",
        "complaint_views",
    )
    stream_types: frozenset[str] | None = frozenset(STREAMS)
    reads: frozenset[str] = frozenset({"data"})

    async def apply(self, conn: asyncpg.Connection, events: Sequence[StoredEvent]) -> None:
        touched = {
            (e.tenant_id, e.stream_id, e.stream_type) for e in events if e.stream_type in STREAMS
        }
        for tenant, stream, stream_type in sorted(touched, key=lambda t: t[2] != "plan"):
            agg = STREAMS[stream_type].replay(stream, await _stream(conn, tenant, stream))
            await _write(conn, tenant, agg)

    def rebuilder(self) -> _Replay:
        return _Replay()
