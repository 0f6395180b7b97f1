"""A parsed detail sheet, and the parser that turns a document's text into sheets."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from domain.imports import fields as f
from domain.imports.damage import stand_in_marks
from domain.imports.headings import (
    HEADINGS,
    ORDER,
    Heading,
    find_headings,
    nine_headings,
    split_sheets,
)
from domain.imports.lexicon import Lexicon
from domain.imports.spelling import repair
from domain.imports.text import nfc, normalise
from domain.imports.values import Problem, Repair, Unparsed
from domain.plans.values import Comparator, ItemKind


@dataclass(frozen=True)
class Output:
    text: str
    comparator: Comparator
    target: Decimal
    unit: str


@dataclass(frozen=True)
class ParsedSheet:
    """One detail sheet as read from a document, for a person to review before it is stored."""

    number: str | None
    kind: ItemKind | None
    name: str
    rationale: str
    objectives: tuple[str, ...]
    targets: tuple[str, ...]
    area: str
    steps: tuple[tuple[str, str], ...]  # ("6.1", title)
    fiscal_years: tuple[int, ...]
    budget: dict[int, Decimal] | None  # None: ไม่ใช้งบประมาณ
    responsible: str
    output_indicators: tuple[Output, ...]
    outcomes: tuple[str, ...]
    repairs: tuple[Repair, ...] = ()
    unparsed: tuple[Unparsed, ...] = field(default=())
    headings: tuple[str, ...] = ()  # which of the ten (and 10.1, 10.2) were found
    listed_as: str | None = None  # "1.1.1 (2)": an item under a sub-sub-item (2566 plans)

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "kind": self.kind.value if self.kind else None,
            "name": self.name,
            "rationale": self.rationale,
            "objectives": list(self.objectives),
            "targets": list(self.targets),
            "area": self.area,
            "steps": [{"number": n, "title": t} for n, t in self.steps],
            "fiscal_years": list(self.fiscal_years),
            "budget": None
            if self.budget is None
            else {str(y): _number(a) for y, a in sorted(self.budget.items())},
            "responsible": self.responsible,
            "output_indicators": [
                {
                    "text": o.text,
                    "comparator": o.comparator.value,
                    "target": _number(o.target),
                    "unit": o.unit,
                }
                for o in self.output_indicators
            ],
            "outcomes": list(self.outcomes),
            "repairs": [r.to_json() for r in self.repairs],
            "unparsed": [u.to_json() for u in self.unparsed],
        }


def _number(d: Decimal) -> int | float:
    return int(d) if d == d.to_integral_value() else float(d)


def parse_document(raw: str, lexicon: Lexicon) -> list[ParsedSheet]:
    """Every detail sheet in a document's text (one or many)."""
    text, page_repairs = normalise(raw)
    marks = stand_in_marks(text, lexicon)
    lines = text.split("\n")
    sheets = []
    for n, (start, end) in enumerate(split_sheets(lines)):
        sheets.append(
            _parse_sheet(lines[start:end], lexicon, page_repairs if n == 0 else [], marks)
        )
    return sheets


def _sections(lines: list[str], found: list[Heading]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {"": lines[: found[0].line] if found else lines}
    for i, h in enumerate(found):
        end = found[i + 1].line if i + 1 < len(found) else len(lines)
        out[h.key] = [h.rest, *lines[h.line + 1 : end]]
    return out


def _parse_sheet(
    lines: list[str], lex: Lexicon, carried: list[Repair], marks: dict[str, str]
) -> ParsedSheet:
    found = find_headings(lines)
    raw = _sections(lines, found)
    repairs: list[Repair] = list(carried)
    unparsed: list[Unparsed] = []
    sec: dict[str, list[str]] = {}
    for key, body in raw.items():
        label = f"หัวข้อ {key} {HEADINGS[key][0]}" if key else "ส่วนหัว"
        fixed, report = repair("\n".join(body), lex, label, marks)
        sec[key] = fixed.split("\n")
        repairs += report.repairs
        unparsed += [_with_heading(u, key) for u in report.flags]
    nine = nine_headings(found)
    for key in ORDER:
        if key not in sec and not (nine and key == "5"):
            unparsed.append(
                Unparsed(
                    Problem.MISSING_HEADING,
                    key,
                    "",
                    f"ไม่พบหัวข้อ {key} ({HEADINGS[key][0]}) ในเอกสาร",
                )
            )
    number = f.number_of("\n".join(sec[""])) or f.number_of(" ".join(sec.get("1", [])[:1]))
    listed = f.listed_as("\n".join(sec[""]))
    if listed is not None:
        number = None
        unparsed.append(
            Unparsed(
                Problem.NOT_UNDERSTOOD,
                "",
                listed,
                f"รายการ {listed}: เลขที่ในแผน (มิติ.ภารกิจ.ลำดับ) ได้จากการนำเข้าทั้งแผน หรือใส่เองก่อนยอมรับ",
            )
        )
    elif number is None:
        unparsed.append(Unparsed(Problem.NOT_UNDERSTOOD, "", "", "ไม่พบลำดับที่ของรายการ เช่น ๒.๑.๑"))
    kind, name = f.kind_and_name("\n".join(sec.get("1", [])))
    if kind is None and "1" in sec:
        unparsed.append(
            Unparsed(
                Problem.NOT_UNDERSTOOD,
                "1",
                name,
                "ชื่อไม่ได้ขึ้นต้นด้วย โครงการ / กิจกรรม / มาตรการ จึงไม่รู้ประเภท",
            )
        )
    years = f.fiscal_years(f.one_line(sec.get("7", [])))
    if "7" in sec and not years:
        unparsed.append(_not_understood("7", sec["7"], "ไม่พบปีงบประมาณ เช่น ๒๕๖๑-๒๕๖๔"))
    budget = f.budget("\n".join(sec.get("8", [])), years)
    if "8" in sec and not budget.understood:
        unparsed.append(
            _not_understood(
                "8", sec["8"], "อ่านงบประมาณไม่ออก: ระบุ 'ไม่ใช้งบประมาณ' หรือจำนวนเงินของแต่ละปี"
            )
        )
    if budget.total_differs:
        assert budget.total is not None
        unparsed.append(
            _not_understood(
                "8",
                sec["8"],
                f"ยอดรวม {budget.total:,} บาท ไม่ตรงกับผลรวมรายปี "
                f"{sum(budget.amounts.values()):,} บาท: ตรวจจำนวนเงินของแต่ละปี",
            )
        )
    elif budget.amounts and set(budget.amounts) - set(years) and years:
        unparsed.append(
            _not_understood(
                "8", sec["8"], "งบประมาณมีปีที่ไม่อยู่ในระยะเวลาดำเนินการ (หัวข้อ 7): ตรวจปีงบประมาณ"
            )
        )
    step_list, loose = f.steps(sec.get("6", []))
    if loose:
        unparsed.append(_not_understood("6", loose, "ข้อความก่อนขั้นตอนแรกที่มีเลขข้อ"))
    outputs, outcomes = _indicators(sec, unparsed)
    return ParsedSheet(
        number=number,
        kind=kind,
        name=nfc(name),
        rationale=f.paragraphs(sec.get("2", [])),
        objectives=tuple(f.items(sec.get("3", []))),
        targets=tuple(f.items(sec.get("4", []))),
        area=f.one_line(sec.get("5", [])),
        steps=tuple(step_list),
        fiscal_years=tuple(years),
        budget=None if budget.no_budget else dict(sorted(budget.amounts.items())),
        responsible=f.one_line(sec.get("9", [])),
        output_indicators=tuple(outputs),
        outcomes=tuple(outcomes),
        repairs=tuple(repairs),
        unparsed=tuple(unparsed),
        headings=tuple(k for k in (*ORDER, "10.1", "10.2") if k in sec),
        listed_as=listed,
    )


def _with_heading(u: Unparsed, key: str) -> Unparsed:
    return Unparsed(u.kind, key, u.text, u.why, u.suggestions)


def _not_understood(key: str, lines: list[str], why: str) -> Unparsed:
    return Unparsed(Problem.NOT_UNDERSTOOD, key, f.one_line(lines), why)


def _indicators(
    sec: dict[str, list[str]], unparsed: list[Unparsed]
) -> tuple[list[Output], list[str]]:
    """10.1 outputs (each with a number) and 10.2 outcomes; without the split, lines with a
    countable target are outputs and the others outcomes."""
    outputs: list[Output] = []
    if "10.1" in sec or "10.2" in sec:
        out_lines, outcome_lines = sec.get("10.1", []), sec.get("10.2", [])
        outcome_lines = [*f.items(sec.get("10", [])), *f.items(outcome_lines)]
        mixed = False
    else:
        out_lines, outcome_lines, mixed = sec.get("10", []), [], True
    outcomes = list(f.items(outcome_lines)) if not mixed else []
    for text in f.items(out_lines):
        m = f.measured(text)
        if m is not None:
            outputs.append(Output(text, m.comparator, m.target, m.unit))
        elif mixed:
            outcomes.append(text)
        else:
            unparsed.append(
                Unparsed(
                    Problem.NOT_UNDERSTOOD,
                    "10.1",
                    text,
                    "ตัวชี้วัดผลผลิตนี้ไม่มีค่าเป้าหมายที่เป็นตัวเลข (เช่น อย่างน้อย ๑ ครั้ง, ร้อยละ ๘๐)",
                )
            )
    return outputs, outcomes
