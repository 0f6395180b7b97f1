"""A whole plan in one document: its round, the summary table, then the detail sheets.

The summary table (บัญชีโครงการ/กิจกรรม/งบประมาณ) lists, under each dimension (มิติที่ N) and
sub-item (N.M), every item with its budget for each fiscal year of the round. In 2566-2570
plans the items sit under sub-sub-items (N.M.K) and are numbered ๑), ๒); the plan's own item
numbers (dimension.sub-item.sequence) are then given in table order within each sub-item, and
each such numbering is listed. Every table item is matched to its detail sheet (by where it is
listed, by its number, or by its name); an item without a sheet, or a sheet not in the table,
is reported, never dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from domain.imports import fields as f
from domain.imports.headings import ITEM_LABEL, skeleton
from domain.imports.lexicon import Lexicon
from domain.imports.sheet import ParsedSheet, parse_document
from domain.imports.spelling import repair
from domain.imports.text import clean_line, normalise, to_int
from domain.imports.values import Problem, Repair, Unparsed
from domain.plans import catalogue as catalogue_module
from domain.plans.catalogue import Catalogue, Dimension
from domain.plans.values import ItemKind
from domain.shared.fiscal import arabic_digits

_YEAR = r"(?:2[45]\d\d|๒[๔๕][๐-๙][๐-๙])"
_ROUND = re.compile(rf"({_YEAR})\s*(?:[-–—]|ถึง)\s*(?:พ\.?\s*ศ\.?\s*)?({_YEAR})")
_TABLE_TITLE = re.compile(r"บัญชี\s*โครงการ|บัญชี\s*รายการ")
_DIMENSION = re.compile(r"^\s*มิติที่\s*(\d{1,2})\s*(.*)$")
_SUB = re.compile(r"^\s*(\d{1,2})\s*\.\s*(\d{1,2})(?:\s*\.\s*(\d{1,2}))?(?!\s*\.?\s*\d)\s*(.*)$")
_KIND_WORD = re.compile(r"^\s*(?:โครงการ|กิจกรรม|มาตรการ)")
_AMOUNT = r"(?:\d[\d,]*(?:\.\d+)?|-|–)"
# The amounts, one per year (a dash: none), then the remark column's text if any.
_AMOUNTS = re.compile(rf"((?:\s+{_AMOUNT})+)(?:\s+([^\d๐-๙\s\-–][^\d๐-๙]*))?\s*$")
_TOTAL_ROW = re.compile(r"^\s*(?:รวม|ยอดรวม)")
_NO_BUDGET = re.compile(r"ไม่ใช้งบประมาณ|ไม่ใช้งบ")
# 2566-2570: dimension 2 renamed; the numbering is the same as 2561-2564's.
DIMENSION_2_FROM_2566 = "การบริหารราชการด้วยความโปร่งใส"


@dataclass(frozen=True)
class TableItem:
    """One row of the summary table."""

    number: str  # the plan's item number: dimension.sub-item.sequence
    listed_as: str  # as the table numbers it: "1.1.1 (2)", "1.3 (1)" or "2.1.1"
    kind: ItemKind | None
    name: str
    budget: dict[int, Decimal] | None  # None: ไม่ใช้งบประมาณ (all dashes)
    line: str  # the row as read

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "listed_as": self.listed_as,
            "kind": self.kind.value if self.kind else None,
            "name": self.name,
            "budget": None
            if self.budget is None
            else {str(y): _number(a) for y, a in sorted(self.budget.items())},
            "line": self.line,
        }


@dataclass(frozen=True)
class PlanItem:
    """A table item and its sheet (as it will be added: the table's number and budget)."""

    table: TableItem | None
    sheet: ParsedSheet | None
    matched_by: str  # "listed_as", "number", "name" or "" (not matched)
    notes: tuple[Unparsed, ...] = ()

    @property
    def number(self) -> str | None:
        return self.table.number if self.table else (self.sheet.number if self.sheet else None)

    def sheet_json(self, years: tuple[int, int]) -> dict[str, Any]:
        """What is stored for review: the sheet with the table's number, kind, name and
        budget where the sheet lacks them; a table row alone when there is no sheet."""
        return self.as_sheet(years).to_json()

    def as_sheet(self, years: tuple[int, int]) -> ParsedSheet:
        """The item as a sheet to review, this item's notes among its own."""
        if self.sheet is not None:
            sheet = self.sheet
            if self.table is not None:
                sheet = _with_table(sheet, self.table)
        else:
            assert self.table is not None
            t = self.table
            sheet = ParsedSheet(
                number=t.number,
                kind=t.kind,
                name=t.name,
                rationale="",
                objectives=(),
                targets=(),
                area="",
                steps=(),
                fiscal_years=tuple(range(years[0], years[1] + 1)),
                budget=t.budget,
                responsible="",
                output_indicators=(),
                outcomes=(),
                listed_as=t.listed_as,
            )
        return replace(sheet, unparsed=(*sheet.unparsed, *self.notes))

    def to_json(self, years: tuple[int, int]) -> dict[str, Any]:
        return {
            "number": self.number,
            "table": self.table.to_json() if self.table else None,
            "matched_by": self.matched_by,
            "has_sheet": self.sheet is not None,
            "notes": [u.to_json() for u in self.notes],
            "sheet": self.sheet_json(years),
        }


@dataclass(frozen=True)
class ParsedPlan:
    title: str
    years: tuple[int, int] | None
    catalogue: Catalogue
    round_name: str
    items: tuple[PlanItem, ...]
    repairs: tuple[Repair, ...] = ()
    problems: tuple[Unparsed, ...] = field(default=())

    def summary_json(self) -> dict[str, Any]:
        """What the review keeps besides the sheets: the round, the catalogue's numbering, and
        each item's table row and match (``position``: its sheet in the batch, from 1)."""
        return {
            "title": self.title,
            "first_year": self.years[0] if self.years else None,
            "last_year": self.years[1] if self.years else None,
            "round": self.round_name,
            "dimensions": [
                {
                    "number": d.number,
                    "title": d.title,
                    "sub_items": [{"number": s.number, "title": s.title} for s in d.sub_items],
                }
                for d in self.catalogue.dimensions
            ],
            "items": [
                {
                    "position": n,
                    "number": i.number,
                    "table": i.table.to_json() if i.table else None,
                    "matched_by": i.matched_by,
                    "has_sheet": i.sheet is not None,
                }
                for n, i in enumerate(self.items, 1)
            ],
            "repairs": [r.to_json() for r in self.repairs],
            "problems": [u.to_json() for u in self.problems],
        }

    def to_json(self) -> dict[str, Any]:
        years = self.years or (0, 0)
        return {
            "title": self.title,
            "first_year": self.years[0] if self.years else None,
            "last_year": self.years[1] if self.years else None,
            "round": self.round_name,
            "dimensions": [
                {
                    "number": d.number,
                    "title": d.title,
                    "sub_items": [
                        {
                            "number": s.number,
                            "title": s.title,
                            "items": [
                                i.to_json(years)
                                for i in self.items
                                if i.number and _sub_item(i.number) == s.number
                            ],
                        }
                        for s in d.sub_items
                    ],
                }
                for d in self.catalogue.dimensions
            ],
            "unplaced": [
                i.to_json(years)
                for i in self.items
                if not i.number or self.catalogue.sub_item(_sub_item(i.number)) is None
            ],
            "repairs": [r.to_json() for r in self.repairs],
            "problems": [u.to_json() for u in self.problems],
            "counts": {
                "table_items": sum(1 for i in self.items if i.table),
                "sheets": sum(1 for i in self.items if i.sheet),
                "matched": sum(1 for i in self.items if i.table and i.sheet),
            },
        }


def _number(d: Decimal) -> int | float:
    return int(d) if d == d.to_integral_value() else float(d)


def _sub_item(number: str) -> str:
    return ".".join(number.split(".")[:2])


def template_for(first_year: int | None, templates: dict[int, Catalogue]) -> tuple[str, Catalogue]:
    """The catalogue of the round a plan of ``first_year`` belongs to: the latest template
    starting no later than it. A 2566-2570 plan read against the 2561 template (when no 2566
    template is known) keeps its numbering and takes dimension 2's 2566 title."""
    starts = sorted(templates)
    chosen = starts[0]
    for start in starts:
        if first_year is not None and start <= first_year:
            chosen = start
    catalogue = templates[chosen]
    if first_year is not None and first_year >= 2566 and chosen < 2566:
        catalogue = Catalogue(
            tuple(
                Dimension(d.number, DIMENSION_2_FROM_2566, d.sub_items) if d.number == 2 else d
                for d in catalogue.dimensions
            )
        )
    name = f"{chosen}" if first_year is None else f"{first_year}-{first_year + 4}"
    return name, catalogue


def _amounts(text: str) -> list[Decimal | None]:
    out: list[Decimal | None] = []
    for cell in text.split():
        if cell in ("-", "–"):
            out.append(None)
        else:
            out.append(Decimal(arabic_digits(cell).replace(",", "")))
    return out


_SHEET_TITLE = re.compile(r"^\s*รายละเอียด\s*(?:ของ\s*)?(?:โครงการ|กิจกรรม|มาตรการ)")
_NAME_HEADING = re.compile(r"^\s*(?:1|๑)\s*[.:)]?\s*ชื่อ")


def _table_region(lines: list[str]) -> tuple[int, int]:
    """The table's lines: from its title (or the first มิติที่) to the first detail sheet's
    title (or, without titles, its name heading)."""
    start = next((i for i, line in enumerate(lines) if _TABLE_TITLE.search(line)), None)
    if start is None:
        start = next((i for i, line in enumerate(lines) if _DIMENSION.match(line)), 0)
    end = next((i for i in range(start + 1, len(lines)) if _SHEET_TITLE.match(lines[i])), None)
    if end is None:
        end = next(
            (i for i in range(start + 1, len(lines)) if _NAME_HEADING.match(lines[i])), len(lines)
        )
    return start, end


def parse_table(
    lines: list[str], years: tuple[int, int] | None
) -> tuple[list[TableItem], list[Unparsed]]:
    """The items of the summary table, with the plan's numbers given in table order."""
    items: list[TableItem] = []
    problems: list[Unparsed] = []
    dimension: int | None = None
    under: str | None = None  # "1.1" or "1.1.1": what ๑) items sit under
    sequence: dict[str, int] = {}
    pending: str | None = None
    rows: list[str] = []
    for raw in lines:
        line = clean_line(raw)
        if not line:
            continue
        starts_row = bool(
            ITEM_LABEL.match(line)
            or _DIMENSION.match(line)
            or _SUB.match(line)
            or _TOTAL_ROW.match(line)
        )
        if pending is not None and not starts_row:
            pending = f"{pending} {line}"
            if _AMOUNTS.search(pending):
                rows.append(pending)
                pending = None
            continue
        if pending is not None:
            rows.append(pending)
            pending = None
        sub = _SUB.match(line)
        item_row = ITEM_LABEL.match(line) or (
            sub and sub[3] is not None and _KIND_WORD.match(sub[4])
        )
        if item_row and not _AMOUNTS.search(line) and not _NO_BUDGET.search(line.replace(" ", "")):
            pending = line
        else:
            rows.append(line)
    if pending is not None:
        rows.append(pending)
    for line in rows:
        if _TOTAL_ROW.match(line):
            continue
        dim = _DIMENSION.match(line)
        if dim:
            dimension, under = to_int(dim[1]), None
            continue
        label = ITEM_LABEL.match(line)
        sub = _SUB.match(line)
        if sub and not label:
            d, s = to_int(sub[1]), to_int(sub[2])
            rest = sub[4]
            if sub[3] is not None and _KIND_WORD.match(rest):
                number = f"{d}.{s}.{to_int(sub[3])}"
                items.append(_row(number, number, rest, line, years, problems))
                sequence[f"{d}.{s}"] = max(sequence.get(f"{d}.{s}", 0), to_int(sub[3]))
                continue
            if dimension is not None and d != dimension:
                problems.append(
                    Unparsed(
                        Problem.NOT_UNDERSTOOD,
                        "",
                        line,
                        f"ข้อ {d}.{s} อยู่ใต้มิติที่ {dimension} ในตาราง: ตรวจเลขข้อ",
                    )
                )
            under = f"{d}.{s}" + (f".{to_int(sub[3])}" if sub[3] is not None else "")
            continue
        if label:
            if under is None:
                problems.append(
                    Unparsed(
                        Problem.NOT_UNDERSTOOD,
                        "",
                        line,
                        "รายการนี้ไม่อยู่ใต้ภารกิจใด (เช่น ๑.๑) ในตาราง: ไม่รู้ว่าอยู่มิติใด",
                    )
                )
                continue
            sub_item = ".".join(under.split(".")[:2])
            sequence[sub_item] = sequence.get(sub_item, 0) + 1
            number = f"{sub_item}.{sequence[sub_item]}"
            listed = f"{under} ({to_int(label[1])})"
            items.append(_row(number, listed, line[label.end() :], line, years, problems))
    return items, problems


def _row(
    number: str,
    listed: str,
    rest: str,
    line: str,
    years: tuple[int, int] | None,
    problems: list[Unparsed],
) -> TableItem:
    """An item row: its kind and name, then one amount (or "-") per year of the round."""
    m = _AMOUNTS.search(rest)
    name_part = rest[: m.start()] if m else _NO_BUDGET.sub("", rest)
    kind, name = f.kind_and_name(name_part)
    amounts = _amounts(m[1]) if m else []
    span = list(range(years[0], years[1] + 1)) if years else []
    if span and len(amounts) == len(span) + 1:
        amounts = amounts[:-1]  # a total column after the years
    budget: dict[int, Decimal] | None
    if amounts and len(amounts) == len(span):
        budget = {y: a for y, a in zip(span, amounts, strict=True) if a is not None} or None
    elif not amounts and _NO_BUDGET.search(rest.replace(" ", "")):
        budget = None
    else:
        problems.append(
            Unparsed(
                Problem.NOT_UNDERSTOOD,
                "8",
                line,
                f"จำนวนช่องงบประมาณ ({len(amounts)}) ไม่เท่ากับจำนวนปีของแผน ({len(span)}): "
                "ใส่งบประมาณเอง",
            )
        )
        budget = {}
    return TableItem(number, listed, kind, name, budget, line)


def _key(name: str) -> str:
    return skeleton(re.sub(r"[\"“”'‘’()\s]", "", name))


def match(table: list[TableItem], sheets: list[ParsedSheet]) -> list[PlanItem]:
    """Each table item with its sheet: by where it is listed, by number, then by name."""
    left = list(range(len(sheets)))
    out: list[PlanItem] = []
    for t in table:
        found: tuple[int, str] | None = None
        for how, test in (
            ("listed_as", lambda s, t=t: s.listed_as is not None and s.listed_as == t.listed_as),
            ("number", lambda s, t=t: s.listed_as is None and s.number == t.number),
            ("name", lambda s, t=t: _same_name(s.name, t.name)),
        ):
            hit = next((i for i in left if test(sheets[i])), None)
            if hit is not None:
                found = (hit, how)
                break
        if found is None:
            out.append(
                PlanItem(
                    t,
                    None,
                    "",
                    (
                        Unparsed(
                            Problem.MISSING_HEADING,
                            "",
                            t.line,
                            f"รายการ {t.number} ในตารางไม่มีรายละเอียดโครงการในเอกสาร: "
                            "เพิ่มได้จากตาราง แล้วเติมหัวข้ออื่นภายหลัง",
                        ),
                    ),
                )
            )
            continue
        i, how = found
        left.remove(i)
        out.append(PlanItem(t, sheets[i], how, _differences(t, sheets[i])))
    numbers = {t.number for t in table}
    for i in left:
        s = sheets[i]
        notes = [
            Unparsed(
                Problem.NOT_UNDERSTOOD,
                "",
                s.name,
                "รายละเอียดโครงการนี้ไม่มีในตารางบัญชีโครงการ: ตรวจว่าเป็นรายการใด",
            )
        ]
        if s.number in numbers:
            notes.append(
                Unparsed(
                    Problem.NOT_UNDERSTOOD,
                    "",
                    s.number or "",
                    f"เลขที่ {s.number} ซ้ำกับรายการในตาราง: แก้ลำดับที่ก่อนยอมรับ",
                )
            )
        out.append(PlanItem(None, s, "", tuple(notes)))
    return out


def _same_name(a: str, b: str) -> bool:
    ka, kb = _key(a), _key(b)
    if not ka or not kb:
        return False
    return ka == kb or (min(len(ka), len(kb)) >= 12 and (ka in kb or kb in ka))


def _differences(t: TableItem, s: ParsedSheet) -> tuple[Unparsed, ...]:
    notes: list[Unparsed] = []
    if s.kind is not None and t.kind is not None and s.kind != t.kind:
        notes.append(
            Unparsed(
                Problem.NOT_UNDERSTOOD,
                "1",
                s.name,
                f"ประเภทในตาราง ({t.kind.thai}) ไม่ตรงกับรายละเอียด ({s.kind.thai}): ใช้ตามรายละเอียด",
            )
        )
    if s.budget != t.budget and s.budget is not None and t.budget is not None and s.budget:
        notes.append(
            Unparsed(
                Problem.NOT_UNDERSTOOD,
                "8",
                t.line,
                "งบประมาณในตารางไม่ตรงกับรายละเอียดโครงการ: ใช้ตามรายละเอียด ตรวจอีกครั้ง",
            )
        )
    if s.listed_as is None and s.number is not None and s.number != t.number:
        notes.append(
            Unparsed(
                Problem.NOT_UNDERSTOOD,
                "",
                s.number,
                f"เลขที่ในรายละเอียด ({s.number}) ไม่ตรงกับตาราง ({t.number}): ใช้ตามตาราง",
            )
        )
    return tuple(notes)


def _with_table(s: ParsedSheet, t: TableItem) -> ParsedSheet:
    """The sheet as it will be added: the table's number; kind, name and budget from the
    table only where the sheet has none (the note about the missing number is answered)."""
    unparsed = tuple(u for u in s.unparsed if not (u.heading == "" and s.number is None))
    budget = s.budget
    if s.budget == {} and t.budget != {}:
        budget = t.budget
        unparsed = tuple(u for u in unparsed if u.heading != "8")
    return replace(
        s,
        number=t.number,
        kind=s.kind or t.kind,
        name=s.name or t.name,
        budget=budget,
        unparsed=unparsed,
    )


def has_table(raw: str) -> bool:
    """Whether ``raw`` holds a plan's summary table: its title, or item rows under a dimension
    that carry amounts per year (a sheet's own header, "มิติที่ ๑ / ๑.๑.๑ / ๑) โครงการ...",
    has none)."""
    text, _ = normalise(raw)
    lines = text.split("\n")
    start, end = _table_region(lines)
    if any(_TABLE_TITLE.search(x) for x in lines[:end]):
        return True
    m = _ROUND.search(text)
    years = (to_int(m[1]), to_int(m[2])) if m else None
    items, _ = parse_table(lines[start:end], years)
    return any(_AMOUNTS.search(t.line) for t in items)


def plan_title(lines: list[str], years: tuple[int, int] | None) -> str:
    """The cover's title, with the round's years when the title line lacks them."""
    title = next(
        (clean_line(x) for x in lines[:15] if "แผนปฏิบัติการป้องกันการทุจริต" in x),
        "แผนปฏิบัติการป้องกันการทุจริต",
    )
    if years and not _ROUND.search(title):
        title += f" (พ.ศ. {years[0]}–{years[1]})"
    return title


def known_templates() -> dict[int, Catalogue]:
    """The template rounds domain.plans.catalogue holds, by their first year (a 2566 template
    is used when that module has one; the 2561 numbering serves otherwise)."""
    out = {2561: catalogue_module.TEMPLATE_2561}
    for name in dir(catalogue_module):
        m = re.fullmatch(r"TEMPLATE_(\d{4})", name)
        value = getattr(catalogue_module, name)
        if m and isinstance(value, Catalogue):
            out[int(m[1])] = value
    return out


def parse_plan(raw: str, lexicon: Lexicon, templates: dict[int, Catalogue]) -> ParsedPlan:
    """The plan in ``raw``: its round from the years on its cover, the table's items placed
    under their dimensions and sub-items, each matched to its detail sheet."""
    text, repairs = normalise(raw)
    lines = text.split("\n")
    start, end = _table_region(lines)
    before = "\n".join(lines[: max(start, 0) + 3])
    m = _ROUND.search(before) or _ROUND.search(text)
    years = (to_int(m[1]), to_int(m[2])) if m else None
    problems: list[Unparsed] = []
    if years is None or not years[0] <= years[1] <= years[0] + 9:
        years = None
        problems.append(
            Unparsed(
                Problem.NOT_UNDERSTOOD,
                "",
                "",
                "ไม่พบปีของแผน (เช่น พ.ศ. ๒๕๖๖ – ๒๕๗๐) ที่หน้าปกหรือหัวตาราง: ระบุปีของแผนเอง",
            )
        )
    table, table_problems = parse_table(lines[start:end], years)
    named: list[TableItem] = []
    for t in table:  # the names in the table, repaired as the sheets are
        fixed, report = repair(t.name, lexicon, f"ตารางบัญชีโครงการ {t.number}")
        named.append(replace(t, name=fixed))
        repairs = [*repairs, *report.repairs]
        table_problems += report.flags
    table = named
    problems += table_problems
    if not table:
        problems.append(
            Unparsed(
                Problem.MISSING_HEADING,
                "",
                "",
                "ไม่พบตารางบัญชีโครงการ/กิจกรรม/งบประมาณ (มิติที่ ... และรายการใต้แต่ละภารกิจ)",
            )
        )
    sheets = [s for s in parse_document("\n".join(lines[end:]), lexicon) if len(s.headings) >= 3]
    round_name, catalogue = template_for(years[0] if years else None, templates)
    if years:
        round_name = f"{years[0]}-{years[1]}"
    items = match(table, sheets)
    for item in items:
        if item.number and catalogue.sub_item(_sub_item(item.number)) is None:
            problems.append(
                Unparsed(
                    Problem.NOT_UNDERSTOOD,
                    "",
                    item.number,
                    f"ไม่มีภารกิจ {_sub_item(item.number)} ในแม่แบบของรอบ {round_name}: ตรวจเลขข้อ",
                )
            )
    return ParsedPlan(
        plan_title(lines, years),
        years,
        catalogue,
        round_name,
        tuple(items),
        tuple(repairs),
        tuple(problems),
    )
