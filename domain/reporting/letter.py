"""The cover letter (หนังสือนำส่ง) that goes with a round's progress report to the provincial
office, in the layout of an official letter (หนังสือภายนอก): ที่, the sender's address, the
date, เรื่อง, เรียน, อ้างถึง, สิ่งที่ส่งมาด้วย, the body, the closing, the executive's
signature block and the unit that owns the matter.

Everything is composed from the round's report (the same data as the report itself), the
LAO's register entry and profile, and the few things only the clerk knows (the letter's
number from the registry of outgoing letters, a letter it answers). Numbers and dates are
written with Arabic digits here; the documents turn them into Thai digits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.reporting.model import ProgressReport
from domain.reporting.rounds import RoundKind
from domain.shared.fiscal import arabic_digits
from domain.shared.thai import grouped, plain_number, thai_date

MAX_NUMBER = 60  # "สน 73301/1234" with room to spare
MAX_ADDRESSEE = 200
MAX_REFERENCE = 300
DOTS = "................"

# The executive's title by the kind of LAO (organisations.kind).
_EXECUTIVE = {
    "sao": ("องค์การบริหารส่วนตำบล", "นายกองค์การบริหารส่วนตำบล"),
    "pao": ("องค์การบริหารส่วนจังหวัด", "นายกองค์การบริหารส่วนจังหวัด"),
    "subdistrict_municipality": ("เทศบาลตำบล", "นายกเทศมนตรีตำบล"),
    "town_municipality": ("เทศบาลเมือง", "นายกเทศมนตรีเมือง"),
    "city_municipality": ("เทศบาลนคร", "นายกเทศมนตรีนคร"),
}


@dataclass(frozen=True)
class LetterParty:
    """What the letter needs of the LAO beyond the report: its kind, the office it writes to,
    the executive who signs, and the unit that owns the matter (from the LAO's profile)."""

    kind: str  # organisations.kind
    province_office: str  # "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดสกลนคร"
    executive_name: str  # "" when no executive is a member yet: a dotted line to fill in
    unit: str = "สำนักงานปลัด"
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class LetterInput:
    """What only the clerk knows; every field may be left empty."""

    number: str = ""  # "สน 73301/123": the registry of outgoing letters gives it
    on: date | None = None  # the letter's date (today when None)
    addressee: str = ""  # เรียน ... (the provincial office's head when empty)
    reference: str = ""  # อ้างถึง: the letter that asked for the report, if any


@dataclass(frozen=True)
class CoverLetter:
    number: str
    sender: tuple[str, ...]  # the sender's address, top right
    on: date
    subject: str
    addressee: str
    reference: str  # "" leaves the line out
    enclosures: tuple[str, ...]
    paragraphs: tuple[str, ...]
    closing: str
    signer_name: str  # "" prints a dotted line
    signer_position: str
    unit: tuple[str, ...]  # the unit that owns the matter, bottom left
    org_name: str
    round_code: str

    @property
    def date_text(self) -> str:
        return thai_date(self.on)


def executive_position(kind: str, org_name: str) -> str:
    """'นายกองค์การบริหารส่วนตำบลพังขว้าง', 'นายกเทศมนตรีตำบลท่าแร่'."""
    prefix, title = _EXECUTIVE.get(kind, ("", "นายก"))
    if prefix and org_name.startswith(prefix):
        return title + org_name.removeprefix(prefix)
    return f"นายก{org_name}"


def head_of(province_office: str) -> str:
    """The head of the provincial office, as a letter addresses it: 'ท้องถิ่นจังหวัดสกลนคร'."""
    prefix = "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัด"
    if province_office.startswith(prefix):
        return "ท้องถิ่นจังหวัด" + province_office.removeprefix(prefix)
    return province_office


def _round_text(r: ProgressReport) -> str:
    rnd = r.round
    months = "6 เดือน" if rnd.kind is RoundKind.SIX_MONTH else "12 เดือน"
    return (
        f"ประจำปีงบประมาณ พ.ศ. {rnd.fiscal_year} รอบ {months} "
        f"({thai_date(rnd.start)} ถึง {thai_date(rnd.end)})"
    )


def _results(r: ProgressReport) -> str:
    p = r.round_part
    if r.plan is None or p is None:
        return (
            f"ในปีงบประมาณ พ.ศ. {r.round.fiscal_year} ไม่มีแผนปฏิบัติการป้องกันการทุจริตที่ประกาศใช้"
            "ครอบคลุม จึงไม่มีผลการดำเนินงานตามแผนที่จะรายงานในรอบนี้"
        )
    text = (
        f"มีโครงการ/กิจกรรม/มาตรการที่ต้องดำเนินการในรอบนี้ทั้งสิ้น {p.total} รายการ "
        f"ดำเนินการแล้ว {p.done} รายการ อยู่ระหว่างดำเนินการ {p.in_progress} รายการ "
        f"ไม่สามารถดำเนินการได้ {p.cannot} รายการ คิดเป็นร้อยละการดำเนินการ "
        f"{plain_number(p.percent)} ({p.level_th})"
    )
    if r.budget > Decimal(0):
        text += f" งบประมาณตามแผนของปีงบประมาณนี้ {grouped(r.budget, places=2)} บาท"
    return text


def cover_letter(
    r: ProgressReport, party: LetterParty, given: LetterInput, on: date
) -> CoverLetter:
    """The letter for the report ``r`` (read as of the letter's date)."""
    org = r.organisation
    when = given.on or on
    plan = r.plan
    report_name = f"รายงานผลการดำเนินงานตามแผนปฏิบัติการป้องกันการทุจริต {_round_text(r)}"
    subject = (
        "ขอส่งรายงานผลการดำเนินงานตามแผนปฏิบัติการป้องกันการทุจริต "
        f"ประจำปีงบประมาณ พ.ศ. {r.round.fiscal_year} {r.round.kind.thai}"
    )
    if plan is not None:
        promulgated = (
            f" ซึ่งประกาศใช้เมื่อวันที่ {thai_date(plan.promulgated_on)}" if plan.promulgated_on else ""
        )
        years = f" (ปีงบประมาณ พ.ศ. {plan.first_year} – {plan.last_year})"
        if str(plan.first_year) in arabic_digits(plan.title):
            years = ""  # the title says its years already
        opening = (
            f"ตามที่ {org.name} ได้จัดทำ{plan.title}{years}{promulgated} "
            f"และต้องรายงานผลการดำเนินงานตามแผนต่อ{party.province_office}"
            "เป็นรอบ 6 เดือนและรอบ 12 เดือน นั้น"
        )
    else:
        opening = (
            f"ตามที่ {org.name} ต้องรายงานผลการดำเนินงานตามแผนปฏิบัติการป้องกันการทุจริตต่อ"
            f"{party.province_office}เป็นรอบ 6 เดือนและรอบ 12 เดือน นั้น"
        )
    body = (
        f"{org.name} ขอส่งรายงานผลการดำเนินงานตามแผนดังกล่าว {_round_text(r)} "
        f"{_results(r)} รายละเอียดปรากฏตามสิ่งที่ส่งมาด้วย"
    )
    district = f"อำเภอ{org.district} " if org.district else ""
    unit = [party.unit or "สำนักงานปลัด"]
    unit.append(f"โทร. {party.phone}" if party.phone else f"โทร. {DOTS}")
    if party.email:
        unit.append(f"ไปรษณีย์อิเล็กทรอนิกส์ {party.email}")
    return CoverLetter(
        number=given.number.strip()[:MAX_NUMBER] or f"{DOTS}/{DOTS}",
        sender=(f"สำนักงาน{org.name}", f"{district}จังหวัด{org.province}".strip()),
        on=when,
        subject=subject,
        addressee=given.addressee.strip()[:MAX_ADDRESSEE] or head_of(party.province_office),
        reference=given.reference.strip()[:MAX_REFERENCE],
        enclosures=(f"{report_name} จำนวน 1 ชุด",),
        paragraphs=(opening, body),
        closing="จึงเรียนมาเพื่อโปรดทราบ",
        signer_name=party.executive_name.strip(),
        signer_position=executive_position(party.kind, org.name),
        unit=tuple(unit),
        org_name=org.name,
        round_code=r.round.code,
    )
