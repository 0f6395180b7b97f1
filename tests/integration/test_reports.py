"""Reports end to end with a real Celery worker process over real Redis: on demand through
the API (202, the job polled until done), the files (PDF with Thai text, XLSX with the same
numbers), determinism, the events, isolation, the scheduler on a round-closing date, and the
provincial summary (one row per LAO of the province)."""

from __future__ import annotations

import asyncio
import io
import subprocess
import sys
import time
import unicodedata
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import asyncpg
import openpyxl
import pytest
from litestar.testing import AsyncTestClient

from domain.reporting.digest import content_hash
from domain.reporting.rounds import ReportingRound
from domain.tenancy.organisations import organisation_id
from infra.db.pool import connect, create_pool, tenant_transaction
from infra.reporting import load_progress_report
from infra.settings import Settings
from infra.tokens import create_token
from services.api.app import create_app
from services.usecases.demo import load_demo
from tests.conftest import Servers, _drop_database, make_database
from tests.integration.accounts import sign_in
from tests.support import celery_worker

pytestmark = pytest.mark.timeout(300)

PK, THA_RAE = organisation_id("6470101"), organisation_id("6470102")
ROUND = "2564-12"  # Phang Khwang's plan 2561-2564: a closed round with data
DEMO_PASSWORD = "sujarit-demo-2569"
TIMINGS: dict[str, float] = {}


def _redis(url: str, db: int) -> str:
    base = url.rsplit("/", 1)[0] if url.count("/") > 2 else url.rstrip("/")
    return f"{base}/{db}"


@pytest.fixture(scope="module")
def demo(servers: Servers, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    name = f"sujarit_reports_{uuid.uuid4().hex[:8]}"
    settings = replace(
        make_database(servers, name),
        data_dir=tmp_path_factory.mktemp("data").resolve(),
        redis_url=_redis(servers.redis_url, 7),
        cookie_secure=False,
    )
    asyncio.run(load_demo(settings))
    yield settings
    asyncio.run(_drop_database(servers.admin_url, name))


def _env(settings: Settings) -> dict[str, str]:
    return {
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": settings.redis_url,
        "SUJARIT_DATA_DIR": str(settings.data_dir),
        "LOG_JSON": "0",
    }


@pytest.fixture(scope="module")
def worker(demo: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One real Celery worker process (the service's app, concurrency 1)."""
    log = tmp_path_factory.mktemp("worker") / "worker.log"
    subprocess.run(  # nothing left queued in this Redis database by an earlier run
        [sys.executable, "-c", f"import redis; redis.Redis.from_url({demo.redis_url!r}).flushdb()"],
        check=True,
    )
    with celery_worker(_env(demo), log, "reports"):
        yield log


@pytest.fixture
async def client(demo: Settings, worker: Path) -> AsyncIterator[AsyncTestClient]:  # type: ignore[type-arg]
    async with AsyncTestClient(create_app(demo, configure_logs=False)) as c:
        yield c


@pytest.fixture(scope="module")
def tokens(demo: Settings) -> dict[str, dict[str, str]]:
    async def make() -> dict[str, dict[str, str]]:
        owner = await connect(demo.database_url)
        try:
            made = {
                role: await create_token(owner, PK, role, f"{role}@phangkhwang.example")
                for role in ("plan_officer", "staff")
            }
            made["other"] = await create_token(owner, THA_RAE, "plan_officer", "plan@tharae")
        finally:
            await owner.close()
        return {k: {"Authorization": f"Bearer {v}"} for k, v in made.items()}

    return asyncio.run(make())


async def _wait(client: Any, location: str, headers: dict[str, str], limit: float = 120) -> Any:
    deadline = time.monotonic() + limit
    while True:
        r = await client.get(location, headers=headers)
        assert r.status_code == 200, r.text
        if r.json()["status"] in ("done", "failed"):
            return r.json()
        assert time.monotonic() < deadline, r.json()
        await asyncio.sleep(0.2)


async def _generate(client: Any, headers: dict[str, str], round_code: str = ROUND) -> Any:
    started = time.monotonic()
    r = await client.post("/api/v1/reports", json={"round": round_code}, headers=headers)
    assert r.status_code == 202, r.text
    assert r.headers["location"] == f"/api/v1/report-jobs/{r.json()['id']}"
    assert r.json()["status"] == "queued"
    job = await _wait(client, r.headers["location"], headers)
    assert job["status"] == "done", job
    TIMINGS.setdefault(f"generate {round_code}", time.monotonic() - started)
    return job


def _skeleton(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return "".join(
        c for c in text if not c.isspace() and not unicodedata.category(c).startswith("M")
    )


async def _events(demo: Settings, tenant: uuid.UUID, types: tuple[str, ...]) -> list[Any]:
    owner = await connect(demo.database_url)
    try:
        return list(
            await owner.fetch(
                "SELECT event_type, data FROM events WHERE tenant_id = $1 "
                "AND event_type = ANY($2::text[]) ORDER BY sequence",
                tenant,
                list(types),
            )
        )
    finally:
        await owner.close()


async def test_on_demand_report_pdf_xlsx_deterministic_and_events(
    client: Any, demo: Settings, tokens: dict[str, dict[str, str]], tmp_path: Path
) -> None:
    officer = tokens["plan_officer"]
    job = await _generate(client, officer)
    by_format = {r["format"]: r for r in job["reports"]}
    assert set(by_format) == {"pdf", "xlsx"}
    pool = await create_pool(demo.app_url, min_size=1, max_size=2)
    try:
        expected = await load_progress_report(
            pool, PK, ReportingRound.parse(ROUND), ReportingRound.parse(ROUND).end
        )
    finally:
        await pool.close()
    assert job["content_hash"] == content_hash(expected)

    pdf = await client.get(by_format["pdf"]["download"], headers=officer)
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-type"] == "application/pdf"
    disposition = pdf.headers["content-disposition"]
    assert 'filename="sujarit-report-6470101-2564-12.pdf"' in disposition
    assert "filename*=UTF-8''%E0%B8%A3" in disposition  # รายงาน... percent-encoded
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf.content)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert expected.items
    for item in expected.items[:3]:
        assert _skeleton(item.name)[:20] in _skeleton(text), item.name

    xlsx = await client.get(by_format["xlsx"]["download"], headers=officer)
    assert xlsx.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    overview = {row[0]: row[1] for row in wb["สรุป"].iter_rows(values_only=True) if row[0]}
    assert overview["ขั้นตอนทั้งหมด"] == expected.steps_total
    assert overview["ขั้นตอนที่ดำเนินการแล้ว"] == expected.steps_done
    assert overview["ขั้นตอนที่เกินกำหนด"] == expected.overdue
    assert overview["จำนวนโครงการ/กิจกรรม/มาตรการ"] == len(expected.items)
    assert overview["รหัสตรวจสอบเนื้อหา (SHA-256)"] == job["content_hash"]

    # Regenerate: the same events, the same content hash, nothing stored or recorded twice.
    again = await _generate(client, officer)
    assert again["content_hash"] == job["content_hash"]
    assert {r["sha256"] for r in again["reports"]} == {r["sha256"] for r in job["reports"]}
    listed = (await client.get(f"/api/v1/reports?round={ROUND}", headers=officer)).json()
    assert len(listed) == 2
    generated = await _events(demo, PK, ("ReportGenerated",))
    assert len(generated) == 1
    data = generated[0]["data"]
    assert data["round"] == ROUND and data["content_hash"] == job["content_hash"]
    assert {f["sha256"] for f in data["files"]} == {r["sha256"] for r in job["reports"]}

    # Submit to the province: staff may not; the plan officer may, once the round is complete.
    url = f"/api/v1/reports/{by_format['pdf']['id']}/submission"
    r = await client.post(url, headers=tokens["staff"])
    assert r.status_code == 403
    r = await client.post(url, headers=officer)
    assert r.status_code == 409 and r.json()["type"].endswith("/report-incomplete"), r.text
    assert "ยังไม่ระบุสถานะการดำเนินงาน" in r.json()["title"] and r.json()["lacking"]
    # The round table filled in: the report made before it is stale until regenerated.
    plans = (await client.get("/api/v1/plans", headers=officer)).json()
    plan = next(p for p in plans if p["first_year"] == 2561)["plan_id"]
    rounds = f"/api/v1/plans/{plan}/rounds/{ROUND}"
    items = (await client.get(rounds, headers=officer)).json()["items"]
    entries = [{"item_id": i["item_id"], "status": "done"} for i in items]
    assert (await client.put(rounds, headers=officer, json={"entries": entries})).status_code == 200
    r = await client.post(url, headers=officer)
    assert r.status_code == 409 and "สร้างรายงานใหม่" in r.json()["title"], r.text
    fresh = await _generate(client, officer)
    url = f"/api/v1/reports/{fresh['reports'][0]['id']}/submission"
    r = await client.post(url, headers=officer)
    assert r.status_code == 200, r.text
    r = await client.post(url, headers=officer)
    assert r.status_code == 409 and r.json()["type"].endswith("/report-already-submitted"), r.text
    submitted = await _events(demo, PK, ("ReportSubmitted",))
    assert len(submitted) == 1 and submitted[0]["data"]["submitted_by"].startswith("plan_officer")
    listed = (await client.get("/api/v1/reports", headers=officer)).json()
    sent = [r for r in listed if r["round"] == ROUND and r["content_hash"] == fresh["content_hash"]]
    assert sent and all(r["submitted_at"] for r in sent)


async def test_bad_rounds_and_another_tenants_reports(
    client: Any, demo: Settings, tokens: dict[str, dict[str, str]]
) -> None:
    officer, other = tokens["plan_officer"], tokens["other"]
    for bad in ("2568-7", "abc", "2599-6"):
        r = await client.post("/api/v1/reports", json={"round": bad}, headers=officer)
        # A round that has not begun is well formed: the day says no (409), not the request.
        assert r.status_code == (409 if bad == "2599-6" else 400), r.text
        assert r.headers["content-type"].startswith("application/problem+json")
    job = await _generate(client, officer, "2564-6")
    report = job["reports"][0]
    for url in (report["download"], f"/api/v1/report-jobs/{job['id']}"):
        assert (await client.get(url, headers=other)).status_code == 404
    r = await client.post(f"/api/v1/reports/{report['id']}/submission", headers=other)
    assert r.status_code == 404
    assert (await client.get("/api/v1/reports", headers=other)).json() == []
    # Row-level security: the web role inside Tha Rae sees none of Phang Khwang's rows.
    pool = await create_pool(demo.app_url, min_size=1, max_size=2)
    try:
        async with tenant_transaction(pool, THA_RAE, readonly=True) as conn:
            for table in ("reports", "report_jobs", "province_reports"):
                assert await conn.fetchval(f"SELECT count(*) FROM {table}") == 0
        async with pool.acquire() as conn:
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await conn.fetchval("SELECT count(*) FROM reports")
    finally:
        await pool.close()


def test_scheduled_reports_on_a_round_closing_date(
    demo: Settings, worker: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from services.workers.reports import scheduled_reports

    for k, v in _env(demo).items():
        monkeypatch.setenv(k, v)
    # 1 April 2027 (Bangkok): the 6-month round of FY 2570 closed yesterday; a new month.
    at = "2027-04-01T00:30:00+00:00"
    started = time.monotonic()
    first = scheduled_reports(at)
    assert first == {"tenants": 3, "provinces": 1}, first
    assert scheduled_reports(at) == {"tenants": 0, "provinces": 0}  # queued already

    async def jobs() -> list[Any]:
        owner = await connect(demo.database_url)
        try:
            return list(
                await owner.fetch(
                    "SELECT scope, status, error, round FROM report_jobs "
                    "WHERE requested_by = 'scheduler' AND created_at > now() - interval '1 hour'"
                )
            )
        finally:
            await owner.close()

    deadline = time.monotonic() + 180
    rows = asyncio.run(jobs())
    while any(j["status"] in ("queued", "running") for j in rows):
        assert time.monotonic() < deadline, rows
        time.sleep(0.3)
        rows = asyncio.run(jobs())
    assert all(j["status"] == "done" for j in rows), rows
    assert sorted((j["scope"], j["round"]) for j in rows) == [
        ("province", "2570-12"),
        ("tenant", "2570-6"),
        ("tenant", "2570-6"),
        ("tenant", "2570-6"),
    ]
    TIMINGS["scheduled: 3 LAO reports + 1 summary"] = time.monotonic() - started
    # The next day: every LAO has its report, the province its summary of the month.
    assert scheduled_reports("2027-04-02T00:30:00+00:00") == {"tenants": 0, "provinces": 0}

    async def as_of() -> set[date]:
        owner = await connect(demo.database_url)
        try:
            rows = await owner.fetch("SELECT DISTINCT as_of FROM reports WHERE round = '2570-6'")
            return {r["as_of"] for r in rows}
        finally:
            await owner.close()

    assert asyncio.run(as_of()) == {date(2027, 3, 31)}


async def test_province_summary_for_the_reviewer(
    client: Any, demo: Settings, tokens: dict[str, dict[str, str]]
) -> None:
    from services.workers.reports import enqueue

    # LAO members do not read the province's summaries.
    r = await client.get("/api/v1/province/reports", headers=tokens["plan_officer"])
    assert r.status_code == 403
    # The summary of Phang Khwang's closed round (its report was submitted above, if run).
    owner = await connect(demo.database_url)
    try:
        await owner.execute("DELETE FROM province_reports WHERE round = $1", ROUND)
        laos = await owner.fetchval("SELECT count(*) FROM organisations WHERE province_code = '47'")
        submitted = await owner.fetchval(
            "SELECT count(DISTINCT tenant_id) FROM reports WHERE round = $1 "
            "AND submitted_at IS NOT NULL",
            ROUND,
        )
    finally:
        await owner.close()
    await asyncio.to_thread(enqueue, demo, "sujarit.generate_province_summary", ["47", ROUND])
    assert (
        await sign_in(client, "po-47", "reviewer@sakonnakhon.example", DEMO_PASSWORD)
    ).status_code in (302, 303)
    deadline = time.monotonic() + 120
    while not (rows := (await client.get(f"/api/v1/province/reports?round={ROUND}")).json()):
        assert time.monotonic() < deadline
        await asyncio.sleep(0.3)
    assert {r["format"] for r in rows} == {"pdf", "xlsx"}
    assert all(r["laos"] == laos for r in rows)
    xlsx = next(r for r in rows if r["format"] == "xlsx")
    got = await client.get(xlsx["download"])
    assert got.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(got.content))["สรุป"]
    codes = [row[1] for row in ws.iter_rows(min_row=2, values_only=True) if row[0]]
    assert codes == ["6470101", "6470102", "6470103"][:laos]
    submitted_col = [row[15] for row in ws.iter_rows(min_row=2, values_only=True) if row[0]]
    assert sum(1 for v in submitted_col if v) == submitted
    pdf = next(r for r in rows if r["format"] == "pdf")
    assert (await client.get(pdf["download"])).content.startswith(b"%PDF")


def test_timings_are_printed() -> None:
    print("\nreport timings (s):", {k: round(v, 2) for k, v in TIMINGS.items()})
