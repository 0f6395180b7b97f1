"""Item numbers as LAOs write them.

Under a sub-item: dimension.sub-item.sequence, "2.1.1" (the first item of 2.1). Under a
sub-sub-item of the catalogue (1.1.1, 2.2.3, ...): the sub-sub-item's number and the item's
place with a closing parenthesis, in Thai digits as printed: "1.1.1 ๑)", "1.1.1 ๒)". Stored
(events, read models, sort keys) as four numbers: "1.1.1.1". Typed as "1.1.1 ๑)", "1.1.1 1)",
"1.1.1(1)", "1.1.1.1" or with Thai digits throughout.
"""

from __future__ import annotations

import re
from functools import lru_cache

from domain.plans.errors import InvalidItemNumber
from domain.shared.fiscal import arabic_digits, thai_digits

_PART = r"([1-9][0-9]?)"
_NUMBER = re.compile(rf"^{_PART}\.{_PART}\.{_PART}(?:(?:\.|\s*\(?\s*){_PART}\s*\)?)?$")


@lru_cache(maxsize=4096)  # a plan's numbers come back (sort keys, overviews, each fold)
def parse_item_number(number: str) -> tuple[int, ...]:
    """'2.1.1' -> (2, 1, 1): dimension, sub-item, sequence; '1.1.1 ๑)' -> (1, 1, 1, 1):
    dimension, sub-item, sub-sub-item, sequence."""
    m = _NUMBER.match(arabic_digits(number).strip())
    if not m:
        raise InvalidItemNumber(
            f"เลขที่รายการ '{number}' ไม่ถูกต้อง ต้องอยู่ในรูปแบบ มิติ.ภารกิจ.ลำดับ เช่น 2.1.1 "
            "หรือรายการย่อยใต้ภารกิจย่อย เช่น 1.1.1 ๑)",
            number=number,
        )
    return tuple(int(p) for p in m.groups() if p is not None)


def canonical(number: str) -> str:
    """The stored form: '1.1.1 ๑)' -> '1.1.1.1', ' 2.1.1 ' -> '2.1.1'."""
    return ".".join(str(p) for p in parse_item_number(number))


def sub_item_of(number: str) -> str:
    d, s = parse_item_number(number)[:2]
    return f"{d}.{s}"


def sub_sub_item_of(number: str) -> str | None:
    """'1.1.1.2' -> '1.1.1'; an item under a sub-item has none."""
    parts = parse_item_number(number)
    return ".".join(str(p) for p in parts[:3]) if len(parts) == 4 else None


def item_number_text(number: str, *, numerals: bool = False) -> str:
    """As printed: '2.1.1', '1.1.1 ๑)' (the item's place always in Thai digits, as the
    manuals print it; ``numerals``: the whole number in Thai digits)."""
    parts = parse_item_number(number)
    head = ".".join(str(p) for p in parts[:3])
    if numerals:
        head = thai_digits(head)
    return head if len(parts) == 3 else f"{head} {thai_digits(parts[3])})"
