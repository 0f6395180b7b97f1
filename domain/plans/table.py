"""The plan's summary table (บัญชีโครงการ/กิจกรรม/มาตรการ/งบประมาณ) as the offices print it:
per dimension, each item with its budget per fiscal year and a remark, and per dimension and
in all the counts of projects, activities and measures (and guidelines) and the budget of
each year. Plain data built from the plan overview (``domain.plans.views.overview``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from domain.plans.values import ItemKind

KINDS = tuple(ItemKind)


def plan_table(org_name: str, ov: dict[str, Any]) -> dict[str, Any]:
    years = [int(y) for y in ov["fiscal_years"]]
    dims = []
    all_counts = {k.value: 0 for k in KINDS}
    all_budget = {str(y): Decimal(0) for y in years}
    for d in ov["dimensions"]:
        rows = []
        counts = {k.value: 0 for k in KINDS}
        budget = {str(y): Decimal(0) for y in years}
        for sub in d["sub_items"]:
            for it in sub["items"]:
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
    return {
        "org_name": org_name,
        "title": ov["title"],
        "first_year": ov["first_year"],
        "last_year": ov["last_year"],
        "years": years,
        "dimensions": dims,
        "counts": all_counts,
        "budget": [all_budget[str(y)] for y in years],
    }


KIND_TH = {k.value: k.thai for k in KINDS}
