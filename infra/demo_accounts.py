"""Demo accounts, one per role, with the password the README gives (demo data only)."""

from __future__ import annotations

import asyncpg

from infra.auth.accounts import Accounts
from infra.auth.orgs import find_org, org_transaction
from infra.eventstore.postgres import PostgresEventStore
from infra.projections.registry import inline_projections

DEMO_PASSWORD = "sujarit-demo-2569"  # noqa: S105 - the published demo password (README)

# (org code, email, name, role)
DEMO_ACCOUNTS = (
    ("6470101", "executive@phangkhwang.example", "นายสมชาย ใจดี", "executive"),
    ("6470101", "plan@phangkhwang.example", "นางสาวสุดา รักษ์ถิ่น", "plan_officer"),
    ("6470101", "staff@phangkhwang.example", "นายวิชัย ทำดี", "staff"),
    ("6470101", "viewer@phangkhwang.example", "นางมาลี ดูแล", "viewer"),
    ("6470102", "plan@tharae.example", "นายประสิทธิ์ ท่าแร่", "plan_officer"),
    ("po-47", "reviewer@sakonnakhon.example", "นางอรุณี ตรวจการ", "reviewer"),
    ("operator", "operator@sujarit.example", "ผู้ดูแลระบบ", "operator"),
)


async def load_demo_accounts(pool: asyncpg.Pool) -> int:
    """Create the demo accounts that are missing; return how many were made."""
    store = PostgresEventStore(pool, projections=inline_projections())
    accounts = Accounts(pool, store, store.clock)
    made = 0
    for code, email, name, role in DEMO_ACCOUNTS:
        async with pool.acquire() as conn:
            org = await find_org(conn, code)
        if org is None:
            raise RuntimeError(f"demo organisation {code} is missing")
        async with org_transaction(pool, org, readonly=True) as conn:
            if await accounts.find(conn, org, email=email) is not None:
                continue
        account_id, _ = await accounts.invite(org, email, name, role, "demo-data")
        await accounts.set_password(org, account_id, DEMO_PASSWORD, "demo-data")
        made += 1
    return made
