"""The complaints register's use cases on the in-memory event store, and who may read."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from domain.shared.access import Forbidden
from services.usecases import registers as usecase
from services.usecases.scope import Call
from tests.unit.usecase_kit import fake_services, member, operator, reviewer, stream


async def test_complaints_are_kept_by_the_plan_officer_and_the_executive() -> None:
    services = fake_services()
    c = uuid.uuid4()
    for actor in (member("staff"), member("viewer"), reviewer(), operator()):
        with pytest.raises(Forbidden):
            await usecase.receive_complaint(
                services, actor, Call(), c, date(2025, 1, 5), "phone", "จัดซื้อ"
            )
        with pytest.raises(Forbidden):
            await usecase.take_up_complaint(services, actor, Call(), c, date(2025, 1, 6))
        with pytest.raises(Forbidden):
            await usecase.resolve_complaint(services, actor, Call(), c, date(2025, 1, 6), "other")
    assert await stream(services, c) == []
    officer = member("plan_officer")
    saved = await usecase.receive_complaint(
        services, officer, Call(), c, date(2025, 1, 5), "phone", "จัดซื้อ"
    )
    assert saved.version == 1
    await usecase.take_up_complaint(services, officer, Call(), c, date(2025, 1, 5))
    await usecase.resolve_complaint(
        services, member("executive"), Call(), c, date(2025, 1, 6), "referred"
    )
    assert await stream(services, c) == [
        "ComplaintReceived",
        "ComplaintTakenUp",
        "ComplaintResolved",
    ]


async def test_the_operator_reads_no_register() -> None:
    services = fake_services()
    with pytest.raises(Forbidden):
        await usecase.timeline(services, operator(), None, 50)
    with pytest.raises(Forbidden):
        await usecase.deadlines(services, operator(), None, None)
    with pytest.raises(Forbidden):
        await usecase.complaints_per_year(services, operator())
