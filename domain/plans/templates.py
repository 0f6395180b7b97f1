"""Plan templates: a round's catalogue and the layout of its detail sheet, as data.

A plan is drafted from a template (``PlanDrafted.template_id``; plans drafted before templates
existed are 2561–2564's). The plan keeps its own copy of the catalogue (editable:
CatalogueChanged); the layout says which headings the sheet shows, in which order and under
which titles, which of them promulgation needs, and how long each may be.

The item's data are the same in every round (``Headings`` of the Item aggregate, steps,
budget, indicators): a layout maps its headings onto those fields. 2566–2570's sheet has no
"พื้นที่ดำเนินการ" heading, and shows outputs and outcomes under one heading (9).

Length limits (characters, as typed; chosen to fit the official A4 sheet and e-PlanNACC's
fields): the name 300 (a title of one to three printed lines), the area and the responsible
unit 300, a step's title 500, each objective, target or indicator 1,000, the rationale
10,000 (about four printed pages: the sample's is under 4,000).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from domain.plans.catalogue import Catalogue
from domain.plans.rounds import CATALOGUE_2561, CATALOGUE_2566
from domain.shared.serialization import from_data

# The item's fields a heading can show (the Item aggregate's data).
FIELDS = (
    "name",
    "rationale",
    "objectives",
    "targets",
    "area",
    "steps",
    "fiscal_years",
    "budget",
    "responsible_unit",
    "indicators",
)
MAX_LENGTHS = {
    "name": 300,
    "rationale": 10_000,
    "objectives": 1_000,  # each
    "targets": 1_000,  # each
    "area": 300,
    "responsible_unit": 300,
    "step_title": 500,
    "indicator_text": 1_000,
}


@dataclass(frozen=True)
class Heading:
    number: int  # as printed: "๑. ชื่อโครงการ"
    title: str
    field: str  # one of FIELDS
    required: bool = True  # promulgation needs it filled in


@dataclass(frozen=True)
class SheetLayout:
    headings: tuple[Heading, ...]

    def heading(self, field: str) -> Heading | None:
        return next((h for h in self.headings if h.field == field), None)


@dataclass(frozen=True)
class PlanTemplate:
    template_id: str  # "2566-2570"
    title: str
    first_year: int  # the round's fiscal years
    last_year: int
    catalogue: Catalogue
    layout: SheetLayout


LAYOUT_TEN = SheetLayout(
    (
        Heading(1, "ชื่อโครงการ/กิจกรรม/มาตรการ", "name"),
        Heading(2, "หลักการและเหตุผล/ที่มาของโครงการ", "rationale"),
        Heading(3, "วัตถุประสงค์", "objectives"),
        Heading(4, "เป้าหมาย/ผลผลิต", "targets"),
        Heading(5, "พื้นที่ดำเนินการ", "area"),
        Heading(6, "วิธีดำเนินการ", "steps"),
        Heading(7, "ระยะเวลาดำเนินการ", "fiscal_years"),
        Heading(8, "งบประมาณดำเนินการ", "budget"),
        Heading(9, "ผู้รับผิดชอบ", "responsible_unit"),
        Heading(10, "ตัวชี้วัด/ผลลัพธ์", "indicators"),
    )
)
LAYOUT_NINE = SheetLayout(
    (
        Heading(1, "ชื่อโครงการ", "name"),
        Heading(2, "หลักการและเหตุผล", "rationale"),
        Heading(3, "วัตถุประสงค์", "objectives"),
        Heading(4, "เป้าหมาย", "targets"),
        Heading(5, "วิธีดำเนินการ", "steps"),
        Heading(6, "ระยะเวลาดำเนินการ", "fiscal_years"),
        Heading(7, "งบประมาณดำเนินการ", "budget"),
        Heading(8, "ผู้รับผิดชอบโครงการ", "responsible_unit"),
        Heading(9, "ผลผลิต/ผลลัพธ์", "indicators"),
    )
)

TEMPLATES: dict[str, PlanTemplate] = {
    t.template_id: t
    for t in (
        PlanTemplate(
            "2561-2564",
            "แผนปฏิบัติการป้องกันการทุจริต ๔ ปี (พ.ศ. ๒๕๖๑-๒๕๖๔)",
            2561,
            2564,
            CATALOGUE_2561,
            LAYOUT_TEN,
        ),
        PlanTemplate(
            "2566-2570",
            "แผนปฏิบัติการป้องกันการทุจริต (พ.ศ. ๒๕๖๖-๒๕๗๐)",
            2566,
            2570,
            CATALOGUE_2566,
            LAYOUT_NINE,
        ),
    )
}
LEGACY_TEMPLATE_ID = "2561-2564"  # plans drafted before templates were chosen
NEWEST_TEMPLATE_ID = max(TEMPLATES.values(), key=lambda t: t.first_year).template_id


def template(template_id: str) -> PlanTemplate:
    found = TEMPLATES.get(template_id)
    if found is None:
        from domain.plans.errors import UnknownTemplate

        known = ", ".join(sorted(TEMPLATES))
        raise UnknownTemplate(
            f"ไม่มีแม่แบบแผน '{template_id}' เลือกได้จาก {known}", template_id=template_id
        )
    return found


def default_template(first_year: int) -> PlanTemplate:
    """The newest template whose round starts no later than the plan (a plan for 2571–2575
    drafted today gets 2566–2570's, the newest; an old 2561–2564 plan keeps its own)."""
    fitting = [t for t in TEMPLATES.values() if t.first_year <= first_year]
    return max(fitting or TEMPLATES.values(), key=lambda t: t.first_year)


def template_from_data(data: dict[str, Any]) -> PlanTemplate:
    """A template from plain data (JSON: the shape of ``to_data(PlanTemplate)``): a new round
    added as data, without code."""
    built = from_data(PlanTemplate, data)
    assert isinstance(built, PlanTemplate)
    unknown = [h.field for h in built.layout.headings if h.field not in FIELDS]
    if unknown:
        raise ValueError(f"headings show unknown fields: {unknown}")
    return built


_LABELS = {
    "name": "ชื่อโครงการ/กิจกรรม/มาตรการ",
    "rationale": "หลักการและเหตุผล",
    "objectives": "วัตถุประสงค์แต่ละข้อ",
    "targets": "เป้าหมายแต่ละข้อ",
    "area": "พื้นที่ดำเนินการ",
    "responsible_unit": "ผู้รับผิดชอบ",
    "step_title": "ชื่อขั้นตอน",
    "indicator_text": "ข้อความตัวชี้วัด",
}


def check_length(field: str, *texts: str) -> None:
    """Each of ``texts`` within MAX_LENGTHS[field], or TooLong saying by how much."""
    from domain.plans.errors import TooLong

    limit = MAX_LENGTHS[field]
    for text in texts:
        if len(text.strip()) > limit:
            raise TooLong(
                f"{_LABELS[field]}ยาว {len(text.strip()):,} ตัวอักษร เกินที่แบบรายละเอียดรับได้ "
                f"(ไม่เกิน {limit:,} ตัวอักษร) กรุณาย่อให้สั้นลง",
                field=field,
                length=len(text.strip()),
                limit=limit,
            )


def missing_headings(item: Any, name: str, layout: SheetLayout) -> list[Heading]:
    """The required headings of ``layout`` that ``item`` (an Item aggregate; ``name``: the
    plan's name of it) leaves empty: what promulgation waits for."""
    h = item.headings
    filled = {
        "name": bool((h.name or name).strip()),
        "rationale": bool(h.rationale.strip()),
        "objectives": bool(h.objectives),
        "targets": bool(h.targets),
        "area": bool(h.area.strip()),
        "steps": bool(item.steps),
        "fiscal_years": bool(h.fiscal_years),
        "budget": item.no_budget is not None,  # an amount per year, or ไม่ใช้งบประมาณ
        "responsible_unit": bool(h.responsible_unit.strip()),
        "indicators": bool(item.outputs or item.outcomes),
    }
    return [x for x in layout.headings if x.required and not filled[x.field]]
