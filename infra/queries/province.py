"""The province dashboard's and the national view's reads (the cross-tenant read model
``lao_overview``, in an overview transaction): filters, sorting, totals, the data version."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any

import asyncpg

from domain.reporting.rounds import ReportingRound, last_closed_round, six_month, twelve_month
from domain.tenancy.organisations import Kind

# Overdue steps and the oldest overdue step are computed on the day read: ``open_due`` holds the
# sorted due dates of the open steps; width_bucket counts those on or before yesterday.
_ROWS = """
SELECT o.code, o.name_th, o.name_en, o.kind, o.district,
       coalesce(v.declarations_published, 0) AS declarations_published,
       v.declaration_first_published,
       coalesce(v.announcements, 0) AS announcements, v.declaration_last_announced,
       v.plan_status, v.plan_promulgated_on,
       coalesce(v.steps_total, 0) AS steps_total, coalesce(v.steps_done, 0) AS steps_done,
       CASE WHEN v.steps_total > 0 THEN round(100.0 * v.steps_done / v.steps_total)::int
       END AS percent_done,
       coalesce(width_bucket($2::date - 1, v.open_due), 0) AS overdue,
       CASE WHEN v.open_due[1] < $2::date THEN v.open_due[1] END AS oldest_overdue,
       coalesce(v.indicators_total, 0) AS indicators_total,
       coalesce(v.indicators_met, 0) AS indicators_met,
       coalesce(v.reports, '{}') AS reports, coalesce(v.revisions_open, 0) AS revisions_open,
       v.last_activity_at
FROM organisations o LEFT JOIN lao_overview v ON v.tenant_id = o.id
WHERE o.province_code = $1
"""
# "Needs attention": overdue steps, no published declaration or no announcement of it, no
# promulgated plan, the last closed round's report missing after its due date ($3, or ''),
# or open revision requests.
_ATTENTION = (
    "(s.overdue > 0 OR s.declarations_published = 0 OR s.announcements = 0 "
    "OR s.plan_promulgated_on IS NULL OR ($3 <> '' AND NOT s.reports ? $3) "
    "OR s.revisions_open > 0)"
)
SORTS = {
    "name": "s.name_th",
    "code": "s.code",
    "kind": "s.kind",
    "district": "s.district",
    "declared": "s.declaration_first_published",
    "announced": "s.declaration_last_announced",
    "promulgated": "s.plan_promulgated_on",
    "done": "s.percent_done",
    "overdue": "s.overdue",
    "oldest": "s.oldest_overdue",
    "indicators": "s.indicators_met",
    "revisions": "s.revisions_open",
    "activity": "s.last_activity_at",
}
# Thai abbreviations people type before a name: อบต.พังขว้าง finds the SAO of Phang Khwang.
_ABBREVIATIONS = (
    ("องค์การบริหารส่วนตำบล", Kind.SAO),
    ("อบต.", Kind.SAO),
    ("อบต", Kind.SAO),
    ("เทศบาลตำบล", Kind.SUBDISTRICT_MUNICIPALITY),
    ("ทต.", Kind.SUBDISTRICT_MUNICIPALITY),
    ("เทศบาลเมือง", Kind.TOWN_MUNICIPALITY),
    ("ทม.", Kind.TOWN_MUNICIPALITY),
    ("เทศบาลนคร", Kind.CITY_MUNICIPALITY),
    ("ทน.", Kind.CITY_MUNICIPALITY),
    ("องค์การบริหารส่วนจังหวัด", Kind.PAO),
    ("อบจ.", Kind.PAO),
)
KIND_SHORT = {
    Kind.SAO.value: "อบต.",
    Kind.SUBDISTRICT_MUNICIPALITY.value: "ทต.",
    Kind.TOWN_MUNICIPALITY.value: "ทม.",
    Kind.CITY_MUNICIPALITY.value: "ทน.",
    Kind.PAO.value: "อบจ.",
    Kind.SPECIAL.value: "รูปแบบพิเศษ",
}


def reporting_rounds(today: date) -> tuple[ReportingRound, ReportingRound]:
    """The two latest rounds that have closed, older first."""
    last = last_closed_round(today)
    before = (
        six_month(last.fiscal_year)
        if last.kind.months == 12
        else twelve_month(last.fiscal_year - 1)
    )
    return before, last


@dataclass(frozen=True)
class Filters:
    kind: str = ""
    district: str = ""
    attention: bool = False
    q: str = ""
    sort: str = "name"
    desc: bool = False

    @staticmethod
    def of(params: Any) -> Filters:
        kind = str(params.get("kind") or "")
        sort = str(params.get("sort") or "name")
        q = unicodedata.normalize("NFC", str(params.get("q") or "")).strip()[:100]
        return Filters(
            kind=kind if kind in {k.value for k in Kind} else "",
            district=str(params.get("district") or "").strip()[:100],
            attention=str(params.get("attention") or "") in {"1", "on", "true"},
            q=" ".join(q.split()),
            sort=sort if sort in SORTS else "name",
            desc=str(params.get("dir") or "") == "desc",
        )

    def query(self, **change: Any) -> str:
        """This view's query string, with ``change`` applied (for sort links and exports)."""
        from urllib.parse import urlencode

        values = {
            "kind": self.kind,
            "district": self.district,
            "attention": "1" if self.attention else "",
            "q": self.q,
            "sort": self.sort,
            "dir": "desc" if self.desc else "",
        }
        values.update(change)
        return urlencode({k: v for k, v in values.items() if v and (k, v) != ("sort", "name")})


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _search(q: str) -> tuple[str, str]:
    """(name fragment, kind) from what was typed: a leading abbreviation names the kind."""
    for prefix, kind in _ABBREVIATIONS:
        if q.startswith(prefix) and len(q) > len(prefix):
            return q[len(prefix) :].strip(), kind.value
    return q, ""


def province_sql(f: Filters) -> tuple[str, list[Any]]:
    """The dashboard's statement: $1 province, $2 today, $3 the round whose report is late."""
    conds, args = [], []
    if f.kind:
        args.append(f.kind)
        conds.append(f"s.kind = ${len(args) + 3}")
    if f.district:
        args.append(f.district)
        conds.append(f"s.district = ${len(args) + 3}")
    if f.attention:
        conds.append(_ATTENTION)
    if f.q:
        name, kind = _search(f.q)
        args.append(_like(name))
        n = len(args) + 3
        conds.append(f"(s.name_th LIKE ${n} OR s.code LIKE ${n} OR s.name_en ILIKE ${n})")
        if kind:
            args.append(kind)
            conds.append(f"s.kind = ${len(args) + 3}")
    order = SORTS[f.sort] + (" DESC NULLS LAST" if f.desc else " ASC NULLS LAST")
    sql = (
        f"SELECT s.*, {_ATTENTION} AS needs_attention FROM ({_ROWS}) s"
        + (" WHERE " + " AND ".join(conds) if conds else "")
        + f" ORDER BY {order}, s.code"
    )
    return sql, args


def late_round(today: date) -> str:
    """The last closed round if its report is now late (past its due date), else ''."""
    last = last_closed_round(today)
    return last.code if today > last.due() else ""


async def province_rows(
    conn: asyncpg.Connection, province: str, today: date, f: Filters
) -> list[asyncpg.Record]:
    sql, args = province_sql(f)
    return list(await conn.fetch(sql, province, today, late_round(today), *args))


async def districts(conn: asyncpg.Connection, province: str) -> list[str]:
    rows = await conn.fetch(
        "SELECT DISTINCT district FROM organisations WHERE province_code = $1 AND district <> '' "
        "ORDER BY district",
        province,
    )
    return [r[0] for r in rows]


def totals(rows: list[asyncpg.Record], rounds: tuple[ReportingRound, ...]) -> dict[str, Any]:
    steps = sum(r["steps_total"] for r in rows)
    done = sum(r["steps_done"] for r in rows)
    oldest = [r["oldest_overdue"] for r in rows if r["oldest_overdue"]]
    return {
        "laos": len(rows),
        "declared": sum(1 for r in rows if r["declarations_published"]),
        "announced": sum(1 for r in rows if r["announcements"]),
        "promulgated": sum(1 for r in rows if r["plan_promulgated_on"]),
        "steps_total": steps,
        "steps_done": done,
        "percent_done": round(100 * done / steps) if steps else None,
        "overdue": sum(r["overdue"] for r in rows),
        "laos_overdue": sum(1 for r in rows if r["overdue"]),
        "oldest_overdue": min(oldest) if oldest else None,
        "indicators_total": sum(r["indicators_total"] for r in rows),
        "indicators_met": sum(r["indicators_met"] for r in rows),
        "reported": {rd.code: sum(1 for r in rows if rd.code in r["reports"]) for rd in rounds},
        "revisions_open": sum(r["revisions_open"] for r in rows),
        "attention": sum(1 for r in rows if r["needs_attention"]),
    }


NATIONAL_SQL = """
SELECT p.code, p.name_th, p.name_en, count(o.id) AS laos,
       count(*) FILTER (WHERE v.declarations_published > 0) AS declared,
       count(*) FILTER (WHERE v.announcements > 0) AS announced,
       count(*) FILTER (WHERE v.plan_promulgated_on IS NOT NULL) AS promulgated,
       coalesce(sum(v.steps_total), 0)::bigint AS steps_total,
       coalesce(sum(v.steps_done), 0)::bigint AS steps_done,
       coalesce(sum(width_bucket($1::date - 1, v.open_due)), 0)::bigint AS overdue,
       count(*) FILTER (WHERE v.open_due[1] < $1::date) AS laos_overdue,
       min(v.open_due[1]) FILTER (WHERE v.open_due[1] < $1::date) AS oldest_overdue,
       coalesce(sum(v.indicators_total), 0)::bigint AS indicators_total,
       coalesce(sum(v.indicators_met), 0)::bigint AS indicators_met,
       count(*) FILTER (WHERE v.reports ? $2) AS reported_before,
       count(*) FILTER (WHERE v.reports ? $3) AS reported_last,
       coalesce(sum(v.revisions_open), 0)::bigint AS revisions_open
FROM provinces p JOIN organisations o ON o.province_code = p.code
LEFT JOIN lao_overview v ON v.tenant_id = o.id
GROUP BY p.code, p.name_th, p.name_en
ORDER BY p.name_th
"""


async def national_rows(conn: asyncpg.Connection, today: date) -> list[asyncpg.Record]:
    before, last = reporting_rounds(today)
    return list(await conn.fetch(NATIONAL_SQL, today, before.code, last.code))


async def version(conn: asyncpg.Connection, province: str | None) -> str:
    """The data version of a province's rows (or all): any update of a row changes its xmin."""
    if province is None:
        sql = "SELECT md5(string_agg(xmin::text, ',' ORDER BY tenant_id)) FROM lao_overview"
        return str(await conn.fetchval(sql))
    sql = (
        "SELECT md5(string_agg(xmin::text, ',' ORDER BY tenant_id)) FROM lao_overview "
        "WHERE province_code = $1"
    )
    return str(await conn.fetchval(sql, province))
