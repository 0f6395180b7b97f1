"""The columns of the e-PlanNACC round export, named as that system's forms name them (the
national plan-reporting system; per item of the plan, per fiscal year and round). Data, not
rules: ``tests/fixtures/eplannacc_fields.json`` holds the same list, and the export is tested
against it.

The nine target groups (กลุ่มเป้าหมาย) and the quarter (ไตรมาส) are columns e-PlanNACC asks
for that the service does not record yet: they are exported empty for the clerk to tick."""

from __future__ import annotations

TARGET_GROUPS: tuple[str, ...] = (
    "ผู้บริหารท้องถิ่น",
    "สมาชิกสภาท้องถิ่น",
    "ข้าราชการ/พนักงานส่วนท้องถิ่น",
    "ลูกจ้าง/พนักงานจ้าง",
    "ประชาชน",
    "เด็กและเยาวชน",
    "ผู้นำชุมชน",
    "ภาคเอกชน",
    "อื่น ๆ",
)

FIELDS: tuple[str, ...] = (
    "รหัส อปท.",
    "ชื่อ อปท.",
    "ปีงบประมาณ",
    "รอบการรายงาน",
    "มิติที่",
    "ลำดับ",
    "ชื่อโครงการ/กิจกรรม/มาตรการ",
    "ประเภท",
    "ปีที่ดำเนินการ",
    "ไตรมาส",
    "แหล่งงบประมาณ",
    *(f"กลุ่มเป้าหมาย: {g}" for g in TARGET_GROUPS),
    "เป้าหมาย",
    "วัตถุประสงค์",
    "งบประมาณตามแผน (บาท)",
    "งบประมาณตามข้อบัญญัติ/เทศบัญญัติ (บาท)",
    "งบประมาณที่เบิกจ่ายจริง (บาท)",
    "บรรจุในข้อบัญญัติ/เทศบัญญัติ",
    "บรรจุในแผนการดำเนินงาน",
    "สถานะการดำเนินงาน",
    "เหตุผลที่ไม่สามารถดำเนินการได้",
    "หมายเหตุ",
)

BUDGET_FROM_PLAN = "งบประมาณตามแผนพัฒนาท้องถิ่น"
NO_BUDGET = "ไม่ใช้งบประมาณ"
