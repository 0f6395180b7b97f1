"""Importing a whole plan through the API: one review for the plan, a draft plan made from
it, items accepted one at a time then all at once by the ordinary commands, under RLS."""

from __future__ import annotations

import json
from pathlib import Path

from infra.settings import Settings
from tests.integration.conftest import Api, problem
from tests.integration.test_imports import (  # noqa: F401 (api: a fixture)
    api,
    cli,
    item_events,
    upload,
)

ROOT = Path(__file__).resolve().parents[2]
PLAN = ROOT / "tests" / "samples" / "imports" / "plans" / "phonsawan-2566-2570-plan.txt"
SHEET = ROOT / "tests" / "samples" / "imports" / "tharae-1.1.2.txt"


async def test_a_whole_plan_reviewed_drafted_and_accepted(api: Api, settings: Settings) -> None:  # noqa: F811
    c = api.client
    r = await c.post("/api/v1/imports/plan", files=upload(PLAN), headers=api.officer)
    assert r.status_code == 201, r.text
    review = r.json()
    batch = review["batch_id"]
    assert (review["first_year"], review["last_year"], review["round"]) == (2566, 2570, "2566-2570")
    assert review["counts"]["items"] == 6 and review["counts"]["matched"] == 5
    assert review["counts"]["pending"] == 6 and review["counts"]["repairs"] > 10
    dims = {d["number"]: d for d in review["dimensions"]}
    assert dims[2]["title"] == "การบริหารราชการด้วยความโปร่งใส"
    placed = {
        s["number"]: [(i["number"], i["table"]["listed_as"], i["matched_by"]) for i in s["items"]]
        for d in review["dimensions"]
        for s in d["sub_items"]
        if s["items"]
    }
    assert placed["1.1"] == [
        ("1.1.1", "1.1.1 (1)", "listed_as"),
        ("1.1.2", "1.1.1 (2)", "listed_as"),
        ("1.1.3", "1.1.2 (1)", ""),
    ]
    assert placed["3.1"] == [("3.1.1", "3.1.1", "number")]
    damaged = next(i for i in dims[2]["sub_items"][1]["items"])["sheet"]["sheet"]
    assert ["ไมนอยกวา", "ไม่น้อยกว่า"] in [[x["before"], x["after"]] for x in damaged["repairs"]]

    # Another tenant sees nothing of it; a batch of loose sheets is not a plan.
    problem(await c.get(f"/api/v1/imports/{batch}/plan", headers=api.other), 404, "not-found")
    loose = (await c.post("/api/v1/imports", files=upload(SHEET), headers=api.officer)).json()
    problem(
        await c.get(f"/api/v1/imports/{loose['batch_id']}/plan", headers=api.officer),
        409,
        "not-a-plan-import",
    )
    problem(
        await c.post("/api/v1/imports/plan", files=upload(SHEET, PLAN), headers=api.officer),
        400,
        "invalid-request",
    )

    # One item first: a draft plan is made from the import (its years and round).
    r = await c.post(
        f"/api/v1/imports/{batch}/plan/accept", json={"positions": [1]}, headers=api.officer
    )
    assert r.status_code == 200, r.text
    first = r.json()
    plan_id = first["plan_id"]
    assert [a["number"] for a in first["accepted"]] == ["1.1.1"] and first["refused"] == []
    plan = (await c.get(f"/api/v1/plans/{plan_id}", headers=api.officer)).json()
    assert (plan["first_year"], plan["last_year"]) == (2566, 2570)

    # Then all the rest, into the same plan (the same batch drafts the same plan).
    r = await c.post(f"/api/v1/imports/{batch}/plan/accept", json={}, headers=api.executive)
    assert r.status_code == 200, r.text
    rest = r.json()
    assert rest["plan_id"] == plan_id and rest["refused"] == []
    assert [a["number"] for a in rest["accepted"]] == ["1.1.2", "1.1.3", "1.3.1", "2.2.1", "3.1.1"]
    after = (await c.get(f"/api/v1/imports/{batch}/plan", headers=api.officer)).json()
    assert after["counts"]["accepted"] == 6 and after["counts"]["pending"] == 0

    item = first["accepted"][0]["item_id"]
    view = (await c.get(f"/api/v1/plans/{plan_id}/items/{item}", headers=api.officer)).json()
    assert view["number"] == "1.1.1" and view["kind"] == "project"
    assert view["fiscal_years"] == [2566, 2567, 2568, 2569, 2570]
    assert [(o["comparator"], float(o["target"]), o["unit"]) for o in view["outputs"]] == [
        ("at_least", 1.0, "ครั้งต่อปี"),
        ("at_least", 90.0, "%"),
    ]
    events = await item_events(settings, item)
    assert events == [
        "ItemHeadingsEdited",
        "BudgetSet",
        *["StepScheduled"] * 4,
        *["OutputIndicatorDefined"] * 2,
        *["OutcomeIndicatorDefined"] * 2,
    ]

    # Nothing left to accept: a second "all" adds nothing.
    again = (
        await c.post(f"/api/v1/imports/{batch}/plan/accept", json={}, headers=api.officer)
    ).json()
    assert again == {"plan_id": plan_id, "accepted": [], "refused": []}
    problem(
        await c.post(
            f"/api/v1/imports/{batch}/plan/accept", json={"positions": [99]}, headers=api.officer
        ),
        404,
        "not-found",
    )
    problem(
        await c.post(f"/api/v1/imports/{batch}/plan/accept", json={}, headers=api.viewer),
        403,
        "forbidden",
    )


def test_the_command_reads_a_whole_plan_without_a_database() -> None:
    r = cli(
        "--plan",
        "--dry-run",
        "--format",
        "json",
        str(PLAN),
        database_url="postgresql://nobody@127.0.0.1:9/none",
    )
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert (data["first_year"], data["last_year"]) == (2566, 2570)
    assert data["counts"] == {"table_items": 6, "sheets": 5, "matched": 5}
    two = cli("--plan", "--dry-run", str(PLAN), str(SHEET), database_url="postgresql://x@h:9/n")
    assert two.returncode == 2 and "one file" in two.stderr
