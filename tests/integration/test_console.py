"""The operator's console through its real forms: the funnel, adding an LAO, importing the
register with a preview (nothing written before the operator applies what was shown), inviting
an LAO's first executive, who accepts and is counted."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from infra.settings import Settings
from infra.tenancy import upsert_organisations
from services.api.app import create_app
from tests.integration.accounts import (
    PASSWORD,
    Mailbox,
    csrf_of,
    mail_worker,
    make_member,
    session_csrf,
    sign_in,
    smtp_server,
)
from tests.support import org

PROVINCE = "58"  # แม่ฮ่องสอน: no other test adds LAOs there


@pytest.fixture(scope="module")
def mailbox() -> Iterator[Mailbox]:
    yield from smtp_server()


@pytest.fixture(scope="module")
def mail_settings(
    settings: Settings, mailbox: Mailbox, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Settings]:
    with mail_worker(settings, mailbox, tmp_path_factory.mktemp("mail") / "worker.log") as s:
        yield replace(s, cookie_secure=False)


def row_of(html: str, province: str) -> list[int]:
    """The funnel's row of a province (none yet: zeros)."""
    head = f'<th scope="row">{province}</th>'
    if head not in html:
        return [0] * 7
    row = html.split(head, 1)[1].split("</tr>", 1)[0]
    return [int(c.split("</td>")[0]) for c in row.split("<td>")[1:]]


async def test_the_operator_adds_imports_invites_and_follows_the_funnel(
    mail_settings: Settings, app_pool: asyncpg.Pool, owner_pool: asyncpg.Pool, mailbox: Mailbox
) -> None:
    operator, _ = await make_member(
        app_pool, "operator", "operator", email=f"op-{secrets.token_hex(4)}@example.org"
    )
    code, other = f"58{secrets.token_hex(3)}", f"58{secrets.token_hex(3)}"
    app = create_app(mail_settings, configure_logs=False)
    async with AsyncTestClient(app) as c:
        await sign_in(c, "operator", operator)
        csrf = await session_csrf(c, "operator")
        console = await c.get("/t/operator/console/")
        assert console.status_code == 200 and "แม่ฮ่องสอน" in console.text
        before = row_of(console.text, "แม่ฮ่องสอน")
        lao = {
            "csrf_token": csrf,
            "code": code,
            "name_th": "องค์การบริหารส่วนตำบลทดลองดอย",
            "name_en": "",
            "kind": "sao",
            "province": PROVINCE,
            "district": "ปาย",
        }
        added = await c.post("/t/operator/console/lao", data=lao, follow_redirects=False)
        assert added.status_code == 303
        again = await c.post("/t/operator/console/lao", data=lao)
        assert again.status_code == 400 and "มี อปท. รหัส" in again.text
        assert 'value="องค์การบริหารส่วนตำบลทดลองดอย"' in again.text  # what was typed is kept
        bad = await c.post("/t/operator/console/lao", data={**lao, "code": "x", "kind": ""})
        assert bad.status_code == 400 and "ไม่ถูกต้อง" in bad.text

        # re-importing the LAO renames it: the preview says so, nothing is written before apply
        csv_text = (
            "code,name_th,name_en,kind,province,district\n"
            f"{code},องค์การบริหารส่วนตำบลทดลองดอยสูง,,อบต.,แม่ฮ่องสอน,ปาย\n"
            f"{other},เทศบาลตำบลทดลอง,,ทต.,{PROVINCE},ปาย\n"
            "bad,,,ไม่รู้,ไม่มีจังหวัด,\n"
        )
        files = {"file": ("register.csv", csv_text.encode(), "text/csv")}
        preview = await c.post(
            "/t/operator/console/register", data={"csrf_token": csrf}, files=files
        )
        assert preview.status_code == 200
        assert 'id="n-added">1<' in preview.text and 'id="n-changed">1<' in preview.text
        assert "องค์การบริหารส่วนตำบลทดลองดอยสูง" in preview.text  # the new name, shown
        assert "บรรทัด 4:" in preview.text and "ไม่รู้จัก" in preview.text  # per line, in Thai
        assert "ยืนยันนำเข้า" not in preview.text  # not while a line is wrong
        fixed = csv_text.rsplit("bad,", 1)[0]
        preview = await c.post(
            "/t/operator/console/register",
            data={"csrf_token": csrf},
            files={"file": ("register.csv", fixed.encode(), "text/csv")},
        )
        assert "ยืนยันนำเข้า" in preview.text
        seen = preview.text.split('name="seen" value="', 1)[1].split('"', 1)[0]
        name = await owner_pool.fetchval("SELECT name_th FROM organisations WHERE code = $1", code)
        assert name == "องค์การบริหารส่วนตำบลทดลองดอย"  # the preview wrote nothing
        stale = await c.post(
            "/t/operator/console/register/apply",
            data={"csrf_token": csrf, "csv": fixed, "seen": "0" * 32},
        )
        assert stale.status_code == 409 and "เปลี่ยนไปหลังจากที่คุณดูตัวอย่าง" in stale.text
        applied = await c.post(
            "/t/operator/console/register/apply",
            data={"csrf_token": csrf, "csv": fixed, "seen": seen},
            follow_redirects=False,
        )
        assert applied.status_code == 303
        names = await owner_pool.fetch(
            "SELECT code, name_th FROM organisations WHERE code = ANY($1::text[])", [code, other]
        )
        assert {r["code"]: r["name_th"] for r in names} == {
            code: "องค์การบริหารส่วนตำบลทดลองดอยสูง",
            other: "เทศบาลตำบลทดลอง",
        }
        log = await owner_pool.fetch(
            "SELECT data FROM operator_events WHERE event_type = 'RegisterChanged' "
            "AND data->>'codes' LIKE '%' || $1 || '%' ORDER BY position",
            code,
        )
        assert [(r["data"]["how"], r["data"]["added"], r["data"]["changed"]) for r in log] == [
            ("add", 1, 0),
            ("import", 1, 1),
        ]

        # the first executive, invited from the console
        nayok = f"nayok-{secrets.token_hex(3)}@example.org"
        invite = {"csrf_token": csrf, "org": code, "name": "นายก ทดลอง", "email": nayok}
        r = await c.post(
            "/t/operator/console/invite",
            data={**invite, "role": "executive"},
            follow_redirects=False,
        )
        assert r.status_code == 303
        wrong = await c.post(
            "/t/operator/console/invite", data={**invite, "org": "nowhere", "role": "executive"}
        )
        assert wrong.status_code == 400 and 'value="nowhere"' in wrong.text
    await mailbox.wait(nayok)
    link = mailbox.link(nayok, "invitation")
    async with AsyncTestClient(app) as c:
        form = await c.get(link)
        done = await c.post(
            link,
            data={
                "csrf_token": csrf_of(form.text),
                "name": "นายก ทดลอง",
                "password": PASSWORD,
                "confirm": PASSWORD,
            },
            follow_redirects=False,
        )
        assert done.status_code == 303 and done.headers["location"] == f"/t/{code}/"
    async with AsyncTestClient(app) as c:
        await sign_in(c, "operator", operator)
        after = row_of((await c.get("/t/operator/console/")).text, "แม่ฮ่องสอน")
    # LAOs +2, invited +1, joined +1; plans and declarations follow the province overview
    assert [a - b for a, b in zip(after, before, strict=True)][:3] == [2, 1, 1]


async def test_a_provincial_office_sees_its_province_s_funnel_only(
    mail_settings: Settings, app_pool: asyncpg.Pool, owner_pool: asyncpg.Pool
) -> None:
    async with owner_pool.acquire() as conn:
        await upsert_organisations(conn, [org(province="47"), org(province=PROVINCE)])
    reviewer, _ = await make_member(
        app_pool, "po-47", "reviewer", email=f"rev-{secrets.token_hex(4)}@example.org"
    )
    async with AsyncTestClient(create_app(mail_settings, configure_logs=False)) as c:
        await sign_in(c, "po-47", reviewer)
        own = await c.get("/t/po-47/console/")
        assert own.status_code == 200 and '<th scope="row">สกลนคร</th>' in own.text
        assert '<th scope="row">แม่ฮ่องสอน</th>' not in own.text  # another province
        assert "เพิ่มในทะเบียน" not in own.text and "ส่งคำเชิญ" not in own.text  # no forms
        assert (await c.get("/t/po-58/console/")).status_code == 404
        assert (await c.get("/t/operator/console/")).status_code in (302, 303, 401, 404)
        csrf = await session_csrf(c, "po-47")
        r: Any = await c.post("/t/po-47/console/lao", data={"csrf_token": csrf, "code": "1"})
        assert r.status_code == 404


async def test_the_operator_api_previews_and_applies_the_register(
    mail_settings: Settings, app_pool: asyncpg.Pool
) -> None:
    operator, _ = await make_member(
        app_pool, "operator", "operator", email=f"op-{secrets.token_hex(4)}@example.org"
    )
    code = f"58{secrets.token_hex(3)}"
    async with AsyncTestClient(create_app(mail_settings, configure_logs=False)) as c:
        await sign_in(c, "operator", operator)
        csrf = {"X-CSRF-Token": await session_csrf(c, "operator")}
        lao = {"code": code, "name_th": "อบต.เอพีไอ", "kind": "sao", "province": PROVINCE}
        r = await c.post("/api/v1/operator/laos", json=lao, headers=csrf)
        assert r.status_code == 201, r.text
        again = await c.post("/api/v1/operator/laos", json=lao, headers=csrf)
        assert again.status_code == 409 and again.headers["content-type"].startswith(
            "application/problem+json"
        )
        csv_text = f"code,name_th,name_en,kind,province,district\n{code},อบต.เอพีไอใหม่,,sao,58,\n"
        preview = await c.post(
            "/api/v1/operator/register/preview", json={"csv": csv_text}, headers=csrf
        )
        assert preview.status_code == 200
        body = preview.json()
        assert body["changed"] == [
            {"code": code, "fields": [["ชื่อภาษาไทย", "อบต.เอพีไอ", "อบต.เอพีไอใหม่"]]}
        ]
        stale = await c.post(
            "/api/v1/operator/register", json={"csv": csv_text, "seen": "x"}, headers=csrf
        )
        assert stale.status_code == 409
        done = await c.post(
            "/api/v1/operator/register", json={"csv": csv_text, "seen": body["seen"]}, headers=csrf
        )
        assert done.status_code == 200 and done.json()["changed"][0]["code"] == code
        first = {"org": code, "email": "first@example.org", "name": "ก ข", "role": "executive"}
        r = await c.post("/api/v1/operator/invitations", json=first, headers=csrf)
        assert r.status_code == 201
        w = await c.post(
            "/api/v1/operator/invitations/withdraw",
            json={"org": code, "email": "first@example.org"},
            headers=csrf,
        )
        assert w.status_code == 204, w.text
        # withdrawn: the LAO has no executive again, so the operator may invite another
        other = {**first, "email": "another@example.org"}
        r = await c.post("/api/v1/operator/invitations", json=other, headers=csrf)
        assert r.status_code == 201, r.text
        funnel = await c.get("/api/v1/operator/funnel")
        assert funnel.status_code == 200
        assert any(r["province"] == PROVINCE and r["laos"] >= 1 for r in funnel.json())
    reviewer, _ = await make_member(
        app_pool, "po-58", "reviewer", email=f"rev-{secrets.token_hex(4)}@example.org"
    )
    async with AsyncTestClient(create_app(mail_settings, configure_logs=False)) as c:
        await sign_in(c, "po-58", reviewer)
        own = await c.get("/api/v1/operator/funnel")  # its own province's row only
        assert own.status_code == 200 and {r["province"] for r in own.json()} == {PROVINCE}
        # the last stage: LAOs that submitted a first round report
        assert all(0 <= r["reported"] <= r["laos"] for r in own.json())
        headers = {"X-CSRF-Token": await session_csrf(c, "po-58")}
        r = await c.post("/api/v1/operator/register/preview", json={"csv": ""}, headers=headers)
        assert r.status_code == 403 and r.json()["action"] == "operate"


def pending_row(html: str, email: str) -> str:
    """The pending invitations' row of an address ('' when it is not listed)."""
    if "คำเชิญที่ยังไม่ตอบรับ" not in html or f"<td>{email}</td>" not in html:
        return ""
    return html.split(f"<td>{email}</td>", 1)[1].split("</tr>", 1)[0]


async def test_the_operator_resends_and_withdraws_pending_invitations(
    mail_settings: Settings, app_pool: asyncpg.Pool, owner_pool: asyncpg.Pool, mailbox: Mailbox
) -> None:
    async with owner_pool.acquire() as conn:
        lao = org(province=PROVINCE)
        await upsert_organisations(conn, [lao])
    operator, _ = await make_member(
        app_pool, "operator", "operator", email=f"op-{secrets.token_hex(4)}@example.org"
    )
    nayok = f"nayok-{secrets.token_hex(3)}@example.org"
    reviewer = f"rev-{secrets.token_hex(3)}@example.org"
    app = create_app(mail_settings, configure_logs=False)
    async with AsyncTestClient(app) as c:
        await sign_in(c, "operator", operator)
        csrf = await session_csrf(c, "operator")
        for who, where, role in ((nayok, lao.code, "executive"), (reviewer, "po-58", "reviewer")):
            invite = {"csrf_token": csrf, "org": where, "name": "ผู้รับเชิญ ทดลอง", "email": who}
            r = await c.post(
                "/t/operator/console/invite", data={**invite, "role": role}, follow_redirects=False
            )
            assert r.status_code == 303, r.text
        page = (await c.get("/t/operator/console/")).text
        row = pending_row(page, nayok)
        assert row and "ส่งคำเชิญอีกครั้ง" in row and "ถอนคำเชิญ" in row
        assert "หมดอายุแล้ว" not in row and "ผู้บริหาร" in row
        assert f"({lao.code})" in page.split(f"<td>{nayok}</td>", 1)[0].rsplit("<tr>", 1)[1]
        assert "ผู้ตรวจติดตาม" in pending_row(page, reviewer)
        await mailbox.wait(nayok)
        first = mailbox.link(nayok, "invitation")

        # resent: a new link and mail, the old link stops working
        pending = {"csrf_token": csrf, "org": lao.code, "email": nayok}
        r = await c.post("/t/operator/console/resend", data=pending, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].endswith("?done=resend")
        await mailbox.wait(nayok, 2)
        second = mailbox.link(nayok, "invitation")
        assert second != first
        assert (await c.get(first)).status_code == 410
        assert (await c.get(second)).status_code == 200
        assert pending_row((await c.get("/t/operator/console/")).text, nayok)

        # withdrawn: the row is gone, the link no longer works
        r = await c.post("/t/operator/console/withdraw", data=pending, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].endswith("?done=withdraw")
        page = (await c.get("/t/operator/console/?done=withdraw")).text
        assert "ถอนคำเชิญแล้ว" in page and not pending_row(page, nayok)
        assert (await c.get(second)).status_code == 410
        again = await c.post("/t/operator/console/withdraw", data=pending)
        assert again.status_code == 400 and "ไม่พบสมาชิกคนนี้" in again.text  # in Thai

        # the API reads and resends through the same use cases
        api = await c.get("/api/v1/operator/invitations/pending")
        assert api.status_code == 200
        listed = {r["email"]: r for r in api.json()}
        assert nayok not in listed and listed[reviewer]["org"] == "po-58"
        assert listed[reviewer]["expired"] is False
        r = await c.post(
            "/api/v1/operator/invitations/resend",
            json={"org": "po-58", "email": reviewer},
            headers={"X-CSRF-Token": csrf},
        )
        assert r.status_code == 204, r.text
        await mailbox.wait(reviewer, 2)

    # a week and a day later, the reviewer's link has expired: the list says so
    later = await owner_pool.execute(
        "UPDATE office_members SET invited_at = invited_at - interval '8 days' WHERE email = $1",
        reviewer,
    )
    assert later == "UPDATE 1"
    async with AsyncTestClient(app) as c:
        await sign_in(c, "operator", operator)
        assert "หมดอายุแล้ว" in pending_row((await c.get("/t/operator/console/")).text, reviewer)

    # an LAO member and a reviewer get 404 on these forms
    member, _ = await make_member(app_pool, lao.code, "staff")
    office, _ = await make_member(app_pool, "po-58", "reviewer")
    for where, who in ((lao.code, member), ("po-58", office)):
        async with AsyncTestClient(app) as c:
            await sign_in(c, where, who)
            token = await session_csrf(c, where)
            for kind in ("resend", "withdraw"):
                data = {"csrf_token": token, "org": "po-58", "email": reviewer}
                for at in (f"/t/{where}/console/{kind}", f"/t/operator/console/{kind}"):
                    r = await c.post(at, data=data, follow_redirects=False)
                    assert r.status_code in (302, 303, 401, 403, 404), (at, r.status_code)
                    assert r.status_code not in (302, 303) or "done" not in r.headers.get(
                        "location", ""
                    )
            api = await c.get("/api/v1/operator/invitations/pending")
            assert api.status_code == 403
    still = await owner_pool.fetchval(
        "SELECT status FROM office_members WHERE email = $1", reviewer
    )
    assert still == "invited"
