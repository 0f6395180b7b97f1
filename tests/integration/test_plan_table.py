"""The plan's summary table as PDF (landscape, the LAO's name, read back whole) and .docx."""

from __future__ import annotations

import io
import re

from docx import Document
from litestar.testing import AsyncTestClient
from pypdf import PdfReader

from infra.settings import Settings
from services.api.app import create_app
from tests.integration.accounts import sign_in
from tests.integration.test_documents import _flat
from tests.integration.test_reports import DEMO_PASSWORD, demo  # noqa: F401

ORG = "6470101"


async def test_the_summary_table_as_pdf_and_docx(demo: Settings) -> None:  # noqa: F811
    async with AsyncTestClient(create_app(demo, configure_logs=False)) as client:
        assert (await sign_in(client, ORG, "viewer@phangkhwang.example", DEMO_PASSWORD)).is_redirect
        index = await client.get(f"/t/{ORG}/rounds/")
        link = re.search(
            r'href="(/t/6470101/documents/[0-9a-f-]{36}/summary-table\.pdf)"', index.text
        )
        assert link, index.text
        pdf = await client.get(link[1])
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        reader = PdfReader(io.BytesIO(pdf.content))
        box = reader.pages[0].mediabox
        assert box.width > box.height  # landscape
        text = _flat("".join(p.extract_text() for p in reader.pages))
        assert _flat("องค์การบริหารส่วนตำบลพังขว้าง") in text and _flat("รวมทั้งสิ้น") in text
        assert _flat("หมายเหตุ") in text  # the last column is there
        word = await client.get(link[1].replace(".pdf", ".docx"))
        assert word.status_code == 200
        doc = Document(io.BytesIO(word.content))
        body = "\n".join(p.text for p in doc.paragraphs)
        assert "องค์การบริหารส่วนตำบลพังขว้าง" in body
        cells = [c.text for row in doc.tables[0].rows for c in row.cells]
        assert "หมายเหตุ" in cells and any(c.startswith("รวมทั้งสิ้น") for c in cells)
        assert (await client.get(link[1].replace(".pdf", ".exe"))).status_code == 404


def _item_rows(doc: object) -> list[str]:
    """The item numbers in the first column of a summary table .docx (e.g. "2.1.1")."""
    rows = doc.tables[0].rows  # type: ignore[attr-defined]
    return [r.cells[0].text for r in rows if re.fullmatch(r"\d+(\.\d+)+", r.cells[0].text)]


async def test_the_years_plan_derived_from_the_plan(demo: Settings) -> None:  # noqa: F811
    async with AsyncTestClient(create_app(demo, configure_logs=False)) as client:
        assert (await sign_in(client, ORG, "viewer@phangkhwang.example", DEMO_PASSWORD)).is_redirect
        index = await client.get(f"/t/{ORG}/rounds/")
        link = re.search(
            r'href="(/t/6470101/documents/[0-9a-f-]{36}/summary-table)\.pdf\?year=2570"',
            index.text,
        )
        assert link, index.text  # only the 2566-2570 plan has a year 2570
        base = link[1]
        pdf = await client.get(f"{base}.pdf?year=2570")
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        text = _flat("".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages))
        assert _flat("แผนปฏิบัติการป้องกันการทุจริต ประจำปีงบประมาณ พ.ศ. ๒๕๗๐") in text
        assert _flat("องค์การบริหารส่วนตำบลพังขว้าง") in text and _flat("รวมทั้งสิ้น") in text
        assert (
            "แผนประจำปี" in pdf.headers["content-disposition"]
            or "year-plan" in (pdf.headers["content-disposition"])
        )
        year = Document(io.BytesIO((await client.get(f"{base}.docx?year=2570")).content))
        whole = Document(io.BytesIO((await client.get(f"{base}.docx")).content))
        headers = [c.text for c in year.tables[0].rows[0].cells]
        assert "งบประมาณ 2570 (บาท)" in headers and "งบประมาณ 2566 (บาท)" not in headers
        assert "งบประมาณ 2566 (บาท)" in [c.text for c in whole.tables[0].rows[0].cells]
        in_year, in_plan = _item_rows(year), _item_rows(whole)
        assert in_year and set(in_year) <= set(in_plan)
        missing = await client.get(f"{base}.pdf?year=2599")
        assert missing.status_code == 404 and "ไม่อยู่ในแผนนี้" in missing.text
