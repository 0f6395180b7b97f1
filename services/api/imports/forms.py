"""The imports' forms: a sheet's corrections from the API's body (``changes_of``) or from the
page's edit form (``typed_of`` keeps what was typed, ``edit_of`` checks it into the API's body,
``changed`` keeps only what differs from the sheet as stored)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from litestar.exceptions import ValidationException

from domain.imports.headings import HEADINGS
from domain.plans.values import ItemKind
from domain.shared.fiscal import arabic_digits
from infra.imports.files import MAX_FILE_BYTES
from services.api.imports.schemas import SheetEditIn
from services.api.pages.common import number_of, text

MAX_UPLOAD = 5 * MAX_FILE_BYTES
KINDS = [(k.value, k.thai) for k in ItemKind]
COMPARATORS = [("at_least", "อย่างน้อย"), ("exactly", "จำนวน"), ("at_most", "ไม่เกิน")]
STATUS_TH = {"pending": "รอตรวจ", "accepted": "ยอมรับเข้าแผนแล้ว", "rejected": "ปฏิเสธแล้ว"}
HEADING_TH = {k: v[0] for k, v in HEADINGS.items()}
UNPARSED_TH = {"uncertain_spelling": "คำที่อาจสแกนผิด (ไม่ได้แก้)"}
EXTRA_ROWS = 2  # blank rows under the steps, budget years and indicators of the edit form
CONFLICT = (
    "มีผู้อื่นแก้ไขรายการนำเข้านี้ก่อนคุณ ระบบจึงยังไม่ได้บันทึกสิ่งที่คุณกรอก "
    "ข้อมูลด้านล่างเป็นข้อมูลล่าสุดแล้ว กรุณาตรวจสอบแล้วบันทึกอีกครั้ง"
)
DONE = {
    "edited": "บันทึกการแก้ไขแล้ว",
    "accepted": "ยอมรับเข้าแผนแล้ว ระบบเพิ่มรายการในแผนด้วยคำสั่งปกติของแผน",
    "rejected": "ปฏิเสธรายการนี้แล้ว ไม่มีสิ่งใดถูกเพิ่มในแผน",
}
MATCHED_TH = {
    "listed_as": "ตรงกับรายละเอียดตามลำดับในตาราง",
    "number": "ตรงกับรายละเอียดตามเลขที่",
    "name": "ตรงกับรายละเอียดตามชื่อ",
    "": "ไม่มีรายละเอียดโครงการในเอกสาร",
}


def when(value: str | None) -> datetime | None:
    """A stored time (ISO text) for the templates."""
    return datetime.fromisoformat(value) if value else None


def _lines(raw: str) -> list[str]:
    return [s.strip() for s in raw.replace("\r", "").split("\n") if s.strip()]


def _amount_text(value: Any) -> str:
    return "" if value in (None, "") else str(value)


def form_of(sheet: dict[str, Any]) -> dict[str, Any]:
    """The edit form's values from a sheet as stored."""
    budget = sheet.get("budget")
    return {
        "number": sheet.get("number") or "",
        "kind": sheet.get("kind") or "",
        "name": sheet.get("name") or "",
        "rationale": sheet.get("rationale") or "",
        "objectives": "\n".join(sheet.get("objectives") or ()),
        "targets": "\n".join(sheet.get("targets") or ()),
        "area": sheet.get("area") or "",
        "steps": [{"number": s["number"], "title": s["title"]} for s in sheet.get("steps") or ()],
        "fiscal_years": " ".join(str(y) for y in sheet.get("fiscal_years") or ()),
        "no_budget": budget is None,
        "budget": [{"year": y, "amount": _amount_text(a)} for y, a in (budget or {}).items()],
        "responsible": sheet.get("responsible") or "",
        "outputs": [
            {
                "text": o["text"],
                "comparator": o["comparator"],
                "target": _amount_text(o["target"]),
                "unit": o["unit"],
            }
            for o in sheet.get("output_indicators") or ()
        ],
        "outcomes": "\n".join(sheet.get("outcomes") or ()),
    }


def _rows(form: Any, prefix: str, keys: tuple[str, ...], limit: int = 2000) -> list[dict[str, str]]:
    out = []
    for n in range(60):
        row = {k: text(form, f"{prefix}-{n}-{k}", limit) for k in keys}
        if f"{prefix}-{n}-{keys[0]}" not in form:
            break
        if any(row.values()):
            out.append(row)
    return out


def _area(form: Any, name: str) -> str:
    """A textarea's text; browsers send its line breaks as CRLF."""
    return text(form, name, 20_000).replace("\r\n", "\n").replace("\r", "\n")


def typed_of(form: Any) -> dict[str, Any]:
    """What the reviewer typed, kept as typed (shown again on errors)."""
    return {
        "number": arabic_digits(text(form, "number", 40)).replace(" ", ""),
        "kind": text(form, "kind", 20),
        "name": text(form, "name", 600),
        "rationale": _area(form, "rationale"),
        "objectives": _area(form, "objectives"),
        "targets": _area(form, "targets"),
        "area": text(form, "area", 600),
        "steps": _rows(form, "step", ("number", "title"), 600),
        "fiscal_years": text(form, "fiscal_years", 200),
        "no_budget": bool(text(form, "no_budget", 5)),
        "budget": _rows(form, "budget", ("year", "amount"), 40),
        "responsible": text(form, "responsible", 600),
        "outputs": _rows(form, "output", ("text", "comparator", "target", "unit")),
        "outcomes": _area(form, "outcomes"),
    }


def edit_of(typed: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    """The PATCH body of the API for what was typed; Thai errors per field in ``errors``."""
    body: dict[str, Any] = {}
    number = typed["number"]
    parts = number.split(".")
    if len(parts) != 3 or not all(p.isdigit() and 1 <= len(p) <= 2 for p in parts):
        errors["number"] = "กรุณากรอกลำดับที่ของรายการเป็น มิติ.ภารกิจ.ลำดับ เช่น 2.1.1"
    body["number"] = number
    if typed["kind"] not in {k for k, _ in KINDS}:
        errors["kind"] = "กรุณาเลือกประเภท: โครงการ กิจกรรม หรือมาตรการ"
    body["kind"] = typed["kind"]
    if not typed["name"]:
        errors["name"] = "กรุณากรอกชื่อโครงการ/กิจกรรม/มาตรการ"
    elif len(typed["name"]) > 500:
        errors["name"] = "ชื่อยาวได้ไม่เกิน 500 ตัวอักษร"
    body["name"] = typed["name"]
    body["rationale"] = typed["rationale"]
    body["objectives"] = _lines(typed["objectives"])
    body["targets"] = _lines(typed["targets"])
    body["area"] = typed["area"][:500]
    steps = []
    for n, s in enumerate(typed["steps"]):
        num = arabic_digits(s["number"]).replace(" ", "")
        ok = num and all(p.isdigit() and len(p) <= 2 for p in num.split("."))
        if not ok or len(num.split(".")) > 3:
            errors[f"step-{n}-number"] = f"ขั้นตอนแถวที่ {n + 1}: เลขขั้นตอนต้องเป็นตัวเลข เช่น 6.1"
        if not s["title"]:
            errors[f"step-{n}-title"] = f"ขั้นตอนแถวที่ {n + 1}: กรุณากรอกชื่อขั้นตอน"
        steps.append({"number": num, "title": s["title"][:500]})
    body["steps"] = steps
    years = []
    for word in arabic_digits(typed["fiscal_years"]).replace(",", " ").split():
        if not word.isdigit() or not 2400 <= int(word) <= 2700:
            errors["fiscal_years"] = "ปีงบประมาณต้องเป็นปี พ.ศ. 4 หลัก คั่นด้วยช่องว่าง เช่น 2561 2562"
            break
        years.append(int(word))
    body["fiscal_years"] = years
    if typed["no_budget"]:
        if typed["budget"]:
            errors["no_budget"] = "เลือก ไม่ใช้งบประมาณ หรือกรอกงบประมาณรายปี อย่างใดอย่างหนึ่ง"
        body["no_budget"] = True
    else:
        budget: dict[str, Any] = {}
        for n, b in enumerate(typed["budget"]):
            year = arabic_digits(b["year"]).strip()
            amount = number_of(b["amount"])
            if not year.isdigit() or not 2400 <= int(year) <= 2700:
                errors[f"budget-{n}-year"] = f"งบประมาณแถวที่ {n + 1}: กรุณากรอกปี พ.ศ. 4 หลัก"
            if amount is None or amount < 0:
                errors[f"budget-{n}-amount"] = f"งบประมาณแถวที่ {n + 1}: กรุณากรอกจำนวนเงิน (บาท)"
            budget[year] = str(amount) if amount is not None else "0"
        if not budget:
            errors["no_budget"] = "กรอกงบประมาณอย่างน้อยหนึ่งปี หรือเลือก ไม่ใช้งบประมาณ"
        body["budget"] = budget
    body["responsible"] = typed["responsible"][:500]
    outputs = []
    for n, o in enumerate(typed["outputs"]):
        target = number_of(o["target"])
        if not o["text"]:
            errors[f"output-{n}-text"] = f"ตัวชี้วัดผลผลิตแถวที่ {n + 1}: กรุณากรอกข้อความ"
        if o["comparator"] not in {c for c, _ in COMPARATORS}:
            errors[f"output-{n}-comparator"] = f"ตัวชี้วัดผลผลิตแถวที่ {n + 1}: กรุณาเลือกเงื่อนไข"
        if target is None:
            errors[f"output-{n}-target"] = f"ตัวชี้วัดผลผลิตแถวที่ {n + 1}: ค่าเป้าหมายต้องเป็นตัวเลข"
        if not o["unit"]:
            errors[f"output-{n}-unit"] = f"ตัวชี้วัดผลผลิตแถวที่ {n + 1}: กรุณากรอกหน่วย เช่น ครั้ง"
        outputs.append(
            {
                "text": o["text"],
                "comparator": o["comparator"],
                "target": str(target or 0),
                "unit": o["unit"][:500],
            }
        )
    body["output_indicators"] = outputs
    body["outcomes"] = _lines(typed["outcomes"])
    return body


def changed(body: dict[str, Any], sheet: dict[str, Any]) -> dict[str, Any]:
    """Only the headings that differ from the sheet as stored (so notes about the others stay)."""
    out: dict[str, Any] = {}
    for key, value in body.items():
        if key == "no_budget":
            if sheet.get("budget") is not None:
                out["no_budget"] = True
        elif key == "budget":
            old = {y: str(Decimal(str(a))) for y, a in (sheet.get("budget") or {}).items()}
            new = {y: str(Decimal(a)) for y, a in value.items()}
            if sheet.get("budget") is None or old != new:
                out["budget"] = value
        elif key == "output_indicators":
            old_o = [
                (o["text"], o["comparator"], Decimal(str(o["target"])), o["unit"])
                for o in sheet.get(key) or ()
            ]
            new_o = [(o["text"], o["comparator"], Decimal(o["target"]), o["unit"]) for o in value]
            if old_o != new_o:
                out[key] = value
        elif key == "rationale":
            if (sheet.get(key) or "").strip() != value.strip():
                out[key] = value
        elif (sheet.get(key) or type(value)()) != value:
            out[key] = value
    return out


def _number(d: Decimal) -> int | float:
    return int(d) if d == d.to_integral_value() else float(d)


def changes_of(data: SheetEditIn) -> dict[str, Any]:
    """The corrections of a sheet as the review store takes them (the API's PATCH body, and
    the page's form once converted to it)."""
    if data.no_budget and data.budget is not None:
        raise ValidationException("ระบุอย่างใดอย่างหนึ่ง: no_budget หรือ budget")
    out: dict[str, Any] = {}
    for key in (
        "number",
        "kind",
        "name",
        "rationale",
        "objectives",
        "targets",
        "area",
        "fiscal_years",
        "responsible",
        "outcomes",
    ):
        value = getattr(data, key)
        if value is not None:
            out[key] = value
    if data.steps is not None:
        out["steps"] = [{"number": s.number, "title": s.title} for s in data.steps]
    if data.output_indicators is not None:
        out["output_indicators"] = [
            {
                "text": o.text,
                "comparator": o.comparator,
                "target": _number(o.target),
                "unit": o.unit,
            }
            for o in data.output_indicators
        ]
    if data.no_budget:
        out["budget"] = None
    elif data.budget is not None:
        try:
            out["budget"] = {str(int(y)): _number(a) for y, a in sorted(data.budget.items())}
        except ValueError:
            raise ValidationException('ปีงบประมาณต้องเป็นตัวเลข เช่น "2562"') from None
    if not out:
        raise ValidationException("ไม่มีหัวข้อที่จะแก้ไข")
    return out
