"""/api/v1/reviews: the provincial reviewer comments on an LAO's plan, items or reports and
requests revisions; the LAO answers; the reviewer resolves. Events in the LAO's log."""

from __future__ import annotations

import logging
import uuid
from typing import Any, Literal

from litestar import Controller, get, post
from litestar.di import NamedDependency as Dep
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromPath, JSONBody
from msgspec import Struct

from domain.review.thread import ReviewThread
from domain.shared.ports import Context
from infra.auth.orgs import find_org, org_transaction
from infra.email import Mail, send
from infra.repository import EventSourcedRepository
from services.api.state import Services
from services.api.v1.auth import WRITE_ROLES, AnyRequest, Principal
from services.api.v1.common import PROBLEMS

log = logging.getLogger("sujarit.reviews")


class ReviewIn(Struct, forbid_unknown_fields=True, kw_only=True):
    subject: str  # plan:<id>, item:<id>, declaration:<id> or report:<fiscal year>-<6|12>
    text: str
    kind: Literal["comment", "revision"] = "comment"


class AnswerIn(Struct, forbid_unknown_fields=True, kw_only=True):
    text: str


class ResolveIn(Struct, forbid_unknown_fields=True, kw_only=True):
    note: str = ""


async def review_thread(
    services: Services, principal: Principal, request: AnyRequest, body: ReviewIn
) -> uuid.UUID:
    """A reviewer's comment or revision request on an LAO of its province."""
    if principal.role != "reviewer":
        raise PermissionDeniedException("เฉพาะผู้ตรวจติดตามของจังหวัด")
    principal.need_tenant()
    thread = ReviewThread(principal.new_id(request))
    if body.kind == "revision":
        thread.request_revision(body.subject, body.text, principal.actor, principal.org_code)
    else:
        thread.comment(body.subject, body.text, principal.actor, principal.org_code)
    await EventSourcedRepository(services.store).save(
        Context(principal.tenant_id, principal.actor), thread
    )
    if body.kind == "revision":
        await _notify(services, principal, body)
    return thread.id


async def _notify(services: Services, principal: Principal, body: ReviewIn) -> None:
    """Email the LAO's plan officers and executives: a revision was asked for."""
    async with services.db.acquire() as conn:
        org = await find_org(conn, principal.tenant_code)
    if org is None:
        return
    async with org_transaction(services.db, org, readonly=True) as conn:
        people = await conn.fetch(
            "SELECT email, name FROM members WHERE status = 'active' "
            "AND role IN ('plan_officer', 'executive')"
        )
    link = f"{services.settings.base_url}/t/{org.code}/reviews"
    for p in people:
        mail = Mail(
            to=p["email"],
            subject=f"[สุจริต] สถจ. ขอให้แก้ไข — {org.name}",
            text=f"เรียน {p['name']}\n\nสำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดขอให้แก้ไข:\n\n"
            f"{body.text}\n\nตอบหรือดูรายละเอียดได้ที่ {link}",
        )
        try:
            await send(services.settings, mail)
        except OSError as exc:  # the request stands; the LAO sees it on its task list
            log.warning("revision email to %s failed: %s", p["email"], exc)


class ReviewsController(Controller):
    path = "/api/v1/reviews"
    tags = ["reviews"]  # noqa: RUF012

    @get("/", responses=PROBLEMS)
    async def list_reviews(
        self, principal: Dep[Principal], services: Dep[Services]
    ) -> list[dict[str, Any]]:
        async with principal.reading(services) as conn:
            rows = await conn.fetch("SELECT * FROM review_threads ORDER BY requested_at DESC")
        return [
            {k: (str(v) if isinstance(v, uuid.UUID) else v) for k, v in dict(r).items()}
            for r in rows
        ]

    @post("/", status_code=201, responses=PROBLEMS)
    async def create(
        self,
        data: JSONBody[ReviewIn],
        request: AnyRequest,
        principal: Dep[Principal],
        services: Dep[Services],
    ) -> dict[str, str]:
        return {"id": str(await review_thread(services, principal, request, data))}

    @post("/{thread_id:uuid}/answer", status_code=200, responses=PROBLEMS)
    async def answer(
        self,
        thread_id: FromPath[uuid.UUID],
        data: JSONBody[AnswerIn],
        principal: Dep[Principal],
        services: Dep[Services],
    ) -> dict[str, str]:
        principal.require(WRITE_ROLES)
        return await _act(services, principal, thread_id, "answer", data.text)

    @post("/{thread_id:uuid}/resolution", status_code=200, responses=PROBLEMS)
    async def resolve(
        self,
        thread_id: FromPath[uuid.UUID],
        data: JSONBody[ResolveIn],
        principal: Dep[Principal],
        services: Dep[Services],
    ) -> dict[str, str]:
        if principal.role != "reviewer":
            raise PermissionDeniedException("เฉพาะผู้ตรวจติดตามของจังหวัด")
        principal.need_tenant()
        return await _act(services, principal, thread_id, "resolve", data.note)


async def _act(
    services: Services, principal: Principal, thread_id: uuid.UUID, action: str, text: str
) -> dict[str, str]:
    repo = EventSourcedRepository(services.store)
    thread = await repo.load(ReviewThread, principal.tenant_id, thread_id)
    if not thread.version:
        raise NotFoundException("ไม่พบความเห็นนี้")
    if action == "answer":
        thread.answer(text, principal.actor)
    else:
        thread.resolve(principal.actor, text)
    await repo.save(Context(principal.tenant_id, principal.actor), thread)
    return {"id": str(thread_id), "status": thread.status}
