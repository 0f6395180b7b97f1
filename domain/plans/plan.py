"""The Plan aggregate: header, catalogue, the register of item numbers, status."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from domain.plans.catalogue import Catalogue
from domain.plans.errors import (
    EmptyPlan,
    IncompleteItems,
    InvalidYears,
    ItemNumberTaken,
    MissingText,
    NotExecutive,
    PlanClosed,
    PlanNotDraft,
    PlanYearsNotOver,
    RevisionNotPending,
    UnknownItem,
    UnknownSubItem,
)
from domain.plans.events import (
    CatalogueChanged,
    ItemAdded,
    ItemAdditionApproved,
    ItemAdditionReturned,
    ItemRenumbered,
    ItemWithdrawn,
    PlanDetailsChanged,
    PlanDrafted,
    PlanMadeCurrent,
    PlanPromulgated,
)
from domain.plans.events import (
    PlanClosed as PlanClosedEvent,
)
from domain.plans.numbers import canonical, item_number_text, sub_sub_item_of
from domain.plans.rounds import TEMPLATE_2561
from domain.plans.templates import (
    LEGACY_TEMPLATE_ID,
    PlanTemplate,
    check_length,
    default_template,
    template,
)
from domain.plans.values import Evidence, ItemKind, parse_item_number, sub_item_of
from domain.shared.aggregate import Aggregate
from domain.shared.bedate import be_day
from domain.shared.fiscal import YearSpan


class PlanStatus(StrEnum):
    DRAFT = "draft"
    PROMULGATED = "promulgated"  # ประกาศใช้
    CLOSED = "closed"


@dataclass(frozen=True)
class ItemEntry:
    item_id: uuid.UUID
    number: str
    kind: ItemKind
    name: str


def _span(first: int, last: int) -> YearSpan:
    try:
        span = YearSpan(first, last)
    except ValueError:
        raise InvalidYears(
            f"ปีงบประมาณ {first}-{last} ไม่ถูกต้อง", first_year=first, last_year=last
        ) from None
    if len(span.years) > 5:
        raise InvalidYears("แผนมีระยะเวลาได้ 1 ถึง 5 ปีงบประมาณ", first_year=first, last_year=last)
    return span


class Plan(Aggregate):
    stream_type = "plan"

    def __init__(self, id: uuid.UUID) -> None:
        super().__init__(id)
        self.title = ""
        self.span: YearSpan | None = None
        self.catalogue = TEMPLATE_2561
        self.template_id = LEGACY_TEMPLATE_ID
        self.made_current_on: date | None = None  # chosen as the organisation's current plan
        self.status = PlanStatus.DRAFT
        self.items: dict[uuid.UUID, ItemEntry] = {}
        self.promulgated_on: date | None = None
        self.promulgated_by = ""
        self.revision = 0  # changes since promulgation (0 before it)
        # Items added after promulgation, waiting for the executive: {item: why it was returned
        # ("" until it is)}; they are not part of the approved plan (nor its public page).
        self.pending_additions: dict[uuid.UUID, str] = {}

    @property
    def exists(self) -> bool:
        return self.span is not None

    def years(self) -> YearSpan:
        assert self.span is not None
        return self.span

    @property
    def template(self) -> PlanTemplate:
        """The template the plan was drafted from: its sheet layout (the catalogue is the
        plan's own copy)."""
        return template(self.template_id)

    def number_taken(self, number: str, but: uuid.UUID | None = None) -> bool:
        return any(e.number == number and e.item_id != but for e in self.items.values())

    # -- decisions -----------------------------------------------------------------------

    def draft(
        self,
        title: str,
        first_year: int,
        last_year: int,
        catalogue: Catalogue | None = None,
        template_id: str | None = None,
    ) -> None:
        """A new plan from a template (default: the newest whose round starts no later than
        the plan, domain.plans.templates.default_template), with the template's catalogue
        unless ``catalogue`` is given."""
        if self.exists:
            raise PlanNotDraft("แผนนี้มีอยู่แล้ว")
        if not title.strip():
            raise MissingText("กรุณาระบุชื่อแผน", field="title")
        _span(first_year, last_year)
        chosen = template(template_id) if template_id else default_template(first_year)
        self._record(
            PlanDrafted(
                title.strip(),
                first_year,
                last_year,
                catalogue or chosen.catalogue,
                chosen.template_id,
            )
        )

    def _check_open(self) -> None:
        if self.status is PlanStatus.CLOSED:
            raise PlanClosed("แผนนี้ปิดแล้ว แก้ไขไม่ได้")

    def change_details(self, title: str, first_year: int, last_year: int) -> None:
        self._check_open()
        if not title.strip():
            raise MissingText("กรุณาระบุชื่อแผน", field="title")
        _span(first_year, last_year)
        self._record(PlanDetailsChanged(title.strip(), first_year, last_year))

    def change_catalogue(self, catalogue: Catalogue) -> None:
        self._check_open()
        for entry in self.items.values():
            if catalogue.sub_item(sub_item_of(entry.number)) is None:
                raise UnknownSubItem(
                    f"รายการ {entry.number} อยู่ในภารกิจที่ไม่มีในบัญชีใหม่", number=entry.number
                )
        self._record(CatalogueChanged(catalogue))

    def _check_number(self, number: str, item_id: uuid.UUID | None = None) -> str:
        number = canonical(number)
        d, s = parse_item_number(number)[:2]
        if self.catalogue.sub_item(f"{d}.{s}") is None:
            raise UnknownSubItem(f"ไม่มีภารกิจ {d}.{s} ในบัญชีมิติของแผนนี้", number=number)
        parent = sub_sub_item_of(number)
        if parent is not None and self.catalogue.sub_sub_item(parent) is None:
            raise UnknownSubItem(
                f"ไม่มีภารกิจย่อย {parent} ในบัญชีมิติของแผนนี้ รายการใต้ภารกิจ {d}.{s} ให้ใช้เลขที่แบบ {d}.{s}.1",
                number=number,
            )
        if self.number_taken(number, but=item_id):
            raise ItemNumberTaken(f"เลขที่ {number} มีรายการอื่นใช้แล้ว", number=number)
        return number

    def add_item(self, item_id: uuid.UUID, number: str, kind: ItemKind, name: str) -> None:
        self._check_open()
        if not name.strip():
            raise MissingText("กรุณาระบุชื่อโครงการ/กิจกรรม/มาตรการ", field="name")
        check_length("name", name)
        number = self._check_number(number)
        self._record(ItemAdded(item_id, number, kind, name.strip()))

    def renumber_item(self, item_id: uuid.UUID, number: str) -> None:
        self._check_open()
        if item_id not in self.items:
            raise UnknownItem("ไม่พบรายการนี้ในแผน", item_id=str(item_id))
        number = self._check_number(number, item_id)
        if self.items[item_id].number != number:
            self._record(ItemRenumbered(item_id, number))

    def withdraw_item(self, item_id: uuid.UUID, reason: str) -> None:
        self._check_open()
        if item_id not in self.items:
            raise UnknownItem("ไม่พบรายการนี้ในแผน", item_id=str(item_id))
        self._record(ItemWithdrawn(item_id, reason.strip()))

    def promulgate(
        self,
        on: date,
        executive: str,
        document: Evidence | None,
        incomplete: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        """``incomplete``: {item number: the required headings it leaves empty, as printed}
        (``domain.plans.templates.missing_headings`` of each item): none may be left."""
        self._check_open()
        if self.status is not PlanStatus.DRAFT:
            raise PlanNotDraft("แผนนี้ประกาศใช้แล้ว")
        if not self.items:
            raise EmptyPlan("ประกาศใช้แผนได้เมื่อมีรายการอย่างน้อย 1 รายการ")
        gaps = {n: list(h) for n, h in sorted((incomplete or {}).items()) if h}
        if gaps:
            listed = "; ".join(f"{item_number_text(n)}: {', '.join(h)}" for n, h in gaps.items())
            raise IncompleteItems(
                f"ประกาศใช้แผนไม่ได้ เพราะรายละเอียดโครงการยังกรอกไม่ครบ {len(gaps)} รายการ "
                f"({listed}) กรุณากรอกหัวข้อเหล่านี้ให้ครบแล้วประกาศใช้อีกครั้ง",
                incomplete=gaps,
            )
        if not executive.strip():
            raise MissingText("กรุณาระบุผู้บริหารที่ประกาศใช้แผน", field="executive")
        self._record(PlanPromulgated(on, executive.strip(), document))

    def approve_addition(
        self,
        item_id: uuid.UUID,
        on: date,
        *,
        role: str,
        by: str,
        missing: Sequence[str] = (),
        today: date | None = None,
    ) -> None:
        """The executive approves an item added after promulgation (``missing``: the required
        headings its sheet leaves empty, which must be none, as for promulgation)."""
        self._check_addition(item_id, role)
        if today is not None and on > today:
            raise MissingText(f"วันที่อนุมัติ {be_day(on)} ยังมาไม่ถึง", field="on")
        if missing:
            number = self.items[item_id].number
            raise IncompleteItems(
                f"อนุมัติรายการ {item_number_text(number)} ไม่ได้ เพราะรายละเอียดโครงการยังกรอกไม่ครบ "
                f"({', '.join(missing)})",
                incomplete={number: list(missing)},
            )
        self._record(ItemAdditionApproved(item_id, on, by))

    def return_addition(self, item_id: uuid.UUID, reason: str, *, role: str, by: str) -> None:
        self._check_addition(item_id, role)
        if not reason.strip():
            raise MissingText("กรุณาระบุสิ่งที่ต้องแก้ไขก่อนส่งกลับ", field="reason")
        self._record(ItemAdditionReturned(item_id, reason.strip(), by))

    def _check_addition(self, item_id: uuid.UUID, role: str) -> None:
        self._check_open()
        if role != "executive":
            raise NotExecutive("เฉพาะผู้บริหารเท่านั้นที่อนุมัติหรือส่งกลับรายการที่เพิ่มได้", role=role)
        if item_id not in self.pending_additions:
            raise RevisionNotPending("รายการนี้ไม่ได้รอการอนุมัติ", item_id=str(item_id))

    def close(self, on: date, today: date | None = None) -> None:
        """Close a plan whose fiscal years have all ended (on ``on``, not in the future)."""
        self._check_open()
        end = self.years().end
        if on < end:
            raise PlanYearsNotOver(
                f"ปิดแผนได้ตั้งแต่วันสุดท้ายของปีงบประมาณสุดท้ายของแผน ({be_day(end)}) "
                f"วันที่ปิดแผน {be_day(on)} ยังอยู่ในช่วงของแผน",
                on=on.isoformat(),
                ends=end.isoformat(),
            )
        if today is not None and on > today:
            raise PlanYearsNotOver(
                f"วันที่ปิดแผน {be_day(on)} ยังมาไม่ถึง (วันนี้ {be_day(today)})",
                on=on.isoformat(),
            )
        self._record(PlanClosedEvent(on))

    def make_current(self, on: date) -> None:
        """Choose this plan as the organisation's current one (the home page, reports and the
        public page show it): the latest chosen wins (``domain.plans.views.current_plan``).
        A closed plan cannot be chosen."""
        self._check_open()
        self._record(PlanMadeCurrent(on))

    # -- evolution -----------------------------------------------------------------------

    def _changed(self) -> None:
        if self.status is PlanStatus.PROMULGATED:
            self.revision += 1

    def _on_PlanDrafted(self, e: PlanDrafted) -> None:
        self.title, self.span, self.catalogue = (
            e.title,
            YearSpan(e.first_year, e.last_year),
            (e.catalogue),
        )
        self.template_id = e.template_id

    def _on_PlanMadeCurrent(self, e: PlanMadeCurrent) -> None:
        self.made_current_on = e.on

    def _on_PlanDetailsChanged(self, e: PlanDetailsChanged) -> None:
        self.title, self.span = e.title, YearSpan(e.first_year, e.last_year)
        self._changed()

    def _on_CatalogueChanged(self, e: CatalogueChanged) -> None:
        self.catalogue = e.catalogue
        self._changed()

    def _on_ItemAdded(self, e: ItemAdded) -> None:
        self.items[e.item_id] = ItemEntry(e.item_id, e.number, e.kind, e.name)
        if self.status is PlanStatus.PROMULGATED:
            self.pending_additions[e.item_id] = ""
        self._changed()

    def _on_ItemAdditionApproved(self, e: ItemAdditionApproved) -> None:
        self.pending_additions.pop(e.item_id, None)

    def _on_ItemAdditionReturned(self, e: ItemAdditionReturned) -> None:
        self.pending_additions[e.item_id] = e.reason

    def _on_ItemRenumbered(self, e: ItemRenumbered) -> None:
        old = self.items[e.item_id]
        self.items[e.item_id] = ItemEntry(old.item_id, e.number, old.kind, old.name)
        self._changed()

    def _on_ItemWithdrawn(self, e: ItemWithdrawn) -> None:
        del self.items[e.item_id]
        self.pending_additions.pop(e.item_id, None)
        self._changed()

    def _on_PlanPromulgated(self, e: PlanPromulgated) -> None:
        self.status = PlanStatus.PROMULGATED
        self.promulgated_on, self.promulgated_by = e.on, e.executive
        self.revision = 1

    def _on_PlanClosed(self, e: PlanClosedEvent) -> None:
        self.status = PlanStatus.CLOSED
