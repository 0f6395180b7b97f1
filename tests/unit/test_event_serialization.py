"""Every domain event survives data -> canonical JSON -> data -> event unchanged."""

from __future__ import annotations

import json
import uuid
from datetime import date
from decimal import Decimal

from domain.complaints.complaint import ComplaintReceived, ComplaintResolved, ComplaintTakenUp
from domain.declarations.declaration import Channel, DeclarationAnnounced
from domain.plans.events import (
    BudgetSet,
    ItemAdded,
    ItemHeadingsEdited,
    OutputIndicatorDefined,
    PlanDrafted,
    PlanPromulgated,
    StepCompleted,
    StepScheduled,
)
from domain.plans.rounds import TEMPLATE_2561
from domain.plans.values import Comparator, Evidence, ItemKind, OutputIndicator
from domain.registry import EVENT_TYPES, event_data, event_from
from infra.eventstore.canonical import dumps, normalise

PDF = Evidence.file("ประกาศ.pdf", "b" * 64, "application/pdf", 2048)
SAMPLES = [
    PlanDrafted("แผนปฏิบัติการป้องกันการทุจริต", 2561, 2564, TEMPLATE_2561),
    ItemAdded(uuid.uuid4(), "2.1.1", ItemKind.ACTIVITY, "ประกาศเจตจำนง"),
    PlanPromulgated(date(2017, 10, 1), "นายก", PDF),
    PlanPromulgated(date(2017, 10, 1), "นายก", None),
    ItemHeadingsEdited(objectives=("เพื่อแสดงเจตจำนง",), fiscal_years=(2561, 2562)),
    BudgetSet({2561: Decimal("10000.00"), 2562: Decimal("0.50")}),
    StepScheduled("6.1", "ประกาศเจตจำนง", date(2017, 10, 31), None, ("นายก",)),
    StepScheduled("6.7", "ดำเนินการตามแผน", None, 2562, ()),
    StepCompleted("6.5", date(2018, 3, 1), "เสร็จ", (PDF, Evidence.link("https://x.go.th/a"))),
    OutputIndicatorDefined(OutputIndicator("o1", "ประกาศ", Comparator.AT_LEAST, Decimal(1), "ฉบับ")),
    DeclarationAnnounced(Channel.WEBSITE, date(2017, 10, 3), "", ()),
    ComplaintReceived(date(2018, 1, 1), "phone", "จัดซื้อ"),
    ComplaintTakenUp(date(2018, 1, 6)),
    ComplaintResolved(date(2018, 2, 1), "referred"),
]


def test_every_sample_round_trips() -> None:
    for event in SAMPLES:
        stored = json.loads(dumps(normalise(event_data(event))))
        assert event_from(event.event_type(), stored) == event


def test_registry_names_every_event_once() -> None:
    assert len(EVENT_TYPES) >= 20
    assert all(name == cls.__name__ for name, cls in EVENT_TYPES.items())
