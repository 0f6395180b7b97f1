"""Importing detail sheets: the CLI, the review store under RLS, accept and reject, the API."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from infra.db.pool import connect, tenant_transaction
from infra.settings import Settings
from infra.tenancy import upsert_organisations
from infra.tokens import create_token
from services.api.app import create_app
from tests.integration.conftest import Api, bearer, make_plan, problem
from tests.support import org

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT / "tests" / "fixtures" / "phangkhwang-2.1.1.txt"
SAMPLES = ROOT / "tests" / "samples" / "imports"


def cli(*args: str, database_url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": "redis://127.0.0.1:9/0"}
    return subprocess.run(
        [sys.executable, "-m", "services.cli", "import", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


def test_dry_run_prints_json_and_touches_no_database() -> None:
    closed = "postgresql://nobody:nothing@127.0.0.1:9/nowhere"  # nothing listens on port 9
    r = cli(
        str(REAL),
        str(SAMPLES / "nongbua-two-sheets.txt"),
        "--dry-run",
        "--format",
        "json",
        database_url=closed,
    )
    assert r.returncode == 0, r.stderr
    sheets = json.loads(r.stdout)
    assert [s["number"] for s in sheets] == ["2.1.1", "3.1.1", "3.2.1"]
    first = sheets[0]
    assert first["kind"] == "activity" and first["budget"] is None
    assert [s["number"] for s in first["steps"]] == [f"6.{i}" for i in range(1, 9)]
    assert first["fiscal_years"] == [2561, 2562, 2563, 2564]
    assert [(o["comparator"], o["target"]) for o in first["output_indicators"]] == [
        ("at_least", 1),
        ("at_least", 1),
        ("exactly", 1),
    ]
    assert len(first["outcomes"]) == 2
    assert {"before": "ไต้รับ", "after": "ได้รับ"}.items() <= next(
        r for r in first["repairs"] if r["before"] == "ไต้รับ"
    ).items()
    assert sheets[2]["budget"] == {"2562": 10000, "2563": 10000, "2564": 0, "2565": 12000}


def test_a_bad_file_on_the_command_line_imports_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "photo.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)
    r = cli(str(bad), "--dry-run", database_url="postgresql://x:y@127.0.0.1:9/z")
    assert r.returncode == 1 and "photo.png" in r.stderr and "nothing was imported" in r.stderr


async def test_the_command_stores_a_batch_only_its_tenant_sees(
    settings: Settings, app_pool: asyncpg.Pool
) -> None:
    a, b = org(), org()
    owner = await connect(settings.database_url)
    try:
        await upsert_organisations(owner, [a, b])
    finally:
        await owner.close()
    r = cli(
        str(SAMPLES / "nongbua-two-sheets.txt"),
        "--tenant",
        a.code,
        "--format",
        "json",
        database_url=settings.database_url,
    )
    assert r.returncode == 0, r.stderr
    batch = json.loads(r.stdout)["batch_id"]
    async with tenant_transaction(app_pool, a.id, readonly=True) as conn:
        rows = await conn.fetch(
            "SELECT status, sheet->>'number' AS n FROM import_sheets WHERE batch_id = $1 "
            "ORDER BY position",
            batch,
        )
    assert [(x["status"], x["n"]) for x in rows] == [("pending", "3.1.1"), ("pending", "3.2.1")]
    async with tenant_transaction(app_pool, b.id, readonly=True) as conn:
        assert await conn.fetchval("SELECT count(*) FROM import_batches") == 0
        assert await conn.fetchval("SELECT count(*) FROM import_sheets") == 0
    async with tenant_transaction(app_pool, b.id) as conn:  # nor can it write A's rows
        assert await conn.execute("UPDATE import_sheets SET status = 'rejected'") == "UPDATE 0"
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await conn.execute(
                "INSERT INTO import_batches (tenant_id, batch_id, created_by, files) "
                "VALUES ($1, gen_random_uuid(), 'x', '[]')",
                a.id,
            )


@pytest.fixture
async def api(settings: Settings) -> AsyncIterator[Api]:
    """The conftest's Api: tokens of an LAO's four roles and one of another LAO."""
    a, b = org(), org()
    owner = await connect(settings.database_url)
    try:
        await upsert_organisations(owner, [a, b])
        tokens = {
            role: await create_token(owner, a.id, role, f"{role}@a")
            for role in ("plan_officer", "executive", "staff", "viewer")
        }
        other = await create_token(owner, b.id, "plan_officer", "officer@b")
    finally:
        await owner.close()
    app = create_app(settings, configure_logs=False)
    async with AsyncTestClient(app) as client:
        yield Api(
            client,
            bearer(tokens["plan_officer"]),
            bearer(tokens["executive"]),
            bearer(tokens["staff"]),
            bearer(tokens["viewer"]),
            bearer(other),
        )


def upload(*paths: Path) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("files", (p.name, p.read_bytes(), "text/plain")) for p in paths]


async def item_events(settings: Settings, item_id: str) -> list[str]:
    owner = await connect(settings.database_url)
    try:
        rows = await owner.fetch(
            "SELECT event_type FROM events WHERE stream_id = $1 ORDER BY version", item_id
        )
    finally:
        await owner.close()
    return [r["event_type"] for r in rows]


async def test_review_then_accept_adds_the_item_by_the_ordinary_events(
    api: Api, settings: Settings
) -> None:
    c = api.client
    r = await c.post("/api/v1/imports", files=upload(REAL), headers=api.officer)
    assert r.status_code == 201, r.text
    batch = r.json()
    (sheet,) = batch["sheets"]
    assert sheet["status"] == "pending" and sheet["sheet"]["number"] == "2.1.1"
    url = f"/api/v1/imports/{batch['batch_id']}/sheets/{sheet['sheet_id']}"

    # Another tenant does not see it; a viewer may not import.
    problem(
        await c.get(f"/api/v1/imports/{batch['batch_id']}", headers=api.other), 404, "not-found"
    )
    problem(
        await c.post("/api/v1/imports", files=upload(REAL), headers=api.viewer), 403, "forbidden"
    )

    # The plan already has 2.1.1: the rule says no and nothing is written.
    plan, _ = await make_plan(api)
    r = await c.post(f"{url}/accept", json={"plan_id": plan}, headers=api.officer)
    problem(r, 409, "item-number-taken")
    plan_sheet = (await c.get(f"/api/v1/plans/{plan}", headers=api.officer)).json()
    assert plan_sheet["items"] == 1  # the count of items: only make_plan's
    assert (await c.get(f"/api/v1/imports/{batch['batch_id']}", headers=api.officer)).json()[
        "sheets"
    ][0]["status"] == "pending"

    r = await c.patch(
        url, json={"number": "2.1.2", "name": "ประกาศเจตจำนง (นำเข้า)"}, headers=api.officer
    )
    assert r.status_code == 200, r.text
    edited = r.json()["sheet"]
    assert edited["number"] == "2.1.2" and edited["repairs"] == sheet["sheet"]["repairs"]

    r = await c.post(f"{url}/accept", json={"plan_id": plan}, headers=api.executive)
    assert r.status_code == 200, r.text
    accepted = r.json()
    assert accepted["status"] == "accepted" and accepted["plan_id"] == plan
    item = accepted["item_id"]

    events = await item_events(settings, item)
    assert events == [
        "ItemHeadingsEdited",
        "NoBudgetDeclared",
        *["StepScheduled"] * 8,
        *["OutputIndicatorDefined"] * 3,
        *["OutcomeIndicatorDefined"] * 2,
    ]
    r = await c.get(f"/api/v1/plans/{plan}/items/{item}", headers=api.officer)
    assert r.status_code == 200, r.text
    view = r.json()
    assert view["number"] == "2.1.2" and view["kind"] == "activity"
    assert view["name"] == "ประกาศเจตจำนง (นำเข้า)"
    assert view["rationale"] == edited["rationale"]
    assert view["objectives"] == edited["objectives"] and view["targets"] == edited["targets"]
    assert view["area"] == edited["area"]
    assert view["responsible_unit"] == edited["responsible"]
    assert view["fiscal_years"] == [2561, 2562, 2563, 2564] and view["no_budget"] is True
    assert [(s["number"], s["title"]) for s in view["steps"]] == [
        (s["number"], s["title"]) for s in edited["steps"]
    ]
    assert [
        (o["text"], o["comparator"], float(o["target"]), o["unit"]) for o in view["outputs"]
    ] == [(o["text"], o["comparator"], o["target"], o["unit"]) for o in edited["output_indicators"]]
    assert [o["text"] for o in view["outcomes"]] == edited["outcomes"]

    # Accepting again changes nothing; a decided sheet can be neither edited nor rejected.
    again = await c.post(f"{url}/accept", json={"plan_id": plan}, headers=api.officer)
    assert again.status_code == 200 and again.json()["item_id"] == item
    assert await item_events(settings, item) == events
    problem(
        await c.patch(url, json={"name": "x"}, headers=api.officer), 409, "import-sheet-decided"
    )
    problem(
        await c.post(f"{url}/reject", json={}, headers=api.officer), 409, "import-sheet-decided"
    )


async def test_a_zip_with_budgets_per_year_and_a_rejected_sheet(api: Api) -> None:
    c = api.client
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name in ("tharae-1.1.2.txt", "nongbua-two-sheets.txt"):
            z.writestr(name, (SAMPLES / name).read_bytes())
    r = await c.post(
        "/api/v1/imports",
        files=[("files", ("plans.zip", buf.getvalue(), "application/zip"))],
        headers=api.officer,
    )
    assert r.status_code == 201, r.text
    batch = r.json()
    assert [s["sheet"]["number"] for s in batch["sheets"]] == ["3.1.1", "3.2.1", "1.1.2"]
    base = f"/api/v1/imports/{batch['batch_id']}/sheets"
    first, second, tharae = (s["sheet_id"] for s in batch["sheets"])

    r = await c.post(
        f"{base}/{first}/reject", json={"reason": "ซ้ำกับรายการเดิม"}, headers=api.officer
    )
    assert r.status_code == 200 and r.json()["status"] == "rejected", r.text
    assert r.json()["reason"] == "ซ้ำกับรายการเดิม"
    problem(
        await c.post(
            f"{base}/{first}/accept", json={"plan_id": batch["batch_id"]}, headers=api.officer
        ),
        409,
        "import-sheet-decided",
    )

    r = await c.post(
        "/api/v1/plans",
        json={"title": "แผน ๕ ปี", "first_year": 2566, "last_year": 2570},
        headers=api.officer,
    )
    plan = r.json()["id"]
    r = await c.post(f"{base}/{tharae}/accept", json={"plan_id": plan}, headers=api.officer)
    assert r.status_code == 200, r.text
    view = (
        await c.get(f"/api/v1/plans/{plan}/items/{r.json()['item_id']}", headers=api.officer)
    ).json()
    assert view["budget"] == {
        "2566": "20000.00",
        "2567": "20000.00",
        "2568": "25000.00",
        "2569": "25000.00",
        "2570": "30000.50",
    }
    assert [(o["comparator"], o["target"], o["unit"]) for o in view["outputs"]] == [
        ("at_least", "80", "%"),
        ("at_least", "1", "ครั้งต่อปี"),
    ]
    # Years outside the plan: refused before anything is written.
    r = await c.post(f"{base}/{second}/accept", json={"plan_id": plan}, headers=api.officer)
    problem(r, 422, "budget-year-outside-plan")

    listed = (await c.get("/api/v1/imports", headers=api.officer)).json()
    assert listed[0]["batch_id"] == batch["batch_id"]
    assert (listed[0]["sheets"], listed[0]["pending"]) == (3, 1)


async def test_bad_uploads_are_clear_problems(api: Api) -> None:
    c = api.client
    r = await c.post(
        "/api/v1/imports",
        files=[("files", ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "image/png"))],
        headers=api.officer,
    )
    assert problem(r, 415, "unreadable-import-file")["file"] == "photo.png"
    r = await c.post(
        "/api/v1/imports",
        files=[("files", ("letter.txt", "เรียน นายก\nขอเชิญประชุม".encode(), "text/plain"))],
        headers=api.officer,
    )
    problem(r, 422, "no-detail-sheet")
    r = await c.post(
        "/api/v1/imports",
        files=[("files", ("x.zip", b"PK\x03\x04 broken", "application/zip"))],
        headers=api.officer,
    )
    problem(r, 415, "unreadable-import-file")
    r = await c.post("/api/v1/imports", json={"files": []}, headers=api.officer)
    assert 400 <= r.status_code < 500
    r = await c.post(
        "/api/v1/imports", files=upload(SAMPLES / "tharae-1.1.2.txt"), headers=api.officer
    )
    sheet = r.json()["sheets"][0]
    url = f"/api/v1/imports/{r.json()['batch_id']}/sheets/{sheet['sheet_id']}"
    problem(
        await c.patch(url, json={"kind": "programme"}, headers=api.officer), 400, "invalid-request"
    )
    problem(await c.patch(url, json={}, headers=api.officer), 400, "invalid-request")
    r = await c.patch(url, json={"no_budget": True}, headers=api.officer)
    assert r.status_code == 200 and r.json()["sheet"]["budget"] is None
