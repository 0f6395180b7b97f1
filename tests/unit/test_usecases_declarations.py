"""The declaration use cases on the in-memory event store: who may draft, publish and
announce (refused before anything is read or written), and the decide/save path."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from domain.declarations.declaration import Channel
from domain.plans.values import Evidence
from domain.shared.access import Actor, Forbidden
from domain.shared.errors import DomainError, PreconditionFailed
from services.usecases import declarations as usecase
from services.usecases.scope import Call
from tests.unit.usecase_kit import fake_services, member, operator, reviewer, stream

SIGNED = Evidence.file("signed.pdf", "a" * 64, "application/pdf", 1000)


@pytest.mark.parametrize(
    "actor",
    [member("viewer"), member("staff"), reviewer(), operator()],
    ids=lambda a: a.role,
)
async def test_a_role_that_may_not_edit_is_refused_whatever_it_sent(actor: Actor) -> None:
    services = fake_services()
    d = uuid.uuid4()
    with pytest.raises(Forbidden):
        await usecase.draft(services, actor, Call(), d, "", [])
    with pytest.raises(Forbidden):
        await usecase.draft(services, actor, Call(), d, "", [], existing=True)
    with pytest.raises(Forbidden):
        await usecase.announce(
            services, actor, Call(), d, Channel.WEBSITE, date(2025, 1, 1), "", files=["x"]
        )
    assert await stream(services, d) == []


async def test_only_the_executive_publishes() -> None:
    services = fake_services()
    d = uuid.uuid4()
    await usecase.draft(services, member("plan_officer"), Call(), d, "ข้อความ", ["นายก"])
    for role in ("plan_officer", "staff", "viewer"):
        with pytest.raises(Forbidden):
            await usecase.publish(services, member(role), Call(), d, date(2025, 3, 1), SIGNED)
    with pytest.raises(Forbidden):
        await usecase.publish(services, reviewer(), Call(), d, date(2025, 3, 1), SIGNED)
    saved = await usecase.publish(
        services, member("executive"), Call(), d, date(2025, 3, 1), SIGNED
    )
    assert saved.version == 2
    assert await stream(services, d) == ["DeclarationDrafted", "DeclarationPublished"]


async def test_draft_publish_announce_with_if_match_and_a_retry() -> None:
    services = fake_services()
    officer, d = member("plan_officer"), uuid.uuid4()
    first = await usecase.draft(services, officer, Call("k1", b"f"), d, "ข้อความ", ["นายก"])
    again = await usecase.draft(services, officer, Call("k1", b"f"), d, "ข้อความ", ["นายก"])
    assert (first.version, again.version, again.duplicate) == (1, 1, True)
    with pytest.raises(PreconditionFailed):
        await usecase.publish(
            services, member("executive"), Call(if_match=7), d, date(2025, 3, 1), SIGNED
        )
    await usecase.publish(
        services, member("executive"), Call(if_match=1), d, date(2025, 3, 1), SIGNED
    )
    with pytest.raises(DomainError):  # before the day it was published
        await usecase.announce(services, officer, Call(), d, Channel.WEBSITE, date(2025, 2, 1), "")
    saved = await usecase.announce(
        services,
        officer,
        Call(),
        d,
        Channel.WEBSITE,
        date(2025, 3, 2),
        "",
        links=[("https://lao.example/news/1", "ข่าว")],
    )
    assert saved.version == 3
    assert (await stream(services, d))[-1] == "DeclarationAnnounced"
