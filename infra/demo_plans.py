"""The demo LAOs' plans, declarations and complaints, written through the real commands.

The content (``infra.demo_content``) is data; this module turns it into commands, so the demo
has the same events, read models and history as a clerk's own work.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

import asyncpg

from domain.complaints.handlers import ReceiveComplaint, ResolveComplaint, handle_complaint_command
from domain.declarations.declaration import Channel
from domain.declarations.handlers import (
    AnnounceDeclaration,
    DraftDeclaration,
    PublishDeclaration,
    handle_declaration_command,
)
from domain.plans import commands as c
from domain.plans.events import ItemHeadingsEdited
from domain.plans.handlers import handle_draft_plan, handle_item_command, handle_plan_command
from domain.plans.values import Comparator, Evidence, ItemKind, OutcomeIndicator, OutputIndicator
from domain.shared.ports import Context
from domain.tenancy.organisations import organisation_id
from infra.db.pool import tenant_transaction
from infra.eventstore.postgres import PostgresEventStore
from infra.evidence import keep_evidence
from infra.files import FileStore
from infra.projections.registry import inline_projections
from infra.repository import EventSourcedRepository

_NS = uuid.UUID("3f2b8d4e-6a1c-4b7e-9d05-8c2e4f6a1b3d")


def _id(*parts: object) -> uuid.UUID:
    return uuid.uuid5(_NS, "/".join(str(p) for p in parts))


def _pdf(title: str) -> bytes:
    """A small, valid PDF standing in for a scanned document."""
    text = title.encode("utf-8").hex()
    body = (
        "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        "2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
        f"4 0 obj<</Title<{text}>>>endobj\n"
        "trailer<</Root 1 0 R/Info 4 0 R>>\n%%EOF\n"
    )
    return body.encode("ascii")


async def _evidence(pool: asyncpg.Pool, files: FileStore, tenant: uuid.UUID, name: str) -> Evidence:
    return await keep_evidence(pool, files, tenant, name, _pdf(name), "application/pdf", "demo")


async def load_demo_plans(pool: asyncpg.Pool, files: FileStore, orgs: Any) -> int:
    """Write every demo organisation's content; return how many were written (a tenant whose
    log is not empty is left as it is, so a second run changes nothing)."""
    repo = EventSourcedRepository(PostgresEventStore(pool, projections=inline_projections()))
    written = 0
    for org in orgs:
        tenant = organisation_id(org.code)
        async with tenant_transaction(pool, tenant, readonly=True) as conn:
            if await conn.fetchval("SELECT count(*) FROM events WHERE tenant_id = $1", tenant):
                continue
        ctx = Context(tenant, "ข้อมูลตัวอย่าง (demo)")
        p = org.plan
        plan_id = _id(org.code, "plan")
        await handle_draft_plan(repo, ctx, c.DraftPlan(plan_id, p.title, p.first_year, p.last_year))
        for item in p.items:
            item_id = _id(org.code, "item", item.number)
            await handle_plan_command(
                repo, ctx, c.AddItem(plan_id, item_id, item.number, ItemKind(item.kind), item.name)
            )
            await handle_item_command(
                repo,
                ctx,
                c.EditItemHeadings(
                    plan_id,
                    item_id,
                    ItemHeadingsEdited(
                        rationale=item.rationale,
                        objectives=tuple(item.objectives),
                        targets=tuple(item.targets),
                        area=item.area,
                        fiscal_years=tuple(item.fiscal_years),
                        responsible_unit=item.responsible_unit,
                    ),
                ),
            )
            budget = (
                None if item.budget is None else {y: Decimal(a) for y, a in item.budget.items()}
            )
            await handle_item_command(repo, ctx, c.SetBudget(plan_id, item_id, budget))
            for step in item.steps:
                await handle_item_command(
                    repo,
                    ctx,
                    c.ScheduleStep(
                        plan_id,
                        item_id,
                        step.number,
                        step.title,
                        step.due,
                        step.fiscal_year,
                        tuple(step.responsible),
                    ),
                )
            for o in item.outputs:
                await handle_item_command(
                    repo,
                    ctx,
                    c.DefineIndicator(
                        plan_id,
                        item_id,
                        OutputIndicator(
                            o.indicator_id,
                            o.text,
                            Comparator(o.comparator),
                            Decimal(o.target),
                            o.unit,
                            _measure(item.number, o),
                        ),
                    ),
                )
            for o in item.outcomes:
                await handle_item_command(
                    repo,
                    ctx,
                    c.DefineIndicator(
                        plan_id, item_id, OutcomeIndicator(o.indicator_id, o.text, o.measure)
                    ),
                )
            for step in item.steps:
                if step.completed_on is None:
                    continue
                evidence = (
                    (await _evidence(pool, files, tenant, step.evidence_name),)
                    if (step.evidence_name)
                    else ()
                )
                await handle_item_command(
                    repo,
                    ctx,
                    c.CompleteStep(
                        plan_id, item_id, step.number, step.completed_on, step.note, evidence
                    ),
                )
        if p.promulgated_on is not None:
            await handle_plan_command(
                repo, ctx, c.PromulgatePlan(plan_id, p.promulgated_on, p.promulgated_by)
            )
        if org.declaration is not None:
            d = org.declaration
            decl = _id(org.code, "declaration")
            await handle_declaration_command(
                repo, ctx, DraftDeclaration(decl, d.text, tuple(d.signers))
            )
            document = await _evidence(pool, files, tenant, "ประกาศเจตจำนงสุจริต.pdf")
            await handle_declaration_command(
                repo, ctx, PublishDeclaration(decl, d.published_on, document)
            )
            for channel, on, detail in d.announcements:
                await handle_declaration_command(
                    repo, ctx, AnnounceDeclaration(decl, Channel(channel), on, detail)
                )
        for n, (received, channel, category, resolved) in enumerate(org.complaints):
            complaint = _id(org.code, "complaint", n)
            await handle_complaint_command(
                repo, ctx, ReceiveComplaint(complaint, received, channel, category)
            )
            if resolved is not None:
                await handle_complaint_command(
                    repo, ctx, ResolveComplaint(complaint, resolved, "substantiated")
                )
        written += 1
    return written


def _measure(number: str, o: Any) -> str:
    """Item 2.1.1's outputs are counted by the service: declarations, announcements, plan."""
    if number != "2.1.1":
        return ""
    return {
        "o1": "declarations_published",
        "o2": "declarations_announced",
        "o3": "plans_promulgated",
    }.get(o.indicator_id, "")
