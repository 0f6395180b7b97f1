"""The review page of an LAO: the provincial office's comments and revision requests; the
reviewer writes them (reading the LAO), the LAO answers, the reviewer resolves."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, get, post
from litestar.di import NamedDependency as Dep
from litestar.params import FromPath
from litestar.response import Redirect, Template

from domain.shared.access import Action, may
from domain.shared.errors import DomainError, NotFound
from infra.auth.sessions import Session
from services.api.edge import actor_of_session, form_call, new_aggregate_id
from services.api.pages.common import AnyRequest, not_found, org_of, page, posted, text
from services.api.state import Services
from services.usecases import reviews as usecase


class ReviewPages(Controller):
    path = "/t/{org_code:str}/reviews"
    include_in_schema = False

    async def _render(
        self, services: Services, viewer: Session, code: str, status: int = 200, **extra: Any
    ) -> Template:
        org = await org_of(services, code)
        shown = await usecase.review_page(services, actor_of_session(viewer))
        return page(
            "reviews.html",
            status,
            session=viewer,
            org=org,
            title="ความเห็นและคำขอแก้ไข",
            threads=shown.threads,
            subjects=shown.subjects,
            reviewer=shown.reviewer,
            can_answer=shown.can_answer,
            form=extra.pop("form", {}),
            **extra,
        )

    @get("/")
    async def show(
        self, org_code: FromPath[str], viewer: Dep[Session], services: Dep[Services]
    ) -> Template:
        if viewer.scope == "operator":
            return not_found()
        return await self._render(services, viewer, org_code)

    @post("/", status_code=200)
    async def create(
        self,
        org_code: FromPath[str],
        request: AnyRequest,
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Template | Redirect:
        form = await posted(request, viewer)
        actor = actor_of_session(viewer)
        if not may(actor, Action.REVIEW):
            return not_found()
        typed = {k: text(form, k, 5000) for k in ("subject", "text", "kind")}
        call = form_call(form, "review")
        try:
            await usecase.open_thread(
                services,
                actor,
                call,
                new_aggregate_id(actor, call),
                typed["subject"],
                typed["text"],
                "revision" if typed["kind"] == "revision" else "comment",
            )
        except DomainError as e:
            return await self._render(
                services,
                viewer,
                org_code,
                400,
                form=typed,
                errors={str(e.details.get("field", "text")): e.message},
            )
        return Redirect(f"/t/{org_code}/reviews", status_code=303)

    @post("/{thread_id:uuid}", status_code=200)
    async def act(
        self,
        org_code: FromPath[str],
        thread_id: FromPath[uuid.UUID],
        request: AnyRequest,
        viewer: Dep[Session],
        services: Dep[Services],
    ) -> Template | Redirect:
        form = await posted(request, viewer)
        action = text(form, "action", 20)
        actor = actor_of_session(viewer)
        allowed = {"answer": Action.ANSWER_REVIEW, "resolve": Action.REVIEW}.get(action)
        if allowed is None or not may(actor, allowed):
            return not_found()
        act = usecase.answer if action == "answer" else usecase.resolve
        try:
            await act(
                services,
                actor,
                form_call(form, f"review:{action}"),
                thread_id,
                text(form, "text", 5000),
            )
        except NotFound:
            return not_found()
        except DomainError as e:
            return await self._render(
                services, viewer, org_code, 400, errors={f"text-{thread_id}": e.message}
            )
        return Redirect(f"/t/{org_code}/reviews", status_code=303)
