"""The catalogue of dimensions (มิติ), sub-items (ภารกิจตามมิติ) and sub-sub-items that a plan
carries.

It is data: the titles differ between template rounds (``domain.plans.templates``), and a plan
may edit its own copy (CatalogueChanged). The rounds' catalogues are in
``domain.plans.rounds``.

Numbering, as the national manuals and LAOs write it: dimension "2", sub-item "2.1",
sub-sub-item "1.1.1" (some sub-items have them, as 1.1 does; 2.1 has none). An item of the plan
is numbered under a sub-item ("2.1.1": the first item of 2.1) or, under a sub-sub-item, with
"๑)", "๒)": "1.1.1 ๑)" (stored as "1.1.1.1"; see ``domain.plans.numbers``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SubSubItem:
    number: str  # "1.1.1"
    title: str


@dataclass(frozen=True)
class SubItem:
    number: str  # "2.1"
    title: str
    # Catalogues stored before sub-sub-items existed have none.
    sub_sub_items: tuple[SubSubItem, ...] = ()


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

    def sub_sub_item(self, number: str) -> SubSubItem | None:
        sub = self.sub_item(number.rsplit(".", 1)[0]) if number.count(".") == 2 else None
        return next((x for x in sub.sub_sub_items if x.number == number), None) if sub else None

    def dimension_of(self, sub_item: str) -> Dimension | None:
        for d in self.dimensions:
            if any(s.number == sub_item for s in d.sub_items):
                return d
        return None

    def numbering(self) -> list[str]:
        """Every number of the catalogue in order: "1", "1.1", "1.1.1", ..."""
        out = []
        for d in self.dimensions:
            out.append(str(d.number))
            for s in d.sub_items:
                out.append(s.number)
                out += [x.number for x in s.sub_sub_items]
        return out


def dimension(number: int, title: str, *subs: str | tuple[str, tuple[str, ...]]) -> Dimension:
    """A dimension from titles: a sub-item is its title, or (title, its sub-sub-items' titles);
    numbers follow the order ("2.1", "2.2"; "2.2.1", ...)."""
    out = []
    for i, sub in enumerate(subs, start=1):
        title_, subsubs = (sub, ()) if isinstance(sub, str) else sub
        n = f"{number}.{i}"
        out.append(
            SubItem(n, title_, tuple(SubSubItem(f"{n}.{k}", t) for k, t in enumerate(subsubs, 1)))
        )
    return Dimension(number, title, tuple(out))
