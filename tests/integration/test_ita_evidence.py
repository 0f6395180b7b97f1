"""ITA evidence beyond the plan and the declaration: the round reports the LAO submitted to its
provincial office (6-month: the assessed year's; annual: the year before's) and its complaint
statistics, each at /p/<code>/ita/<year>/<item> without sign-in, the report's PDF at
/p/<code>/reports/<round>.pdf; a report generated but not submitted is not public; the public
role reads submitted PDFs only and never who submitted them. The No Gift policy is a
published declaration whose text says so (in the fiscal year assessed). The clerk's page
opens on the current assessment year (FY 2570) and says which years' codes are not checked."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from domain.declarations.handlers import (
    DraftDeclaration,
    PublishDeclaration,
    handle_declaration_command,
)
from domain.ita import CATALOGUE
from domain.reporting.handlers import SubmitReport, handle_report_command
from domain.reporting.rounds import ReportingRound
from domain.shared.ports import Context
from infra.db.pool import connect, create_pool, tenant_transaction
from infra.eventstore.postgres import PostgresEventStore
from infra.files import LocalFileStore
from infra.projections.registry import inline_projections
from infra.repository import EventSourcedRepository
from infra.settings import Settings
from services.api.app import create_app
from services.workers.reports import generate_tenant_report
from tests.integration.accounts import sign_in
from tests.integration.test_reports import DEMO_PASSWORD, PK, demo  # noqa: F401

ORG = "6470101"


async def _generate(demo: Settings, round_code: str, *, submit: bool) -> str:  # noqa: F811
    """Generate the LAO's report of a round (as the worker does); submit it if asked (the
    event the submission records, without the completeness rules the use case applies)."""
    pool = await create_pool(demo.app_url, min_size=1, max_size=2)
    try:
        rnd = ReportingRound.parse(round_code)
        now = datetime(2026, 11, 28, 9, 30, tzinfo=UTC)
        files = LocalFileStore(demo.evidence_dir)
        job = uuid.uuid4()
        async with tenant_transaction(pool, PK) as conn:  # the job a member asked for
            await conn.execute(
                "INSERT INTO report_jobs (id, tenant_id, scope, round, requested_by, created_at) "
                "VALUES ($1, $2, 'tenant', $3, 'plan@pk', $4)",
                job,
                PK,
                round_code,
                now,
            )
        out = await generate_tenant_report(pool, files, PK, rnd, job, "plan@pk", now)
        assert "skipped" not in out, out
        sha: str = await pool.fetchval(
            "SELECT sha FROM (SELECT set_config('app.tenant_id', $1, false)) s, LATERAL "
            "(SELECT sha256 AS sha FROM reports WHERE format = 'pdf' AND round = $2 "
            "ORDER BY generated_at DESC LIMIT 1) r",
            str(PK),
            round_code,
        )
        if submit:
            store = PostgresEventStore(pool, projections=inline_projections())
            await handle_report_command(
                EventSourcedRepository(store),
                Context(PK, "plan_officer@phangkhwang.example"),
                SubmitReport(rnd, sha, date(2026, 11, 28)),
            )
    finally:
        await pool.close()
    return sha


async def test_submitted_reports_and_complaint_statistics_at_their_ita_addresses(
    demo: Settings,  # noqa: F811
) -> None:
    await _generate(demo, "2564-6", submit=True)
    await _generate(demo, "2563-12", submit=False)  # generated, never submitted
    async with AsyncTestClient(create_app(demo, configure_logs=False)) as anonymous:
        six = await anonymous.get(f"/p/{ORG}/ita/2564/O40")
        assert six.status_code == 200, six.text
        link = re.search(rf'href="(/p/{ORG}/reports/2564-6\.pdf)"', six.text)
        assert link and "ส่งจังหวัดเมื่อ" in six.text
        pdf = await anonymous.get(link[1])
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        assert pdf.headers["content-type"] == "application/pdf"
        assert pdf.headers["content-disposition"].startswith("inline;")
        # The annual report (2563-12) was generated but not submitted: nothing public.
        assert (await anonymous.get(f"/p/{ORG}/ita/2564/O41")).status_code == 404
        assert (await anonymous.get(f"/p/{ORG}/reports/2563-12.pdf")).status_code == 404
        for missing in ("2564-12.pdf", "2564-6.xlsx", "nonsense.pdf", "9999-6.pdf"):
            r = await anonymous.get(f"/p/{ORG}/reports/{missing}")
            assert r.status_code == 404, missing
        assert (await anonymous.get("/p/nope/reports/2564-6.pdf")).status_code == 404
        stats = await anonymous.get(f"/p/{ORG}/ita/2564/O31")
        assert stats.status_code == 200
        assert "สถิติเรื่องร้องเรียน" in stats.text and '<th scope="row">2563</th>' in stats.text
        # 2568's one report item (O26) takes the reports of 2568 and 2567: none submitted.
        assert (await anonymous.get(f"/p/{ORG}/ita/2568/O26")).status_code == 404
        assert (await anonymous.get(f"/p/{ORG}/ita/2568/O19")).status_code == 200

    async with AsyncTestClient(create_app(demo, configure_logs=False)) as client:
        assert (await sign_in(client, ORG, "viewer@phangkhwang.example", DEMO_PASSWORD)).is_redirect
        page = await client.get(f"/t/{ORG}/ita/?year=2564")
        base = demo.base_url.rstrip("/")
        assert f'<code id="url-O40">{base}/p/{ORG}/ita/2564/O40</code>' in page.text
        assert page.text.count("ยังไม่มีข้อมูลที่เผยแพร่สำหรับปีนี้") == 1  # O41 only
        current = await client.get(f"/t/{ORG}/ita/")  # today is in FY 2570
        assert '<option value="2570" selected>' in current.text
        assert "รหัสข้อยังไม่ได้ตรวจกับคู่มือ ITA ปี 2570" in current.text
        assert current.text.count("รหัสยังไม่ได้ตรวจ)") == len(CATALOGUE[2570])
        for year in (2567, 2569):
            r = await client.get(f"/t/{ORG}/ita/?year={year}")
            assert f'<option value="{year}" selected>' in r.text and "ยังไม่ได้ตรวจ" in r.text


async def test_the_public_role_reads_submitted_pdfs_only(demo: Settings) -> None:  # noqa: F811
    conn = await connect(demo.app_url)
    try:
        async with conn.transaction(readonly=True):
            await conn.execute("SELECT set_config('role', 'sujarit_public', true)")
            rows = await conn.fetch("SELECT round, format, submitted_at FROM reports")
            assert rows and all(r["submitted_at"] and r["format"] == "pdf" for r in rows)
            assert "2563-12" not in {r["round"] for r in rows}
        async with conn.transaction(readonly=True):
            await conn.execute("SELECT set_config('role', 'sujarit_public', true)")
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await conn.fetch("SELECT submitted_by FROM reports")
    finally:
        await conn.close()


async def test_the_no_gift_policy_is_a_published_declaration_that_says_so(
    demo: Settings,  # noqa: F811
) -> None:
    async with AsyncTestClient(create_app(demo, configure_logs=False)) as anonymous:
        assert (await anonymous.get(f"/p/{ORG}/ita/2570/O21")).status_code == 404
        pool = await create_pool(demo.app_url, min_size=1, max_size=2)
        try:
            repo = EventSourcedRepository(
                PostgresEventStore(pool, projections=inline_projections())
            )
            ctx = Context(PK, "executive@phangkhwang.example")
            policy = uuid.uuid4()
            text = "นายกองค์การบริหารส่วนตำบลพังขว้าง ประกาศนโยบายไม่รับของขวัญ (No Gift Policy)"
            await handle_declaration_command(
                repo, ctx, DraftDeclaration(policy, text, ("นายสมชาย ใจดี",))
            )
            await handle_declaration_command(
                repo, ctx, PublishDeclaration(policy, date(2026, 11, 2), None)
            )
        finally:
            await pool.close()
        found = await anonymous.get(f"/p/{ORG}/ita/2570/O21")
        assert found.status_code == 200
        assert "No Gift Policy" in found.text and "นายสมชาย ใจดี" in found.text
        # Published in FY 2570: not evidence for 2568's assessment.
        assert (await anonymous.get(f"/p/{ORG}/ita/2568/O21")).status_code == 404
