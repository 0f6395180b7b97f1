"""The 76 provinces of Thailand that have a Provincial Administrative Organisation (อบจ.).

Every province except Bangkok (กรุงเทพมหานคร, code 10), which is a special local
government with no อบจ.

Sources:
- ``code``: the two-digit province codes of the Ministry of Interior, Department of
  Provincial Administration (กรมการปกครอง, DOPA), as used in the civil registration
  geocodes (11 Samut Prakan ... 96 Narathiwat).
- ``name_th``: the official Thai name without the word จังหวัด (NFC normalised).
- ``name_en``: the Royal Institute's official romanisation (RTGS), e.g. "Buri Ram",
  "Phra Nakhon Si Ayutthaya".
- ``region``: the six-region grouping of the Royal Institute / National Geographical
  Committee: north, northeast, central, east, west, south.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

REGIONS: Final = ("north", "northeast", "central", "east", "west", "south")


@dataclass(frozen=True)
class Province:
    code: str
    name_th: str
    name_en: str
    region: str


PROVINCES: Final[tuple[Province, ...]] = (
    Province("11", "สมุทรปราการ", "Samut Prakan", "central"),
    Province("12", "นนทบุรี", "Nonthaburi", "central"),
    Province("13", "ปทุมธานี", "Pathum Thani", "central"),
    Province("14", "พระนครศรีอยุธยา", "Phra Nakhon Si Ayutthaya", "central"),
    Province("15", "อ่างทอง", "Ang Thong", "central"),
    Province("16", "ลพบุรี", "Lop Buri", "central"),
    Province("17", "สิงห์บุรี", "Sing Buri", "central"),
    Province("18", "ชัยนาท", "Chai Nat", "central"),
    Province("19", "สระบุรี", "Saraburi", "central"),
    Province("20", "ชลบุรี", "Chon Buri", "east"),
    Province("21", "ระยอง", "Rayong", "east"),
    Province("22", "จันทบุรี", "Chanthaburi", "east"),
    Province("23", "ตราด", "Trat", "east"),
    Province("24", "ฉะเชิงเทรา", "Chachoengsao", "east"),
    Province("25", "ปราจีนบุรี", "Prachin Buri", "east"),
    Province("26", "นครนายก", "Nakhon Nayok", "central"),
    Province("27", "สระแก้ว", "Sa Kaeo", "east"),
    Province("30", "นครราชสีมา", "Nakhon Ratchasima", "northeast"),
    Province("31", "บุรีรัมย์", "Buri Ram", "northeast"),
    Province("32", "สุรินทร์", "Surin", "northeast"),
    Province("33", "ศรีสะเกษ", "Si Sa Ket", "northeast"),
    Province("34", "อุบลราชธานี", "Ubon Ratchathani", "northeast"),
    Province("35", "ยโสธร", "Yasothon", "northeast"),
    Province("36", "ชัยภูมิ", "Chaiyaphum", "northeast"),
    Province("37", "อำนาจเจริญ", "Amnat Charoen", "northeast"),
    Province("38", "บึงกาฬ", "Bueng Kan", "northeast"),
    Province("39", "หนองบัวลำภู", "Nong Bua Lam Phu", "northeast"),
    Province("40", "ขอนแก่น", "Khon Kaen", "northeast"),
    Province("41", "อุดรธานี", "Udon Thani", "northeast"),
    Province("42", "เลย", "Loei", "northeast"),
    Province("43", "หนองคาย", "Nong Khai", "northeast"),
    Province("44", "มหาสารคาม", "Maha Sarakham", "northeast"),
    Province("45", "ร้อยเอ็ด", "Roi Et", "northeast"),
    Province("46", "กาฬสินธุ์", "Kalasin", "northeast"),
    Province("47", "สกลนคร", "Sakon Nakhon", "northeast"),
    Province("48", "นครพนม", "Nakhon Phanom", "northeast"),
    Province("49", "มุกดาหาร", "Mukdahan", "northeast"),
    Province("50", "เชียงใหม่", "Chiang Mai", "north"),
    Province("51", "ลำพูน", "Lamphun", "north"),
    Province("52", "ลำปาง", "Lampang", "north"),
    Province("53", "อุตรดิตถ์", "Uttaradit", "north"),
    Province("54", "แพร่", "Phrae", "north"),
    Province("55", "น่าน", "Nan", "north"),
    Province("56", "พะเยา", "Phayao", "north"),
    Province("57", "เชียงราย", "Chiang Rai", "north"),
    Province("58", "แม่ฮ่องสอน", "Mae Hong Son", "north"),
    Province("60", "นครสวรรค์", "Nakhon Sawan", "central"),
    Province("61", "อุทัยธานี", "Uthai Thani", "central"),
    Province("62", "กำแพงเพชร", "Kamphaeng Phet", "central"),
    Province("63", "ตาก", "Tak", "west"),
    Province("64", "สุโขทัย", "Sukhothai", "central"),
    Province("65", "พิษณุโลก", "Phitsanulok", "central"),
    Province("66", "พิจิตร", "Phichit", "central"),
    Province("67", "เพชรบูรณ์", "Phetchabun", "central"),
    Province("70", "ราชบุรี", "Ratchaburi", "west"),
    Province("71", "กาญจนบุรี", "Kanchanaburi", "west"),
    Province("72", "สุพรรณบุรี", "Suphan Buri", "central"),
    Province("73", "นครปฐม", "Nakhon Pathom", "central"),
    Province("74", "สมุทรสาคร", "Samut Sakhon", "central"),
    Province("75", "สมุทรสงคราม", "Samut Songkhram", "central"),
    Province("76", "เพชรบุรี", "Phetchaburi", "west"),
    Province("77", "ประจวบคีรีขันธ์", "Prachuap Khiri Khan", "west"),
    Province("80", "นครศรีธรรมราช", "Nakhon Si Thammarat", "south"),
    Province("81", "กระบี่", "Krabi", "south"),
    Province("82", "พังงา", "Phang Nga", "south"),
    Province("83", "ภูเก็ต", "Phuket", "south"),
    Province("84", "สุราษฎร์ธานี", "Surat Thani", "south"),
    Province("85", "ระนอง", "Ranong", "south"),
    Province("86", "ชุมพร", "Chumphon", "south"),
    Province("90", "สงขลา", "Songkhla", "south"),
    Province("91", "สตูล", "Satun", "south"),
    Province("92", "ตรัง", "Trang", "south"),
    Province("93", "พัทลุง", "Phatthalung", "south"),
    Province("94", "ปัตตานี", "Pattani", "south"),
    Province("95", "ยะลา", "Yala", "south"),
    Province("96", "นราธิวาส", "Narathiwat", "south"),
)

PROVINCES_BY_CODE: Final[Mapping[str, Province]] = MappingProxyType({p.code: p for p in PROVINCES})

_THAI_PREFIXES: Final = ("จังหวัด", "จ.")


def _english_key(name: str) -> str:
    """Case-, space- and hyphen-insensitive key, so "Buriram" finds "Buri Ram"."""
    return "".join(ch for ch in name.casefold() if ch not in " -")


_BY_THAI_NAME: Final[Mapping[str, Province]] = MappingProxyType({p.name_th: p for p in PROVINCES})
_BY_ENGLISH_NAME: Final[Mapping[str, Province]] = MappingProxyType(
    {_english_key(p.name_en): p for p in PROVINCES}
)


def province_by_name(name: str) -> Province | None:
    """Find a province by its Thai name (with or without จังหวัด / จ.) or English name.

    English names match case-insensitively (spaces and hyphens ignored).
    """
    text = unicodedata.normalize("NFC", name).strip()
    for prefix in _THAI_PREFIXES:
        if text.startswith(prefix):
            text = text[len(prefix) :].strip()
            break
    found = _BY_THAI_NAME.get(text)
    if found is not None:
        return found
    key = _english_key(text)
    return _BY_ENGLISH_NAME.get(key) if key else None
