"""Official documents of a plan: its summary table (บัญชีโครงการ/กิจกรรม/มาตรการ/งบประมาณ) as
PDF (A4 landscape) and .docx, with the LAO's name and the counts per dimension and year.

Each new content of the table is issued to the LAO's record (PlanTableIssued, with both
files' SHA-256) and both files carry the record mark in their footer (the log's sequence the
data reflects and a QR code to /p/<code>/verify), as the progress reports do: a copy anyone
downloads or prints can be checked there. The same content serves the same files again."""

from __future__ import annotations

import asyncio
import uuid

from domain.plans.table import plan_table
from domain.plans.views import overview, sheet_of
from domain.reporting.digest import content_hash
from domain.reporting.events import ReportFile
from domain.reporting.plan_table import issue_plan_table, load_plan_table
from domain.shared.access import Action, Actor, may
from domain.shared.errors import NotFound
from infra.auth.orgs import find_org
from infra.documents.common import RecordMark
from infra.documents.docx import plan_table_docx
from infra.documents.pdf import plan_table_pdf
from infra.queries import plans as plan_queries
from infra.queries import rounds as q
from infra.repository import EventSourcedRepository
from services.usecases.bootstrap import Services
from services.usecases.rounds import Export
from services.usecases.scope import Call, authorize, context, reading, today

RENDER = {"pdf": plan_table_pdf, "docx": plan_table_docx}


async def plan_table_file(
    services: Services, actor: Actor, plan_id: uuid.UUID, fmt: str, year: int | None = None
) -> Export:
    """The plan's summary table, or with ``year`` the year's plan derived from it, as PDF or
    .docx; issued with the record mark the first time a member who may report asks for it."""
    authorize(actor, Action.READ)
    async with reading(services, actor) as conn:
        summary = await q.plan_summary(conn, plan_id)
        if summary is None:
            raise NotFound("ไม่พบแผนนี้")
        rows = await plan_queries.item_sheets(conn, plan_id)
        head = await conn.fetchval("SELECT sequence FROM tenant_heads")
    async with services.db.acquire() as conn:
        org = await find_org(conn, actor.tenant_code)
    name = org.name if org is not None else actor.tenant_code
    sheets = [sheet_of(plan_queries.entry_of(r), r["sheet"]) for r in rows]
    table = plan_table(name, overview(summary, sheets, today(services.clock)), year)
    code, years = actor.tenant_code, f"{summary['first_year']}-{summary['last_year']}"
    th, ascii_name = f"บัญชีโครงการ-{code}-{years}", f"sujarit-plan-table-{code}-{years}"
    if year is not None:
        th, ascii_name = f"แผนประจำปี-{code}-{year}", f"sujarit-year-plan-{code}-{year}"

    digest = content_hash(table)
    repo = EventSourcedRepository(services.store)
    issued = (await load_plan_table(repo, actor.tenant_id, plan_id)).issued(digest)
    base = services.settings.base_url.rstrip("/")
    if issued is None and base and may(actor, Action.WRITE_REPORTS):
        at = services.clock.now()
        mark = RecordMark(head or 0, f"{base}/p/{code}/verify")
        pdf, docx = await asyncio.gather(
            asyncio.to_thread(plan_table_pdf, table, at, mark),
            asyncio.to_thread(plan_table_docx, table, at, mark),
        )
        files = (
            ReportFile("pdf", await services.files.put(pdf), len(pdf)),
            ReportFile("docx", await services.files.put(docx), len(docx)),
        )
        issued = await issue_plan_table(repo, context(actor, Call()), plan_id, digest, files, at)
    if issued is not None:
        stored = next(f for f in issued.files if f.format == fmt)
        data = await services.files.get(stored.sha256)
        if data is not None:
            return Export(data, fmt, th, ascii_name)
    # Not issued yet and this reader may not issue it (a reviewer, a clerk): rendered as it
    # is now, without a record mark, since nothing records it.
    return Export(RENDER[fmt](table, services.clock.now()), fmt, th, ascii_name)
