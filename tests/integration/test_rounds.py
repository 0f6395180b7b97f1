"""The round table (every item of a round on one screen, one save) over the demo's real plan:
rounds from the plan's first fiscal year, amounts kept to the satang, errors beside the field
with what was typed kept, the rate in its national colour, what is missing; the JSON API with
problem+json."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

from litestar.testing import AsyncTestClient
from openpyxl import load_workbook

from infra.settings import Settings
from services.api.app import create_app
from tests.integration.accounts import csrf_of, sign_in
from tests.integration.test_reports import DEMO_PASSWORD, demo, tokens  # noqa: F401

ORG = "6470101"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


async def _plan_officer(client: Any) -> str:
    r = await sign_in(client, ORG, "plan@phangkhwang.example", DEMO_PASSWORD)
    assert r.status_code in (302, 303), r.text
    index = await client.get(f"/t/{ORG}/rounds/")
    assert index.status_code == 200
    # The 2561-2564 plan's rounds start at its first fiscal year.
    links = re.findall(rf'href="/t/{ORG}/rounds/([0-9a-f-]{{36}})/(\d{{4}}-\d+)"', index.text)
    assert ("2561-6" in {r for _, r in links}) and ("2564-12" in {r for _, r in links})
    return next(p for p, r in links if r == "2561-6")


def _items(html: str) -> list[str]:
    return re.findall(r'name="status-([0-9a-f-]{36})"', html)


async def test_the_round_table_saves_every_item_at_once(demo: Settings) -> None:  # noqa: F811
    async with AsyncTestClient(create_app(demo, configure_logs=False)) as client:
        plan = await _plan_officer(client)
        url = f"/t/{ORG}/rounds/{plan}/2561-12"
        sheet = await client.get(url)
        assert sheet.status_code == 200
        csrf = csrf_of(sheet.text)
        items = _items(sheet.text)
        assert len(items) == 10  # the demo plan's ten items, on one screen
        assert "rate-poor" in sheet.text and "0.0 %" in sheet.text
        assert "ยังไม่ระบุสถานะการดำเนินงาน" in sheet.text
        form: dict[str, str] = {"csrf_token": csrf, "version": "0"}
        for n, item in enumerate(items):
            form[f"budget_ordinance-{item}"] = "15,000.50"
            form[f"disbursed-{item}"] = "14999.99"
            form[f"in_ordinance-{item}"] = "1"
            form[f"status-{item}"] = "done" if n < 8 else "cannot"
            form[f"reason-{item}"] = "" if n < 8 else "too_few_staff"
        # A bad amount: the page says what to do beside the field and keeps what was typed.
        bad = dict(form, **{f"disbursed-{items[0]}": "-5", f"status-{items[1]}": "maybe"})
        refused = await client.post(url, data=bad)
        assert refused.status_code == 400
        assert "error-summary" in refused.text and "ทศนิยมไม่เกิน 2 ตำแหน่ง" in refused.text
        assert 'value="-5"' in refused.text and f'href="#disbursed-{items[0]}"' in refused.text
        assert "เลือกสถานะจากรายการ" in refused.text
        no_reason = dict(form, **{f"reason-{items[9]}": ""})
        refused = await client.post(url, data=no_reason)
        assert refused.status_code == 400 and "เลือกเหตุผลที่ดำเนินการไม่ได้" in refused.text
        saved = await client.post(url, data=form, follow_redirects=False)
        assert saved.status_code == 303, saved.text
        again = await client.get(url)
        assert 'value="15,000.50"' in again.text and 'value="14,999.99"' in again.text
        assert "rate-good" in again.text and "80.0 %" in again.text  # 8 of 10 at 12 months
        assert "ยังขาดข้อมูล" not in again.text
        # A save from a stale sheet (version 0) is refused, not silently merged.
        stale = await client.post(url, data=dict(form, **{f"remark-{items[0]}": "x"}))
        assert stale.status_code == 409 and "มีผู้อื่นบันทึก" in stale.text
        # A round outside the plan's years, or no round at all, is not a page.
        assert (await client.get(f"/t/{ORG}/rounds/{plan}/2565-6")).status_code == 404
        assert (await client.get(f"/t/{ORG}/rounds/{plan}/x")).status_code == 404


async def test_viewer_reads_but_cannot_save(demo: Settings) -> None:  # noqa: F811
    async with AsyncTestClient(create_app(demo, configure_logs=False)) as client:
        plan = await _plan_officer(client)
    async with AsyncTestClient(create_app(demo, configure_logs=False)) as client:
        r = await sign_in(client, ORG, "viewer@phangkhwang.example", DEMO_PASSWORD)
        assert r.status_code in (302, 303)
        url = f"/t/{ORG}/rounds/{plan}/2562-6"
        sheet = await client.get(url)
        assert sheet.status_code == 200 and "sheet-save" not in sheet.text
        refused = await client.post(url, data={"csrf_token": csrf_of(sheet.text)})
        assert refused.status_code == 403


async def test_the_api_reads_and_saves_a_round(
    demo: Settings,  # noqa: F811
    tokens: dict[str, dict[str, str]],  # noqa: F811
) -> None:
    async with AsyncTestClient(create_app(demo, configure_logs=False)) as client:
        plan = await _plan_officer(client)
    async with AsyncTestClient(create_app(demo, configure_logs=False)) as client:
        h = tokens["plan_officer"]
        url = f"/api/v1/plans/{plan}/rounds/2563-6"
        got = await client.get(url, headers=h)
        assert got.status_code == 200, got.text
        body = got.json()
        assert body["start"] == "2019-10-01" and body["end"] == "2020-03-31"
        item = body["items"][0]["item_id"]
        entry = {"item_id": item, "budget_ordinance": "1000.10", "status": "in_progress"}
        put = await client.put(url, headers=h, json={"entries": [entry]})
        assert put.status_code == 200, put.text
        saved = put.json()["items"][0]["entry"]
        assert saved["budget_ordinance"] == "1000.10" and saved["status"] == "in_progress"
        for bad, code in (
            ({**entry, "disbursed": "1e9"}, "invalid-round-entry"),
            ({**entry, "status": "cannot"}, "invalid-round-entry"),
            ({**entry, "item_id": "00000000-0000-7000-8000-000000000000"}, "invalid-round-entry"),
        ):
            r = await client.put(url, headers=h, json={"entries": [bad]})
            assert r.status_code in (400, 422), r.text
            assert r.headers["content-type"].startswith("application/problem+json")
            assert r.json()["type"].endswith("/" + code), r.text
        r = await client.put(url, headers=h, json={"entries": [{**entry, "status": "x"}]})
        assert r.status_code == 400
        assert r.headers["content-type"].startswith("application/problem+json")
        r = await client.get(f"/api/v1/plans/{plan}/rounds/2570-6", headers=h)
        assert r.status_code == 400 and r.json()["type"].endswith("/invalid-request")
        staff = await client.put(url, headers=tokens["staff"], json={"entries": [entry]})
        assert staff.status_code == 403
        other = await client.get(url, headers=tokens["other"])
        assert other.status_code == 404


async def test_the_eplannacc_export_has_the_systems_columns(demo: Settings) -> None:  # noqa: F811
    fields = json.loads((FIXTURES / "eplannacc_fields.json").read_text("utf-8"))["columns"]
    async with AsyncTestClient(create_app(demo, configure_logs=False)) as client:
        plan = await _plan_officer(client)
        url = f"/t/{ORG}/rounds/{plan}/2562-12"
        sheet = await client.get(url)
        items = _items(sheet.text)
        form = {"csrf_token": csrf_of(sheet.text), "version": "0"}
        form[f"budget_ordinance-{items[0]}"] = "2,500.25"
        form[f"status-{items[0]}"] = "cannot"
        form[f"reason-{items[0]}"] = "other"
        form[f"remark-{items[0]}"] = '=HYPERLINK("http://x")'  # a formula stays text
        saved = await client.post(url, data=form, follow_redirects=False)
        assert saved.status_code == 303, saved.text
        got = await client.get(f"{url}/eplannacc.xlsx")
        assert got.status_code == 200 and got.content.startswith(b"PK")
        assert "attachment" in got.headers["content-disposition"]
        wb = load_workbook(io.BytesIO(got.content))
        assert wb.sheetnames == ["e-PlanNACC", "ข้อมูล อปท."]
        about = {r[0]: r[1] for r in wb["ข้อมูล อปท."].iter_rows(min_row=2, values_only=True)}
        assert about["ชื่อ อปท."] == "องค์การบริหารส่วนตำบลพังขว้าง"
        assert "จำนวนประชากร (คน)" in about and "ผู้ประสานงาน" in about
        ws = wb.active
        assert ws is not None
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        assert rows[0] == fields
        assert len(rows) == 11  # the header and the plan's ten items
        first = dict(zip(fields, rows[1], strict=True))
        assert first["รหัส อปท."] == ORG and first["ชื่อ อปท."] == "องค์การบริหารส่วนตำบลพังขว้าง"
        assert first["ปีงบประมาณ"] == 2562 and first["รอบการรายงาน"] == "12 เดือน"
        assert first["งบประมาณตามข้อบัญญัติ/เทศบัญญัติ (บาท)"] == 2500.25
        assert first["สถานะการดำเนินงาน"] == "ไม่สามารถดำเนินการได้"
        assert first["เหตุผลที่ไม่สามารถดำเนินการได้"] == "อื่น ๆ"
        assert first["หมายเหตุ"] == '=HYPERLINK("http://x")'
        assert ws.cell(row=2, column=fields.index("หมายเหตุ") + 1).data_type == "s"
        assert first["ประเภท"] in ("โครงการ", "กิจกรรม", "มาตรการ", "แนวปฏิบัติ")
        text = (await client.get(f"{url}/eplannacc.csv")).content.decode("utf-8-sig")
        lines = list(csv.reader(io.StringIO(text)))
        assert lines[0] == fields and len(lines) == 11
        assert lines[1][fields.index("หมายเหตุ")] == '\'=HYPERLINK("http://x")'
        assert (await client.get(f"{url}/eplannacc.pdf")).status_code == 404


async def test_the_api_exports_a_round(
    demo: Settings,  # noqa: F811
    tokens: dict[str, dict[str, str]],  # noqa: F811
) -> None:
    async with AsyncTestClient(create_app(demo, configure_logs=False)) as client:
        plan = await _plan_officer(client)
    async with AsyncTestClient(create_app(demo, configure_logs=False)) as client:
        url = f"/api/v1/plans/{plan}/rounds/2564-6"
        r = await client.get(f"{url}/eplannacc.csv", headers=tokens["staff"])
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
        r = await client.get(f"{url}/eplannacc.doc", headers=tokens["staff"])
        assert r.status_code == 404
        assert r.headers["content-type"].startswith("application/problem+json")
