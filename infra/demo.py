"""Demo data: Sakon Nakhon, its provincial office, Phang Khwang SAO and two more LAOs."""

from __future__ import annotations

import asyncpg

from domain.tenancy.organisations import Kind, Organisation, organisation_id
from domain.tenancy.provinces import PROVINCES_BY_CODE
from infra.settings import Settings
from infra.tenancy import seed_provinces, upsert_organisations

SAKON_NAKHON = PROVINCES_BY_CODE["47"]

# Demo codes (seven digits, like the Department of Local Administration's), not official ones.
DEMO_ORGANISATIONS = (
    ("6470101", "องค์การบริหารส่วนตำบลพังขว้าง", "Phang Khwang SAO", Kind.SAO),
    (
        "6470102",
        "เทศบาลตำบลท่าแร่",
        "Tha Rae Subdistrict Municipality",
        Kind.SUBDISTRICT_MUNICIPALITY,
    ),
    ("6470103", "องค์การบริหารส่วนตำบลเชียงเครือ", "Chiang Khruea SAO", Kind.SAO),
)
PHANG_KHWANG = DEMO_ORGANISATIONS[0][0]


def demo_organisations() -> list[Organisation]:
    return [
        Organisation(
            id=organisation_id(code),
            code=code,
            name_th=th,
            name_en=en,
            kind=kind,
            province=SAKON_NAKHON,
            district="เมืองสกลนคร",
        )
        for code, th, en, kind in DEMO_ORGANISATIONS
    ]


async def load_demo_data(conn: asyncpg.Connection) -> bool:
    """Load the demo data once; return False when it was there already."""
    await seed_provinces(conn)
    exists = await conn.fetchval("SELECT count(*) FROM organisations WHERE code = $1", PHANG_KHWANG)
    if exists:
        return False
    await upsert_organisations(conn, demo_organisations())
    return True


async def load_demo(settings: Settings) -> str:
    """Organisations, then their plans, declarations and complaints (each once)."""
    from infra.db.pool import connect, create_pool
    from infra.demo_content import DEMO_ORGS
    from infra.demo_plans import load_demo_plans
    from infra.files import LocalFileStore

    conn = await connect(settings.database_url)
    try:
        orgs = await load_demo_data(conn)
    finally:
        await conn.close()
    from infra.demo_accounts import load_demo_accounts

    pool = await create_pool(settings.database_url, min_size=1, max_size=2)
    try:
        plans = await load_demo_plans(pool, LocalFileStore(settings.evidence_dir), DEMO_ORGS)
        accounts = await load_demo_accounts(pool)
    finally:
        await pool.close()
    if not orgs and not plans and not accounts:
        return "demo data already present"
    return f"demo data loaded ({plans} plans, {accounts} accounts)"
