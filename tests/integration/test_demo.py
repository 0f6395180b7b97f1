"""The demo data: Phang Khwang's plan with item 2.1.1 as in the sample, written once."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from domain.plans.views import overview, sheet_of, with_attainment
from domain.tenancy.organisations import organisation_id
from infra.db.pool import connect, set_tenant
from infra.demo import load_demo
from infra.eventstore.verify import verify_log
from infra.queries.plans import counted, entry_of
from infra.settings import Settings


async def test_demo_data_is_the_sample_written_through_the_commands(
    fresh_settings: Settings, tmp_path: Path
) -> None:
    settings = replace(fresh_settings, data_dir=tmp_path)
    assert (await load_demo(settings)) == "demo data loaded (3 plans, 7 accounts)"
    assert await load_demo(settings) == "demo data already present"
    owner = await connect(settings.database_url)
    try:
        assert (await verify_log(owner)).ok
        pk = organisation_id("6470101")
        app = await connect(settings.app_url)  # the web role: only this tenant's rows
        async with app.transaction():
            conn = app
            await set_tenant(conn, pk)
            row = await conn.fetchrow(
                "SELECT i.*, p.summary FROM item_views i JOIN plan_views p "
                "USING (tenant_id, plan_id) WHERE i.number = '2.1.1'"
            )
            sheet = sheet_of(entry_of(row), row["sheet"])
            assert sheet["name"].startswith("ประกาศเจตจำนงต่อต้านการทุจริตของผู้บริหาร")
            assert "ไต้" not in sheet["rationale"] and "ประซาซน" not in sheet["rationale"]
            assert [s["number"] for s in sheet["steps"]] == [f"6.{i}" for i in range(1, 9)]
            assert sheet["no_budget"] is True and sheet["fiscal_years"] == [2561, 2562, 2563, 2564]
            assert len(sheet["targets"]) == 3 and len(sheet["outcomes"]) == 2
            report = with_attainment(
                sheet, [2561, 2562, 2563, 2564], await counted(conn), date(2026, 11, 28)
            )
            assert [o["by_year"][0]["attainment"] for o in report["outputs"]] == ["met"] * 3
            items = await conn.fetch("SELECT * FROM item_views WHERE tenant_id = $1", pk)
            view = overview(
                row["summary"],
                [sheet_of(entry_of(r), r["sheet"]) for r in items],
                date(2026, 11, 28),
            )
            assert view["status"] == "promulgated" and view["items"] == 10
            assert view["overdue"] == 1  # step 6.8 of 2.1.1
            assert (
                await conn.fetchval(
                    "SELECT count(*) FROM declaration_views WHERE published_on IS NOT NULL"
                )
                == 1
            )
            assert await conn.fetchval("SELECT count(*) FROM evidence_files") >= 6
        await app.close()
    finally:
        await owner.close()
