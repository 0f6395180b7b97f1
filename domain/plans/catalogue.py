"""The catalogue of dimensions (มิติ) and sub-items (ภารกิจตามมิติ) that a plan carries.

It is data: the titles differ between template rounds, and a plan may edit its own copy.
The default is the 2561–2564 template for local administrative organisations.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SubItem:
    number: str  # "2.1"
    title: str


@dataclass(frozen=True)
class Dimension:
    number: int
    title: str
    sub_items: tuple[SubItem, ...]


@dataclass(frozen=True)
class Catalogue:
    dimensions: tuple[Dimension, ...]

    def sub_item(self, number: str) -> SubItem | None:
        for d in self.dimensions:
            for s in d.sub_items:
                if s.number == number:
                    return s
        return None

    def dimension_of(self, sub_item: str) -> Dimension | None:
        for d in self.dimensions:
            if any(s.number == sub_item for s in d.sub_items):
                return d
        return None


def _dim(number: int, title: str, *subs: str) -> Dimension:
    return Dimension(
        number, title, tuple(SubItem(f"{number}.{i}", t) for i, t in enumerate(subs, start=1))
    )


TEMPLATE_2561 = Catalogue(
    (
        _dim(
            1,
            "การสร้างสังคมที่ไม่ทนต่อการทุจริต",
            "การสร้างจิตสำนึกและความตระหนักแก่บุคลากรทั้งข้าราชการการเมืองฝ่ายบริหาร "
            "ข้าราชการการเมืองฝ่ายสภาท้องถิ่น และฝ่ายประจำขององค์กรปกครองส่วนท้องถิ่น",
            "การสร้างจิตสำนึกและความตระหนักแก่ประชาชนทุกภาคส่วนในท้องถิ่น",
            "การสร้างจิตสำนึกและความตระหนักแก่เด็กและเยาวชน",
        ),
        _dim(
            2,
            "การบริหารราชการเพื่อป้องกันการทุจริต",
            "แสดงเจตจำนงทางการเมืองในการต่อต้านการทุจริตของผู้บริหาร",
            "มาตรการสร้างความโปร่งใสในการปฏิบัติราชการ",
            "มาตรการการใช้ดุลยพินิจและใช้อำนาจหน้าที่ให้เป็นไปตามหลักการบริหารกิจการบ้านเมืองที่ดี",
            "การเชิดชูเกียรติแก่หน่วยงาน/บุคคลในการดำเนินกิจการ การประพฤติปฏิบัติตนให้เป็นที่ประจักษ์",
            "มาตรการจัดการในกรณีได้ทราบ หรือรับแจ้ง หรือตรวจสอบพบการทุจริต",
        ),
        _dim(
            3,
            "การส่งเสริมบทบาทและการมีส่วนร่วมของภาคประชาชน",
            "จัดให้มีและเผยแพร่ข้อมูลข่าวสารในช่องทางที่เป็นการอำนวยความสะดวกแก่ประชาชน"
            "ได้มีส่วนร่วมตรวจสอบการปฏิบัติราชการตามอำนาจหน้าที่ขององค์กรปกครองส่วนท้องถิ่น"
            "ได้ทุกขั้นตอน",
            "การรับฟังความคิดเห็น การรับและตอบสนองเรื่องร้องเรียน/ร้องทุกข์ของประชาชน",
            "การส่งเสริมให้ประชาชนมีส่วนร่วมบริหารกิจการขององค์กรปกครองส่วนท้องถิ่น",
        ),
        _dim(
            4,
            "การเสริมสร้างและปรับปรุงกลไกในการตรวจสอบการปฏิบัติราชการขององค์กรปกครองส่วนท้องถิ่น",
            "มีการจัดวางระบบและรายงานการควบคุมภายใน ตามที่คณะกรรมการตรวจเงินแผ่นดินกำหนด",
            "การสนับสนุนให้ภาคประชาชนมีส่วนร่วมตรวจสอบการปฏิบัติหรือการบริหารราชการ "
            "ตามช่องทางที่สามารถดำเนินการได้",
            "การส่งเสริมบทบาทการตรวจสอบของสภาท้องถิ่น",
            "เสริมพลังการมีส่วนร่วมของชุมชน (Community) และบูรณาการทุกภาคส่วนเพื่อต่อต้านการทุจริต",
        ),
    )
)
