"""A plan's overview is the same bytes whichever order its summary's mappings come in: the
live projector reads the summary back from JSONB (an object's keys sorted), a rebuild makes it
from the plan (in the order of its events). Two items added after promulgation and waiting
for the executive made the two differ, by the order of their random ids."""

from __future__ import annotations

import json
import uuid
from datetime import date

from domain.plans.views import compact_json, overview, overview_template


def _summary(pending: dict[str, str]) -> dict[str, object]:
    return {
        "title": "แผนปฏิบัติการป้องกันการทุจริต",
        "first_year": 2566,
        "last_year": 2570,
        "status": "promulgated",
        "catalogue": {"dimensions": []},
        "pending_additions": pending,
    }


def test_the_overview_does_not_follow_the_order_of_pending_additions() -> None:
    a, b = str(uuid.UUID(int=2)), str(uuid.UUID(int=1))
    in_events = _summary({a: "", b: "ส่งคืนเพื่อแก้ไข"})
    from_jsonb = _summary({b: "ส่งคืนเพื่อแก้ไข", a: ""})
    day = date(2026, 12, 3)
    first, second = overview(in_events, [], day), overview(from_jsonb, [], day)
    assert json.dumps(first, ensure_ascii=False) == json.dumps(second, ensure_ascii=False)
    assert overview_template(in_events, []).parts == overview_template(from_jsonb, []).parts


def test_the_rebuilds_encoder_writes_the_overview_as_json_dumps_does() -> None:
    """infra.projections.plans makes templates with msgspec (a rebuild makes one per plan): the
    same text as compact_json, so a template's digest does not depend on who made it."""
    from infra.projections.plans import _text

    summary = _summary({str(uuid.UUID(int=3)): 'ขอให้แก้ไข\n\t\x01 \u2028 😀 "quoted" \\'})
    summary["catalogue"] = {
        "dimensions": [
            {"number": 1, "title": "การสร้างสังคมที่ไม่ทนต่อการทุจริต", "sub_items": []},
        ]
    }
    summary["promulgated_on"] = None
    summary["revision"] = 0
    item = {
        "item_id": str(uuid.UUID(int=4)),
        "number": "1.1.1",
        "kind": "project",
        "name": "โครงการเสริมสร้างคุณธรรม \x1f <b>&",
        "no_budget": False,
        "budget": {"2566": "10000.00", "2567": None},
        "steps": [
            {"number": "6.1", "status": "completed", "due": "2023-01-31"},
            {"number": "6.2", "status": "scheduled", "due": "2023-03-31"},
            {"number": "6.3", "status": "scheduled", "due": None},
        ],
    }
    body = overview(summary, [item], date(2023, 6, 1))
    assert _text(body) == compact_json(body)
    assert overview_template(summary, [item], _text) == overview_template(summary, [item])
