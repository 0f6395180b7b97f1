"""Evidence files: type by content, size limit, content-addressed storage, tenant-scoped."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from infra.files import InMemoryFileStore, LocalFileStore, sha256_hex, sniff_media_type
from tests.integration.conftest import Api, make_plan, problem

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def office(kind: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml" if kind == "docx" else "xl/workbook.xml", "<x/>")
    return buf.getvalue()


def test_media_type_is_read_from_the_bytes() -> None:
    assert sniff_media_type(PDF) == "application/pdf"
    assert sniff_media_type(PNG) == "image/png"
    assert sniff_media_type(b"\xff\xd8\xff\xe0rest") == "image/jpeg"
    assert sniff_media_type(office("docx")).endswith("wordprocessingml.document")
    assert sniff_media_type(office("xlsx")).endswith("spreadsheetml.sheet")
    assert sniff_media_type(b"MZ\x90\x00 an exe") is None
    assert sniff_media_type(b"PK\x03\x04 not a zip") is None


@pytest.mark.parametrize("kind", ["local", "memory"])
async def test_file_store_contract(kind: str, tmp_path: Path) -> None:
    store = LocalFileStore(tmp_path) if kind == "local" else InMemoryFileStore()
    sha = await store.put(PDF)
    assert sha == sha256_hex(PDF)
    assert await store.put(PDF) == sha  # the same bytes, stored once
    assert await store.get(sha) == PDF
    assert await store.get("0" * 64) is None


async def test_upload_cite_and_download(api: Api) -> None:
    c = api.client
    r = await c.post(
        "/api/v1/evidence",
        headers=api.staff,
        files={"data": ("คำสั่งแต่งตั้งคณะทำงาน.pdf", PDF, "application/pdf")},
    )
    assert r.status_code == 201, r.text
    sha = r.json()["sha256"]
    assert r.json()["media_type"] == "application/pdf" and sha == sha256_hex(PDF)
    # A program that lies about the name and type is not believed.
    problem(
        await c.post(
            "/api/v1/evidence",
            headers=api.staff,
            files={"data": ("report.pdf", b"MZ\x90\x00 evil", "application/pdf")},
        ),
        415,
        "forbidden-evidence",
    )
    r = await c.post(
        "/api/v1/evidence",
        headers=api.staff,
        files={"data": ("สรุป.docx", office("docx"), "application/octet-stream")},
    )
    assert r.status_code == 201 and r.json()["media_type"].endswith("document")
    problem(
        await c.post(
            "/api/v1/evidence",
            headers=api.viewer,
            files={"data": ("a.pdf", PDF, "application/pdf")},
        ),
        403,
        "forbidden",
    )

    plan, item = await make_plan(api)
    base = f"/api/v1/plans/{plan}/items/{item}"
    await c.post(
        f"{base}/steps",
        headers=api.officer,
        json={
            "number": "6.3",
            "title": "จัดตั้งคณะทำงาน",
            "due": "2017-12-31",
            "responsible": ["staff@a"],
        },
    )
    problem(
        await c.post(
            f"{base}/steps/6.3/complete",
            headers=api.staff,
            json={"on": "2017-12-01", "files": ["f" * 64]},
        ),
        422,
        "unknown-evidence",
    )
    r = await c.post(
        f"{base}/steps/6.3/complete", headers=api.staff, json={"on": "2017-12-01", "files": [sha]}
    )
    assert r.status_code == 200, r.text
    sheet = (await c.get(base, headers=api.viewer)).json()
    [ev] = sheet["steps"][0]["evidence"]
    assert (ev["kind"], ev["sha256"], ev["name"]) == ("file", sha, "คำสั่งแต่งตั้งคณะทำงาน.pdf")

    r = await c.get(f"/api/v1/evidence/{sha}", headers=api.viewer)
    assert r.status_code == 200 and r.content == PDF
    assert r.headers["content-type"].startswith("application/pdf")
    # Another tenant cannot fetch it, even knowing its hash.
    problem(await c.get(f"/api/v1/evidence/{sha}", headers=api.other), 404, "not-found")


async def test_files_over_20_mb_are_refused(api: Api) -> None:
    big = PDF + b"0" * (20 * 1024 * 1024)
    r = await api.client.post(
        "/api/v1/evidence", headers=api.staff, files={"data": ("big.pdf", big, "application/pdf")}
    )
    problem(r, 413, "evidence-too-large")
