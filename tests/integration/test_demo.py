"""The demo data: demo/sujarit-demo-2570.json written once through the use cases; Phang
Khwang's current plan is the 2566-2570 one, its item 2.1.1 the sample's activity."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from domain.plans.views import overview, sheet_of, with_attainment
from domain.tenancy.organisations import organisation_id
from infra.db.pool import connect, set_tenant
from infra.eventstore.verify import verify_log
from infra.queries.plans import counted, entry_of
from infra.settings import Settings
from services.usecases.demo import load_demo
from services.usecases.plans import current_of
from tests.demo import DATA, PK, PK_PLAN

AS_OF = date.fromisoformat(DATA["as_of"])  # 1 December 2569
YEARS = [2566, 2567, 2568, 2569, 2570]


async def test_demo_data_is_the_file_written_through_the_use_cases(
    fresh_settings: Settings, tmp_path: Path
) -> None:
    settings = replace(fresh_settings, data_dir=tmp_path)
    assert (await load_demo(settings)) == "demo data loaded (4 plans, 7 accounts)"
    assert await load_demo(settings) == "demo data already present"
    owner = await connect(settings.database_url)
    try:
        assert (await verify_log(owner)).ok
        pk = organisation_id("6470101")
        app = await connect(settings.app_url)  # the web role: only this tenant's rows
        async with app.transaction():
            conn = app
            await set_tenant(conn, pk)
            summaries = [r["summary"] for r in await conn.fetch("SELECT summary FROM plan_views")]
            by_years = {(s["first_year"], s["last_year"]): s for s in summaries}
            assert by_years[(2561, 2564)]["status"] == "closed"
            current = current_of(summaries, AS_OF)
            assert current is not None and (current["first_year"], current["last_year"]) == (
                2566,
                2570,
            )
            assert current["template_id"] == "2566-2570"
            row = await conn.fetchrow(
                "SELECT i.*, p.summary FROM item_views i JOIN plan_views p "
                "USING (tenant_id, plan_id) WHERE i.number = '2.1.1' AND p.plan_id = $1",
                current["plan_id"],
            )
            sheet = sheet_of(entry_of(row), row["sheet"])
            assert sheet["name"].startswith("ประกาศเจตจำนงต่อต้านการทุจริตของผู้บริหาร")
            assert "ไต้" not in sheet["rationale"] and "ประซาซน" not in sheet["rationale"]
            # The nine-heading sheet of 2566-2570: the method is heading 5.
            assert [s["number"] for s in sheet["steps"]] == [f"5.{i}" for i in range(1, 9)]
            assert sheet["no_budget"] is True and sheet["fiscal_years"] == YEARS
            assert len(sheet["targets"]) == 3 and len(sheet["outcomes"]) == 2
            report = with_attainment(sheet, YEARS, await counted(conn), AS_OF)
            assert [o["by_year"][0]["attainment"] for o in report["outputs"]] == ["met"] * 3
            items = await conn.fetch(
                "SELECT * FROM item_views WHERE tenant_id = $1 AND plan_id = $2",
                pk,
                current["plan_id"],
            )
            view = overview(
                row["summary"], [sheet_of(entry_of(r), r["sheet"]) for r in items], AS_OF
            )
            assert view["status"] == "promulgated" and view["items"] == 11
            assert view["overdue"] == 2  # step 5.8 of 2.1.1, step 5.5 of 4.1.1
            assert (
                await conn.fetchval(
                    "SELECT count(*) FROM declaration_views WHERE published_on IS NOT NULL"
                )
                == 2
            )
            # Every step's evidence, the two signed declarations and the two promulgations.
            names = {
                e["name"]
                for p in PK["plans"]
                for it in p["items"]
                for s in it["steps"]
                for e in s["evidence"]
            }
            assert await conn.fetchval("SELECT count(*) FROM evidence_files") == len(names) + 4
            assert PK_PLAN["key"] == "6470101-2566"
        await app.close()
    finally:
        await owner.close()
