"""The ITA (Integrity and Transparency Assessment) catalogue per assessment year, as data:
the items of the open-data part (OIT) that an LAO answers with the address on its own
website of the evidence. Numbering changes yearly; a new year is one more entry here.

Only the items about the anti-corruption plan, its reports, the declaration, No Gift and
complaints are here. How sure each year's codes are is said in ``SOURCES`` and per item
(``checked``): 2564 and 2568 are the project's domain notes (docs/DOMAIN, checked 2026-12);
2567, 2569 and 2570 are NOT checked against the national office's manual of that year (see
``SOURCES``): the clerk page says so beside each such item."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum


class Evidence(StrEnum):
    PLAN = "plan"  # the published anti-corruption action plan
    REPORT_6 = "report_6"  # its 6-month monitoring report
    REPORT_12 = "report_12"  # its annual results report
    PLAN_REPORT = "plan_report"  # the plan's results report (one item for both rounds)
    DECLARATION = "declaration"  # the executive's declaration of intent
    COMPLAINT_CHANNELS = "complaint_channels"
    COMPLAINT_MANUAL = "complaint_manual"
    COMPLAINT_STATS = "complaint_stats"  # annual complaint statistics
    NO_GIFT = "no_gift"  # the No Gift policy


# What the service publishes itself, at a stable public address per LAO and year.
COVERED = frozenset(
    {
        Evidence.PLAN,
        Evidence.DECLARATION,
        Evidence.REPORT_6,
        Evidence.REPORT_12,
        Evidence.PLAN_REPORT,
        Evidence.COMPLAINT_STATS,
        Evidence.NO_GIFT,
    }
)

# The No Gift policy is published as a declaration (the declaration pages, signed by the
# executive) whose text says so: these words mark it.
_NO_GIFT_WORDS = ("no gift", "ไม่รับของขวัญ", "งดรับของขวัญ", "งดรับ งดให้")


def is_no_gift(text: str) -> bool:
    """Whether a declaration's text is (or includes) the No Gift policy."""
    folded = " ".join(text.lower().split())
    return any(w in folded for w in _NO_GIFT_WORDS)


@dataclass(frozen=True)
class ItaItem:
    code: str  # "O25"
    title: str
    evidence: Evidence
    satisfies: str  # what satisfies the item
    checked: bool = True  # False: code and title not checked against that year's manual

    @property
    def covered(self) -> bool:
        return self.evidence in COVERED


CATALOGUE: dict[int, tuple[ItaItem, ...]] = {
    2564: (
        ItaItem(
            "O29",
            "คู่มือหรือมาตรฐานการปฏิบัติงานเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ",
            Evidence.COMPLAINT_MANUAL,
            "คู่มือการจัดการเรื่องร้องเรียนการทุจริตที่เผยแพร่บนเว็บไซต์",
        ),
        ItaItem(
            "O30",
            "ช่องทางแจ้งเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ",
            Evidence.COMPLAINT_CHANNELS,
            "ช่องทางที่ประชาชนแจ้งเรื่องร้องเรียนการทุจริตได้",
        ),
        ItaItem(
            "O31",
            "ข้อมูลเชิงสถิติเรื่องร้องเรียนการทุจริตและประพฤติมิชอบประจำปี",
            Evidence.COMPLAINT_STATS,
            "จำนวนเรื่องร้องเรียนการทุจริตของปีงบประมาณ แยกตามสถานะ",
        ),
        ItaItem(
            "O34",
            "เจตจำนงสุจริตของผู้บริหาร",
            Evidence.DECLARATION,
            "ประกาศเจตจำนงต่อต้านการทุจริตของผู้บริหารที่เผยแพร่แล้ว",
        ),
        ItaItem(
            "O39",
            "แผนปฏิบัติการป้องกันการทุจริต",
            Evidence.PLAN,
            "แผนปฏิบัติการป้องกันการทุจริตที่ครอบคลุมปีงบประมาณที่ประเมินและประกาศใช้แล้ว",
        ),
        ItaItem(
            "O40",
            "รายงานการกำกับติดตามการดำเนินการป้องกันการทุจริตประจำปี รอบ 6 เดือน",
            Evidence.REPORT_6,
            "รายงานผลการดำเนินงานตามแผน รอบ 6 เดือน ของปีงบประมาณที่ประเมิน",
        ),
        ItaItem(
            "O41",
            "รายงานผลการดำเนินการป้องกันการทุจริตประจำปี",
            Evidence.REPORT_12,
            "รายงานผลการดำเนินงานตามแผน รอบ 12 เดือน ของปีงบประมาณก่อนหน้า",
        ),
    ),
    2568: (
        ItaItem(
            "O17",
            "แนวปฏิบัติการจัดการเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ",
            Evidence.COMPLAINT_MANUAL,
            "แนวปฏิบัติหรือคู่มือการจัดการเรื่องร้องเรียนการทุจริต",
        ),
        ItaItem(
            "O18",
            "ช่องทางแจ้งเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ",
            Evidence.COMPLAINT_CHANNELS,
            "ช่องทางที่ประชาชนแจ้งเรื่องร้องเรียนการทุจริตได้",
        ),
        ItaItem(
            "O19",
            "ข้อมูลเชิงสถิติเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ",
            Evidence.COMPLAINT_STATS,
            "จำนวนเรื่องร้องเรียนการทุจริตของปีงบประมาณ แยกตามสถานะ",
        ),
        ItaItem(
            "O21",
            "การเปิดโอกาสให้เกิดการมีส่วนร่วม / นโยบายไม่รับของขวัญ (No Gift Policy)",
            Evidence.NO_GIFT,
            "ประกาศนโยบายไม่รับของขวัญและของกำนัลของผู้บริหาร",
        ),
        ItaItem(
            "O25",
            "แผนปฏิบัติการป้องกันการทุจริต",
            Evidence.PLAN,
            "แผนปฏิบัติการป้องกันการทุจริตที่ครอบคลุมปีงบประมาณที่ประเมินและประกาศใช้แล้ว",
        ),
        ItaItem(
            "O26",
            "รายงานผลการดำเนินการป้องกันการทุจริต",
            Evidence.PLAN_REPORT,
            "รายงานผลการดำเนินงานตามแผนของปีงบประมาณ",
        ),
    ),
}


def _assumed(items: tuple[ItaItem, ...]) -> tuple[ItaItem, ...]:
    """Another year's items, marked as not checked for the year they are copied into."""
    return tuple(replace(i, checked=False) for i in items)


# 2567: the 43-item OIT layout of 2565-2566 carried over. A school's ITA 2566 page found by
# search numbers the complaints guideline O27 and the channels O28 (that layout); the other
# codes (O29 statistics, O39 plan, O40 6-month report, O41 annual report) are from memory of
# LAOs' ITA pages, not from the 2567 manual. The declaration's and No Gift's codes of 2567
# were not found and are left out rather than guessed.
CATALOGUE[2567] = (
    ItaItem(
        "O27",
        "แนวปฏิบัติการจัดการเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ",
        Evidence.COMPLAINT_MANUAL,
        "คู่มือหรือแนวทางการจัดการเรื่องร้องเรียนการทุจริตของเจ้าหน้าที่",
        checked=False,
    ),
    ItaItem(
        "O28",
        "ช่องทางแจ้งเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ",
        Evidence.COMPLAINT_CHANNELS,
        "ช่องทางออนไลน์ที่บุคคลภายนอกแจ้งเรื่องร้องเรียนการทุจริตได้ แยกจากเรื่องร้องเรียนทั่วไป",
        checked=False,
    ),
    ItaItem(
        "O29",
        "ข้อมูลเชิงสถิติเรื่องร้องเรียนการทุจริตและประพฤติมิชอบประจำปี",
        Evidence.COMPLAINT_STATS,
        "จำนวนเรื่องร้องเรียนการทุจริตของปีงบประมาณ แยกตามสถานะ",
        checked=False,
    ),
    ItaItem(
        "O39",
        "แผนปฏิบัติการป้องกันการทุจริต",
        Evidence.PLAN,
        "แผนปฏิบัติการป้องกันการทุจริตที่ครอบคลุมปีงบประมาณที่ประเมินและประกาศใช้แล้ว",
        checked=False,
    ),
    ItaItem(
        "O40",
        "รายงานการกำกับติดตามการดำเนินการป้องกันการทุจริตประจำปี รอบ 6 เดือน",
        Evidence.REPORT_6,
        "รายงานผลการดำเนินงานตามแผน รอบ 6 เดือน ของปีงบประมาณที่ประเมิน",
        checked=False,
    ),
    ItaItem(
        "O41",
        "รายงานผลการดำเนินการป้องกันการทุจริตประจำปี",
        Evidence.REPORT_12,
        "รายงานผลการดำเนินงานตามแผน รอบ 12 เดือน ของปีงบประมาณก่อนหน้า",
        checked=False,
    ),
)
# 2569 and 2570: the 2568 items, on the understanding (not checked against a manual here)
# that the national office keeps the 2568 criteria for the assessments of 2568-2570.
CATALOGUE[2569] = _assumed(CATALOGUE[2568])
CATALOGUE[2570] = _assumed(CATALOGUE[2568])

SOURCES: dict[int, str] = {
    2564: "รหัสข้อตามบันทึกโดเมนของโครงการ (ตรวจแล้ว)",
    2567: (
        "รหัสข้อยังไม่ได้ตรวจกับคู่มือการประเมิน ITA ปี 2567: ใช้ตามรูปแบบ 43 ข้อของปี 2565-2566 "
        "ไม่พบรหัสข้อของประกาศเจตจำนงและ No Gift ของปีนี้"
    ),
    2568: "รหัสข้อตามบันทึกโดเมนของโครงการ (ตรวจแล้ว)",
    2569: "รหัสข้อยังไม่ได้ตรวจกับคู่มือ ITA ปี 2569: ใช้ตามปี 2568 (เกณฑ์ชุดเดียวกันปี 2568-2570)",
    2570: "รหัสข้อยังไม่ได้ตรวจกับคู่มือ ITA ปี 2570: ใช้ตามปี 2568 (เกณฑ์ชุดเดียวกันปี 2568-2570)",
}


def years() -> list[int]:
    return sorted(CATALOGUE, reverse=True)


def item_of(year: int, code: str) -> ItaItem | None:
    return next((i for i in CATALOGUE.get(year, ()) if i.code == code.upper()), None)
