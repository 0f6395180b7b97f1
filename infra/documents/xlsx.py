"""XLSX workbooks of the same reports: Arabic digits, real numbers and dates (shown in the
Buddhist Era), a frozen header row and a filter on every table, column widths to the content.

The same report and ``generated_at`` give byte-identical files: the document properties and
every zip entry's time come from ``generated_at``.
"""

from __future__ import annotations

from datetime import datetime

from domain.reporting.digest import content_hash
from domain.reporting.model import COMPARATORS_TH, ProgressReport
from domain.reporting.summary import ProvincialSummary
from infra.documents.common import utc
from infra.documents.workbook import PERCENT_FORMAT, XLSX_MEDIA_TYPE, Book, Row, sheet

__all__ = ["XLSX_MEDIA_TYPE", "progress_xlsx", "summary_xlsx"]


def _headers(text: str) -> list[str]:
    return text.split("|")


KEY_VALUE = _headers("หัวข้อ|ค่า")
DIMENSIONS = _headers(
    "มิติ|ชื่อมิติ|จำนวนรายการ|งบประมาณ (บาท)|ขั้นตอนทั้งหมด|ดำเนินการแล้ว|ร้อยละ|เกินกำหนด|ตัวชี้วัดบรรลุ|ตัวชี้วัดทั้งหมด"
)
ITEMS = _headers(
    "ลำดับที่|มิติ|ภารกิจ|ประเภท|ชื่อโครงการ/กิจกรรม/มาตรการ|ผู้รับผิดชอบ|ไม่ใช้งบประมาณ"
    "|งบประมาณปีนี้ (บาท)|ขั้นตอนทั้งหมด|ดำเนินการแล้ว|ดำเนินการในรอบนี้|ร้อยละ|เกินกำหนด"
    "|ตัวชี้วัดผลผลิต|บรรลุ"
)
STEPS = _headers(
    "ลำดับที่|ชื่อรายการ|ขั้นตอน|รายการ|กำหนดเสร็จ|ผู้รับผิดชอบ|ผลการดำเนินงาน"
    "|ดำเนินการแล้วเมื่อ|หมายเหตุ|หลักฐาน (รายการ)"
)
INDICATORS = _headers(
    "ลำดับที่|ชื่อรายการ|รหัส|ประเภท|ตัวชี้วัด|เงื่อนไข|เป้าหมาย|หน่วย|ผล|ที่มาของผล"
    "|การบรรลุเป้าหมาย|ช่วงเดียวกันของปีก่อน"
)
EVIDENCE = _headers("ที่|ลำดับที่รายการ|ประกอบ|ชื่อหลักฐาน|ชนิด|ประเภทไฟล์|ขนาด (ไบต์)|วันที่|SHA-256|ลิงก์")
LAOS = _headers(
    "ที่|รหัส|องค์กรปกครองส่วนท้องถิ่น|อำเภอ|มีแผน|ประกาศใช้แผนเมื่อ|ประกาศเจตจำนงเมื่อ"
    "|ประกาศต่อสาธารณชน (ครั้ง)|จำนวนรายการ|ขั้นตอนทั้งหมด|ดำเนินการแล้ว|ร้อยละ|เกินกำหนด"
    "|ตัวชี้วัด|บรรลุ|ส่งรายงานเมื่อ"
)
SOURCES = {"recorded": "บันทึกโดยองค์กร", "counted": "นับโดยระบบ"}


def _yes(flag: bool) -> str:
    return "ใช่" if flag else "ไม่ใช่"


def _overview(r: ProgressReport, generated_at: datetime, digest: str) -> list[Row]:
    org, plan, d = r.organisation, r.plan, r.declaration
    return [
        ("องค์กรปกครองส่วนท้องถิ่น", org.name),
        ("รหัสองค์กร", org.code),
        ("อำเภอ", org.district),
        ("จังหวัด", org.province),
        ("ปีงบประมาณ", r.round.fiscal_year),
        ("รอบรายงาน", r.round.kind.thai),
        ("เริ่มรอบ", r.round.start),
        ("สิ้นสุดรอบ", r.round.end),
        ("ข้อมูล ณ วันที่", r.cutoff),
        ("แผน", plan.title if plan else "ไม่มีแผนที่ครอบคลุมปีงบประมาณนี้"),
        ("ปีงบประมาณแรกของแผน", plan.first_year if plan else None),
        ("ปีงบประมาณสุดท้ายของแผน", plan.last_year if plan else None),
        ("ประกาศใช้แผนเมื่อ", plan.promulgated_on if plan else None),
        ("ประกาศเจตจำนงเมื่อ", d.published_on if d else None),
        ("ประกาศต่อสาธารณชน (ครั้ง)", len(d.announcements) if d else 0),
        ("จำนวนโครงการ/กิจกรรม/มาตรการ", len(r.items)),
        ("ขั้นตอนทั้งหมด", r.steps_total),
        ("ขั้นตอนที่ดำเนินการแล้ว", r.steps_done),
        ("ร้อยละของขั้นตอนที่ดำเนินการแล้ว", r.percent_done),
        ("ขั้นตอนที่เกินกำหนด", r.overdue),
        ("ตัวชี้วัดผลผลิตทั้งหมด", r.outputs_total),
        ("ตัวชี้วัดผลผลิตที่บรรลุ", r.outputs_met),
        ("งบประมาณรวม (บาท)", r.budget),
        ("รหัสตรวจสอบเนื้อหา (SHA-256)", digest),
        ("จัดทำเมื่อ (UTC)", utc(generated_at).replace(tzinfo=None).isoformat(sep=" ")),
    ]


def _indicator_rows(r: ProgressReport) -> list[Row]:
    rows: list[Row] = []
    for i in r.items:
        for o in i.outputs:
            cmp = COMPARATORS_TH.get(o.comparator, o.comparator)
            source = SOURCES.get(o.source or "", "")
            rows.append(
                [
                    i.number,
                    i.name,
                    o.indicator_id,
                    "ผลผลิต",
                    o.text,
                    cmp,
                    o.target,
                    o.unit,
                    o.value,
                    source,
                    o.attainment.thai,
                    None,
                ]
            )
        for c in i.outcomes:
            unit = "เรื่อง" if c.measure == "complaints_received" else ""
            source = "นับโดยระบบ" if c.measure else ""
            rows.append(
                [
                    i.number,
                    i.name,
                    c.indicator_id,
                    "ผลลัพธ์",
                    c.text,
                    "",
                    None,
                    unit,
                    c.value,
                    source,
                    "",
                    c.previous,
                ]
            )
    return rows


def progress_xlsx(r: ProgressReport, generated_at: datetime, digest: str | None = None) -> bytes:
    """The LAO's progress report of a round: sheets สรุป, โครงการ, ขั้นตอน, ตัวชี้วัด, หลักฐาน.
    ``digest``: the report's ``content_hash`` when the caller has it (it costs ~15 ms)."""
    wb = Book()
    ws = wb.sheet("สรุป")
    overview = _overview(r, generated_at, digest or content_hash(r))
    ws.table(KEY_VALUE, overview, keyed=True)
    dimensions: list[Row] = [
        [
            d.number,
            d.title,
            d.items,
            d.budget,
            d.steps_total,
            d.steps_done,
            d.percent_done,
            d.overdue,
            d.outputs_met,
            d.outputs_total,
        ]
        for d in r.dimensions
    ]
    ws.table(DIMENSIONS, dimensions, start=len(overview) + 3)
    ws.finish(KEY_VALUE, overview, filtered=False)
    ws.width(2, 60)

    items: list[Row] = [
        [
            i.number,
            i.dimension,
            i.sub_item,
            i.kind_th,
            i.name,
            i.responsible_unit,
            _yes(i.no_budget),
            i.budget,
            len(i.steps),
            i.steps_done,
            i.steps_done_in_round,
            i.percent_done,
            i.overdue,
            len(i.outputs),
            i.outputs_met,
        ]
        for i in r.items
    ]
    sheet(wb, "โครงการ", ITEMS, items)
    steps: list[Row] = [
        [
            i.number,
            i.name,
            s.number,
            s.title,
            s.due,
            "; ".join(s.responsible),
            s.state.thai,
            s.completed_on,
            s.note,
            len(s.evidence),
        ]
        for i in r.items
        for s in i.steps
    ]
    sheet(wb, "ขั้นตอน", STEPS, steps)
    sheet(wb, "ตัวชี้วัด", INDICATORS, _indicator_rows(r))
    evidence: list[Row] = [
        [
            n,
            e.item_number,
            e.context,
            e.name,
            "ลิงก์" if e.kind == "link" else "ไฟล์",
            e.media_type,
            e.size or None,
            e.on,
            e.sha256,
            e.url,
        ]
        for n, e in enumerate(r.evidence, start=1)
    ]
    sheet(wb, "หลักฐาน", EVIDENCE, evidence)
    title = f"รายงานผลการดำเนินงาน {r.organisation.name} {r.round}"
    return wb.save(title, r.organisation.name, generated_at)


def summary_xlsx(s: ProvincialSummary, generated_at: datetime) -> bytes:
    """The provincial summary of a round: one row per LAO, then the totals."""
    wb = Book()
    ws = wb.sheet("สรุป")
    rows: list[Row] = [
        [
            n,
            w.code,
            w.name,
            w.district,
            _yes(w.has_plan),
            w.promulgated_on,
            w.declared_on,
            w.announcements,
            w.items,
            w.steps_total,
            w.steps_done,
            w.percent_done,
            w.overdue,
            w.outputs_total,
            w.outputs_met,
            w.report_submitted_on,
        ]
        for n, w in enumerate(s.rows, start=1)
    ]
    ws.table(LAOS, rows)
    totals = {
        3: f"รวม {len(s.rows)} แห่ง",
        5: sum(1 for w in s.rows if w.has_plan),
        6: s.promulgated,
        7: s.declared,
        8: s.announced,
        9: sum(w.items for w in s.rows),
        10: s.steps_total,
        11: s.steps_done,
        12: s.percent_done,
        13: s.overdue,
        14: s.outputs_total,
        15: s.outputs_met,
        16: s.submitted,
    }
    for col, value in totals.items():
        fmt = PERCENT_FORMAT if col == 12 else None
        ws.cell(len(rows) + 2, col, value, bold=True, number_format=fmt)
    ws.finish(LAOS, rows)
    info = wb.sheet("รอบรายงาน")
    about: list[Row] = [
        ("จังหวัด", s.province),
        ("หน่วยงาน", s.office),
        ("ปีงบประมาณ", s.round.fiscal_year),
        ("รอบรายงาน", s.round.kind.thai),
        ("เริ่มรอบ", s.round.start),
        ("สิ้นสุดรอบ", s.round.end),
        ("ข้อมูล ณ วันที่", s.cutoff),
        ("รหัสตรวจสอบเนื้อหา (SHA-256)", content_hash(s)),
    ]
    info.table(KEY_VALUE, about, keyed=True)
    info.finish(KEY_VALUE, about, filtered=False)
    title = f"สรุปผลการดำเนินงาน จังหวัด{s.province} {s.round}"
    return wb.save(title, s.office, generated_at)
