"""The cover letter (หนังสือนำส่ง) of a round's report, from the round table's form and the API:
the official letter's parts in order (ที่, date in BE, เรื่อง, เรียน, อ้างถึง, สิ่งที่ส่งมาด้วย,
body, closing, signature block of the executive, the owning unit), the round's figures with
nothing retyped, the signature on the page of its text; the .docx read back with python-docx;
a bad date is a Thai message on the page and problem+json on the API, never a 500. The PDF's
pages go to .data/documents/ as PNG to be looked at."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path
from urllib.parse import quote

from docx import Document
from litestar.testing import AsyncTestClient
from pypdf import PdfReader

from infra.db.pool import connect
from infra.settings import Settings
from infra.tokens import create_token
from services.api.app import create_app
from tests.integration.accounts import sign_in
from tests.integration.test_documents import _flat
from tests.integration.test_reports import DEMO_PASSWORD, PK, demo  # noqa: F401

ORG = "6470101"
OUT = Path(".data/documents")
PARTS = [
    "ที่ สน ๗๓๓๐๑/๔๕",
    "๓ ธันวาคม ๒๕๖๙",
    "เรื่อง ขอส่งรายงานผลการดำเนินงานตามแผนปฏิบัติการป้องกันการทุจริต",
    "เรียน ท้องถิ่นจังหวัดสกลนคร",
    "อ้างถึง หนังสือจังหวัดสกลนคร",
    "สิ่งที่ส่งมาด้วย รายงานผลการดำเนินงานตามแผนปฏิบัติการป้องกันการทุจริต",
    "ตามที่ องค์การบริหารส่วนตำบลพังขว้าง ได้จัดทำแผนปฏิบัติการป้องกันการทุจริต",
    "ประจำปีงบประมาณ พ.ศ. ๒๕๖๔ รอบ ๑๒ เดือน",
    "จึงเรียนมาเพื่อโปรดทราบ",
    "ขอแสดงความนับถือ",
    "(นายสมชาย ใจดี)",
    "นายกองค์การบริหารส่วนตำบลพังขว้าง",
    "สำนักงานปลัด งานกฎหมายและคดี",
]
QUERY = (
    f"?number={quote('สน 73301/45')}&date={quote('3/12/2569')}"
    f"&ref={quote('หนังสือจังหวัดสกลนคร ที่ สน 0023.3/ว 1234 ลงวันที่ 1 ตุลาคม 2569')}"
)


def _png(name: str, pdf: bytes) -> list[str]:
    """The PDF's pages as text (flattened), its PNGs written to .data/documents/."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / name
    path.write_bytes(pdf)
    for old in OUT.glob(f"{path.stem}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "70", "-png", str(path), str(OUT / path.stem)], check=True)
    return [_flat(p.extract_text()) for p in PdfReader(io.BytesIO(pdf)).pages]


async def test_the_cover_letter_from_the_round_table_as_pdf_and_docx(
    demo: Settings,  # noqa: F811
) -> None:
    async with AsyncTestClient(create_app(demo, configure_logs=False)) as client:
        assert (await sign_in(client, ORG, "viewer@phangkhwang.example", DEMO_PASSWORD)).is_redirect
        index = await client.get(f"/t/{ORG}/rounds/")
        sheet = re.search(r'href="(/t/6470101/rounds/[0-9a-f-]{36}/2564-12)"', index.text)
        assert sheet, index.text
        page = await client.get(sheet[1])
        assert 'action="/t/6470101/letters/2564-12/cover-letter.pdf"' in page.text
        assert 'formaction="/t/6470101/letters/2564-12/cover-letter.docx"' in page.text

        pdf = await client.get(f"/t/{ORG}/letters/2564-12/cover-letter.pdf{QUERY}")
        assert pdf.status_code == 200, pdf.text
        assert pdf.headers["content-type"] == "application/pdf"
        assert "sujarit-cover-letter-6470101-2564-12.pdf" in pdf.headers["content-disposition"]
        pages = _png("cover-letter-6470101-2564-12.pdf", pdf.content)
        text = "".join(pages)
        at = 0
        for part in PARTS:  # every part, in the letter's order
            found = text.find(_flat(part), at)
            assert found >= 0, (part, text[at : at + 300])
            at = found
        assert _flat("ร้อยละการดำเนินการ") in text  # the round's figures, not retyped
        signed = next(p for p in pages if _flat("(นายสมชาย ใจดี)") in p)
        assert _flat("จึงเรียนมาเพื่อโปรดทราบ") in signed  # the signature kept with its text

        word = await client.get(f"/t/{ORG}/letters/2564-12/cover-letter.docx{QUERY}")
        assert word.status_code == 200
        doc = Document(io.BytesIO(word.content))
        cells = [c.text for row in doc.tables[0].rows for c in row.cells]
        body = "\n".join([*cells, *(p.text for p in doc.paragraphs)])
        for part in PARTS:
            assert _flat(part) in _flat(body), part
        assert doc.sections[0].page_width < doc.sections[0].page_height  # A4 portrait

        # Without the clerk's fields: dotted number, today's date, the office's head.
        plain = await client.get(f"/t/{ORG}/letters/2565-12/cover-letter.pdf")
        assert plain.status_code == 200
        none = "".join(_png("cover-letter-6470101-2565-12.pdf", plain.content))
        assert _flat("ที่ ................/") in none and _flat("เรียน ท้องถิ่นจังหวัดสกลนคร") in none
        assert _flat("ไม่มีแผนปฏิบัติการป้องกันการทุจริตที่ประกาศใช้ครอบคลุม") in none

        bad = await client.get(f"/t/{ORG}/letters/2564-12/cover-letter.pdf?date=31/02/2569")
        assert bad.status_code == 400 and "ไม่มีวันที่ 31" in bad.text
        for missing in ("/letters/2599-6/cover-letter.pdf", "/letters/2564-12/letter.exe"):
            assert (await client.get(f"/t/{ORG}{missing}")).status_code == 404, missing

    async with AsyncTestClient(create_app(demo, configure_logs=False)) as anonymous:
        r = await anonymous.get(f"/t/{ORG}/letters/2564-12/cover-letter.pdf")
        assert r.status_code in (302, 303) or "signin" in str(r.url)
        assert (
            await anonymous.get("/api/v1/cover-letters/2564-12/cover-letter.pdf")
        ).status_code == 401


async def test_the_cover_letter_on_the_api(demo: Settings) -> None:  # noqa: F811
    owner = await connect(demo.database_url)
    try:
        token = await create_token(owner, PK, "plan_officer", "plan_officer@phangkhwang.example")
    finally:
        await owner.close()
    headers = {"Authorization": f"Bearer {token}"}
    async with AsyncTestClient(create_app(demo, configure_logs=False)) as client:
        base = "/api/v1/cover-letters/2564-12"
        ok = await client.get(f"{base}/cover-letter.docx?date=2026-12-03", headers=headers)
        assert ok.status_code == 200
        doc = Document(io.BytesIO(ok.content))
        assert any("๓ ธันวาคม ๒๕๖๙" in p.text for p in doc.paragraphs)
        be = await client.get(f"{base}/cover-letter.pdf?date=2569-12-03", headers=headers)
        assert be.status_code == 422 and be.headers["content-type"].startswith(
            "application/problem+json"
        )
        assert "ค.ศ. 2026" in be.json()["title"]
        early = await client.get("/api/v1/cover-letters/2599-6/cover-letter.pdf", headers=headers)
        assert early.status_code == 409  # a round that has not begun: the day says no
        assert (await client.get(f"{base}/cover-letter.exe", headers=headers)).status_code == 404
