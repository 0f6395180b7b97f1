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
