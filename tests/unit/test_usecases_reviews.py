"""The review use cases on the in-memory event store: the reviewer comments and resolves, the
LAO answers; neither does the other's part."""

from __future__ import annotations

import uuid

import pytest

from domain.review.thread import ReviewStateError
from domain.shared.access import Forbidden
from domain.shared.errors import NotFound
from services.usecases import reviews as usecase
from services.usecases.scope import Call
from tests.unit.usecase_kit import fake_services, member, reviewer, stream


async def test_the_reviewer_comments_the_lao_answers_only_a_revision_request() -> None:
    services = fake_services()
    t = uuid.uuid4()
    for actor in (member("executive"), member("plan_officer"), member("viewer")):
        with pytest.raises(Forbidden):
            await usecase.open_thread(services, actor, Call(), t, "plan:x", "")  # refused first
    await usecase.open_thread(services, reviewer(), Call(), t, f"plan:{uuid.uuid4()}", "ดีมาก")
    with pytest.raises(Forbidden):
        await usecase.answer(services, reviewer(), Call(), t, "ตอบแทน")
    with pytest.raises(Forbidden):
        await usecase.answer(services, member("staff"), Call(), t, "ตอบ")
    with pytest.raises(Forbidden):
        await usecase.resolve(services, member("executive"), Call(), t)
    with pytest.raises(ReviewStateError):  # a comment is not answered
        await usecase.answer(services, member("plan_officer"), Call(), t, "ตอบ")
    assert await stream(services, t) == ["ReviewCommented"]


async def test_a_revision_request_answered_and_resolved_sends_nothing_itself() -> None:
    services = fake_services()  # no pool, no SMTP: the mail is the worker's, from the outbox
    t = uuid.uuid4()
    subject = f"item:{uuid.uuid4()}"
    await usecase.open_thread(services, reviewer(), Call(), t, subject, "แก้ไข", "revision")
    assert await usecase.answer(services, member("plan_officer"), Call(), t, "แก้แล้ว")
    assert await usecase.resolve(services, reviewer(), Call(), t, "ครบ") == "resolved"
    assert await stream(services, t) == [
        "RevisionRequested",
        "RevisionAnswered",
        "RevisionResolved",
    ]


async def test_an_unknown_thread_is_not_found() -> None:
    services = fake_services()
    with pytest.raises(NotFound):
        await usecase.answer(services, member("executive"), Call(), uuid.uuid4(), "ตอบ")
    with pytest.raises(NotFound):
        await usecase.resolve(services, reviewer(), Call(), uuid.uuid4())
