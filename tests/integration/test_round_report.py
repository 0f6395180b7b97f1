"""The round's progress report: every section numbered and never empty (a report of a fiscal
year no plan covers says so in sections 2 and 3), the round table's implementation rate in
section 2, and the attestation's signature block on the same page as its heading. PDFs and
page images go to .data/documents/ to be looked at."""

from __future__ import annotations

import subprocess
import uuid
from datetime import UTC, datetime
from pathlib import Path

from domain.reporting.entries import ItemRoundEntry, RoundSheet, RoundStatus, round_sheet_id
from domain.reporting.rounds import ReportingRound, twelve_month
from domain.shared.ports import Context
from infra.db.pool import tenant_transaction
from infra.documents.pdf import progress_pdf
from infra.eventstore.postgres import PostgresEventStore
from infra.projections.registry import inline_projections
from infra.reporting import load_progress_report
from infra.repository import EventSourcedRepository
from tests.integration.test_documents import AT, OUT, PK, TODAY, _flat, demo, pool  # noqa: F401

SECTIONS = [
    "๑. ข้อมูลทั่วไป",
    "๒. สรุปผลการดำเนินงาน",
    "๓. ผลการดำเนินงานรายโครงการ/กิจกรรม/มาตรการ",
    "๔. การประกาศเจตจำนงต่อต้านการทุจริตของผู้บริหาร",
    "๕. หลักฐานการดำเนินงานในรอบรายงาน",
    "๖. คำรับรอง",
]


def _render(name: str, pdf: bytes) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / name
    path.write_bytes(pdf)
    for old in OUT.glob(f"{path.stem}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(path), str(OUT / path.stem)], check=True)
    return path


def _pages(path: Path) -> list[str]:
    """Each page's text as the PDF draws it, flattened (NFKC, no whitespace)."""
    from pypdf import PdfReader

    return [_flat(page.extract_text()) for page in PdfReader(path).pages]


def _check_sections_and_signature(path: Path) -> str:
    pages = _pages(path)
    text = "".join(pages)
    at = [text.find(_flat(s)) for s in SECTIONS]
    assert all(i >= 0 for i in at) and at == sorted(at), at  # every section, in order
    last = next(p for p in pages if _flat("๖. คำรับรอง") in p)
    assert _flat("ขอรับรองว่าข้อมูล") in last and last.count("(ลงชื่อ)") == 2
    assert _flat("ผู้รายงาน") in last and _flat("ผู้รับรอง") in last
    return text


async def test_a_year_without_a_plan_says_so_in_every_section(pool) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    # FY 2565: between Phang Khwang's 2561-2564 and 2566-2570 plans.
    r = await load_progress_report(pool, PK, twelve_month(2565), TODAY)
    assert r.plan is None and r.round_part is None
    path = _render("phangkhwang-2565-12.pdf", progress_pdf(r, AT))
    text = _check_sections_and_signature(path)
    assert _flat("จึงไม่มีผลการดำเนินงานตามแผนที่จะสรุปในรอบรายงานนี้") in text
    assert _flat("ไม่มีโครงการ/กิจกรรม/มาตรการที่จะรายงาน") in text


async def test_the_round_tables_rate_is_in_the_report(pool) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    rnd = ReportingRound.parse("2561-12")
    async with tenant_transaction(pool, PK, readonly=True) as conn:
        plan_id = await conn.fetchval(
            "SELECT plan_id FROM plan_views WHERE (summary->>'first_year')::int = 2561"
        )
    before = await load_progress_report(pool, PK, rnd, TODAY)
    assert before.round_part is not None and before.round_part.implemented == 0
    assert before.round_part.level == "poor" and before.round_part.lacking
    async with tenant_transaction(pool, PK, readonly=True) as conn:
        ids = {
            r["number"]: r["item_id"]
            for r in await conn.fetch(
                "SELECT number, item_id FROM item_views WHERE plan_id = $1", plan_id
            )
        }
    numbers = [i.number for i in before.items]
    store = PostgresEventStore(pool, projections=inline_projections())
    repo = EventSourcedRepository(store)
    stream = round_sheet_id(PK, plan_id, rnd.code)
    sheet = await repo.load(RoundSheet, PK, stream)
    done = numbers[: len(numbers) - 1]  # all but one done: above 80 % when there are 5+
    entries = [
        ItemRoundEntry(ids[n], None, None, None, True, True, RoundStatus.DONE, None, "")
        for n in done
    ]
    at = datetime(2018, 10, 5, tzinfo=UTC)
    sheet.record(plan_id, rnd, (2561, 2564), frozenset(ids.values()), entries, TODAY, at)
    await repo.save(Context(PK, "plan@phangkhwang.example"), sheet)
    r = await load_progress_report(pool, PK, rnd, TODAY)
    assert r.round_part is not None
    assert (r.round_part.implemented, r.round_part.total) == (len(done), len(numbers))
    assert r.round_part.lacking == (f"รายการ {numbers[-1]}: ยังไม่ระบุสถานะการดำเนินงาน",)
    path = _render("phangkhwang-2561-12-rate.pdf", progress_pdf(r, AT))
    text = _check_sections_and_signature(path)
    assert _flat("ร้อยละการดำเนินการตามแผน") in text and _flat(r.round_part.level_th) in text
    assert _flat("ข้อมูลรายรอบที่ยังไม่ครบ") in text
    assert uuid.UUID(str(plan_id))
