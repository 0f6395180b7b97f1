"""Authoring rules: promulgation waits for the required headings; after it, a change to an
item is a revision the executive approves or returns."""

from __future__ import annotations

import re
import uuid
from datetime import date
from decimal import Decimal

import pytest

from domain.plans import commands as c
from domain.plans.errors import (
    IncompleteItems,
    MissingText,
    NotExecutive,
    NotPlanOfficer,
    RevisionNotPending,
    RevisionRequired,
)
from domain.plans.events import (
    ItemAdded,
    ItemAdditionApproved,
    ItemAdditionReturned,
    ItemHeadingsEdited,
    ItemRevisionApproved,
    ItemRevisionProposed,
    ItemRevisionReturned,
    NoBudgetDeclared,
    OutputIndicatorDefined,
    PlanDrafted,
    PlanPromulgated,
    StepScheduled,
)
from domain.plans.item import Item, PlanContext
from domain.plans.plan import Plan
from domain.plans.rounds import CATALOGUE_2566
from domain.plans.templates import TEMPLATES, missing_headings
from domain.plans.values import Comparator, ItemKind, OutputIndicator
from domain.plans.views import item_sheet
from domain.shared.fiscal import YearSpan
from tests.unit.gwt import ID, decide

DRAFTED = PlanDrafted("แผน", 2566, 2570, CATALOGUE_2566, "2566-2570")
ITEM = uuid.UUID("00000000-0000-7000-8000-0000000000aa")
ADDED = ItemAdded(ITEM, "2.1.1", ItemKind.ACTIVITY, "ประกาศเจตจำนงต่อต้านการทุจริตของผู้บริหาร")
NINE = TEMPLATES["2566-2570"].layout
FILLED = [
    ItemHeadingsEdited(
        rationale="ผู้บริหารต้องแสดงเจตจำนงทางการเมืองในการต่อต้านการทุจริต",
        objectives=("เพื่อแสดงเจตจำนง",),
        targets=("ประกาศเจตจำนง อย่างน้อย 1 ฉบับ",),
        fiscal_years=(2566, 2567, 2568, 2569, 2570),
        responsible_unit="งานกฎหมายและคดี สำนักปลัด",
    ),
    NoBudgetDeclared(),
    StepScheduled("5.1", "ประกาศเจตจำนง", date(2022, 12, 31), None, ()),
    OutputIndicatorDefined(
        OutputIndicator(
            "o1", "มีประกาศเจตจำนง อย่างน้อย 1 ฉบับ", Comparator.AT_LEAST, Decimal(1), "ฉบับ"
        )
    ),
]
PROMULGATED = PlanContext(
    YearSpan(2566, 2570), closed=False, today=date(2026, 12, 3), promulgated=True
)
DRAFT = PlanContext(YearSpan(2566, 2570), closed=False, today=date(2026, 12, 3))
REV = uuid.UUID("00000000-0000-7000-8000-0000000000bb")
CHANGE = ItemHeadingsEdited(targets=("ประกาศเจตจำนง อย่างน้อย 1 ฉบับ", "ประกาศต่อสาธารณะ 2 ช่องทาง"))


def test_the_headings_an_empty_item_leaves_for_promulgation() -> None:
    empty = Item.replay(ID, [])
    missing = [h.number for h in missing_headings(empty, ADDED.name, NINE)]
    assert missing == [2, 3, 4, 5, 6, 7, 8, 9]  # the name is the plan's
    assert missing_headings(Item.replay(ID, FILLED), ADDED.name, NINE) == []
    ten = TEMPLATES["2561-2564"].layout
    assert [h.title for h in missing_headings(Item.replay(ID, FILLED), "", ten)] == [
        "ชื่อโครงการ/กิจกรรม/มาตรการ",
        "พื้นที่ดำเนินการ",
    ]


def test_promulgation_is_refused_while_required_headings_are_empty() -> None:
    incomplete = {"2.1.1": ["๒. หลักการและเหตุผล", "๙. ผลผลิต/ผลลัพธ์"], "1.1.1.1": ["๕. วิธีดำเนินการ"]}
    with pytest.raises(IncompleteItems) as e:
        decide(
            Plan,
            [DRAFTED, ADDED],
            lambda p: p.promulgate(date(2022, 9, 1), "นายก", None, incomplete),
        )
    assert "ยังกรอกไม่ครบ 2 รายการ" in e.value.message
    assert "1.1.1 ๑): ๕. วิธีดำเนินการ; 2.1.1: ๒. หลักการและเหตุผล, ๙. ผลผลิต/ผลลัพธ์" in e.value.message
    assert e.value.details["incomplete"] == {
        "1.1.1.1": ["๕. วิธีดำเนินการ"],
        "2.1.1": ["๒. หลักการและเหตุผล", "๙. ผลผลิต/ผลลัพธ์"],
    }
    assert decide(
        Plan,
        [DRAFTED, ADDED],
        lambda p: p.promulgate(date(2022, 9, 1), "นายก", None, {"2.1.1": []}),
    ) == [PlanPromulgated(date(2022, 9, 1), "นายก", None)]


class _Repo:
    def __init__(self, streams: dict[uuid.UUID, list[object]]) -> None:
        self.streams = streams
        self.saved: list[object] = []

    async def load(self, cls: type, tenant_id: uuid.UUID, id: uuid.UUID, **_: object) -> object:
        return cls.replay(id, self.streams.get(id, []))  # type: ignore[attr-defined]

    async def prior(self, ctx: object) -> None:
        return None

    async def save(self, ctx: object, agg: object, **_: object) -> object:
        self.saved += agg.pending()  # type: ignore[attr-defined]
        return None


async def test_the_promulgation_handler_reads_each_items_sheet() -> None:
    from domain.plans.handlers import handle_plan_command
    from domain.shared.ports import Context

    plan_id = uuid.UUID(int=7)
    ctx = Context(ID, "executive@phangkhwang.example")
    cmd = c.PromulgatePlan(plan_id, date(2022, 9, 1), "นายก", check_headings=True)
    empty = _Repo({plan_id: [DRAFTED, ADDED]})
    with pytest.raises(IncompleteItems, match=re.escape("2.1.1: ๒. หลักการและเหตุผล")):
        await handle_plan_command(empty, ctx, cmd)  # type: ignore[arg-type]
    full = _Repo({plan_id: [DRAFTED, ADDED], ITEM: list(FILLED)})
    await handle_plan_command(full, ctx, cmd)  # type: ignore[arg-type]
    assert full.saved == [PlanPromulgated(date(2022, 9, 1), "นายก", None)]


# -- revisions after promulgation --------------------------------------------------------------


def test_after_promulgation_a_change_is_a_proposed_revision() -> None:
    with pytest.raises(RevisionRequired, match="เสนอปรับปรุง"):
        decide(Item, FILLED, lambda i: i.edit_headings(PROMULGATED, CHANGE))
    assert decide(Item, FILLED, lambda i: i.edit_headings(DRAFT, CHANGE)) == [CHANGE]

    def propose(role: str, reason: str = "เพิ่มช่องทางประกาศ") -> object:
        return lambda i: i.propose_revision(
            PROMULGATED, REV, CHANGE, reason, role=role, by="plan@x"
        )

    with pytest.raises(NotPlanOfficer):
        decide(Item, FILLED, propose("staff"))
    with pytest.raises(MissingText):
        decide(Item, FILLED, propose("plan_officer", " "))
    with pytest.raises(RevisionNotPending, match="ยังไม่ประกาศใช้"):
        decide(
            Item,
            FILLED,
            lambda i: i.propose_revision(DRAFT, REV, CHANGE, "x", role="plan_officer", by="p"),
        )
    assert decide(Item, FILLED, propose("plan_officer")) == [
        ItemRevisionProposed(REV, CHANGE, "เพิ่มช่องทางประกาศ", "plan@x")
    ]


def test_the_sheet_keeps_the_approved_content_until_the_executive_approves() -> None:
    proposed = [*FILLED, ItemRevisionProposed(REV, CHANGE, "เพิ่มช่องทางประกาศ", "plan@x")]
    waiting = item_sheet(Item.replay(ID, proposed))
    assert waiting["targets"] == ["ประกาศเจตจำนง อย่างน้อย 1 ฉบับ"]  # what the public page reads
    assert waiting["revisions"][0]["status"] == "proposed"
    assert waiting["revisions"][0]["changes"] == {"targets": list(CHANGE.targets or ())}
    with pytest.raises(RevisionNotPending, match="รอผู้บริหารพิจารณา"):
        decide(
            Item,
            proposed,
            lambda i: i.propose_revision(
                PROMULGATED, uuid.uuid4(), CHANGE, "อีก", role="plan_officer", by="p"
            ),
        )
    with pytest.raises(NotExecutive):
        decide(
            Item,
            proposed,
            lambda i: i.approve_revision(
                PROMULGATED, REV, date(2026, 12, 3), role="plan_officer", by="p"
            ),
        )
    approved = decide(
        Item,
        proposed,
        lambda i: i.approve_revision(
            PROMULGATED, REV, date(2026, 12, 3), role="executive", by="นายก"
        ),
    )
    assert approved == [ItemRevisionApproved(REV, date(2026, 12, 3), "นายก")]
    sheet = item_sheet(Item.replay(ID, proposed + approved))
    assert sheet["targets"] == list(CHANGE.targets or ())
    assert (sheet["revisions"][0]["status"], sheet["revisions"][0]["decided_by"]) == (
        "approved",
        "นายก",
    )
    with pytest.raises(RevisionNotPending):  # decided once
        decide(
            Item,
            proposed + approved,
            lambda i: i.return_revision(PROMULGATED, REV, "x", role="executive", by="นายก"),
        )


def test_a_returned_revision_changes_nothing_and_says_why() -> None:
    proposed = [*FILLED, ItemRevisionProposed(REV, CHANGE, "เพิ่มช่องทางประกาศ", "plan@x")]
    with pytest.raises(MissingText):
        decide(
            Item,
            proposed,
            lambda i: i.return_revision(PROMULGATED, REV, " ", role="executive", by="นายก"),
        )
    returned = decide(
        Item,
        proposed,
        lambda i: i.return_revision(PROMULGATED, REV, "ระบุช่องทางให้ชัด", role="executive", by="นายก"),
    )
    assert returned == [ItemRevisionReturned(REV, "ระบุช่องทางให้ชัด", "นายก")]
    sheet = item_sheet(Item.replay(ID, proposed + returned))
    assert sheet["targets"] == ["ประกาศเจตจำนง อย่างน้อย 1 ฉบับ"]
    assert sheet["revisions"][0]["returned_because"] == "ระบุช่องทางให้ชัด"
    # Returned: the plan officer may propose again.
    assert decide(
        Item,
        proposed + returned,
        lambda i: i.propose_revision(
            PROMULGATED, uuid.uuid4(), CHANGE, "แก้ตามที่สั่ง", role="plan_officer", by="p"
        ),
    )


# -- items added after promulgation ------------------------------------------------------------

LATER = uuid.UUID("00000000-0000-7000-8000-0000000000cc")
ADDED_LATER = ItemAdded(LATER, "2.1.2", ItemKind.MEASURE, "มาตรการใหม่หลังประกาศใช้")
PROMULGATION = PlanPromulgated(date(2022, 9, 1), "นายก", None)


def test_an_item_added_after_promulgation_waits_for_the_executive() -> None:
    before = Plan.replay(ID, [DRAFTED, ADDED_LATER])
    assert before.pending_additions == {}  # a draft's items are the draft's
    plan = Plan.replay(ID, [DRAFTED, ADDED, PROMULGATION, ADDED_LATER])
    assert plan.pending_additions == {LATER: ""}
    with pytest.raises(NotExecutive):
        decide(
            Plan,
            [DRAFTED, ADDED, PROMULGATION, ADDED_LATER],
            lambda p: p.approve_addition(LATER, date(2026, 12, 3), role="plan_officer", by="p"),
        )
    with pytest.raises(IncompleteItems, match=re.escape("อนุมัติรายการ 2.1.2 ไม่ได้")):
        decide(
            Plan,
            [DRAFTED, ADDED, PROMULGATION, ADDED_LATER],
            lambda p: p.approve_addition(
                LATER, date(2026, 12, 3), role="executive", by="นายก", missing=["๒. หลักการ"]
            ),
        )
    with pytest.raises(MissingText):
        decide(
            Plan,
            [DRAFTED, ADDED, PROMULGATION, ADDED_LATER],
            lambda p: p.return_addition(LATER, " ", role="executive", by="นายก"),
        )
    returned = decide(
        Plan,
        [DRAFTED, ADDED, PROMULGATION, ADDED_LATER],
        lambda p: p.return_addition(LATER, "ขอเป้าหมายที่วัดได้", role="executive", by="นายก"),
    )
    assert returned == [ItemAdditionReturned(LATER, "ขอเป้าหมายที่วัดได้", "นายก")]
    given = [DRAFTED, ADDED, PROMULGATION, ADDED_LATER, *returned]
    assert Plan.replay(ID, given).pending_additions == {LATER: "ขอเป้าหมายที่วัดได้"}
    approved = decide(
        Plan,
        given,
        lambda p: p.approve_addition(LATER, date(2026, 12, 3), role="executive", by="นายก"),
    )
    assert approved == [ItemAdditionApproved(LATER, date(2026, 12, 3), "นายก")]
    assert Plan.replay(ID, given + approved).pending_additions == {}
    with pytest.raises(RevisionNotPending):  # decided once; 2.1.1 never waited
        decide(
            Plan,
            given + approved,
            lambda p: p.approve_addition(LATER, date(2026, 12, 3), role="executive", by="นายก"),
        )


async def test_the_approval_handler_checks_the_added_items_headings() -> None:
    """Until approved the added item is edited directly (no revision needed); approving needs
    its required headings, as promulgation does."""
    from domain.plans.handlers import _item, handle_plan_command
    from domain.shared.clock import SystemClock
    from domain.shared.ports import Context

    plan_id = uuid.UUID(int=8)
    ctx = Context(ID, "executive@phangkhwang.example")
    stream = [DRAFTED, ADDED, PROMULGATION, ADDED_LATER]
    _, _, pc = await _item(_Repo({plan_id: stream}), ctx, plan_id, LATER, SystemClock())  # type: ignore[arg-type]
    assert pc.promulgated is False
    _, _, pc = await _item(_Repo({plan_id: stream}), ctx, plan_id, ITEM, SystemClock())  # type: ignore[arg-type]
    assert pc.promulgated is True
    cmd = c.ApproveItemAddition(plan_id, LATER, date(2026, 12, 3), "executive", "นายก")
    with pytest.raises(IncompleteItems, match=re.escape("๒. หลักการและเหตุผล")):
        await handle_plan_command(_Repo({plan_id: stream}), ctx, cmd)  # type: ignore[arg-type]
    full = _Repo({plan_id: stream, LATER: list(FILLED)})
    await handle_plan_command(full, ctx, cmd)  # type: ignore[arg-type]
    assert full.saved == [ItemAdditionApproved(LATER, date(2026, 12, 3), "นายก")]
