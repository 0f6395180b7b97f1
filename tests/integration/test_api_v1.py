"""The JSON API under /api/v1: every endpoint, 401/403/404/409/412/422, idempotent retries."""

from __future__ import annotations

import uuid

from litestar.testing import AsyncTestClient

from infra.db.pool import connect
from infra.queries import plans as plan_queries
from infra.settings import Settings
from services.api.app import create_app
from tests.integration.conftest import (
    SHEET,
    Api,
    bearer,
    complete_the_sheet,
    make_plan,
    problem,
)
from tests.support import make_tenants


async def test_without_or_with_a_bad_token_is_401(api: Api) -> None:
    problem(await api.client.get("/api/v1/plans"), 401, "unauthorized")
    problem(
        await api.client.get("/api/v1/plans", headers=bearer("sjt_" + "0" * 32 + "_" + "x" * 43)),
        401,
        "unauthorized",
    )


async def test_a_plan_from_draft_to_promulgation(api: Api) -> None:
    c = api.client
    plan, item = await make_plan(api)
    base = f"/api/v1/plans/{plan}/items/{item}"
    r = await c.patch(
        base,
        headers={**api.officer, "If-Match": '"0"'},
        json=SHEET,  # every heading the promulgation checks (steps and indicators below)
    )
    assert r.status_code == 200 and r.headers["etag"] == '"1"', r.text
    r = await c.put(f"{base}/budget", headers=api.officer, json={"no_budget": True})
    assert r.status_code == 200
    for n, due in [("6.1", "2017-10-31"), ("6.5", "2018-03-31")]:
        r = await c.post(
            f"{base}/steps",
            headers=api.officer,
            json={"number": n, "title": f"ขั้นตอน {n}", "due": due, "responsible": ["Staff@A"]}
            if n == "6.1"
            else {"number": n, "title": f"ขั้นตอน {n}", "due": due},
        )
        assert r.status_code == 201, r.text
    # Staff record progress only on the steps that name them (6.5 names nobody).
    problem(
        await c.post(f"{base}/steps/6.5/start", headers=api.staff, json={"on": "2018-01-02"}),
        403,
        "forbidden",
    )
    r = await c.post(
        f"{base}/steps/6.1/complete",
        headers=api.staff,
        json={
            "on": "2017-10-20",
            "note": "ลงนามแล้ว",
            "links": [{"url": "https://phangkhwang.go.th/declaration.pdf"}],
        },
    )
    assert r.status_code == 200, r.text
    problem(
        await c.post(f"{base}/steps/6.1/complete", headers=api.staff, json={"on": "2017-10-21"}),
        409,
        "step-already-completed",
    )
    r = await c.post(
        f"{base}/outputs",
        headers=api.officer,
        json={
            "id": "o1",
            "text": "มีประกาศเจตจำนง",
            "comparator": "at_least",
            "target": "1",
            "unit": "ฉบับ",
        },
    )
    assert r.status_code == 201, r.text
    r = await c.post(
        f"{base}/indicators/o1/results", headers=api.staff, json={"fiscal_year": 2561, "value": "1"}
    )
    assert r.status_code == 200, r.text

    problem(
        await c.post(
            f"/api/v1/plans/{plan}/promulgation",
            headers=api.officer,
            json={"on": "2017-10-25", "executive": "นายก"},
        ),
        403,
        "forbidden",
    )
    r = await c.post(
        f"/api/v1/plans/{plan}/promulgation",
        headers=api.executive,
        json={"on": "2017-10-25", "executive": "นายก อบต.พังขว้าง"},
    )
    assert r.status_code == 200, r.text

    r = await c.get(f"/api/v1/plans/{plan}", headers=api.viewer)
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "promulgated" and body["steps_done"] == 1
    sub = body["dimensions"][1]["sub_items"][0]
    assert sub["number"] == "2.1" and sub["items"][0]["number"] == "2.1.1"
    assert sub["items"][0]["overdue"] == ["6.5"]  # due 31 Mar 2018, not completed
    r = await c.get(base, headers=api.viewer)
    sheet = r.json()
    assert sheet["outputs"][0]["results"][0]["value"] == "1"
    assert sheet["steps"][0]["evidence"][0]["url"].endswith("declaration.pdf")
    r = await c.get(
        "/api/v1/deadlines", headers=api.viewer, params={"start": "2017-10-01", "end": "2018-09-30"}
    )
    assert [d["step_number"] for d in r.json()] == ["6.1", "6.5"]
    assert [d["overdue"] for d in r.json()] == [False, True]
    r = await c.get("/api/v1/timeline", headers=api.viewer)
    assert r.json()[0]["event_type"] == "PlanPromulgated"
    assert r.json()[0]["actor"] == "executive@a"


async def test_as_of_a_date_between_two_events(api: Api) -> None:
    plan, item = await make_plan(api)
    today = await api.client.get(f"/api/v1/plans/{plan}", headers=api.viewer)
    assert today.json()["items"] == 1
    r = await api.client.get(
        f"/api/v1/plans/{plan}", headers=api.viewer, params={"as_of": "2000-01-01"}
    )
    problem(r, 404, "not-found")
    r = await api.client.get(
        f"/api/v1/plans/{plan}/items/{item}", headers=api.viewer, params={"as_of": "2099-01-01"}
    )
    assert r.status_code == 200 and r.json()["number"] == "2.1.1"


async def test_if_match_mismatch_is_412_and_writes_nothing(api: Api) -> None:
    plan, item = await make_plan(api)
    base = f"/api/v1/plans/{plan}/items/{item}"
    problem(
        await api.client.patch(
            base, headers={**api.officer, "If-Match": '"7"'}, json={"area": "x"}
        ),
        412,
        "precondition-failed",
    )
    problem(
        await api.client.patch(
            base, headers={**api.officer, "If-Match": "abc"}, json={"area": "x"}
        ),
        400,
        "invalid-request",
    )
    r = await api.client.get(base, headers=api.viewer)
    assert r.json()["area"] == "" and r.headers["etag"] == '"0"'


async def test_the_list_of_plans_is_each_summary_without_its_catalogue(
    api: Api, settings: Settings
) -> None:
    plan, _item = await make_plan(api)
    listed = (await api.client.get("/api/v1/plans", headers=api.viewer)).json()
    owner = await connect(settings.database_url)
    try:
        stored = dict(
            await owner.fetchval(
                "SELECT summary FROM plan_views WHERE plan_id = $1", uuid.UUID(plan)
            )
        )
        # the list's query: PostgreSQL drops the catalogue, it is neither sent nor decoded
        rows = await owner.fetch(plan_queries.PLAN_LIST)
    finally:
        await owner.close()
    assert "catalogue" in stored and stored["catalogue"]["dimensions"]
    assert listed == [{k: v for k, v in stored.items() if k != "catalogue"}]
    assert all("catalogue" not in dict(r["summary"]) for r in rows)


async def test_idempotent_retry_gets_the_same_response(api: Api) -> None:
    headers = {**api.officer, "Idempotency-Key": f"draft-{uuid.uuid4()}"}
    body = {"title": "แผน", "first_year": 2566, "last_year": 2570}
    first = await api.client.post("/api/v1/plans", json=body, headers=headers)
    again = await api.client.post("/api/v1/plans", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert again.json()["duplicate"] is True
    plans = (await api.client.get("/api/v1/plans", headers=api.viewer)).json()
    assert sum(p["plan_id"] == first.json()["id"] for p in plans) == 1
    problem(
        await api.client.post("/api/v1/plans", json={**body, "title": "อื่น"}, headers=headers),
        422,
        "idempotency-key-reused",
    )


async def test_rules_are_422_with_stable_types(api: Api) -> None:
    plan, item = await make_plan(api)
    base = f"/api/v1/plans/{plan}/items/{item}"
    problem(
        await api.client.post(
            f"/api/v1/plans/{plan}/items",
            headers=api.officer,
            json={"number": "2.1.1", "kind": "project", "name": "ซ้ำ"},
        ),
        409,
        "item-number-taken",
    )
    problem(
        await api.client.post(
            f"{base}/steps",
            headers=api.officer,
            json={"number": "6.1", "title": "x", "due": "2030-01-01"},
        ),
        422,
        "due-date-outside-plan",
    )
    problem(
        await api.client.put(
            f"{base}/budget", headers=api.officer, json={"amounts": {"2562": "-5"}}
        ),
        422,
        "negative-amount",
    )
    problem(
        await api.client.post(
            "/api/v1/plans",
            headers=api.officer,
            json={"title": "แผน", "first_year": 2561, "last_year": 2570},
        ),
        422,
        "invalid-fiscal-years",
    )
    problem(
        await api.client.post(
            "/api/v1/plans", headers=api.officer, json={"title": "แผน", "first_year": "สองพัน"}
        ),
        400,
        "invalid-request",
    )
    problem(
        await api.client.post(
            f"{base}/steps/9.9/start", headers=api.staff, json={"on": "2018-01-01"}
        ),
        404,
        "unknown-step",
    )


async def test_another_tenants_ids_are_not_found(api: Api) -> None:
    plan, item = await make_plan(api)
    for path in (f"/api/v1/plans/{plan}", f"/api/v1/plans/{plan}/items/{item}"):
        problem(await api.client.get(path, headers=api.other), 404, "not-found")
    problem(
        await api.client.patch(
            f"/api/v1/plans/{plan}/items/{item}", headers=api.other, json={"area": "x"}
        ),
        404,
        "not-found",
    )
    assert (await api.client.get("/api/v1/plans", headers=api.other)).json() == []


async def test_roles_limit_writes(api: Api) -> None:
    plan, item = await make_plan(api)
    problem(
        await api.client.patch(
            f"/api/v1/plans/{plan}/items/{item}", headers=api.viewer, json={"area": "x"}
        ),
        403,
        "forbidden",
    )
    problem(
        await api.client.patch(
            f"/api/v1/plans/{plan}/items/{item}", headers=api.staff, json={"area": "x"}
        ),
        403,
        "forbidden",
    )


async def test_declaration_published_and_announced(api: Api) -> None:
    c = api.client
    problem(
        await c.post(
            f"/api/v1/declarations/{uuid.uuid4()}/publication",
            headers=api.executive,
            json={"on": "2017-10-02"},
        ),
        404,
        "not-found",
    )
    r = await c.post("/api/v1/declarations", headers=api.officer, json={"text": "", "signers": []})
    d = r.json()["id"]
    problem(
        await c.post(
            f"/api/v1/declarations/{d}/publication",
            headers=api.executive,
            json={"on": "2017-10-02"},
        ),
        422,
        "empty-declaration",
    )
    r = await c.put(
        f"/api/v1/declarations/{d}",
        headers=api.officer,
        json={"text": "ข้าพเจ้าขอประกาศเจตจำนงสุจริต", "signers": ["นายก อบต.พังขว้าง"]},
    )
    assert r.status_code == 200, r.text
    assert (
        await c.post(
            f"/api/v1/declarations/{d}/publication",
            headers=api.executive,
            json={"on": "2017-10-02"},
        )
    ).status_code == 200
    r = await c.post(
        f"/api/v1/declarations/{d}/announcements",
        headers=api.officer,
        json={
            "channel": "website",
            "on": "2017-10-03",
            "links": [{"url": "https://phangkhwang.go.th/ita/o1"}],
        },
    )
    assert r.status_code == 200, r.text
    view = (await c.get(f"/api/v1/declarations/{d}", headers=api.viewer)).json()
    assert view["published_on"] == "2017-10-02" and view["announcements"][0]["channel"] == "website"


async def test_complaints_counted_per_fiscal_year(api: Api) -> None:
    c = api.client
    ids = []
    for on in ("2017-11-01", "2018-05-01", "2018-10-01"):
        r = await c.post(
            "/api/v1/complaints",
            headers=api.officer,
            json={"on": on, "channel": "phone", "category": "การให้บริการ"},
        )
        assert r.status_code == 201, r.text
        ids.append(r.json()["id"])
    r = await c.post(
        f"/api/v1/complaints/{ids[0]}/progress", headers=api.officer, json={"on": "2017-11-02"}
    )
    assert r.status_code == 200, r.text
    problem(  # an outcome from the list is required, as on the page
        await c.post(
            f"/api/v1/complaints/{ids[0]}/resolution",
            headers=api.officer,
            json={"on": "2017-12-01"},
        ),
        422,
        "invalid-complaint",
    )
    problem(
        await c.post(
            f"/api/v1/complaints/{ids[0]}/resolution",
            headers=api.officer,
            json={"on": "2017-12-01", "outcome": "ok"},
        ),
        400,
        "invalid-request",
    )
    problem(  # not before it was taken up
        await c.post(
            f"/api/v1/complaints/{ids[0]}/resolution",
            headers=api.officer,
            json={"on": "2017-11-01", "outcome": "substantiated"},
        ),
        422,
        "invalid-complaint",
    )
    r = await c.post(
        f"/api/v1/complaints/{ids[0]}/resolution",
        headers=api.officer,
        json={"on": "2017-12-01", "outcome": "substantiated"},
    )
    assert r.status_code == 200
    problem(
        await c.post(
            f"/api/v1/complaints/{ids[0]}/resolution",
            headers=api.officer,
            json={"on": "2017-12-02", "outcome": "other"},
        ),
        409,
        "complaint-already-resolved",
    )
    problem(  # no personal data: a phone number in the subject is refused
        await c.post(
            "/api/v1/complaints",
            headers=api.officer,
            json={"on": "2018-01-01", "channel": "phone", "category": "ถนนชำรุด โทร 081-234-5678"},
        ),
        422,
        "invalid-complaint",
    )
    listed = (await c.get("/api/v1/complaints?fiscal_year=2561", headers=api.viewer)).json()
    assert [(x["received_on"], x["status"], x["outcome"]) for x in listed] == [
        ("2018-05-01", "received", ""),
        ("2017-11-01", "resolved", "substantiated"),
    ]
    r = await c.get("/api/v1/complaints/per-fiscal-year", headers=api.viewer)
    assert r.json() == [
        {"fiscal_year": 2561, "received": 2, "resolved": 1},
        {"fiscal_year": 2562, "received": 1, "resolved": 0},
    ]


async def test_tokens_create_prints_a_working_token_once(settings: Settings) -> None:
    import os
    import subprocess
    import sys

    owner = await connect(settings.database_url)
    try:
        [tenant] = await make_tenants(owner, 1)
        code = await owner.fetchval("SELECT code FROM organisations WHERE id = $1", tenant)
    finally:
        await owner.close()

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "services.cli", "tokens", "create", *args],
            env={**os.environ, "DATABASE_URL": settings.database_url},
            capture_output=True,
            text=True,
            timeout=60,
        )

    r = cli("--tenant", code, "--role", "viewer", "--actor", "website")
    assert r.returncode == 0, r.stderr
    token = r.stdout.strip()
    assert token.startswith("sjt_") and "shown once" in r.stderr
    assert cli("--tenant", "nope", "--role", "viewer", "--actor", "x").returncode == 1
    assert cli("--tenant", code, "--role", "king", "--actor", "x").returncode == 2
    async with AsyncTestClient(create_app(settings, configure_logs=False)) as client:
        r = await client.get("/api/v1/plans", headers=bearer(token))
        assert r.status_code == 200 and r.json() == []
        problem(
            await client.post(
                "/api/v1/plans",
                headers=bearer(token),
                json={"title": "x", "first_year": 2566, "last_year": 2570},
            ),
            403,
            "forbidden",
        )


async def test_item_2_1_1_outputs_count_declarations_by_themselves(api: Api) -> None:
    c = api.client
    plan, item = await make_plan(api)
    base = f"/api/v1/plans/{plan}/items/{item}"
    for ind_id, text, comparator, measure in [
        ("o1", "มีประกาศเจตจำนงฯ อย่างน้อย ๑ ฉบับ", "at_least", "declarations_published"),
        ("o2", "ประกาศต่อสาธารณชน อย่างน้อย ๑ ครั้ง", "at_least", "declarations_announced"),
        ("o3", "แผนปฏิบัติการ ๔ ปี จำนวน ๑ ฉบับ", "exactly", "plans_promulgated"),
    ]:
        r = await c.post(
            f"{base}/outputs",
            headers=api.officer,
            json={
                "id": ind_id,
                "text": text,
                "comparator": comparator,
                "target": "1",
                "unit": "ฉบับ",
                "measure": measure,
            },
        )
        assert r.status_code == 201, r.text
    d = (
        await c.post(
            "/api/v1/declarations",
            headers=api.officer,
            json={"text": "ประกาศเจตจำนงสุจริต", "signers": ["นายก"]},
        )
    ).json()["id"]
    await c.post(
        f"/api/v1/declarations/{d}/publication", headers=api.executive, json={"on": "2017-10-02"}
    )
    await c.post(
        f"/api/v1/declarations/{d}/announcements",
        headers=api.officer,
        json={"channel": "notice_board", "on": "2017-10-03"},
    )
    await complete_the_sheet(api, plan, item)
    r = await c.post(
        f"/api/v1/plans/{plan}/promulgation",
        headers=api.executive,
        json={"on": "2017-10-25", "executive": "นายก"},
    )
    assert r.status_code == 200, r.text
    sheet = (await c.get(base, headers=api.viewer)).json()
    fy2561 = {o["indicator_id"]: o["by_year"][0] for o in sheet["outputs"]}
    assert {
        k: (v["fiscal_year"], v["value"], v["source"], v["attainment"]) for k, v in fy2561.items()
    } == {
        "o1": (2561, "1", "counted", "met"),
        "o2": (2561, "1", "counted", "met"),
        "o3": (2561, "1", "counted", "met"),
    }
    # The declaration is an output of the plan as a whole: FY 2562 counts the one of 2561.
    fy2562 = sheet["outputs"][0]["by_year"][1]
    assert (fy2562["fiscal_year"], fy2562["value"], fy2562["attainment"]) == (2562, "1", "met")


async def test_the_remaining_plan_and_step_endpoints(api: Api) -> None:
    c = api.client
    plan, item = await make_plan(api)
    base = f"/api/v1/plans/{plan}/items/{item}"
    r = await c.patch(
        f"/api/v1/plans/{plan}",
        headers=api.officer,
        json={"title": "แผนปฏิบัติการป้องกันการทุจริต ๔ ปี", "first_year": 2561, "last_year": 2564},
    )
    assert r.status_code == 200, r.text
    assert (
        await c.put(f"{base}/number", headers=api.officer, json={"number": "2.1.2"})
    ).status_code == 200
    await c.post(
        f"{base}/steps",
        headers=api.officer,
        json={
            "number": "6.7",
            "title": "ดำเนินการตามแผน",
            "fiscal_year": 2562,
            "responsible": ["งานกฎหมายและคดี", "staff@a"],
        },
    )
    assert (
        await c.post(f"{base}/steps/6.7/start", headers=api.staff, json={"on": "2018-10-05"})
    ).status_code == 200
    r = await c.post(
        f"{base}/steps/6.7/reschedule",
        headers=api.officer,
        json={"reason": "รอผลการประชุม", "due": "2019-03-31"},
    )
    assert r.status_code == 200, r.text
    assert (
        await c.post(f"{base}/steps/6.7/complete", headers=api.staff, json={"on": "2019-03-01"})
    ).status_code == 200
    assert (
        await c.post(
            f"{base}/steps/6.7/reopen", headers=api.officer, json={"reason": "หลักฐานไม่ครบ"}
        )
    ).status_code == 200
    r = await c.post(
        f"{base}/outcomes",
        headers=api.officer,
        json={"id": "c1", "text": "ลดข้อร้องเรียน", "measure": "complaints_received"},
    )
    assert r.status_code == 201, r.text
    r = await c.put(f"{base}/budget", headers=api.officer, json={"amounts": {"2562": "15000"}})
    assert r.status_code == 200, r.text
    problem(
        await c.put(
            f"{base}/budget",
            headers=api.officer,
            json={"no_budget": True, "amounts": {"2562": "1"}},
        ),
        400,
        "invalid-request",
    )
    sheet = (await c.get(base, headers=api.viewer)).json()
    assert sheet["number"] == "2.1.2" and sheet["budget"] == {"2562": "15000.00"}
    [step] = sheet["steps"]
    assert (step["status"], step["due"], step["started_on"]) == (
        "started",
        "2019-03-31",
        "2018-10-05",
    )
    overview = (await c.get(f"/api/v1/plans/{plan}", headers=api.viewer)).json()
    assert overview["budget_totals"]["2562"] == "15000.00"
    assert overview["title"] == "แผนปฏิบัติการป้องกันการทุจริต ๔ ปี"

    # The catalogue is data: a later round renames dimension 2; items keep their sub-items.
    catalogue = {
        "dimensions": [
            {
                "number": 2,
                "title": "การบริหารราชการด้วยความโปร่งใส",
                "sub_items": [{"number": "2.1", "title": "เจตจำนงสุจริต"}],
            }
        ]
    }
    assert (
        await c.put(f"/api/v1/plans/{plan}/catalogue", headers=api.officer, json=catalogue)
    ).status_code == 200
    overview = (await c.get(f"/api/v1/plans/{plan}", headers=api.viewer)).json()
    assert [d["title"] for d in overview["dimensions"]] == ["การบริหารราชการด้วยความโปร่งใส"]
    problem(
        await c.put(
            f"/api/v1/plans/{plan}/catalogue",
            headers=api.officer,
            json={
                "dimensions": [
                    {"number": 1, "title": "x", "sub_items": [{"number": "1.1", "title": "y"}]}
                ]
            },
        ),
        422,
        "unknown-sub-item",
    )

    r = await c.post(
        f"/api/v1/plans/{plan}/items/{item}/withdrawal",
        headers=api.officer,
        json={"reason": "ซ้ำกับรายการอื่น"},
    )
    assert r.status_code == 200, r.text
    problem(await c.get(base, headers=api.viewer), 404, "not-found")
    problem(
        await c.post(
            f"/api/v1/plans/{plan}/promulgation",
            headers=api.executive,
            json={"on": "2017-10-25", "executive": "นายก"},
        ),
        422,
        "plan-has-no-items",
    )
    assert (
        await c.post(
            f"/api/v1/plans/{plan}/closure", headers=api.executive, json={"on": "2021-09-30"}
        )
    ).status_code == 200
    problem(
        await c.post(
            f"/api/v1/plans/{plan}/items",
            headers=api.officer,
            json={"number": "2.1.3", "kind": "measure", "name": "ใหม่"},
        ),
        409,
        "plan-closed",
    )


async def test_the_api_promulgates_only_complete_sheets_as_the_page_does(api: Api) -> None:
    c = api.client
    plan, item = await make_plan(api)
    body = problem(
        await c.post(
            f"/api/v1/plans/{plan}/promulgation",
            headers=api.executive,
            json={"on": "2017-10-25", "executive": "นายก"},
        ),
        409,
        "items-incomplete",
    )
    assert "2.1.1" in body["incomplete"] and body["incomplete"]["2.1.1"], body
    await complete_the_sheet(api, plan, item)
    r = await c.post(
        f"/api/v1/plans/{plan}/promulgation",
        headers=api.executive,
        json={"on": "2017-10-25", "executive": "นายก"},
    )
    assert r.status_code == 200, r.text


async def test_an_item_added_after_promulgation_waits_for_the_executive(api: Api) -> None:
    c = api.client
    plan, item = await make_plan(api)
    await complete_the_sheet(api, plan, item)
    r = await c.post(
        f"/api/v1/plans/{plan}/promulgation",
        headers=api.executive,
        json={"on": "2017-10-25", "executive": "นายก"},
    )
    assert r.status_code == 200, r.text
    r = await c.post(
        f"/api/v1/plans/{plan}/items",
        headers=api.officer,
        json={"number": "2.1.2", "kind": "measure", "name": "มาตรการที่เพิ่มภายหลัง"},
    )
    assert r.status_code == 201, r.text
    later = r.json()["id"]
    overview = (await c.get(f"/api/v1/plans/{plan}", headers=api.viewer)).json()
    assert overview["pending_additions"] == {later: ""}
    approval = f"/api/v1/plans/{plan}/items/{later}/addition/approval"
    problem(
        await c.post(approval, headers=api.officer, json={"on": "2017-11-01"}), 403, "forbidden"
    )
    body = problem(
        await c.post(approval, headers=api.executive, json={"on": "2017-11-01"}),
        409,
        "items-incomplete",
    )
    assert list(body["incomplete"]) == ["2.1.2"]
    r = await c.post(
        f"/api/v1/plans/{plan}/items/{later}/addition/return",
        headers=api.executive,
        json={"reason": "กรอกรายละเอียดให้ครบ"},
    )
    assert r.status_code == 200, r.text
    overview = (await c.get(f"/api/v1/plans/{plan}", headers=api.viewer)).json()
    assert overview["pending_additions"] == {later: "กรอกรายละเอียดให้ครบ"}
    # Until approved the clerk fills the new item in directly (no revision to propose).
    await complete_the_sheet(api, plan, later)
    r = await c.post(approval, headers=api.executive, json={"on": "2017-11-01"})
    assert r.status_code == 200, r.text
    overview = (await c.get(f"/api/v1/plans/{plan}", headers=api.viewer)).json()
    assert overview["pending_additions"] == {}
    problem(
        await c.post(approval, headers=api.executive, json={"on": "2017-11-02"}),
        409,
        "revision-not-pending",
    )
