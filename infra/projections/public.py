"""Inline projection "public": what an LAO has published, for its public page /p/<code>.

What is public (and nothing else is written here):
- a declaration of intent once published: its text, signers (as printed on the signed
  document), date, the signed document, and each public announcement (channel, date, detail,
  the links and files cited as its evidence);
- a plan once promulgated (or closed): title, fiscal years, status, promulgation date, revision
  count, the signed promulgation document, the dimension catalogue; and each of its items'
  detail-sheet headings (name, rationale, objectives, targets, area, years, budget,
  responsible unit) with its steps' titles, due dates, status and dates;
- the files named above (``public_files``): only they may be downloaded from the public page.
- how many complaints the LAO received and resolved per fiscal year (``public_complaint_counts``:
  numbers only, from the complaints register);
Never: drafts, unpromulgated plans, step notes or step evidence, indicator results' notes,
who recorded what (actors, member names, emails), the person responsible for a step, the
promulgating executive's typed name, a complaint's channel, category or dates.

Each append folds the touched stream with the domain's aggregates; a rebuild folds every
stream with the same row functions, so the two give equal tables.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

import asyncpg
import msgspec

from domain.complaints.complaint import Complaint
from domain.declarations.declaration import Declaration
from domain.plans.events import PlanPromulgated
from domain.plans.item import Item
from domain.plans.plan import ItemEntry, Plan, PlanStatus
from domain.plans.values import ItemKind
from domain.plans.views import catalogue_data, item_sheet, sheet_of, sort_key
from domain.shared.fiscal import fiscal_year
from domain.shared.messages import Event
from domain.shared.serialization import to_data
from infra.eventstore.records import StoredEvent
from infra.projections.plans import Folded, _decode
from infra.projections.plans import _Replay as PlansReplay

STREAM_TYPES = frozenset({"plan", "item", "declaration", "complaint"})
_REPLAY: dict[str, Any] = {
    "plan": Plan,
    "item": Item,
    "declaration": Declaration,
    "complaint": Complaint,
}
PUBLIC_STEP_FIELDS = (
    "number",
    "title",
    "due",
    "fiscal_year",
    "status",
    "started_on",
    "completed_on",
)
PUBLIC_ITEM_FIELDS = (
    "item_id",
    "number",
    "kind",
    "name",
    "rationale",
    "objectives",
    "targets",
    "area",
    "fiscal_years",
    "no_budget",
    "budget",
    "responsible_unit",
)

Row = tuple[Any, ...]


_ENCODER = msgspec.json.Encoder()


def _j(value: Any) -> bytes:
    # JSON-native values into a JSONB column: only the meaning counts; msgspec is several
    # times faster than json.dumps, and its UTF-8 goes to the JSONB codec as is.
    return _ENCODER.encode(value)


def _file_row(tenant: uuid.UUID, source: uuid.UUID, ev: dict[str, Any]) -> Row | None:
    if ev.get("kind") != "file" or not ev.get("sha256"):
        return None
    return (tenant, source, ev["sha256"], ev["name"], ev["media_type"], int(ev["size"]))


def _unique(rows: list[Row | None]) -> list[Row]:
    seen: dict[tuple[Any, ...], Row] = {}
    for r in rows:
        if r is not None:
            seen.setdefault(r[:3], r)
    return list(seen.values())


def declaration_rows(tenant: uuid.UUID, d: Declaration) -> tuple[Row | None, list[Row]]:
    """The public row of a declaration (None while it is a draft) and its public files."""
    if d.published_on is None:
        return None, []
    document = to_data(d.document)
    announcements = [
        {
            "channel": a.channel.value,
            "on": a.on.isoformat(),
            "detail": a.detail,
            "evidence": to_data(a.evidence),
        }
        for a in d.announcements
    ]
    view = {
        "declaration_id": str(d.id),
        "text": d.text,
        "signers": list(d.signers),
        "published_on": d.published_on.isoformat(),
        "document": document,
        "announcements": announcements,
    }
    files = [_file_row(tenant, d.id, document)] if document else []
    files += [_file_row(tenant, d.id, e) for a in announcements for e in a["evidence"]]
    return (tenant, d.id, d.published_on, _j(view)), _unique(files)


def item_view(entry: ItemEntry, item: Item, sheet: dict[str, Any] | None = None) -> dict[str, Any]:
    """The public part of an item's sheet (``sheet``: its ``item_sheet``, when made already)."""
    sheet = sheet_of(entry, item_sheet(item) if sheet is None else sheet)
    view = {k: sheet[k] for k in PUBLIC_ITEM_FIELDS}
    view["steps"] = [{k: s[k] for k in PUBLIC_STEP_FIELDS} for s in sheet["steps"]]
    return view


def item_row(
    tenant: uuid.UUID,
    plan_id: uuid.UUID,
    entry: ItemEntry,
    item: Item,
    sheet: dict[str, Any] | None = None,
) -> Row:
    return (
        tenant,
        entry.item_id,
        plan_id,
        entry.number,
        sort_key(entry.number),
        entry.kind.value,
        entry.name,
        _j(item_view(entry, item, sheet)),
    )


def plan_rows(
    tenant: uuid.UUID,
    plan: Plan,
    events: Sequence[Event],
    items: dict[uuid.UUID, Item],
    sheets: Mapping[uuid.UUID, dict[str, Any]] | None = None,
) -> tuple[Row | None, list[Row], list[Row]]:
    """The public rows of a plan (none before it is promulgated), its items and its files."""
    if not plan.exists or plan.status is PlanStatus.DRAFT:
        return None, [], []
    document = None
    for e in events:
        if isinstance(e, PlanPromulgated):
            document = to_data(e.document)
    span = plan.years()
    view = {
        "plan_id": str(plan.id),
        "title": plan.title,
        "first_year": span.first,
        "last_year": span.last,
        "status": plan.status.value,
        "promulgated_on": plan.promulgated_on.isoformat() if plan.promulgated_on else None,
        "revision": plan.revision,
        "document": document,
        "catalogue": catalogue_data(plan.catalogue),
    }
    sheets = sheets or {}
    item_rows = [
        item_row(tenant, plan.id, e, items.get(e.item_id) or Item(e.item_id), sheets.get(e.item_id))
        for e in plan.items.values()
        if e.item_id not in plan.pending_additions  # not approved yet: not the public's
    ]
    files = _unique([_file_row(tenant, plan.id, document)] if document else [])
    return (tenant, plan.id, span.first, span.last, _j(view)), item_rows, files


def complaint_count_rows(tenant: uuid.UUID, complaints: Sequence[Complaint]) -> list[Row]:
    """Complaints received and resolved per fiscal year of receipt: numbers, nothing else."""
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for c in complaints:
        if c.received_on is None:
            continue
        n = counts[fiscal_year(c.received_on)]
        n[0] += 1
        n[1] += c.resolved_on is not None
    return [(tenant, y, r, d) for y, (r, d) in sorted(counts.items())]


# -- writing -----------------------------------------------------------------------------------

_INSERT = {
    "public_declarations": "INSERT INTO public_declarations (tenant_id, declaration_id, "
    "published_on, view) VALUES ($1, $2, $3, $4)",
    "public_plans": "INSERT INTO public_plans (tenant_id, plan_id, first_year, last_year, view) "
    "VALUES ($1, $2, $3, $4, $5)",
    "public_items": "INSERT INTO public_items (tenant_id, item_id, plan_id, number, sort_key, "
    "kind, registered_name, view) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    "public_files": "INSERT INTO public_files (tenant_id, source_id, sha256, name, media_type, "
    "size) VALUES ($1, $2, $3, $4, $5, $6)",
}
# The complaints register (complaint_views) is written by the plans projection, which runs
# before this one in the same transaction: counted from it, under the tenant's own policy.
_COUNT_COMPLAINTS = (
    "INSERT INTO public_complaint_counts (tenant_id, fiscal_year, received, resolved) "
    "SELECT tenant_id, fiscal_year, count(*), count(resolved_on) FROM complaint_views "
    "WHERE tenant_id = $1 GROUP BY tenant_id, fiscal_year"
)
COLUMNS = {
    "public_declarations": ("tenant_id", "declaration_id", "published_on", "view"),
    "public_plans": ("tenant_id", "plan_id", "first_year", "last_year", "view"),
    "public_items": (
        "tenant_id",
        "item_id",
        "plan_id",
        "number",
        "sort_key",
        "kind",
        "registered_name",
        "view",
    ),
    "public_files": ("tenant_id", "source_id", "sha256", "name", "media_type", "size"),
    "public_complaint_counts": ("tenant_id", "fiscal_year", "received", "resolved"),
}


async def _events(
    conn: asyncpg.Connection, tenant: uuid.UUID, streams: list[uuid.UUID]
) -> dict[uuid.UUID, list[Event]]:
    rows = await conn.fetch(
        "SELECT stream_id, event_type, data FROM events WHERE tenant_id = $1 "
        "AND stream_id = ANY($2::uuid[]) ORDER BY stream_id, version",
        tenant,
        streams,
    )
    out: dict[uuid.UUID, list[Event]] = defaultdict(list)
    for r in rows:
        out[r["stream_id"]].append(_decode(r["event_type"], r["data"]))
    return out


async def _write_declaration(
    conn: asyncpg.Connection, tenant: uuid.UUID, stream: uuid.UUID
) -> None:
    events = (await _events(conn, tenant, [stream]))[stream]
    row, files = declaration_rows(tenant, Declaration.replay(stream, events))
    await conn.execute(
        "DELETE FROM public_declarations WHERE tenant_id = $1 AND declaration_id = $2",
        tenant,
        stream,
    )
    await conn.execute(
        "DELETE FROM public_files WHERE tenant_id = $1 AND source_id = $2", tenant, stream
    )
    if row is not None:
        await conn.execute(_INSERT["public_declarations"], *row)
        await conn.executemany(_INSERT["public_files"], files)


async def _write_plan(conn: asyncpg.Connection, tenant: uuid.UUID, plan_id: uuid.UUID) -> None:
    plan_events = (await _events(conn, tenant, [plan_id]))[plan_id]
    plan = Plan.replay(plan_id, plan_events)
    for table, key in (("public_items", "plan_id"), ("public_plans", "plan_id")):
        await conn.execute(
            f"DELETE FROM {table} WHERE tenant_id = $1 AND {key} = $2", tenant, plan_id
        )
    await conn.execute(
        "DELETE FROM public_files WHERE tenant_id = $1 AND source_id = $2", tenant, plan_id
    )
    if not plan.exists or plan.status is PlanStatus.DRAFT:
        return
    by_item = await _events(conn, tenant, list(plan.items))
    items = {i: Item.replay(i, evs) for i, evs in by_item.items()}
    row, item_rows, files = plan_rows(tenant, plan, plan_events, items)
    if row is not None:
        await conn.execute(_INSERT["public_plans"], *row)
        await conn.executemany(_INSERT["public_items"], item_rows)
        await conn.executemany(_INSERT["public_files"], files)


async def _write_item(conn: asyncpg.Connection, tenant: uuid.UUID, item_id: uuid.UUID) -> None:
    """An item of a public plan: its row again (an item of a draft plan has none)."""
    found = await conn.fetchrow(
        "SELECT plan_id, number, kind, registered_name FROM public_items "
        "WHERE tenant_id = $1 AND item_id = $2",
        tenant,
        item_id,
    )
    if found is None:
        return
    entry = ItemEntry(item_id, found["number"], ItemKind(found["kind"]), found["registered_name"])
    item = Item.replay(item_id, (await _events(conn, tenant, [item_id]))[item_id])
    await conn.execute(
        "UPDATE public_items SET view = $3 WHERE tenant_id = $1 AND item_id = $2",
        tenant,
        item_id,
        _j(item_view(entry, item)),
    )


async def _write_complaint_counts(conn: asyncpg.Connection, tenant: uuid.UUID) -> None:
    await conn.execute("DELETE FROM public_complaint_counts WHERE tenant_id = $1", tenant)
    await conn.execute(_COUNT_COMPLAINTS, tenant)


class PublicProjection:
    """The public read model: published declarations, promulgated plans and their items."""

    name: str = "public"
    tables: tuple[str, ...] = tuple(COLUMNS)
    stream_types: frozenset[str] | None = STREAM_TYPES
    reads: frozenset[str] = frozenset({"data"})

    async def apply(self, conn: asyncpg.Connection, events: Sequence[StoredEvent]) -> None:
        touched = {
            (e.tenant_id, e.stream_id, e.stream_type)
            for e in events
            if e.stream_type in STREAM_TYPES
        }
        for tenant in sorted({t for t, _s, kind in touched if kind == "complaint"}):
            await _write_complaint_counts(conn, tenant)
        for tenant, stream, stream_type in sorted(touched, key=lambda t: t[2] != "plan"):
            if stream_type == "complaint":
                continue
            if stream_type == "declaration":
                await _write_declaration(conn, tenant, stream)
            elif stream_type == "plan":
                await _write_plan(conn, tenant, stream)
            else:
                await _write_item(conn, tenant, stream)

    def rebuilder(self) -> _Replay:
        return _Replay()


class _Replay:
    """Folds each tenant's streams once the scan (in tenant order) has passed them.

    When the plans projection is rebuilt in the same pass, ahead of this one, its rebuilder
    hands over each tenant it folds (events decoded, aggregates replayed, item sheets made:
    ``join``), and this one reads no event itself."""

    def __init__(self) -> None:
        self.streams: dict[tuple[str, uuid.UUID], list[tuple[str, Any]]] = defaultdict(list)
        self.tenant: uuid.UUID | None = None
        self.rows: dict[str, list[Row]] = defaultdict(list)
        self.fed = False

    def join(self, rebuilders: Sequence[object]) -> None:
        """Told of the rebuilders of this pass, in order: take the plans rebuilder's folds."""
        for r in rebuilders:
            if r is self:
                return
            if isinstance(r, PlansReplay):
                r.subscribe(self._take)
                self.fed = True
                return

    async def add(self, conn: asyncpg.Connection, events: Sequence[StoredEvent]) -> None:
        if self.fed:
            if sum(len(r) for r in self.rows.values()) >= 20_000:
                await self._copy(conn)
            return
        streams, tenant = self.streams, self.tenant  # a million events: locals, each read once
        for e in events:
            stream_type = e.stream_type
            if stream_type not in STREAM_TYPES:
                continue
            if (t := e.tenant_id) != tenant:
                await self._fold(conn)
                self.tenant = tenant = t
                streams = self.streams
            streams[(stream_type, e.stream_id)].append((e.event_type, e.data))

    def _take(self, tenant: uuid.UUID, folded: Folded) -> None:
        wanted = [k for k in folded.events if k[0] in STREAM_TYPES]
        self._rows_of(
            tenant,
            {k: folded.events[k] for k in wanted},
            {k: folded.aggregates[k] for k in wanted},
            folded.sheets,
        )

    async def _fold(self, conn: asyncpg.Connection) -> None:
        if self.tenant is None or not self.streams:
            return
        decoded = {key: [_decode(t, d) for t, d in raw] for key, raw in self.streams.items()}
        self.streams = defaultdict(list)
        aggregates = {key: _REPLAY[key[0]].replay(key[1], evs) for key, evs in decoded.items()}
        self._rows_of(self.tenant, decoded, aggregates, {})
        if sum(len(r) for r in self.rows.values()) >= 20_000:
            await self._copy(conn)

    def _rows_of(
        self,
        tenant: uuid.UUID,
        decoded: dict[tuple[str, uuid.UUID], list[Event]],
        aggregates: dict[tuple[str, uuid.UUID], Any],
        sheets: Mapping[uuid.UUID, dict[str, Any]],
    ) -> None:
        items = {s: agg for (t, s), agg in aggregates.items() if t == "item"}
        self.rows["public_complaint_counts"] += complaint_count_rows(
            tenant, [agg for (t, _s), agg in aggregates.items() if t == "complaint"]
        )
        for (stream_type, stream), evs in decoded.items():
            if stream_type == "declaration":
                row, files = declaration_rows(tenant, aggregates[(stream_type, stream)])
                if row is not None:
                    self.rows["public_declarations"].append(row)
                    self.rows["public_files"] += files
            elif stream_type == "plan":
                plan = aggregates[(stream_type, stream)]
                plan_row, item_rows, files = plan_rows(tenant, plan, evs, items, sheets)
                if plan_row is not None:
                    self.rows["public_plans"].append(plan_row)
                    self.rows["public_items"] += item_rows
                    self.rows["public_files"] += files

    async def _copy(self, conn: asyncpg.Connection) -> None:
        for table, columns in COLUMNS.items():
            if self.rows.get(table):
                await conn.copy_records_to_table(table, records=self.rows[table], columns=columns)
        self.rows.clear()

    async def finish(self, conn: asyncpg.Connection) -> None:
        await self._fold(conn)
        await self._copy(conn)
