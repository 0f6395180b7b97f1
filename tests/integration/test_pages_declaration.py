"""The declaration pages through real forms: errors keep what was typed, only an executive
publishes, conflicts are explained, another tenant's declaration is not found, published
files reach the public page and drafts never do; no 500 on any input."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from infra.db.pool import connect
from infra.files import sha256_hex
from infra.settings import Settings
from infra.tenancy import upsert_organisations
from services.api.app import create_app
from tests.integration.accounts import make_member, session_csrf, sign_in
from tests.support import be_fields, org

pytestmark = pytest.mark.timeout(120)
_ID = re.compile(r"/declaration/([0-9a-f-]{36})")
_VERSION = re.compile(r'name="version" value="(\d+)"')
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n% signed declaration\n"
TEXT = "ข้าพเจ้าขอประกาศเจตจำนงว่าจะบริหารงานด้วยความซื่อสัตย์สุจริต"
DRAFT_ONLY = "ร่างที่สองซึ่งยังไม่เผยแพร่"


@dataclass
class World:
    settings: Settings
    a: str
    b: str


@pytest.fixture
async def world(settings: Settings) -> AsyncIterator[World]:
    a, b = org(), org()
    owner = await connect(settings.database_url)
    try:
        await upsert_organisations(owner, [a, b])
    finally:
        await owner.close()
    yield World(replace(settings, cookie_secure=False), a.code, b.code)


async def member_client(world: World, pool: asyncpg.Pool, code: str, role: str) -> Any:
    email, _ = await make_member(pool, code, role)
    client = AsyncTestClient(create_app(world.settings, configure_logs=False))
    await client.__aenter__()
    r = await sign_in(client, code, email)
    assert r.status_code == 303, r.text
    client.csrf = await session_csrf(client, code)  # type: ignore[attr-defined]
    client.email = email  # type: ignore[attr-defined]
    return client


async def compose(c: Any, code: str, text: str, signers: str) -> Any:
    return await c.post(
        f"/t/{code}/declaration",
        data={"csrf_token": c.csrf, "text": text, "signers": signers},
        follow_redirects=False,
    )


async def version(c: Any, code: str, decl: str) -> str:
    page = await c.get(f"/t/{code}/declaration/{decl}")
    m = _VERSION.search(page.text)
    assert m, page.text
    return m[1]


async def publish(
    c: Any, code: str, decl: str, on: str, file: bytes | None, name: str, *, ce: bool = False
) -> Any:
    files = {"document": (name, file, "application/pdf")} if file is not None else None
    try:  # an ISO day goes into the three fields (วัน / เดือน / ปี พ.ศ.); anything else as typed
        day = be_fields("on", date.fromisoformat(on))
        if ce:  # the CE year typed where the BE year belongs
            day["on-y"] = on[:4]
    except ValueError:
        day = {"on-d": on}
    return await c.post(
        f"/t/{code}/declaration/{decl}/publication",
        data={"csrf_token": c.csrf, **day, "version": await version(c, code, decl)},
        files=files,
        follow_redirects=False,
    )


async def test_compose_publish_announce_and_the_errors_on_the_way(
    world: World, app_pool: asyncpg.Pool
) -> None:
    code = world.a
    officer = await member_client(world, app_pool, code, "plan_officer")
    executive = await member_client(world, app_pool, code, "executive")
    viewer = await member_client(world, app_pool, code, "viewer")
    other = await member_client(world, app_pool, world.b, "executive")
    try:
        r = await officer.get(f"/t/{code}/declaration")
        assert r.status_code == 200 and "ยังไม่มีประกาศเจตจำนง" in r.text
        assert 'id="compose"' in r.text

        # Missing text: the Thai message beside the field and on top, the signers kept.
        r = await compose(officer, code, "  ", "นายก อบต.ทดสอบ")
        assert r.status_code == 400
        assert "กรุณากรอกข้อความประกาศเจตจำนง" in r.text
        assert 'class="error-summary"' in r.text and 'href="#text"' in r.text
        assert ">นายก อบต.ทดสอบ</textarea>" in r.text
        r = await compose(officer, code, TEXT, "")
        assert r.status_code == 400 and "กรุณาระบุผู้บริหารผู้ลงนาม" in r.text
        assert TEXT + "</textarea>" in r.text

        r = await compose(officer, code, TEXT, "นายก อบต.ทดสอบ\nรองนายก อบต.ทดสอบ")
        assert r.status_code == 303, r.text
        m = _ID.search(r.headers["location"])
        assert m
        decl = m[1]
        page = await officer.get(r.headers["location"])
        assert "บันทึกร่างประกาศเจตจำนงแล้ว" in page.text and "ร่าง" in page.text
        assert "เฉพาะผู้บริหาร (นายก) เท่านั้นที่เผยแพร่" in page.text
        assert 'id="redraft"' in page.text and "/publication" not in page.text

        # A viewer cannot compose; a plan officer cannot publish (Thai message, 403).
        r = await compose(viewer, code, TEXT, "x")
        assert r.status_code == 403 and "บทบาทของคุณร่างประกาศเจตจำนงไม่ได้" in r.text
        r = await publish(officer, code, decl, "2026-10-01", PDF, "signed.pdf")
        assert r.status_code == 403
        assert "เฉพาะผู้บริหาร (นายก) เท่านั้นที่เผยแพร่ประกาศเจตจำนงได้" in r.text
        # Another LAO's executive: not found, nothing changes.
        r = await other.get(f"/t/{world.b}/declaration/{decl}")
        assert r.status_code == 404
        r = await other.post(
            f"/t/{world.b}/declaration/{decl}/publication",
            data={"csrf_token": other.csrf, **be_fields("on", date(2026, 10, 1))},
            files={"document": ("s.pdf", PDF, "application/pdf")},
        )
        assert r.status_code == 404

        # Conflict: two redrafts from the same loaded version; the second is explained.
        v = await version(officer, code, decl)
        r = await officer.post(
            f"/t/{code}/declaration/{decl}",
            data={
                "csrf_token": officer.csrf,
                "version": v,
                "text": TEXT + " (แก้)",
                "signers": "นายก อบต.ทดสอบ",
            },
            follow_redirects=False,
        )
        assert r.status_code == 303
        r = await executive.post(
            f"/t/{code}/declaration/{decl}",
            data={
                "csrf_token": executive.csrf,
                "version": v,
                "text": "ข้อความของผู้บริหาร",
                "signers": "นายก",
            },
        )
        assert r.status_code == 409
        assert "มีผู้อื่นบันทึกการเปลี่ยนแปลงประกาศเจตจำนงนี้ก่อนคุณ" in r.text
        assert "ข้อความของผู้บริหาร</textarea>" in r.text  # what they typed is kept
        assert TEXT + " (แก้)" in r.text  # and the latest saved text is shown

        # Publishing: no file, a file that is not a PDF, a future date: Thai errors.
        r = await publish(executive, code, decl, "2026-10-01", None, "")
        assert r.status_code == 400 and "กรุณาแนบไฟล์ประกาศเจตจำนงที่ลงนามแล้ว" in r.text
        assert 'value="2569"' in r.text and '<option value="10" selected>' in r.text
        r = await publish(executive, code, decl, "2026-10-01", b"MZ not a pdf", "x.pdf")
        assert r.status_code == 400 and "ต้องเป็น PDF, JPEG หรือ PNG" in r.text
        r = await publish(executive, code, decl, "2100-01-01", PDF, "signed.pdf")
        assert r.status_code == 400 and "วันที่เผยแพร่ต้องไม่เลยวันนี้" in r.text
        r = await publish(executive, code, decl, "วันนี้", PDF, "signed.pdf")
        assert r.status_code == 400 and "วันที่เผยแพร่: กรุณากรอกเดือน ปี พ.ศ.ให้ครบ" in r.text
        assert 'value="วันนี้"' in r.text
        r = await publish(executive, code, decl, "2026-10-01", PDF, "signed.pdf", ce=True)
        assert r.status_code == 400 and "ปี 2026 เป็นปี ค.ศ. หมายถึง พ.ศ. 2569 ใช่ไหม" in r.text
        assert 'value="2026"' in r.text
        r = await publish(executive, code, decl, "2026-10-01", PDF, "ประกาศลงนาม.pdf")
        assert r.status_code == 303, r.text
        page = await executive.get(r.headers["location"])
        assert "เผยแพร่แล้ว" in page.text and "ประกาศลงนาม.pdf" in page.text
        assert 'id="announce"' in page.text and 'id="redraft"' not in page.text
        # Published: redrafting is refused by the domain, explained.
        r = await officer.post(
            f"/t/{code}/declaration/{decl}",
            data={"csrf_token": officer.csrf, "text": "ใหม่", "signers": "x"},
        )
        assert r.status_code == 409 and "ประกาศเจตจำนงนี้เผยแพร่แล้ว แก้ไขไม่ได้" in r.text

        # Announcing: errors keep what was typed; a date before publication is refused.
        ann = f"/t/{code}/declaration/{decl}/announcements"
        r = await officer.post(
            ann,
            data={
                "csrf_token": officer.csrf,
                "channel": "",
                **be_fields("announced_on", date(2026, 10, 2)),
                "detail": "หน้าที่ทำการ",
                "links": "ftp://x",
            },
        )
        assert r.status_code == 400
        assert "กรุณาเลือกช่องทางที่ประกาศ" in r.text and "ลิงก์หลักฐานต้องขึ้นต้นด้วย" in r.text
        assert "หน้าที่ทำการ</textarea>" in r.text and "ftp://x</textarea>" in r.text
        r = await officer.post(
            ann,
            data={
                "csrf_token": officer.csrf,
                "channel": "website",
                **be_fields("announced_on", date(2026, 9, 1)),
            },
        )
        assert r.status_code == 409
        assert "วันที่ประกาศต่อสาธารณะต้องไม่ก่อนวันที่เผยแพร่ประกาศ" in r.text
        r = await officer.post(
            ann,
            data={
                "csrf_token": officer.csrf,
                "channel": "other",
                **be_fields("announced_on", date(2026, 10, 2)),
            },
        )
        assert r.status_code == 400 and "ช่องทางอื่น: กรุณาระบุรายละเอียด" in r.text
        r = await officer.post(
            ann,
            data={
                "csrf_token": officer.csrf,
                "channel": "notice_board",
                **be_fields("announced_on", date(2026, 10, 2)),
                "detail": "บอร์ดหน้าที่ทำการ อบต.",
                "links": "https://example.org/photo",
            },
            files={"files": ("board.pdf", PDF + b"board", "application/pdf")},
            follow_redirects=False,
        )
        assert r.status_code == 303, r.text
        page = await officer.get(f"/t/{code}/declaration/{decl}")
        assert "บอร์ดประชาสัมพันธ์" in page.text and "board.pdf" in page.text
        lst = await officer.get(f"/t/{code}/declaration")
        assert "1 ครั้ง" in lst.text

        # A second declaration stays a draft.
        r = await compose(officer, code, DRAFT_ONLY, "นายก")
        assert r.status_code == 303

        # The public page, without a session: the published one, its files; not the draft.
        anon = AsyncTestClient(create_app(world.settings, configure_logs=False))
        async with anon:
            pub = await anon.get(f"/p/{code}")
            assert pub.status_code == 200
            assert TEXT + " (แก้)" in pub.text and "บอร์ดหน้าที่ทำการ อบต." in pub.text
            assert DRAFT_ONLY not in pub.text
            for c in (officer, executive, viewer):
                assert c.email not in pub.text
            assert "ทดสอบ plan_officer" not in pub.text and "ทดสอบ executive" not in pub.text
            doc = await anon.get(f"/p/{code}/files/{sha256_hex(PDF)}")
            assert doc.status_code == 200 and doc.content == PDF
            assert doc.headers["content-type"].startswith("application/pdf")
            board = await anon.get(f"/p/{code}/files/{sha256_hex(PDF + b'board')}")
            assert board.status_code == 200
            # Not another LAO's public page.
            assert (await anon.get(f"/p/{world.b}/files/{sha256_hex(PDF)}")).status_code == 404
            r = await anon.get("/p/0000000")
            assert r.status_code == 404 and "ไม่พบหน้าข้อมูลสาธารณะนี้" in r.text
    finally:
        for c in (officer, executive, viewer, other):
            await c.__aexit__(None, None, None)


async def test_no_500_on_odd_input(world: World, app_pool: asyncpg.Pool) -> None:
    code = world.a
    executive = await member_client(world, app_pool, code, "executive")
    try:
        r = await compose(executive, code, "ก" * 20_000, "\n\n" + "ข" * 3000)
        assert r.status_code == 303
        decl = _ID.search(r.headers["location"])[1]  # type: ignore[index]
        odd: list[dict[str, Any]] = [
            {"version": "x", "text": "\x00", "signers": "\x00"},
            {"version": "-1", "on": "2026-02-30"},
            {"channel": "moon", "announced_on": "๒๕๖๙-๑๐-๐๑", "links": "https://" + "a" * 3000},
            {},
        ]
        for path in ("", "/publication", "/announcements"):
            for data in odd:
                r = await executive.post(
                    f"/t/{code}/declaration/{decl}{path}",
                    data={"csrf_token": executive.csrf, **data},
                )
                assert r.status_code < 500, (path, data, r.text[:300])
        r = await compose(executive, code, "<script>alert(1)</script>", "<b>นายก</b>")
        assert r.status_code == 303
        page = await executive.get(r.headers["location"])
        assert "<script>alert(1)" not in page.text and "&lt;script&gt;alert(1)" in page.text
        assert "<b>นายก" not in page.text
        r = await executive.post(f"/t/{code}/declaration/{decl}", data={"text": "no csrf"})
        assert r.status_code == 403
        for path in ("/not-a-uuid", "/00000000-0000-0000-0000-000000000000"):
            r = await executive.get(f"/t/{code}/declaration{path}")
            assert r.status_code == 404
    finally:
        await executive.__aexit__(None, None, None)
