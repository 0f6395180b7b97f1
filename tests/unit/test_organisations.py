"""Parsing the organisations CSV: all or nothing, every problem named with its line."""

from __future__ import annotations

import pytest

from domain.tenancy.organisations import (
    InvalidOrganisationFile,
    Kind,
    organisation_id,
    parse_organisations_csv,
)
from domain.tenancy.provinces import PROVINCES, province_by_name

HEADER = "code,name_th,name_en,kind,province,district\n"


def test_parses_thai_and_english_kinds_and_province_names() -> None:
    orgs = parse_organisations_csv(
        "\ufeff"
        + HEADER
        + "6470101,องค์การบริหารส่วนตำบลพังขว้าง,Phang Khwang SAO,อบต.,สกลนคร,เมืองสกลนคร\n"
        + "6470102,เทศบาลตำบลท่าแร่,Tha Rae,subdistrict_municipality,47,เมืองสกลนคร\n"
        + "5000001,องค์การบริหารส่วนจังหวัดเชียงใหม่,Chiang Mai PAO,อบจ.,Chiang Mai,\n"
    )
    assert [(o.code, o.kind, o.province.code) for o in orgs] == [
        ("6470101", Kind.SAO, "47"),
        ("6470102", Kind.SUBDISTRICT_MUNICIPALITY, "47"),
        ("5000001", Kind.PAO, "50"),
    ]
    assert orgs[0].id == organisation_id("6470101")  # stable across imports


def test_every_problem_is_reported_and_nothing_is_returned() -> None:
    with pytest.raises(InvalidOrganisationFile) as err:
        parse_organisations_csv(
            HEADER
            + "6470101,อบต.ก,,อบต.,สกลนคร,\n"
            + "6470101,อบต.ข,,อบต.,สกลนคร,\n"
            + "x,,,ตำบล,Atlantis,\n"
        )
    assert err.value.problems == [
        "บรรทัด 3: รหัส 6470101 ซ้ำกับบรรทัด 2",
        "บรรทัด 4: รหัส อปท. 'x' ไม่ถูกต้อง, ไม่มีชื่อภาษาไทย, ประเภท 'ตำบล' ไม่รู้จัก, จังหวัด 'Atlantis' ไม่รู้จัก",
    ]


def test_missing_columns_are_named() -> None:
    with pytest.raises(InvalidOrganisationFile, match="kind, province, district"):
        parse_organisations_csv("code,name_th,name_en\n1,ก,a\n")


def test_the_76_provinces() -> None:
    assert len(PROVINCES) == 76 and len({p.code for p in PROVINCES}) == 76
    assert "10" not in {p.code for p in PROVINCES}  # Bangkok is not a province here
    assert province_by_name("จ.สกลนคร") == province_by_name("Sakon Nakhon")


def test_a_register_import_lists_what_it_adds_changes_and_leaves() -> None:
    from domain.tenancy.organisations import read_organisations_csv, register_changes

    old, problems = read_organisations_csv(
        "code,name_th,name_en,kind,province,district\n"
        "6470101,องค์การบริหารส่วนตำบลพังขว้าง,,อบต.,สกลนคร,เมืองสกลนคร\n"
        "6470102,เทศบาลตำบลท่าแร่,,ทต.,47,เมืองสกลนคร\n"
    )
    assert problems == []
    new, problems = read_organisations_csv(
        "code,name_th,name_en,kind,province,district\n"
        "6470101,องค์การบริหารส่วนตำบลพังขว้างใหม่,,อบต.,สกลนคร,เมืองสกลนคร\n"
        "6470102,เทศบาลตำบลท่าแร่,,ทต.,47,เมืองสกลนคร\n"
        "6470103,องค์การบริหารส่วนตำบลเชียงเครือ,,อบต.,47,เมืองสกลนคร\n"
        "x,,,?,?,\n"
    )
    changes = register_changes({o.code: o for o in old}, new, problems)
    assert [o.code for o in changes.added] == ["6470103"]
    [renamed] = changes.changed
    assert renamed.code == "6470101" and renamed.fields == (
        ("ชื่อภาษาไทย", "องค์การบริหารส่วนตำบลพังขว้าง", "องค์การบริหารส่วนตำบลพังขว้างใหม่"),
    )
    assert changes.unchanged == 1
    assert changes.to_write == ("6470103", "6470101")
    [problem] = changes.problems
    assert problem.startswith("บรรทัด 5:") and "ไม่ถูกต้อง" in problem
