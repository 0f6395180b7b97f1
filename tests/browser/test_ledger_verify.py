"""The verify page in Chromium with a real report PDF: Phang Khwang's report of 2564-12 is
generated with its record mark (sequence and QR code in the footer), its record is included in
a checkpoint cosigned by a witness process, and the page checks the dropped file with
WebCrypto (SHA-256, Ed25519), sending nothing but GET requests; a changed file fails."""

from __future__ import annotations

import io
import subprocess
import sys
import unicodedata
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page

from domain.reporting.rounds import ReportingRound
from domain.shared.thai import thai_digits
from domain.tenancy.organisations import organisation_id
from infra.db.pool import connect, create_pool, tenant_transaction
from infra.eventstore.postgres import PostgresEventStore
from infra.eventstore.records import NewEvent
from infra.files import LocalFileStore
from infra.projections.registry import inline_projections
from infra.tlog.witnesses import parse_witnesses
from services.usecases.ledger import issue_checkpoint
from services.workers.reports import generate_tenant_report
from tests.browser.conftest import SHOTS, screenshots, sign_in_as
from tests.conftest import Servers
from tests.ledger_world import World, rewrite_event, running_world

pytestmark = pytest.mark.timeout(300)
PK = organisation_id("6470101")


@pytest.fixture(scope="module")
def world(servers: Servers, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    data = tmp_path_factory.mktemp("verify-site").resolve()
    with running_world(servers, data, ("provincial",)) as w:
        yield w


@pytest.fixture
async def vpage(browser: Browser, world: World) -> AsyncIterator[Page]:
    ctx = await browser.new_context(
        base_url=world.url, viewport={"width": 1280, "height": 900}, locale="th-TH"
    )
    yield await ctx.new_page()
    await ctx.close()


REPORT: dict[str, Path] = {}


async def _report(world: World) -> tuple[Path, int]:
    pool = await create_pool(world.settings.app_url, min_size=1, max_size=2)
    try:
        files = LocalFileStore(world.settings.evidence_dir)
        now = datetime.now(UTC)
        job = uuid.uuid4()
        async with tenant_transaction(pool, PK) as conn:  # the job a member asked for
            await conn.execute(
                "INSERT INTO report_jobs (id, tenant_id, scope, round, requested_by, created_at) "
                "VALUES ($1, $2, 'tenant', '2564-12', 'plan@phangkhwang.example', $3)",
                job,
                PK,
                now,
            )
        out = await generate_tenant_report(
            pool,
            files,
            PK,
            ReportingRound.parse("2564-12"),
            job,
            "plan@phangkhwang.example",
            now,
            world.url,
        )
        assert out["rendered"]
        sha = await pool.fetchval(
            "SELECT app_sha FROM (SELECT set_config('app.tenant_id', $1, false)) s, "
            "LATERAL (SELECT sha256 AS app_sha FROM reports WHERE format = 'pdf' "
            "ORDER BY generated_at DESC LIMIT 1) r",
            str(PK),
        )
    finally:
        await pool.close()
    path = next(world.settings.evidence_dir.rglob(sha))
    pool = await create_pool(world.settings.projector_url, min_size=1, max_size=2)
    try:
        ws = parse_witnesses(world.settings.witnesses)
        issued = await issue_checkpoint(pool, world.signer, ws, PK, "6470101", now=now)
        assert issued.cosigned == ["witness.test/provincial"]
    finally:
        await pool.close()
    return path, issued.size


async def test_verify_page_checks_a_real_report_pdf(
    vpage: Page, world: World, tmp_path: Path
) -> None:
    pdf, size = await _report(world)
    REPORT["pdf"] = pdf
    # the footer: its sequence (Thai digits), the verify address, a QR code; looked at as PNG
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    flat = unicodedata.normalize("NFKC", "".join(text.split()))
    assert f"{world.url}/p/6470101/verify" in flat
    # the data reflects the log up to the entry before the one that records the file itself
    assert unicodedata.normalize("NFKC", "ลำดับที่") + thai_digits(str(size - 1)) in flat
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True)
    SHOTS.mkdir(parents=True, exist_ok=True)
    pages = int(
        next(
            x
            for x in subprocess.run(
                ["pdfinfo", str(pdf)], capture_output=True, text=True
            ).stdout.splitlines()
            if x.startswith("Pages:")
        ).split()[1]
    )
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "80",
            "-f",
            str(pages),
            "-l",
            str(pages),
            str(pdf),
            str(SHOTS / "ledger-report-last-page"),
        ],
        check=True,
    )
    assert list(SHOTS.glob("ledger-report-last-page*.png"))
    del images

    posts: list[str] = []
    vpage.on("request", lambda r: posts.append(r.url) if r.method != "GET" else None)
    await vpage.goto("/p/6470101/verify")
    status = vpage.locator("#checkpoint-status[data-size]")
    await status.wait_for()
    assert await status.get_attribute("data-size") == str(size)
    assert await status.get_attribute("data-witnesses") == "1"
    await vpage.set_input_files("#file", str(pdf))
    ok = vpage.locator(".verify-ok")
    await ok.wait_for(timeout=20000)
    result = await ok.inner_text()
    assert "ผ่าน" in result and "รับรองโดยผู้รับรองอิสระ 1 ราย" in result
    await screenshots(vpage, "ledger-verify-ok")

    changed = tmp_path / "changed.pdf"
    data = bytearray(pdf.read_bytes())
    data[len(data) // 2] ^= 0x01
    changed.write_bytes(bytes(data))
    await vpage.set_input_files("#file", str(changed))
    fail = vpage.locator(".verify-fail")
    await fail.wait_for(timeout=20000)
    assert "ไม่พบไฟล์นี้ในบันทึก" in await fail.inner_text()
    await screenshots(vpage, "ledger-verify-fail")
    assert posts == [], f"the page sent something other than GET: {posts}"


async def test_the_plan_summary_table_verifies_on_the_page_and_with_the_cli(
    vpage: Page, world: World, tmp_path: Path
) -> None:
    """The plan officer downloads the plan's summary table: the PDF (and the .docx) carry the
    record mark; once a checkpoint covers its record, `sujarit verify` and the verify page
    both find it recorded; a second download is the same file."""
    from docx import Document

    await sign_in_as(vpage, "6470101", "plan@phangkhwang.example")
    await vpage.goto("/t/6470101/rounds/")
    href = await vpage.locator('a[href$="/summary-table.pdf"]').first.get_attribute("href")
    assert href
    first = await vpage.request.get(href)
    assert first.ok and (await first.body()).startswith(b"%PDF")
    pdf = tmp_path / "summary-table.pdf"
    pdf.write_bytes(await first.body())
    assert await (await vpage.request.get(href)).body() == pdf.read_bytes()  # issued once
    word = await vpage.request.get(href.replace(".pdf", ".docx"))
    footer = Document(io.BytesIO(await word.body())).sections[0].footer
    assert f"{world.url}/p/6470101/verify" in footer.paragraphs[0].text
    assert footer.part.rels and any("image" in r.reltype for r in footer.part.rels.values())

    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    flat = unicodedata.normalize("NFKC", "".join(text.split()))
    assert f"{world.url}/p/6470101/verify" in flat
    assert unicodedata.normalize("NFKC", "บันทึกสาธารณะถึงลำดับที่") in flat
    SHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", str(pdf), str(SHOTS / "plan-table-page")], check=True
    )
    assert list(SHOTS.glob("plan-table-page*.png"))

    pool = await create_pool(world.settings.projector_url, min_size=1, max_size=2)
    try:
        ws = parse_witnesses(world.settings.witnesses)
        issued = await issue_checkpoint(
            pool, world.signer, ws, PK, "6470101", now=datetime.now(UTC)
        )
        assert issued.cosigned == ["witness.test/provincial"]
    finally:
        await pool.close()
    cli = subprocess.run(
        [
            *(sys.executable, "-m", "services.cli", "verify", world.url + "/p/6470101"),
            *(str(pdf), "--state", str(tmp_path / "verify-state")),
        ],
        capture_output=True,
        text=True,
        env=world.env,
        timeout=60,
    )
    assert cli.returncode == 0, cli.stdout + cli.stderr
    (tmp_path / "cli.txt").write_text(cli.stdout)

    await vpage.context.clear_cookies()
    await vpage.goto("/p/6470101/verify")
    await vpage.locator("#checkpoint-status[data-size]").wait_for()
    await vpage.set_input_files("#file", str(pdf))
    ok = vpage.locator(".verify-ok")
    await ok.wait_for(timeout=20000)
    assert "ผ่าน" in await ok.inner_text()
    await screenshots(vpage, "ledger-verify-plan-table")
    # the same in English: the script's messages come from the page
    await vpage.goto("/lang/en?next=/p/6470101/verify")
    await vpage.locator("#checkpoint-status[data-size]").wait_for()
    assert "Latest checkpoint" in await vpage.locator("#checkpoint-status").inner_text()
    await vpage.set_input_files("#file", str(pdf))
    ok = vpage.locator(".verify-ok")
    await ok.wait_for(timeout=20000)
    passed = await ok.inner_text()
    assert "Passed" in passed and "PlanTableIssued" in passed, passed
    await screenshots(vpage, "ledger-verify-plan-table-en")


async def test_operator_console_of_refusals(vpage: Page, world: World) -> None:
    await sign_in_as(vpage, "operator", "operator@sujarit.example")
    await vpage.goto("/t/operator/log")
    assert "ไม่มีการปฏิเสธ" in await vpage.locator("main").inner_text()
    # only the operator: an LAO member gets "not found"
    await vpage.context.clear_cookies()
    await sign_in_as(vpage, "6470101", "plan@phangkhwang.example")
    r = await vpage.goto("/t/6470101/log")
    assert r is not None and r.status == 404


async def test_after_a_rewrite_the_alarm_shows_and_the_report_no_longer_verifies(
    vpage: Page, world: World
) -> None:
    """The tamper drill as a citizen sees it (runs last: it rewrites Phang Khwang's log)."""
    owner = await connect(world.settings.database_url)
    try:
        await rewrite_event(owner, PK, "DeclarationPublished")
    finally:
        await owner.close()
    pool = await create_pool(world.settings.app_url, min_size=1, max_size=1)
    try:
        es = PostgresEventStore(pool, projections=inline_projections())
        await es.append(PK, uuid.uuid4(), "Probe", 0, [NewEvent("Probed", {})])
    finally:
        await pool.close()
    pool = await create_pool(world.settings.projector_url, min_size=1, max_size=2)
    try:
        ws = parse_witnesses(world.settings.witnesses)
        now = datetime.now(UTC)
        issued = await issue_checkpoint(pool, world.signer, ws, PK, "6470101", now=now)
        assert issued.refused == ["witness.test/provincial"]
    finally:
        await pool.close()
    await vpage.goto("/p/6470101")
    alarm = vpage.locator(".ledger-alarm")
    assert "ผู้รับรองอิสระปฏิเสธบันทึก" in await alarm.inner_text()
    await screenshots(vpage, "ledger-public-alarm")
    await vpage.goto("/p/6470101/verify")
    await vpage.locator("#checkpoint-status[data-size]").wait_for()
    await vpage.set_input_files("#file", str(REPORT["pdf"]))
    fail = vpage.locator(".verify-fail")
    await fail.wait_for(timeout=20000)
    # the chain after the rewritten event was recomputed, so the report's own entry changed
    # too: the record the file names no longer matches the tree (or the tree's root the
    # witnessed checkpoint's)
    text = await fail.inner_text()
    assert "ไม่ผ่าน" in text
    assert "ไม่ตรงกับในต้นไม้ Merkle" in text or "ไม่นำไปสู่รากของจุดตรวจสอบ" in text
    await screenshots(vpage, "ledger-verify-after-rewrite")
