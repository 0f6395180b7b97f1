"""A plan's overview is the same bytes whichever order its summary's mappings come in: the
live projector reads the summary back from JSONB (an object's keys sorted), a rebuild makes it
from the plan (in the order of its events). Two items added after promulgation and waiting
for the executive made the two differ, by the order of their random ids."""

from __future__ import annotations

import json
import uuid
from datetime import date

from domain.plans.views import overview, overview_template


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
