"""Async (cross-tenant) read model ``lao_overview``: one row per LAO for the province dashboard.

On new events the projector recomputes the row of each tenant they touch from that tenant's
inline read models (plan_views, item_views, step_deadlines, declaration_views: committed, as
the projector reads only events below the snapshot's xmin) and from its own events for what no
inline read model holds (reports submitted, revision requests, last activity). A rebuild runs
the same statement over every tenant with events, so rebuilt rows equal live ones.

The current plan of an LAO: its promulgated plan, else its draft, else its last closed one
(the latest fiscal years first). Steps, items and indicators are that plan's. An output
indicator is met when a recorded result of any fiscal year meets its target (indicators the
service counts itself, such as declarations, are shown by the compliance matrix instead).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import asyncpg

from infra.eventstore.records import StoredEvent

REPORT_SUBMITTED = "ReportSubmitted"
REVISION_REQUESTED = "RevisionRequested"
REVISION_RESOLVED = "RevisionResolved"

_COLUMNS = (
    "province_code",
    "declarations_published",
    "declaration_first_published",
    "announcements",
    "declaration_last_announced",
    "plan_id",
    "plan_title",
    "plan_status",
    "plan_first_year",
    "plan_last_year",
    "plan_promulgated_on",
    "items",
    "steps_total",
    "steps_done",
    "open_due",
    "indicators_total",
    "indicators_met",
    "reports",
    "revisions_open",
    "last_activity_at",
    "last_event_type",
)

# ``{tenants}``: the tenants whose rows are recomputed (a subquery of tenant ids).
_RECOMPUTE = f"""
INSERT INTO lao_overview (tenant_id, {", ".join(_COLUMNS)})
SELECT o.id, o.province_code,
       coalesce(d.published, 0), d.first_published, coalesce(d.announcements, 0),
       d.last_announced,
       p.plan_id, p.summary->>'title', p.summary->>'status',
       (p.summary->>'first_year')::int, (p.summary->>'last_year')::int,
       (p.summary->>'promulgated_on')::date,
       coalesce(i.items, 0), coalesce(s.total, 0), coalesce(s.done, 0),
       coalesce(s.open_due, '{{}}'), coalesce(i.outputs, 0), coalesce(i.met, 0),
       coalesce(e.reports, '{{}}'), coalesce(e.revisions, 0),
       last.recorded_at, last.event_type
FROM organisations o
LEFT JOIN LATERAL (
    SELECT count(*) FILTER (WHERE dv.published_on IS NOT NULL) AS published,
           min(dv.published_on) AS first_published,
           sum(jsonb_array_length(dv.view->'announcements'))
               FILTER (WHERE dv.published_on IS NOT NULL) AS announcements,
           (SELECT max((a->>'on')::date) FROM declaration_views d2,
                   jsonb_array_elements(d2.view->'announcements') a
            WHERE d2.tenant_id = o.id AND d2.published_on IS NOT NULL) AS last_announced
    FROM declaration_views dv WHERE dv.tenant_id = o.id
) d ON true
LEFT JOIN LATERAL (
    SELECT pv.plan_id, pv.summary FROM plan_views pv WHERE pv.tenant_id = o.id
    ORDER BY CASE pv.summary->>'status' WHEN 'promulgated' THEN 0 WHEN 'draft' THEN 1 ELSE 2 END,
             (pv.summary->>'last_year')::int DESC, (pv.summary->>'first_year')::int DESC,
             pv.plan_id
    LIMIT 1
) p ON true
LEFT JOIN LATERAL (
    SELECT count(*) AS total, count(*) FILTER (WHERE sd.status = 'completed') AS done,
           array_agg(sd.due_date ORDER BY sd.due_date)
               FILTER (WHERE sd.status <> 'completed' AND sd.due_date IS NOT NULL) AS open_due
    FROM step_deadlines sd WHERE sd.tenant_id = o.id AND sd.plan_id = p.plan_id
) s ON true
LEFT JOIN LATERAL (
    SELECT count(DISTINCT iv.item_id) AS items, count(op.o) AS outputs,
           count(op.o) FILTER (WHERE EXISTS (
               SELECT 1 FROM jsonb_array_elements(op.o->'results') r
               WHERE CASE op.o->>'comparator'
                   WHEN 'at_least' THEN (r->>'value')::numeric >= (op.o->>'target')::numeric
                   WHEN 'exactly' THEN (r->>'value')::numeric = (op.o->>'target')::numeric
                   ELSE (r->>'value')::numeric <= (op.o->>'target')::numeric END)) AS met
    FROM item_views iv
    LEFT JOIN LATERAL jsonb_array_elements(iv.sheet->'outputs') op(o) ON true
    WHERE iv.tenant_id = o.id AND iv.plan_id = p.plan_id
) i ON true
LEFT JOIN LATERAL (
    -- One pass over the tenant's events for both (each was a scan of all its events).
    SELECT (SELECT jsonb_object_agg(r.round, r.on_) FROM (
                SELECT u.round, max(u.on_) AS on_
                FROM unnest(x.rounds, x.ons) AS u(round, on_) GROUP BY 1) r) AS reports,
           x.revisions
    FROM (
        SELECT array_agg(ev.data->>'round') FILTER (WHERE ev.event_type = '{REPORT_SUBMITTED}')
                   AS rounds,
               array_agg(ev.data->>'on') FILTER (WHERE ev.event_type = '{REPORT_SUBMITTED}')
                   AS ons,
               count(*) FILTER (WHERE ev.event_type = '{REVISION_REQUESTED}')
                 - count(*) FILTER (WHERE ev.event_type = '{REVISION_RESOLVED}') AS revisions
        FROM events ev WHERE ev.tenant_id = o.id
          AND ev.event_type IN ('{REPORT_SUBMITTED}', '{REVISION_REQUESTED}',
                                '{REVISION_RESOLVED}')
    ) x
) e ON true
LEFT JOIN LATERAL (
    SELECT ev.recorded_at, ev.event_type FROM events ev WHERE ev.tenant_id = o.id
    ORDER BY ev.sequence DESC LIMIT 1
) last ON true
WHERE o.id IN ({{tenants}})
ON CONFLICT (tenant_id) DO UPDATE SET
    {", ".join(f"{c} = EXCLUDED.{c}" for c in _COLUMNS)}
"""


def recompute_sql(tenants: str) -> str:
    """The statement that (re)writes the rows of ``tenants`` (SQL giving tenant ids)."""
    return _RECOMPUTE.replace("{tenants}", tenants)


class _Touched:
    """A Python rebuild (used only when another async projection has no rebuild_sql)."""

    def __init__(self) -> None:
        self.tenants: set[uuid.UUID] = set()

    async def add(self, conn: asyncpg.Connection, events: Sequence[StoredEvent]) -> None:
        self.tenants.update(e.tenant_id for e in events)

    async def finish(self, conn: asyncpg.Connection) -> None:
        if self.tenants:
            await conn.execute(recompute_sql("SELECT unnest($1::uuid[])"), list(self.tenants))


class ProvinceOverviewProjection:
    name: str = "lao_overview"
    tables: tuple[str, ...] = ("lao_overview",)
    stream_types: frozenset[str] | None = None
    reads: frozenset[str] = frozenset()
    # A rebuild that rebuilds the plans projection in the same pass writes the rows of its
    # tenants chunk by chunk, as soon as their plans rows are written (rebuild_tenants_sql,
    # with the tenants as $1: this reads nothing else a rebuild writes), while the next ones
    # are folded. ``rebuild_sql`` then writes the rest: every tenant with an event below the
    # rebuild's snapshot xmin ``{bound}`` and no row yet (the table was emptied first). The
    # rows come from the same statement as ``apply``'s.
    follows: str = "plans"
    rebuild_tenants_sql: str = recompute_sql("SELECT unnest($1::uuid[])")
    rebuild_sql: str = (
        recompute_sql(
            "SELECT DISTINCT tenant_id FROM events WHERE xid < <bound> "
            "EXCEPT SELECT tenant_id FROM lao_overview"
        )
        .replace("{", "{{")
        .replace("}", "}}")
        .replace("<bound>", "{bound}")
        + " RETURNING 1"
    )

    async def apply(self, conn: asyncpg.Connection, events: Sequence[StoredEvent]) -> None:
        tenants = sorted({e.tenant_id for e in events})
        await conn.execute(self.rebuild_tenants_sql, tenants)

    def rebuilder(self) -> _Touched:
        return _Touched()
