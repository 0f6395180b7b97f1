"""Reviews: the provincial reviewer comments on an LAO's plan, items or reports and asks for
revisions; the LAO answers; the reviewer resolves. Events in the LAO's log; a revision
request is emailed to the LAO's plan officers and executives by the worker, from the outbox
written with the event."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from domain.review.thread import ReviewThread
from domain.shared.access import Action, Actor, may
from domain.shared.errors import NotFound
from infra.queries import reviews as queries
from infra.repository import EventSourcedRepository
from services.usecases.bootstrap import Services
from services.usecases.scope import Call, authorize, context, need_tenant, reading

KINDS = ("comment", "revision")


@dataclass(frozen=True)
class ReviewPage:
    threads: list[Any]
    subjects: list[tuple[str, str]]
    reviewer: bool  # may comment, ask for revisions and resolve
    can_answer: bool


async def threads(services: Services, actor: Actor) -> list[dict[str, Any]]:
    authorize(actor, Action.READ)
    async with reading(services, actor) as conn:
        rows = await queries.threads(conn)
    return [{k: (str(v) if isinstance(v, uuid.UUID) else v) for k, v in r.items()} for r in rows]


async def review_page(services: Services, actor: Actor) -> ReviewPage:
    """The threads (open ones first) and what a comment may be about."""
    authorize(actor, Action.READ)
    async with reading(services, actor) as conn:
        rows = await queries.threads(conn, open_first=True)
        subjects = await queries.subjects(conn)
    return ReviewPage(rows, subjects, may(actor, Action.REVIEW), may(actor, Action.ANSWER_REVIEW))


async def open_thread(
    services: Services,
    actor: Actor,
    call: Call,
    thread_id: uuid.UUID,
    subject: str,
    text: str,
    kind: str = "comment",
) -> uuid.UUID:
    """A reviewer's comment or revision request (``kind``) on an LAO of its province."""
    authorize(actor, Action.REVIEW)
    need_tenant(actor)
    thread = ReviewThread(thread_id)
    if kind == "revision":
        thread.request_revision(subject, text, actor.email, actor.org_code)
    else:
        thread.comment(subject, text, actor.email, actor.org_code)
    # A revision request's mail to the LAO's plan officers and executives is recorded with the
    # event, in its transaction (the inline "review" projection writes the review_mail
    # outbox); the worker sends it (services/workers/review_mail.py), never this request.
    await EventSourcedRepository(services.store).save(context(actor, call), thread)
    return thread.id


async def _load(services: Services, actor: Actor, thread_id: uuid.UUID) -> ReviewThread:
    need_tenant(actor)
    thread = await EventSourcedRepository(services.store).load(
        ReviewThread, actor.tenant_id, thread_id
    )
    if not thread.version:
        raise NotFound("ไม่พบความเห็นนี้")
    return thread


async def answer(
    services: Services, actor: Actor, call: Call, thread_id: uuid.UUID, text: str
) -> str:
    """The LAO answers a comment or revision request; its status after."""
    authorize(actor, Action.ANSWER_REVIEW)
    thread = await _load(services, actor, thread_id)
    thread.answer(text, actor.email)
    await EventSourcedRepository(services.store).save(context(actor, call), thread)
    return thread.status


async def resolve(
    services: Services, actor: Actor, call: Call, thread_id: uuid.UUID, note: str = ""
) -> str:
    """The reviewer closes a thread; its status after."""
    authorize(actor, Action.REVIEW)
    thread = await _load(services, actor, thread_id)
    thread.resolve(actor.email, note)
    await EventSourcedRepository(services.store).save(context(actor, call), thread)
    return thread.status
