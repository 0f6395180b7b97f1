"""The province dashboard's CSV and XLSX exports: the table as the page shows it."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from typing import Any

import asyncpg

from domain.reporting.rounds import ReportingRound
from domain.tenancy.organisations import KIND_THAI, Kind
from infra.documents.workbook import ISO_DATE_FORMAT, MODIFIED_BY, Book, csv_text

# -- exports ---------------------------------------------------------------------------------

HEADERS = (
    "รหัส",
    "ชื่อ อปท.",
    "ประเภท",
    "อำเภอ",
    "ประกาศเจตจำนง (ฉบับ)",
    "ประกาศเจตจำนงครั้งแรก",
    "ประกาศต่อสาธารณะ (ครั้ง)",
    "ประกาศต่อสาธารณะล่าสุด",
    "ประกาศใช้แผน",
    "ขั้นตอนทั้งหมด",
    "ขั้นตอนที่เสร็จ",
    "ร้อยละที่เสร็จ",
    "ขั้นตอนเกินกำหนด",
    "เกินกำหนดนานที่สุดตั้งแต่",
    "ตัวชี้วัดผลผลิต",
    "ตัวชี้วัดที่บรรลุ",
)
TAIL = ("คำขอแก้ไขที่ค้าง", "ความเคลื่อนไหวล่าสุด", "ต้องติดตาม")


def export_table(
    rows: list[asyncpg.Record], rounds: tuple[ReportingRound, ...]
) -> tuple[list[str], list[list[Any]]]:
    head = [*HEADERS, *(f"รายงาน {rd} (วันที่ส่ง)" for rd in rounds), *TAIL]
    body = []
    for r in rows:
        body.append(
            [
                r["code"],
                r["name_th"],
                KIND_THAI.get(Kind(r["kind"]), r["kind"]),
                r["district"],
                r["declarations_published"],
                r["declaration_first_published"],
                r["announcements"],
                r["declaration_last_announced"],
                r["plan_promulgated_on"],
                r["steps_total"],
                r["steps_done"],
                r["percent_done"],
                r["overdue"],
                r["oldest_overdue"],
                r["indicators_total"],
                r["indicators_met"],
                *(
                    date.fromisoformat(r["reports"][rd.code]) if rd.code in r["reports"] else None
                    for rd in rounds
                ),
                r["revisions_open"],
                r["last_activity_at"].date() if r["last_activity_at"] else None,
                "ใช่" if r["needs_attention"] else "ไม่",
            ]
        )
    return head, body


def _csv(value: Any) -> Any:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else csv_text(value)


def to_csv(head: list[str], body: list[list[Any]]) -> bytes:
    """UTF-8 with a byte order mark, so that Excel shows the Thai; ISO dates."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(head)
    for row in body:
        w.writerow(
            [
                "" if v is None else v.isoformat() if isinstance(v, date) else csv_text(v)
                for v in row
            ]
        )
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def to_xlsx(head: list[str], body: list[list[Any]], title: str, at: datetime) -> bytes:
    """One sheet named ``title`` (its first 31 characters): bold headers, ISO dates, the
    header row and the code and name columns frozen. ``at``: the document's time."""
    wb = Book()
    ws = wb.sheet(title[:31])
    for col, h in enumerate(head, start=1):
        ws.cell(1, col, h, bold=True)
    for r, row in enumerate(body, start=2):
        for col, value in enumerate(row, start=1):
            fmt = ISO_DATE_FORMAT if isinstance(value, date) else None
            ws.cell(r, col, value, number_format=fmt)
    ws.freeze("C2")
    return wb.save(title, MODIFIED_BY, at)
