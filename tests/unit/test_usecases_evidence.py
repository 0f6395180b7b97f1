"""Evidence use cases: who may upload (refused before the bytes are looked at), what is
refused by its content, and citing nothing reads nothing."""

from __future__ import annotations

import pytest

from domain.plans.errors import ForbiddenEvidence
from domain.plans.values import Evidence
from domain.shared.access import Action, Forbidden
from services.usecases import evidence as usecase
from tests.unit.usecase_kit import fake_services, member, operator, reviewer


async def test_only_who_records_progress_uploads() -> None:
    services = fake_services()
    for actor in (member("viewer"), reviewer(), operator()):
        with pytest.raises(Forbidden):
            await usecase.upload(services, actor, "a.pdf", b"%PDF-1.4 ...")
        with pytest.raises(Forbidden):
            await usecase.keep(
                services, actor, Action.RECORD_PROGRESS, "a.pdf", b"x", "application/pdf"
            )
    with pytest.raises(Forbidden):  # publishing is the executive's
        await usecase.keep(
            services,
            member("plan_officer"),
            Action.PUBLISH_DECLARATION,
            "a.pdf",
            b"x",
            "application/pdf",
        )


async def test_a_file_is_known_by_its_content() -> None:
    with pytest.raises(ForbiddenEvidence):
        await usecase.upload(fake_services(), member("staff"), "a.pdf", b"MZ not a pdf")


async def test_citing_links_only_reads_nothing() -> None:
    link = Evidence.link("https://lao.example/a")
    assert await usecase.cited(fake_services(), member("staff"), [link], []) == (link,)
