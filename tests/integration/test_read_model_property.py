"""Property: any sequence of commands leaves read models equal to a rebuild from the events."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

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
from domain.plans.values import ItemKind
from domain.shared.errors import DomainError
from domain.shared.ports import Context
from infra.db.pool import connect, create_pool
from infra.eventstore.postgres import PostgresEventStore
from infra.projections.rebuild import rebuild
from infra.projections.registry import all_projections, inline_projections
from infra.repository import EventSourcedRepository
from infra.settings import Settings
from tests.support import make_tenants

pytestmark = pytest.mark.slow

TABLES = ("plan_views", "item_views", "step_deadlines", "declaration_views", "complaint_views")
SUBS = ["1.1", "1.2", "2.1", "2.2", "3.2", "4.1"]

ops = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.sampled_from(SUBS), st.integers(1, 3)),
        st.tuples(st.just("edit"), st.integers(0, 3), st.sampled_from(["ก", "ข", "ค"])),
        st.tuples(st.just("budget"), st.integers(0, 3), st.none() | st.integers(0, 50_000)),
        st.tuples(st.just("step"), st.integers(0, 3), st.integers(1, 4)),
        st.tuples(st.just("complete"), st.integers(0, 3), st.integers(1, 4)),
        st.tuples(st.just("reopen"), st.integers(0, 3), st.integers(1, 4)),
        st.tuples(st.just("renumber"), st.integers(0, 3), st.integers(4, 6)),
        st.tuples(st.just("promulgate"), st.just(0), st.just(0)),
        st.tuples(st.just("declare"), st.integers(0, 2), st.just(0)),
        st.tuples(st.just("complaint"), st.integers(0, 2), st.just(0)),
    ),
    max_size=25,
)


async def _run(settings: Settings, steps: list[tuple[str, object, object]]) -> None:
    owner = await connect(settings.database_url)
    pool = await create_pool(settings.app_url, min_size=1, max_size=2)
    try:
        [tenant] = await make_tenants(owner, 1)
        repo = EventSourcedRepository(PostgresEventStore(pool, projections=inline_projections()))
        ctx = Context(tenant, "property")
        plan = uuid.uuid4()
        await handle_draft_plan(repo, ctx, c.DraftPlan(plan, "แผน", 2566, 2570))
        items: list[uuid.UUID] = []
        decl, complaint = uuid.uuid4(), uuid.uuid4()
        for op, a, b in steps:
            item = items[int(a) % len(items)] if items and isinstance(a, int) else None
            try:
                if op == "add":
                    items.append(uuid.uuid4())
                    await handle_plan_command(
                        repo,
                        ctx,
                        c.AddItem(
                            plan, items[-1], f"{a}.{b}", ItemKind.PROJECT, f"โครงการ {a}.{b}"
                        ),
                    )
                elif op == "promulgate":
                    await handle_plan_command(
                        repo, ctx, c.PromulgatePlan(plan, date(2022, 10, 5), "นายก")
                    )
                elif op == "declare":
                    cmd = [
                        DraftDeclaration(decl, "ประกาศ", ("นายก",)),
                        PublishDeclaration(decl, date(2022, 10, 2)),
                        AnnounceDeclaration(decl, Channel.WEBSITE, date(2022, 10, 3)),
                    ][int(a)]
                    await handle_declaration_command(repo, ctx, cmd)
                elif op == "complaint":
                    await handle_complaint_command(
                        repo,
                        ctx,
                        ReceiveComplaint(complaint, date(2023, 1, 5), "phone", "บริการ")
                        if a != 2
                        else ResolveComplaint(complaint, date(2023, 2, 1), "unsubstantiated"),
                    )
                elif item is None:
                    continue
                elif op == "edit":
                    await handle_item_command(
                        repo,
                        ctx,
                        c.EditItemHeadings(
                            plan, item, ItemHeadingsEdited(area=str(b), objectives=(str(b),))
                        ),
                    )
                elif op == "budget":
                    await handle_item_command(
                        repo,
                        ctx,
                        c.SetBudget(plan, item, None if b is None else {2566: Decimal(int(b))}),
                    )
                elif op == "step":
                    await handle_item_command(
                        repo,
                        ctx,
                        c.ScheduleStep(plan, item, f"6.{b}", f"ขั้นตอน {b}", date(2023, int(b), 1)),
                    )
                elif op == "complete":
                    await handle_item_command(
                        repo, ctx, c.CompleteStep(plan, item, f"6.{b}", date(2023, 6, 1))
                    )
                elif op == "reopen":
                    await handle_item_command(repo, ctx, c.ReopenStep(plan, item, f"6.{b}", "แก้ไข"))
                elif op == "renumber":
                    await handle_plan_command(repo, ctx, c.RenumberItem(plan, item, f"2.1.{b}"))
            except DomainError:
                pass  # an invalid command is refused and changes nothing
        live = {
            t: [tuple(r) for r in await owner.fetch(f"SELECT * FROM {t} ORDER BY 1, 2, 3")]
            for t in TABLES
        }
        await rebuild(owner, *all_projections().values())
        rebuilt = {
            t: [tuple(r) for r in await owner.fetch(f"SELECT * FROM {t} ORDER BY 1, 2, 3")]
            for t in TABLES
        }
        assert rebuilt == live
        # As the CLI runs it: the events read on a second connection, the writes queued.
        reader = await connect(settings.database_url)
        try:
            await rebuild(owner, *all_projections().values(), reader=reader)
        finally:
            await reader.close()
        again = {
            t: [tuple(r) for r in await owner.fetch(f"SELECT * FROM {t} ORDER BY 1, 2, 3")]
            for t in TABLES
        }
        assert again == live
    finally:
        await pool.close()
        await owner.close()


def test_any_command_sequence_gives_read_models_equal_to_a_rebuild(
    fresh_settings: Settings,
) -> None:
    loop = asyncio.new_event_loop()

    @hsettings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(ops)
    def check(steps: list[tuple[str, object, object]]) -> None:
        loop.run_until_complete(_run(fresh_settings, steps))

    try:
        check()
    finally:
        loop.close()
