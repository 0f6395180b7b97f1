"""Local administrative organisations (the tenants) and provincial offices."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import uuid
from dataclasses import dataclass
from enum import StrEnum

from domain.shared.errors import DomainError
from domain.tenancy.provinces import PROVINCES_BY_CODE, Province, province_by_name

# Organisation ids are derived from the LAO code, so a re-import finds the same tenant.
ORG_NAMESPACE = uuid.UUID("5b0f3c1e-7d2a-4c8e-9a61-2f4d8e0b9c11")


class Kind(StrEnum):
    SAO = "sao"
    SUBDISTRICT_MUNICIPALITY = "subdistrict_municipality"
    TOWN_MUNICIPALITY = "town_municipality"
    CITY_MUNICIPALITY = "city_municipality"
    PAO = "pao"
    SPECIAL = "special"

    @property
    def thai(self) -> str:
        return KIND_THAI[self]


KIND_THAI = {
    Kind.SAO: "องค์การบริหารส่วนตำบล",
    Kind.SUBDISTRICT_MUNICIPALITY: "เทศบาลตำบล",
    Kind.TOWN_MUNICIPALITY: "เทศบาลเมือง",
    Kind.CITY_MUNICIPALITY: "เทศบาลนคร",
    Kind.PAO: "องค์การบริหารส่วนจังหวัด",
    Kind.SPECIAL: "องค์กรปกครองส่วนท้องถิ่นรูปแบบพิเศษ",
}
_KIND_ALIASES = {
    **{k.value: k for k in Kind},
    **{v: k for k, v in KIND_THAI.items()},
    "อบต.": Kind.SAO,
    "อบต": Kind.SAO,
    "ทต.": Kind.SUBDISTRICT_MUNICIPALITY,
    "ทต": Kind.SUBDISTRICT_MUNICIPALITY,
    "ทม.": Kind.TOWN_MUNICIPALITY,
    "ทม": Kind.TOWN_MUNICIPALITY,
    "ทน.": Kind.CITY_MUNICIPALITY,
    "ทน": Kind.CITY_MUNICIPALITY,
    "อบจ.": Kind.PAO,
    "อบจ": Kind.PAO,
}
_CODE = re.compile(r"^[0-9A-Za-z-]{3,20}$")


def parse_kind(text: str) -> Kind | None:
    return _KIND_ALIASES.get(unicodedata.normalize("NFC", text.strip()).lower()) or (
        _KIND_ALIASES.get(unicodedata.normalize("NFC", text.strip()))
    )


def organisation_id(code: str) -> uuid.UUID:
    return uuid.uuid5(ORG_NAMESPACE, code.strip())


@dataclass(frozen=True)
class Organisation:
    id: uuid.UUID
    code: str
    name_th: str
    name_en: str
    kind: Kind
    province: Province
    district: str


class InvalidOrganisationFile(DomainError):
    code = "invalid-organisation-file"

    def __init__(self, problems: list[str]) -> None:
        super().__init__(
            "ไฟล์รายชื่อ อปท. มีข้อผิดพลาด ไม่ได้นำเข้าข้อมูลใดเลย: " + "; ".join(problems[:20]),
            problems=problems,
        )
        self.problems = problems


COLUMNS = ("code", "name_th", "name_en", "kind", "province", "district")


def parse_organisations_csv(text: str) -> list[Organisation]:
    """Parse the organisations CSV (header: code, name_th, name_en, kind, province, district).

    All or nothing: every problem is collected with its line number and raised together.
    """
    out, problems = read_organisations_csv(text)
    if problems:
        raise InvalidOrganisationFile(problems)
    return out


def read_organisations_csv(text: str) -> tuple[list[Organisation], list[str]]:
    """The rows that read well and, in Thai with their line numbers, the ones that did not."""
    text = unicodedata.normalize("NFC", text.lstrip("\ufeff"))
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        return [], [f"บรรทัด 1: ไม่มีคอลัมน์ {', '.join(missing)} (ต้องมี {', '.join(COLUMNS)})"]
    out: list[Organisation] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for line, row in enumerate(reader, start=2):
        code = (row.get("code") or "").strip()
        name_th = (row.get("name_th") or "").strip()
        kind = parse_kind(row.get("kind") or "")
        prov_text = (row.get("province") or "").strip()
        province = PROVINCES_BY_CODE.get(prov_text) or province_by_name(prov_text)
        errs = []
        if not _CODE.match(code):
            errs.append(f"รหัส อปท. '{code}' ไม่ถูกต้อง")
        elif code in seen:
            errs.append(f"รหัส {code} ซ้ำกับบรรทัด {seen[code]}")
        if not name_th:
            errs.append("ไม่มีชื่อภาษาไทย")
        if kind is None:
            errs.append(f"ประเภท '{row.get('kind')}' ไม่รู้จัก")
        if province is None:
            errs.append(f"จังหวัด '{prov_text}' ไม่รู้จัก")
        if errs:
            problems.append(f"บรรทัด {line}: " + ", ".join(errs))
            continue
        assert kind is not None and province is not None
        seen[code] = line
        out.append(
            Organisation(
                id=organisation_id(code),
                code=code,
                name_th=name_th,
                name_en=(row.get("name_en") or "").strip(),
                kind=kind,
                province=province,
                district=(row.get("district") or "").strip(),
            )
        )
    return out, problems


FIELD_NAMES = {
    "name_th": "ชื่อภาษาไทย",
    "name_en": "ชื่อภาษาอังกฤษ",
    "kind": "ประเภท",
    "province": "จังหวัด",
    "district": "อำเภอ",
}


@dataclass(frozen=True)
class Change:
    """An LAO of the register that an import would change: which fields, from what to what."""

    code: str
    name_th: str
    fields: tuple[tuple[str, str, str], ...]  # (Thai field name, before, after)


@dataclass(frozen=True)
class RegisterChanges:
    added: tuple[Organisation, ...]
    changed: tuple[Change, ...]
    unchanged: int
    problems: tuple[str, ...]

    @property
    def to_write(self) -> tuple[str, ...]:
        """The codes an import writes (added or changed)."""
        return tuple(o.code for o in self.added) + tuple(c.code for c in self.changed)


def _fields(o: Organisation) -> dict[str, str]:
    return {
        "name_th": o.name_th,
        "name_en": o.name_en,
        "kind": o.kind.thai,
        "province": o.province.name_th,
        "district": o.district,
    }


def register_changes(
    current: dict[str, Organisation], incoming: list[Organisation], problems: list[str]
) -> RegisterChanges:
    """What importing ``incoming`` over the register ``current`` (by code) would do: nothing is
    changed without being listed here first."""
    added: list[Organisation] = []
    changed: list[Change] = []
    unchanged = 0
    for o in incoming:
        old = current.get(o.code)
        if old is None:
            added.append(o)
            continue
        before, after = _fields(old), _fields(o)
        diff = tuple((FIELD_NAMES[k], before[k], after[k]) for k in before if before[k] != after[k])
        if diff:
            changed.append(Change(o.code, old.name_th, diff))
        else:
            unchanged += 1
    return RegisterChanges(tuple(added), tuple(changed), unchanged, tuple(problems))
