"""The history page says every stored event in plain Thai: no event type's name shows, and
the events of issue 15 (revisions, due dates, closing, the current plan, the template, the
indicator override, the complaint's status) read as a clerk would say them."""

from __future__ import annotations

from typing import Any

from domain.registry import EVENT_TYPES
from services.api.registers.pages import sentence


def _row(event_type: str, data: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "event_type": event_type,
        "data": data or {},
        "item_number": "2.1.1",
        "subject_name": "สมชาย",
        "subject_email": "somchai@example.org",
    }


def _say(event_type: str, data: dict[str, Any] | None = None) -> str:
    return sentence(_row(event_type, data), lambda s: s)


def test_every_event_type_has_a_thai_sentence_without_its_name() -> None:
    for name in EVENT_TYPES:
        said = _say(name)
        assert name not in said, (name, said)
        assert said != "บันทึกการเปลี่ยนแปลงอื่นในระบบ", name  # each has its own
        assert any("\u0e00" <= ch <= "\u0e7f" for ch in said), (name, said)


def test_the_new_events_read_as_a_clerk_says_them() -> None:
    assert _say(
        "PlanDrafted",
        {"title": "แผน", "first_year": 2566, "last_year": 2570, "template_id": "2566-2570"},
    ).endswith("ตามแม่แบบ แผนปฏิบัติการป้องกันการทุจริต (พ.ศ. ๒๕๖๖-๒๕๗๐)")
    assert _say("PlanMadeCurrent", {"on": "2022-10-01"}) == (
        "ตั้งเป็นแผนที่ใช้อยู่ในปัจจุบัน ตั้งแต่ 1 ตุลาคม 2565"
    )
    assert _say("StepDueDateSet", {"number": "6.1", "due": "2023-03-31"}) == (
        "กำหนดวันเสร็จของขั้นตอน 6.1 ของ 2.1.1 เป็น 31 มีนาคม 2566"
    )
    assert (
        _say(
            "CountedResultOverridden",
            {"indicator_id": "o1", "fiscal_year": 2566, "value": "2", "reason": "นับซ้ำ"},
        )
        == "แก้ผลที่ระบบนับของตัวชี้วัด o1 ของ 2.1.1 ปีงบประมาณ 2566 เป็น 2 (เหตุผล: นับซ้ำ)"
    )
    assert "รอผู้บริหารอนุมัติ (เหตุผล: ปรับเป้าหมาย)" in _say(
        "ItemRevisionProposed", {"reason": "ปรับเป้าหมาย", "headings": {}}
    )
    assert _say("ItemRevisionApproved", {"on": "2023-01-05"}).endswith("เมื่อ 5 มกราคม 2566")
    assert "ส่งคืน" in _say("ItemRevisionReturned", {"reason": "ขาดงบ"})
    assert _say("ComplaintResolved", {"on": "2023-02-01", "outcome": "referred"}) == (
        "ยุติเรื่องร้องเรียน เมื่อ 1 กุมภาพันธ์ 2566 (ผล: ส่งต่อหน่วยงานที่เกี่ยวข้อง)"
    )
    assert _say("ComplaintResolved", {"on": "2023-02-01", "outcome": ""}).endswith("(ผล: ไม่ได้บันทึก)")
    assert _say("ReportSubmitted", {"round": "2569-6"}) == (
        "ส่งรายงานผลการดำเนินงาน ปีงบประมาณ 2569 รอบ 6 เดือน ถึงจังหวัด"
    )
