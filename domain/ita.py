"""The ITA (Integrity and Transparency Assessment) catalogue per assessment year, as data:
the items of the open-data part (OIT) that an LAO answers with the address on its own
website of the evidence. Numbering changes yearly; a new year is one more entry here.

Only the items and codes the project's domain notes document are here (2564 and 2568, the
items about the anti-corruption plan, its reports, the declaration and complaints); the
codes of other years have no source yet and are not guessed."""

from __future__ import annotations

from dataclasses import dataclass
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
COVERED = frozenset({Evidence.PLAN, Evidence.DECLARATION})


@dataclass(frozen=True)
class ItaItem:
    code: str  # "O25"
    title: str
    evidence: Evidence
    satisfies: str  # what satisfies the item

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


def years() -> list[int]:
    return sorted(CATALOGUE, reverse=True)


def item_of(year: int, code: str) -> ItaItem | None:
    return next((i for i in CATALOGUE.get(year, ()) if i.code == code.upper()), None)
