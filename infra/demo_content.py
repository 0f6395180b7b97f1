"""The demo's content: the LAOs' plans, declarations and complaints, as plain data.

Item 2.1.1 of Phang Khwang SAO is the real detail sheet (../shared/samples/phangkhwang-2.1.1.txt)
with its scanning errors corrected. Dates are plausible, not historical.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class DemoStep:
    number: str
    title: str
    due: date | None
    fiscal_year: int | None
    responsible: tuple[str, ...]
    completed_on: date | None = None
    note: str = ""
    evidence_name: str = ""


@dataclass(frozen=True)
class DemoOutput:
    indicator_id: str
    text: str
    comparator: str
    target: Decimal
    unit: str


@dataclass(frozen=True)
class DemoOutcome:
    indicator_id: str
    text: str
    measure: str = ""


@dataclass(frozen=True)
class DemoItem:
    number: str
    kind: str
    name: str
    rationale: str
    objectives: tuple[str, ...]
    targets: tuple[str, ...]
    area: str
    fiscal_years: tuple[int, ...]
    budget: dict[int, Decimal] | None
    responsible_unit: str
    steps: tuple[DemoStep, ...]
    outputs: tuple[DemoOutput, ...]
    outcomes: tuple[DemoOutcome, ...]


@dataclass(frozen=True)
class DemoDeclaration:
    text: str
    signers: tuple[str, ...]
    published_on: date
    announcements: tuple[tuple[str, date, str], ...]


@dataclass(frozen=True)
class DemoPlan:
    title: str
    first_year: int
    last_year: int
    items: tuple[DemoItem, ...]
    promulgated_on: date | None
    promulgated_by: str


@dataclass(frozen=True)
class DemoOrg:
    code: str
    plan: DemoPlan
    declaration: DemoDeclaration | None
    complaints: tuple[tuple[date, str, str, date | None], ...]


PK = "องค์การบริหารส่วนตำบลพังขว้าง"
LEGAL = "งานกฎหมายและคดี สำนักงานปลัดองค์การบริหารส่วนตำบลพังขว้าง"
EXEC = ("นายก อบต.พังขว้าง",)

RATIONALE_211 = (
    "คณะกรรมการ ป.ป.ช. ได้จัดทำยุทธศาสตร์ชาติว่าด้วยการป้องกันและปราบปรามการทุจริตมาแล้ว "
    "๓ ฉบับ ปัจจุบันที่ใช้อยู่เป็นฉบับที่ ๓ เริ่มจากปี พ.ศ. ๒๕๖๐ จนถึงปี พ.ศ. ๒๕๖๔ "
    "ซึ่งมุ่งสู่การเป็นประเทศที่มีมาตรฐานทางคุณธรรมจริยธรรม เป็นสังคมมิติใหม่ที่ประชาชน"
    "ไม่เพิกเฉยต่อการทุจริตทุกรูปแบบ โดยได้รับความร่วมมือจากฝ่ายการเมือง หน่วยงานของรัฐ "
    "ตลอดจนประชาชน ในการพิทักษ์รักษาผลประโยชน์ของชาติและประชาชน เพื่อให้ประเทศไทยมีศักดิ์ศรี"
    "และเกียรติภูมิในด้านความโปร่งใสทัดเทียมนานาอารยประเทศ โดยกำหนดวิสัยทัศน์ "
    "“ประเทศไทยใสสะอาด ไทยทั้งชาติต้านทุจริต” มีเป้าหมายหลักเพื่อให้ประเทศไทยได้รับการประเมิน"
    "ดัชนีการรับรู้การทุจริต (Corruption Perceptions Index : CPI) ไม่น้อยกว่าร้อยละ ๕๐ "
    "ในปี พ.ศ. ๒๕๖๔\n"
    "ดังนั้น จึงมีความจำเป็นที่ผู้บริหารองค์กรปกครองส่วนท้องถิ่นต้องแสดงเจตจำนงทางการเมือง"
    "ในการต่อต้านการทุจริตอย่างเห็นชัดเป็นรูปธรรม ด้วยการจัดทำแผนปฏิบัติการป้องกันการทุจริต "
    "ส่งเสริมให้องค์กรปกครองส่วนท้องถิ่นบริหารงานด้วยความโปร่งใส มีความเข้มแข็งในการบริหาร"
    "ราชการตามหลักการบริหารกิจการบ้านเมืองที่ดีหรือหลักธรรมาภิบาล บังเกิดประโยชน์สุขแก่ประชาชน"
)


def _s(
    n: str,
    title: str,
    due: date | None,
    done: date | None,
    evidence: str = "",
    fy: int | None = None,
) -> DemoStep:
    return DemoStep(n, title, due, fy, ("งานกฎหมายและคดี",), done, "", evidence)


ITEM_211 = DemoItem(
    number="2.1.1",
    kind="activity",
    name=f"ประกาศเจตจำนงต่อต้านการทุจริตของผู้บริหาร{PK}",
    rationale=RATIONALE_211,
    objectives=(
        "เพื่อแสดงเจตจำนงทางการเมืองในการต่อต้านการทุจริตของผู้บริหารองค์กรปกครอง"
        "ส่วนท้องถิ่นด้วยการจัดทำแผนป้องกันการทุจริตในองค์กรที่บริหาร",
    ),
    targets=(
        "ประกาศเจตจำนงการต่อต้านการทุจริตของผู้บริหาร อย่างน้อย ๑ ฉบับ",
        "มีการประกาศเจตจำนงการต่อต้านการทุจริตของผู้บริหารต่อสาธารณชน อย่างน้อย ๑ ครั้ง",
        "แผนปฏิบัติการป้องกันการทุจริตขององค์กรปกครองส่วนท้องถิ่น ๔ ปี",
    ),
    area=PK,
    fiscal_years=(2561, 2562, 2563, 2564),
    budget=None,
    responsible_unit=LEGAL,
    steps=(
        _s(
            "6.1",
            "ประกาศเจตจำนงทางการเมืองในการต่อต้านการทุจริตของผู้บริหารองค์กรปกครองส่วนท้องถิ่น",
            date(2017, 10, 15),
            date(2017, 10, 2),
            "ประกาศเจตจำนงสุจริต.pdf",
        ),
        _s(
            "6.2",
            "ประชุมหน่วยงาน/บุคคลที่เกี่ยวข้อง",
            date(2017, 10, 31),
            date(2017, 10, 20),
            "รายงานการประชุม.pdf",
        ),
        _s(
            "6.3",
            "จัดตั้งคณะทำงานการจัดทำแผนปฏิบัติการป้องกันการทุจริต",
            date(2017, 11, 15),
            date(2017, 11, 6),
            "คำสั่งแต่งตั้งคณะทำงาน.pdf",
        ),
        _s(
            "6.4",
            "ประชุมคณะทำงานจัดทำแผนปฏิบัติการป้องกันการทุจริต",
            date(2017, 11, 30),
            date(2017, 11, 21),
            "รายงานการประชุมคณะทำงาน.pdf",
        ),
        _s(
            "6.5",
            "จัดทำแผนปฏิบัติการป้องกันการทุจริต",
            date(2017, 12, 29),
            date(2017, 12, 22),
            "ร่างแผนปฏิบัติการ.pdf",
        ),
        _s(
            "6.6",
            "ประกาศใช้แผนปฏิบัติการป้องกันการทุจริต",
            date(2018, 1, 31),
            date(2018, 1, 15),
            "ประกาศใช้แผน.pdf",
        ),
        _s("6.7", "ดำเนินการตามแผนปฏิบัติการป้องกันการทุจริต", None, date(2021, 9, 30), "", fy=2564),
        _s("6.8", "รายงานผลการดำเนินงาน", date(2021, 9, 30), None),
    ),
    outputs=(
        DemoOutput(
            "o1",
            "มีประกาศเจตจำนงการต่อต้านการทุจริตของผู้บริหาร อย่างน้อย ๑ ฉบับ",
            "at_least",
            Decimal(1),
            "ฉบับ",
        ),
        DemoOutput(
            "o2",
            "มีการประกาศเจตจำนงการต่อต้านการทุจริตของผู้บริหารต่อสาธารณชน อย่างน้อย ๑ ครั้ง",
            "at_least",
            Decimal(1),
            "ครั้ง",
        ),
        DemoOutput(
            "o3",
            "มีแผนปฏิบัติการป้องกันการทุจริตขององค์กรปกครองส่วนท้องถิ่น ๔ ปี จำนวน ๑ ฉบับ",
            "exactly",
            Decimal(1),
            "ฉบับ",
        ),
    ),
    outcomes=(
        DemoOutcome("c1", f"การบริหารราชการของ{PK}มีความโปร่งใส สามารถป้องกันการทุจริตของบุคลากร{PK}ได้"),
        DemoOutcome("c2", f"ลดข้อร้องเรียนการดำเนินงานของ{PK}", "complaints_received"),
    ),
)


def _item(
    number: str,
    kind: str,
    name: str,
    budget: dict[int, Decimal] | None,
    steps: tuple[tuple[str, date, date | None], ...],
    output: DemoOutput,
    area: str = PK,
    unit: str = "สำนักงานปลัด",
    years: tuple[int, ...] = (2561, 2564),
) -> DemoItem:
    first, last = years
    return DemoItem(
        number,
        kind,
        name,
        rationale=f"เพื่อส่งเสริมความโปร่งใสและป้องกันการทุจริตตามแผนปฏิบัติการ ({name})",
        objectives=(f"เพื่อให้{name}บรรลุผลตามแผน",),
        targets=(output.text,),
        area=area,
        fiscal_years=tuple(range(first, last + 1)),
        budget=budget,
        responsible_unit=unit,
        steps=tuple(
            DemoStep(
                f"6.{i}",
                t,
                due,
                None,
                ("เจ้าหน้าที่ผู้รับผิดชอบ",),
                done,
                "",
                "หลักฐานการดำเนินงาน.pdf" if done else "",
            )
            for i, (t, due, done) in enumerate(steps, start=1)
        ),
        outputs=(output,),
        outcomes=(DemoOutcome("c1", "บุคลากรมีจิตสำนึกที่ดี โปร่งใส"),),
    )


PHANG_KHWANG = DemoOrg(
    code="6470101",
    plan=DemoPlan(
        "แผนปฏิบัติการป้องกันการทุจริต ๔ ปี (พ.ศ. ๒๕๖๑ - ๒๕๖๔)",
        2561,
        2564,
        (
            _item(
                "1.1.1",
                "project",
                "โครงการฝึกอบรมคุณธรรมจริยธรรมแก่ผู้บริหาร สมาชิกสภา และพนักงาน",
                {y: Decimal("20000.00") for y in (2561, 2562, 2563, 2564)},
                (
                    ("จัดทำโครงการเสนอขออนุมัติ", date(2018, 1, 31), date(2018, 1, 10)),
                    ("ดำเนินการฝึกอบรม", date(2018, 4, 30), date(2018, 4, 20)),
                    ("สรุปผลการฝึกอบรม", date(2018, 5, 31), date(2018, 5, 25)),
                ),
                DemoOutput(
                    "o1",
                    "ผู้เข้ารับการอบรม ไม่น้อยกว่าร้อยละ ๘๐ ของกลุ่มเป้าหมาย",
                    "at_least",
                    Decimal(80),
                    "%",
                ),
            ),
            ITEM_211,
            _item(
                "3.1.1",
                "measure",
                "มาตรการเผยแพร่ข้อมูลข่าวสารด้านการจัดซื้อจัดจ้าง",
                None,
                (
                    ("เผยแพร่ประกาศจัดซื้อจัดจ้างทางเว็บไซต์", date(2018, 9, 30), date(2018, 9, 28)),
                    ("สรุปผลการจัดซื้อจัดจ้างรายเดือน (สขร.๑)", date(2019, 9, 30), date(2019, 9, 20)),
                ),
                DemoOutput(
                    "o1", "เผยแพร่ข้อมูลการจัดซื้อจัดจ้างครบทุกโครงการ", "exactly", Decimal(100), "%"
                ),
            ),
            _item(
                "4.1.1",
                "activity",
                "กิจกรรมการจัดทำรายงานการควบคุมภายใน",
                None,
                (
                    (
                        "แต่งตั้งคณะทำงานติดตามประเมินผลการควบคุมภายใน",
                        date(2018, 10, 31),
                        date(2018, 10, 15),
                    ),
                    ("รายงานผลการควบคุมภายในต่อผู้กำกับดูแล", date(2018, 12, 31), date(2018, 12, 20)),
                ),
                DemoOutput("o1", "มีรายงานการควบคุมภายใน ปีละ ๑ ฉบับ", "at_least", Decimal(1), "ฉบับ"),
            ),
        ),
        date(2018, 1, 15),
        "นายก อบต.พังขว้าง",
    ),
    declaration=DemoDeclaration(
        "ข้าพเจ้า นายกองค์การบริหารส่วนตำบลพังขว้าง ขอประกาศเจตจำนงว่าจะปฏิบัติหน้าที่ด้วย"
        "ความซื่อสัตย์สุจริต โปร่งใส ตรวจสอบได้ และจะไม่ยอมให้เกิดการทุจริตในองค์กร "
        "พร้อมทั้งจะจัดทำแผนปฏิบัติการป้องกันการทุจริตและดำเนินการตามแผนอย่างเคร่งครัด",
        EXEC,
        date(2017, 10, 2),
        (
            ("website", date(2017, 10, 3), "เว็บไซต์องค์การบริหารส่วนตำบลพังขว้าง"),
            ("notice_board", date(2017, 10, 3), "บอร์ดประชาสัมพันธ์หน้าที่ทำการ"),
        ),
    ),
    complaints=(
        (date(2017, 12, 4), "phone", "การให้บริการ", date(2017, 12, 20)),
        (date(2018, 3, 12), "letter", "การจัดซื้อจัดจ้าง", date(2018, 4, 30)),
        (date(2018, 7, 2), "in_person", "การให้บริการ", date(2018, 7, 10)),
        (date(2019, 2, 18), "website", "ความประพฤติเจ้าหน้าที่", date(2019, 3, 15)),
        (date(2020, 5, 6), "damrongdham", "การจัดซื้อจัดจ้าง", date(2020, 6, 30)),
    ),
)

THA_RAE = DemoOrg(
    code="6470102",
    plan=DemoPlan(
        "แผนปฏิบัติการป้องกันการทุจริต (พ.ศ. ๒๕๖๖ - ๒๕๗๐)",
        2566,
        2570,
        (
            _item(
                "2.1.1",
                "activity",
                "ประกาศเจตจำนงสุจริตของผู้บริหารเทศบาลตำบลท่าแร่",
                None,
                (
                    ("ประกาศเจตจำนงสุจริต", date(2022, 10, 31), date(2022, 10, 5)),
                    ("เผยแพร่ประกาศต่อสาธารณชน", date(2022, 11, 30), date(2022, 10, 10)),
                ),
                DemoOutput("o1", "มีประกาศเจตจำนงสุจริต อย่างน้อย ๑ ฉบับ", "at_least", Decimal(1), "ฉบับ"),
                area="เทศบาลตำบลท่าแร่",
                years=(2566, 2570),
            ),
            _item(
                "1.2.1",
                "project",
                "โครงการส่งเสริมการมีส่วนร่วมของประชาชนต้านทุจริต",
                {2569: Decimal("15000.00"), 2570: Decimal("15000.00")},
                (
                    ("ประชุมประชาคมหมู่บ้าน", date(2026, 11, 20), None),
                    ("จัดกิจกรรมรณรงค์", date(2027, 1, 31), None),
                ),
                DemoOutput("o1", "ประชาชนเข้าร่วม ไม่น้อยกว่าร้อยละ ๗๐", "at_least", Decimal(70), "%"),
                area="เทศบาลตำบลท่าแร่",
                years=(2566, 2570),
            ),
            _item(
                "3.2.1",
                "measure",
                "มาตรการจัดการเรื่องร้องเรียนการทุจริต",
                None,
                (("ปรับปรุงช่องทางรับเรื่องร้องเรียน", date(2026, 12, 15), None),),
                DemoOutput(
                    "o1", "ตอบรับเรื่องร้องเรียนภายใน ๑๕ วัน ร้อยละ ๑๐๐", "exactly", Decimal(100), "%"
                ),
                area="เทศบาลตำบลท่าแร่",
                years=(2566, 2570),
            ),
        ),
        date(2022, 10, 20),
        "นายกเทศมนตรีตำบลท่าแร่",
    ),
    declaration=DemoDeclaration(
        "ข้าพเจ้า นายกเทศมนตรีตำบลท่าแร่ ขอประกาศเจตจำนงสุจริตในการบริหารงาน "
        "และจะส่งเสริมให้บุคลากรทุกคนปฏิบัติหน้าที่ด้วยความโปร่งใส",
        ("นายกเทศมนตรีตำบลท่าแร่",),
        date(2022, 10, 5),
        (("website", date(2022, 10, 10), "เว็บไซต์เทศบาล"),),
    ),
    complaints=((date(2025, 1, 14), "phone", "การให้บริการ", None),),
)

CHIANG_KHRUEA = DemoOrg(
    code="6470103",
    plan=DemoPlan(
        "แผนปฏิบัติการป้องกันการทุจริต (พ.ศ. ๒๕๖๖ - ๒๕๗๐)",
        2566,
        2570,
        (
            _item(
                "1.1.1",
                "project",
                "โครงการอบรมคุณธรรมจริยธรรมพนักงานส่วนตำบล",
                {2570: Decimal("10000.00")},
                (
                    ("จัดทำโครงการ", date(2026, 12, 31), None),
                    ("ดำเนินการอบรม", date(2027, 2, 28), None),
                ),
                DemoOutput("o1", "พนักงานเข้ารับการอบรม ร้อยละ ๙๐", "at_least", Decimal(90), "%"),
                area="องค์การบริหารส่วนตำบลเชียงเครือ",
                years=(2566, 2570),
            ),
            _item(
                "4.3.1",
                "activity",
                "กิจกรรมส่งเสริมบทบาทการตรวจสอบของสภาท้องถิ่น",
                None,
                (("จัดประชุมสภาเพื่อติดตามการใช้งบประมาณ", date(2026, 10, 31), None),),
                DemoOutput("o1", "มีการประชุมติดตาม ปีละ ๑ ครั้ง", "at_least", Decimal(1), "ครั้ง"),
                area="องค์การบริหารส่วนตำบลเชียงเครือ",
                years=(2566, 2570),
            ),
        ),
        None,
        "",
    ),
    declaration=None,
    complaints=(),
)

DEMO_ORGS = (PHANG_KHWANG, THA_RAE, CHIANG_KHRUEA)
