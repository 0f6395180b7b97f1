"""Reports rendered from the demo's real read models: Phang Khwang's progress reports of its
closed 2561-2564 plan (FY 2561 12-month, FY 2562 6-month) and Sakon Nakhon's provincial
summary, as PDF and XLSX.

The files and page images are left in .data/documents/ (ignored by git) to be looked at.
"""

from __future__ import annotations

import asyncio
import io
import re
import subprocess
import unicodedata
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import openpyxl
import pytest

from domain.plans.table import plan_table
from domain.plans.views import overview, sheet_of
from domain.reporting.digest import content_hash
from domain.reporting.letter import LetterInput, LetterParty, cover_letter
from domain.reporting.model import ProgressReport, StepState
from domain.reporting.rounds import six_month, twelve_month
from domain.reporting.summary import summary_row
from domain.shared.thai import thai_digits
from domain.tenancy.organisations import organisation_id
from infra.db.pool import create_pool, tenant_transaction
from infra.documents import pdf as pdf_module
from infra.documents.common import RecordMark, identifier
from infra.documents.pdf import cover_letter_pdf, plan_table_pdf, progress_pdf, summary_pdf
from infra.documents.xlsx import progress_xlsx, summary_xlsx
from infra.queries import plans as plan_queries
from infra.queries import rounds as rounds_queries
from infra.reporting import load_progress_report, load_provincial_summary
from infra.settings import Settings
from services.usecases.demo import load_demo
from tests.conftest import Servers, _drop_database, make_database
from tests.demo import PK_PLAN

OUT = Path(".data/documents")
TODAY = date(2026, 11, 28)  # the demo's today
AT = datetime(2026, 11, 28, 9, 30, tzinfo=UTC)
PK = organisation_id("6470101")


@pytest.fixture(scope="module")
def demo(servers: Servers, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    name = f"sujarit_documents_{uuid.uuid4().hex[:8]}"
    settings = replace(make_database(servers, name), data_dir=tmp_path_factory.mktemp("data"))
    asyncio.run(load_demo(settings))
    yield settings
    asyncio.run(_drop_database(servers.admin_url, name))


@pytest.fixture
async def pool(demo: Settings) -> AsyncIterator[object]:
    p = await create_pool(demo.app_url, min_size=1, max_size=2)  # the web role, under RLS
    yield p
    await p.close()


def _skeleton(text: str) -> str:
    """Text without spaces and marks, compatibility-normalised (ำ = ํ + า): what survives
    pdftotext's placing of Thai vowels and tone marks, so item names can be found."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(
        c for c in text if not c.isspace() and not unicodedata.category(c).startswith("M")
    )


def _pdf_text(path: Path, *, layout: bool = False) -> str:
    """pdftotext's text: in reading order (a table cell's lines together), or laid out."""
    args = ["pdftotext", *(["-layout"] if layout else []), str(path), "-"]
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def _fonts(path: Path) -> list[list[str]]:
    out = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    return [line.split() for line in out.splitlines()[2:]]


def _pages(path: Path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    m = re.search(r"^Pages:\s+(\d+)$", out, re.M)
    assert m, out
    return int(m[1])


def _write(name: str, content: bytes, *, images: bool = False) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / name
    path.write_bytes(content)
    if images:
        for old in OUT.glob(f"{path.stem}-*.png"):
            old.unlink()
        subprocess.run(
            ["pdftoppm", "-r", "60", "-png", str(path), str(OUT / path.stem)], check=True
        )
    return path


def _content_text(path: Path) -> str:
    """The text in the order the PDF draws it (pypdf): a table cell's lines together, marks
    in their place; NFKC (ำ reads back as ํ + า) and without whitespace."""
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(path).pages)
    return _flat(text)


def _flat(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKC", text) if not c.isspace())


def _check_pdf(path: Path, r: ProgressReport) -> None:
    fonts = _fonts(path)
    assert fonts and all("Sarabun" in f[0] for f in fonts), fonts  # no fallback font
    assert all(f[-5] == "yes" for f in fonts), fonts  # embedded
    assert 3 <= _pages(path) <= 40
    # pdftotext: the heading, page numbers from page 2, sara am extractable
    seen = _skeleton(_pdf_text(path))
    assert _skeleton(f"ปีงบประมาณ พ.ศ. {thai_digits(r.round.fiscal_year)}") in seen
    assert _skeleton(r.organisation.name) in seen
    laid_out = _pdf_text(path, layout=True)
    numbers = re.findall(r"^\s*-\s*([๐-๙]+)\s*-\s*$", laid_out, re.M)  # "- ๒ -" alone on a line
    assert numbers == [thai_digits(n) for n in range(2, _pages(path) + 1)], numbers
    assert "ดํา" in laid_out  # nikhahit + sara aa, not sara aa alone
    # every item in the plan's table, with where its steps stand (the late ones by number);
    # every step worked in the round by its title; every indicator; the summary's numbers
    drawn = _content_text(path)
    for item in r.items:
        assert _flat(thai_digits(item.number)) in drawn, item.number
        assert _flat(item.heading) in drawn, item.number
        done = f"{thai_digits(item.steps_done)} จาก {thai_digits(len(item.steps))}"
        assert _flat(done) in drawn, item.number
        for state, numbers in item.reported_states:
            assert _flat(f"{state.brief} {thai_digits(numbers)}") in drawn, (item.number, state)
        for s in item.worked_in_round:
            assert _flat(s.title) in drawn, (item.number, s.number)
        for o in item.outputs:
            assert _flat(o.text) in drawn, (item.number, o.indicator_id)
    done = f"ดำเนินการแล้ว {thai_digits(r.steps_done)} ขั้นตอน"
    assert _flat(f"{done} คิดเป็นร้อยละ {thai_digits(f'{r.percent_done:.2f}')}") in drawn
    for e in r.evidence:
        assert _flat(e.name) in drawn


def _check_xlsx(content: bytes, r: ProgressReport) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(content))
    assert wb.sheetnames == ["สรุป", "โครงการ", "ขั้นตอน", "ตัวชี้วัด", "หลักฐาน"]
    for ws in wb:
        assert ws.freeze_panes == "A2"
    overview = {
        row[0]: row[1] for row in wb["สรุป"].iter_rows(min_row=2, max_row=26, values_only=True)
    }
    assert overview["ปีงบประมาณ"] == r.round.fiscal_year
    assert overview["ข้อมูล ณ วันที่"] == datetime.combine(r.cutoff, datetime.min.time())
    assert wb["สรุป"]["B9"].number_format == "[$-107041E]d mmm yyyy"  # a date cell, BE
    assert overview["ขั้นตอนทั้งหมด"] == r.steps_total
    assert overview["ขั้นตอนที่ดำเนินการแล้ว"] == r.steps_done
    assert Decimal(str(overview["ร้อยละของขั้นตอนที่ดำเนินการแล้ว"])) == r.percent_done
    assert overview["ขั้นตอนที่เกินกำหนด"] == r.overdue
    assert overview["ตัวชี้วัดผลผลิตที่บรรลุ"] == r.outputs_met
    assert overview["รหัสตรวจสอบเนื้อหา (SHA-256)"] == content_hash(r)
    items = list(wb["โครงการ"].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in items] == [i.number for i in r.items]
    assert sum(row[8] for row in items) == r.steps_total
    assert sum(row[9] for row in items) == r.steps_done
    steps = list(wb["ขั้นตอน"].iter_rows(min_row=2, values_only=True))
    assert len(steps) == r.steps_total
    assert sum(1 for row in steps if row[6] == StepState.OVERDUE.thai) == r.overdue
    assert wb["หลักฐาน"].max_row - 1 == len(r.evidence)
    outputs = [
        row for row in wb["ตัวชี้วัด"].iter_rows(min_row=2, values_only=True) if row[3] == "ผลผลิต"
    ]
    assert sum(1 for row in outputs if row[10] == "บรรลุ") == r.outputs_met


async def test_phang_khwang_twelve_month_report_of_fiscal_2561(pool) -> None:  # type: ignore[no-untyped-def]
    r = await load_progress_report(pool, PK, twelve_month(2561), TODAY)
    assert r.cutoff == date(2018, 9, 30) and r.plan is not None
    assert r.plan.promulgated_on == date(2017, 10, 31)
    numbers = [i.number for i in r.items]
    assert "2.1.1" in numbers and "1.3.1" not in numbers  # 1.3.1 runs FY 2562-2564
    assert numbers == sorted(numbers, key=lambda n: [int(p) for p in n.split(".")])
    pk211 = next(i for i in r.items if i.number == "2.1.1")
    states = {s.number: s.state for s in pk211.steps}
    assert [states[f"6.{n}"] for n in range(1, 7)] == [StepState.DONE] * 6
    assert states["6.7"] is states["6.8"] is StepState.NOT_DUE  # due in FY 2564
    assert [o.attainment.value for o in pk211.outputs] == ["met"] * 3
    complaints = next(c for c in pk211.outcomes if c.measure == "complaints_received")
    assert complaints.value == 3
    assert r.declaration is not None and r.declaration.published_on == date(2017, 10, 2)
    assert any(e.name == "คำสั่งแต่งตั้งคณะทำงาน.pdf" for e in r.evidence)
    assert await load_progress_report(pool, PK, twelve_month(2561), TODAY) == r

    pdf = progress_pdf(r, AT)
    assert progress_pdf(r, AT) == pdf  # byte-identical
    path = _write("phangkhwang-2561-12.pdf", pdf, images=True)
    _check_pdf(path, r)
    assert identifier(content_hash(r), AT) in pdf
    later = progress_pdf(r, datetime(2026, 11, 29, tzinfo=UTC))
    assert later != pdf
    from pypdf import PdfReader

    assert PdfReader(io.BytesIO(pdf)).metadata.creation_date == AT
    assert PdfReader(io.BytesIO(later)).metadata.modification_date == datetime(
        2026, 11, 29, tzinfo=UTC
    )
    xlsx = progress_xlsx(r, AT)
    assert progress_xlsx(r, AT) == xlsx
    assert progress_xlsx(r, datetime(2027, 1, 1, tzinfo=UTC)) != xlsx
    _write("phangkhwang-2561-12.xlsx", xlsx)
    _check_xlsx(xlsx, r)


async def test_phang_khwang_six_month_report_of_fiscal_2562(pool) -> None:  # type: ignore[no-untyped-def]
    r = await load_progress_report(pool, PK, six_month(2562), TODAY)
    assert r.cutoff == date(2019, 3, 31) and not any(i.number == "9.9.9" for i in r.items)
    assert "1.3.1" in [i.number for i in r.items]
    pk211 = next(i for i in r.items if i.number == "2.1.1")
    assert {s.state for s in pk211.steps if s.number <= "6.6"} == {StepState.DONE_EARLIER}
    assert all(o.attainment.value in ("met", "not_yet") for o in pk211.outputs)
    assert all(
        e.on is not None and date(2018, 10, 1) <= e.on <= date(2019, 3, 31)
        for e in r.evidence
        if e.on
    )
    path = _write("phangkhwang-2562-6.pdf", progress_pdf(r, AT), images=True)
    _check_pdf(path, r)
    # 2.1.1's steps done in FY 2561 are counted, not listed again: the round has its own
    assert _flat(f"{thai_digits('2.1.1')}") in _content_text(path)
    assert not any(s.state is StepState.DONE_EARLIER for s in pk211.worked_in_round)
    xlsx = progress_xlsx(r, AT)
    _write("phangkhwang-2562-6.xlsx", xlsx)
    _check_xlsx(xlsx, r)


async def test_provincial_summary_of_the_three_demo_laos(pool) -> None:  # type: ignore[no-untyped-def]
    rnd = six_month(2570)  # open on the demo's today: what is late shows
    s = await load_provincial_summary(
        pool, "47", rnd, TODAY, submitted={"6470102": date(2026, 11, 20)}
    )
    assert s.province == "สกลนคร" and s.office.endswith("จังหวัดสกลนคร")
    assert [row.code for row in s.rows] == ["6470101", "6470102", "6470103"]
    pk, tha_rae, chiang_khruea = s.rows
    # Its 2561-2564 plan is closed; the 2566-2570 plan is the one of FY 2570.
    assert pk.has_plan and pk.promulgated_on == date(2022, 10, 31) and pk.items == 11
    assert pk.steps_total == sum(len(it["steps"]) for it in PK_PLAN["items"]) == 42
    assert pk.overdue == 2  # 2.1.1's step 5.8 and 4.1.1's step 5.5
    assert tha_rae.has_plan and tha_rae.promulgated_on == date(2022, 10, 17)
    assert tha_rae.declared_on == date(2026, 10, 5) and tha_rae.announcements == 3
    before = await load_progress_report(pool, organisation_id("6470102"), twelve_month(2569), TODAY)
    assert before.declaration is not None and before.declaration.published_on is None  # not yet
    assert chiang_khruea.has_plan and chiang_khruea.promulgated_on is None
    assert tha_rae.report_submitted_on == date(2026, 11, 20) and s.submitted == 1
    for row in s.rows:  # the same numbers as each LAO's own report
        own = await load_progress_report(pool, organisation_id(row.code), rnd, TODAY)
        assert summary_row(own, row.report_submitted_on) == row
    assert s.steps_total > 0 and s.overdue > 0

    pdf = summary_pdf(s, AT)
    assert summary_pdf(s, AT) == pdf
    path = _write("sakonnakhon-2570-6.pdf", pdf, images=True)
    fonts = _fonts(path)
    assert all("Sarabun" in f[0] for f in fonts) and _pages(path) == 1
    drawn = _content_text(path)
    for row in s.rows:
        assert _flat(row.name) in drawn
    assert _flat(f"ดำเนินการแล้วร้อยละ {thai_digits(f'{s.percent_done:.2f}')}") in drawn
    xlsx = summary_xlsx(s, AT)
    assert summary_xlsx(s, AT) == xlsx
    _write("sakonnakhon-2570-6.xlsx", xlsx)
    ws = openpyxl.load_workbook(io.BytesIO(xlsx))["สรุป"]
    rows = list(ws.iter_rows(min_row=2, max_row=4, values_only=True))
    assert [r[1] for r in rows] == ["6470101", "6470102", "6470103"]
    assert [r[9] for r in rows] == [row.steps_total for row in s.rows]
    assert [Decimal(str(r[11])) for r in rows] == [row.percent_done for row in s.rows]
    assert ws.cell(row=5, column=13).value == s.overdue


async def _plan_table(pool) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Phang Khwang's 2566-2570 plan table, as the plan-table download makes it."""
    async with tenant_transaction(pool, PK, readonly=True) as conn:
        plan_id = await conn.fetchval(
            "SELECT plan_id FROM plan_views WHERE (summary->>'first_year')::int = 2566"
        )
        summary = await rounds_queries.plan_summary(conn, plan_id)
        rows = await plan_queries.item_sheets(conn, plan_id)
    assert summary is not None and rows
    sheets = [sheet_of(plan_queries.entry_of(r), r["sheet"]) for r in rows]
    return plan_table("องค์การบริหารส่วนตำบลพังขว้าง", overview(summary, sheets, TODAY))


async def test_pdfs_read_as_xml_are_the_pdfs_read_as_html(pool, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Every document's markup is read as XML with our short user-agent stylesheet
    (infra/documents/templates/user_agent.css); read by WeasyPrint's HTML5 parser with its own
    stylesheet, the same markup gives the same bytes. Rich documents: the reports with record
    marks, indicators, evidence and the declaration; the summary; the cover letter; the plan
    table."""
    from weasyprint import HTML

    report = await load_progress_report(pool, PK, twelve_month(2561), TODAY)
    later = await load_progress_report(pool, PK, six_month(2562), TODAY)
    assert report.evidence and report.has_indicators and report.steps_worked
    summary = await load_provincial_summary(pool, "47", six_month(2570), TODAY)
    party = LetterParty("sao", "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดสกลนคร", "นายทดสอบ ใจดี")
    letter = cover_letter(report, party, LetterInput(number="สน 73301/123"), TODAY)
    mark = RecordMark(41, "https://sujarit.example/p/6470101/verify")
    documents = [
        (progress_pdf, (report, AT, mark)),
        (progress_pdf, (later, AT)),
        (summary_pdf, (summary, AT)),
        (cover_letter_pdf, (letter, AT)),
        (plan_table_pdf, (await _plan_table(pool), AT, mark)),
    ]
    read: list[str] = []
    real_document = pdf_module._document

    def as_xml(markup: str) -> object:
        try:  # raises if it is not XML: no silent fallback here
            ElementTree.fromstring(markup)
        except ElementTree.ParseError as e:
            line = markup.splitlines()[e.position[0] - 1]
            raise AssertionError(f"not XML: {e}: {line}") from e
        read.append(markup)
        return real_document(markup)

    monkeypatch.setattr(pdf_module, "_document", as_xml)
    fast = [render(*args) for render, args in documents]  # type: ignore[operator]
    assert len(read) == len(documents)
    monkeypatch.setattr(pdf_module, "_document", lambda m: HTML(string=m, base_url=None))
    slow = [render(*args) for render, args in documents]  # type: ignore[operator]
    for (render, _), a, b in zip(documents, fast, slow, strict=True):
        assert a == b, render.__name__


def test_markup_that_is_not_xml_is_read_as_html(caplog) -> None:  # type: ignore[no-untyped-def]
    """Not XML (a <br> left open): read by WeasyPrint's HTML5 parser, and said in the log."""
    doc = pdf_module._document("<html><body><p>หนึ่ง<br>สอง</p></body></html>")
    pdf = doc.render().write_pdf()
    assert pdf.startswith(b"%PDF") and "not XML" in caplog.text


async def test_a_kept_font_configuration_gives_the_bytes_a_new_one_gives(pool) -> None:  # type: ignore[no-untyped-def]
    """Each thread keeps its WeasyPrint font configuration (and Pango's font caches) from one
    document to the next: a report made after other documents is the report made first."""
    report = await load_progress_report(pool, PK, twelve_month(2561), TODAY)
    later = await load_progress_report(pool, PK, six_month(2562), TODAY)
    summary = await load_provincial_summary(pool, "47", six_month(2570), TODAY)

    def first() -> bytes:  # a new thread: a new configuration
        return progress_pdf(report, AT)

    def after_others() -> bytes:
        summary_pdf(summary, AT)
        progress_pdf(later, AT)
        return progress_pdf(report, AT)

    alone = await asyncio.to_thread(first)
    assert await asyncio.to_thread(after_others) == alone
    assert after_others() == alone  # this thread's, kept since the tests before
