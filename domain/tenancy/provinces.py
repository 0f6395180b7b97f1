"""The 76 provinces of Thailand that have a Provincial Administrative Organisation (อบจ.).

Bangkok (กรุงเทพมหานคร, code 10) is a special local government, not a province here.
Codes are the Ministry of Interior's (Department of Provincial Administration) two-digit
province codes; regions follow the Royal Institute's six-region grouping.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class Province:
    code: str
    name_th: str
    name_en: str
    region: str


_DATA = """
11 สมุทรปราการ Samut Prakan central
12 นนทบุรี Nonthaburi central
13 ปทุมธานี Pathum Thani central
14 พระนครศรีอยุธยา Phra Nakhon Si Ayutthaya central
15 อ่างทอง Ang Thong central
16 ลพบุรี Lop Buri central
17 สิงห์บุรี Sing Buri central
18 ชัยนาท Chai Nat central
19 สระบุรี Saraburi central
20 ชลบุรี Chon Buri east
21 ระยอง Rayong east
22 จันทบุรี Chanthaburi east
23 ตราด Trat east
24 ฉะเชิงเทรา Chachoengsao east
25 ปราจีนบุรี Prachin Buri east
26 นครนายก Nakhon Nayok central
27 สระแก้ว Sa Kaeo east
30 นครราชสีมา Nakhon Ratchasima northeast
31 บุรีรัมย์ Buri Ram northeast
32 สุรินทร์ Surin northeast
33 ศรีสะเกษ Si Sa Ket northeast
34 อุบลราชธานี Ubon Ratchathani northeast
35 ยโสธร Yasothon northeast
36 ชัยภูมิ Chaiyaphum northeast
37 อำนาจเจริญ Amnat Charoen northeast
38 บึงกาฬ Bueng Kan northeast
39 หนองบัวลำภู Nong Bua Lam Phu northeast
40 ขอนแก่น Khon Kaen northeast
41 อุดรธานี Udon Thani northeast
42 เลย Loei northeast
43 หนองคาย Nong Khai northeast
44 มหาสารคาม Maha Sarakham northeast
45 ร้อยเอ็ด Roi Et northeast
46 กาฬสินธุ์ Kalasin northeast
47 สกลนคร Sakon Nakhon northeast
48 นครพนม Nakhon Phanom northeast
49 มุกดาหาร Mukdahan northeast
50 เชียงใหม่ Chiang Mai north
51 ลำพูน Lamphun north
52 ลำปาง Lampang north
53 อุตรดิตถ์ Uttaradit north
54 แพร่ Phrae north
55 น่าน Nan north
56 พะเยา Phayao north
57 เชียงราย Chiang Rai north
58 แม่ฮ่องสอน Mae Hong Son north
60 นครสวรรค์ Nakhon Sawan central
61 อุทัยธานี Uthai Thani central
62 กำแพงเพชร Kamphaeng Phet central
63 ตาก Tak west
64 สุโขทัย Sukhothai central
65 พิษณุโลก Phitsanulok central
66 พิจิตร Phichit central
67 เพชรบูรณ์ Phetchabun central
70 ราชบุรี Ratchaburi west
71 กาญจนบุรี Kanchanaburi west
72 สุพรรณบุรี Suphan Buri central
73 นครปฐม Nakhon Pathom central
74 สมุทรสาคร Samut Sakhon central
75 สมุทรสงคราม Samut Songkhram central
76 เพชรบุรี Phetchaburi west
77 ประจวบคีรีขันธ์ Prachuap Khiri Khan west
80 นครศรีธรรมราช Nakhon Si Thammarat south
81 กระบี่ Krabi south
82 พังงา Phangnga south
83 ภูเก็ต Phuket south
84 สุราษฎร์ธานี Surat Thani south
85 ระนอง Ranong south
86 ชุมพร Chumphon south
90 สงขลา Songkhla south
91 สตูล Satun south
92 ตรัง Trang south
93 พัทลุง Phatthalung south
94 ปัตตานี Pattani south
95 ยะลา Yala south
96 นราธิวาส Narathiwat south
"""


def _parse(text: str) -> tuple[Province, ...]:
    out = []
    for line in text.strip().splitlines():
        code, name_th, *rest = unicodedata.normalize("NFC", line).split()
        *english, region = rest
        out.append(Province(code, name_th, " ".join(english), region))
    return tuple(out)


PROVINCES: tuple[Province, ...] = _parse(_DATA)
PROVINCES_BY_CODE: Mapping[str, Province] = MappingProxyType({p.code: p for p in PROVINCES})
_BY_NAME: Mapping[str, Province] = MappingProxyType(
    {p.name_th: p for p in PROVINCES} | {p.name_en.lower(): p for p in PROVINCES}
)


def province_by_name(name: str) -> Province | None:
    """Find a province by its Thai name (with or without จังหวัด / จ.) or its English name."""
    text = unicodedata.normalize("NFC", name.strip())
    for prefix in ("จังหวัด", "จ."):
        if text.startswith(prefix):
            text = text[len(prefix) :].strip()
    return _BY_NAME.get(text) or _BY_NAME.get(text.lower())
