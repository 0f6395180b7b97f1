"""The demo data as the tests read it: the file ``make run`` loads (demo/sujarit-demo-2570.json),
so that a test's expectations follow the data instead of a copy of it."""

from __future__ import annotations

from typing import Any

from services.usecases.demo import DEMO_PASSWORD, demo_accounts, demo_data

DATA = demo_data()
PK_CODE = "6470101"  # Phang Khwang SAO


def organisation(code: str) -> dict[str, Any]:
    return next(o for o in DATA["organisations"] if o["code"] == code)


def current_plan(code: str) -> dict[str, Any]:
    """The plan the file marks as the LAO's current one."""
    return next(p for p in organisation(code)["plans"] if p["current"])


def item(plan: dict[str, Any], number: str) -> dict[str, Any]:
    return next(it for it in plan["items"] if it["number"] == number)


PK = organisation(PK_CODE)
PK_PLAN = current_plan(PK_CODE)  # 2566-2570
# (org code, email, name, role) of every demo account.
DEMO_ACCOUNTS = [(a.org, a.email, a.name, a.role) for a in demo_accounts(DATA)]

__all__ = [
    "DATA",
    "DEMO_ACCOUNTS",
    "DEMO_PASSWORD",
    "PK",
    "PK_CODE",
    "PK_PLAN",
    "current_plan",
    "item",
    "organisation",
]
