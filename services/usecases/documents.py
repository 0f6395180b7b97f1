"""Official documents of a plan: its summary table (บัญชีโครงการ/กิจกรรม/มาตรการ/งบประมาณ) as
PDF (A4 landscape) and .docx, with the LAO's name and the counts per dimension and year."""

from __future__ import annotations

import uuid

from domain.plans.table import plan_table
from domain.plans.views import overview, sheet_of
from domain.shared.access import Action, Actor
from domain.shared.errors import NotFound
from infra.auth.orgs import find_org
from infra.documents.docx import plan_table_docx
from infra.documents.pdf import plan_table_pdf
from infra.queries import plans as plan_queries
from infra.queries import rounds as q
from services.usecases.bootstrap import Services
from services.usecases.rounds import Export
from services.usecases.scope import authorize, reading, today


async def plan_table_file(services: Services, actor: Actor, plan_id: uuid.UUID, fmt: str) -> Export:
    authorize(actor, Action.READ)
    async with reading(services, actor) as conn:
        summary = await q.plan_summary(conn, plan_id)
        if summary is None:
            raise NotFound("ไม่พบแผนนี้")
        rows = await plan_queries.item_sheets(conn, plan_id)
    async with services.db.acquire() as conn:
        org = await find_org(conn, actor.tenant_code)
    name = org.name if org is not None else actor.tenant_code
    sheets = [sheet_of(plan_queries.entry_of(r), r["sheet"]) for r in rows]
    table = plan_table(name, overview(summary, sheets, today(services.clock)))
    code, years = actor.tenant_code, f"{summary['first_year']}-{summary['last_year']}"
    th, ascii_name = f"บัญชีโครงการ-{code}-{years}", f"sujarit-plan-table-{code}-{years}"
    at = services.clock.now()
    if fmt == "docx":
        return Export(plan_table_docx(table, at), "docx", th, ascii_name)
    return Export(plan_table_pdf(table, at), "pdf", th, ascii_name)
