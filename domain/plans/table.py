"""The plan's summary table (บัญชีโครงการ/กิจกรรม/มาตรการ/งบประมาณ) as the offices print it:
per dimension, each item with its budget per fiscal year and a remark, and per dimension and
in all the counts of projects, activities and measures (and guidelines) and the budget of
each year. Plain data built from the plan overview (``domain.plans.views.overview``).

The year's plan (แผนปฏิบัติการป้องกันการทุจริต ประจำปีงบประมาณ) is the same table for one fiscal
year of the multi-year plan: the items that run that year, with that year's budget."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from domain.plans.values import ItemKind
from domain.shared.errors import NotFound

KINDS = tuple(ItemKind)


class YearNotInPlan(NotFound):
    code = "year-not-in-plan"


def plan_table(org_name: str, ov: dict[str, Any], year: int | None = None) -> dict[str, Any]:
    """The whole plan's table, or with ``year`` the year's plan derived from it."""
    years = [int(y) for y in ov["fiscal_years"]]
    if year is not None:
        if year not in years:
            raise YearNotInPlan(
                f"ปีงบประมาณ {year} ไม่อยู่ในแผนนี้ (ปี {years[0]}–{years[-1]})", year=year
            )
        years = [year]
    dims = []
    all_counts = {k.value: 0 for k in KINDS}
    all_budget = {str(y): Decimal(0) for y in years}
    for d in ov["dimensions"]:
        rows = []
        counts = {k.value: 0 for k in KINDS}
        budget = {str(y): Decimal(0) for y in years}
        for sub in d["sub_items"]:
            for it in sub["items"]:
                if year is not None and it["budget"].get(str(year)) is None:
                    continue  # not one of the item's years
                counts[it["kind"]] += 1
                cells = []
                for y in years:
                    raw = it["budget"].get(str(y))
                    amount = None if raw is None else Decimal(raw)
                    if amount is not None:
                        budget[str(y)] += amount
                    cells.append(amount)
                rows.append(
                    {
                        "number": it["number"],
                        "name": it["name"],
                        "kind": ItemKind(it["kind"]).thai,
                        "budget": cells,
                        "remark": "ไม่ใช้งบประมาณ" if it["no_budget"] else "",
                    }
                )
        for k, v in counts.items():
            all_counts[k] += v
        for year_key, amount_of_year in budget.items():
            all_budget[year_key] += amount_of_year
        dims.append(
            {
                "number": d["number"],
                "title": d["title"],
                "rows": rows,
                "counts": counts,
                "budget": [budget[str(y)] for y in years],
            }
        )
    heading = ["บัญชีโครงการ/กิจกรรม/มาตรการ", ov["title"], org_name]
    period = f"ปีงบประมาณ พ.ศ. {ov['first_year']} – {ov['last_year']}"
    if year is not None:
        heading[1:2] = [f"แผนปฏิบัติการป้องกันการทุจริต ประจำปีงบประมาณ พ.ศ. {year}", f"ตาม{ov['title']}"]
        period = f"ปีงบประมาณ พ.ศ. {year}"
    return {
        "org_name": org_name,
        "title": ov["title"],
        "heading": heading,  # the lines centred at the top, then ``period``
        "period": period,
        "year": year,  # None: the whole plan
        "first_year": year or ov["first_year"],
        "last_year": year or ov["last_year"],
        "years": years,
        "dimensions": dims,
        "counts": all_counts,
        "budget": [all_budget[str(y)] for y in years],
    }


KIND_TH = {k.value: k.thai for k in KINDS}
