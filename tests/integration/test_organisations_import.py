"""`sujarit organisations import`: the whole country in under a minute, bad files untouched."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from domain.tenancy.provinces import PROVINCES
from infra.db.pool import connect
from infra.settings import Settings

KINDS = (
    ["อบต."] * 5312
    + ["ทต."] * 2242
    + ["ทม."] * 190
    + ["ทน."] * 30
    + ["อบจ."] * 76
    + ["special"] * 2
)


def national_csv(path: Path) -> int:
    lines = ["code,name_th,name_en,kind,province,district"]
    for i, kind in enumerate(KINDS):
        p = PROVINCES[i % len(PROVINCES)]
        lines.append(f"{9000000 + i},อปท.ทดสอบที่ {i},Test LAO {i},{kind},{p.name_th},อำเภอ {i % 9}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(KINDS)


def cli(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "services.cli", *args],
        env={**os.environ, "DATABASE_URL": settings.database_url},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
async def test_import_7852_organisations_in_under_a_minute(
    fresh_settings: Settings, tmp_path: Path
) -> None:
    n = national_csv(tmp_path / "laos.csv")
    assert n == 7852
    started = time.perf_counter()
    r = cli(fresh_settings, "organisations", "import", str(tmp_path / "laos.csv"))
    elapsed = time.perf_counter() - started
    assert r.returncode == 0, r.stderr
    assert "imported 7852 organisations" in r.stdout
    assert elapsed < 60, elapsed
    conn = await connect(fresh_settings.database_url)
    try:
        assert await conn.fetchval("SELECT count(*) FROM organisations") == 7852
        assert await conn.fetchval("SELECT count(*) FROM tenant_heads") == 7852
        assert await conn.fetchval("SELECT count(DISTINCT province_code) FROM organisations") == 76
        # Importing again updates in place.
        r = cli(fresh_settings, "organisations", "import", str(tmp_path / "laos.csv"))
        assert r.returncode == 0
        assert await conn.fetchval("SELECT count(*) FROM organisations") == 7852
    finally:
        await conn.close()


async def test_a_bad_file_imports_nothing_and_says_why(
    fresh_settings: Settings, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "code,name_th,name_en,kind,province,district\n"
        "6470101,อบต.ก,,อบต.,สกลนคร,\n"
        "6470102,อบต.ข,,หมู่บ้าน,สกลนคร,\n",
        encoding="utf-8",
    )
    r = cli(fresh_settings, "organisations", "import", str(bad))
    assert r.returncode == 1
    assert "บรรทัด 3: ประเภท 'หมู่บ้าน' ไม่รู้จัก" in r.stderr
    assert "nothing was imported" in r.stderr
    conn = await connect(fresh_settings.database_url)
    try:
        assert await conn.fetchval("SELECT count(*) FROM organisations") == 0
    finally:
        await conn.close()
    missing = cli(fresh_settings, "organisations", "import", str(tmp_path / "nope.csv"))
    assert missing.returncode == 1 and "cannot read" in missing.stderr


async def test_a_re_import_says_what_it_changes_and_dry_run_writes_nothing(
    fresh_settings: Settings, tmp_path: Path
) -> None:
    first = tmp_path / "first.csv"
    first.write_text(
        "code,name_th,name_en,kind,province,district\n6470101,อบต.พังขว้าง,,อบต.,สกลนคร,\n",
        encoding="utf-8",
    )
    assert "1 added, 0 changed" in cli(fresh_settings, "organisations", "import", str(first)).stdout
    renamed = tmp_path / "renamed.csv"
    renamed.write_text(first.read_text().replace("อบต.พังขว้าง", "อบต.พังขว้างใหม่"))
    dry = cli(fresh_settings, "organisations", "import", str(renamed), "--dry-run")
    assert dry.returncode == 0
    assert "changed 6470101 อบต.พังขว้าง: ชื่อภาษาไทย: 'อบต.พังขว้าง' -> 'อบต.พังขว้างใหม่'" in dry.stdout
    assert "nothing written" in dry.stdout
    conn = await connect(fresh_settings.database_url)
    try:
        name = "SELECT name_th FROM organisations WHERE code = '6470101'"
        assert await conn.fetchval(name) == "อบต.พังขว้าง"
        done = cli(fresh_settings, "organisations", "import", str(renamed))
        assert "0 added, 1 changed, 0 unchanged" in done.stdout
        assert await conn.fetchval(name) == "อบต.พังขว้างใหม่"
    finally:
        await conn.close()
