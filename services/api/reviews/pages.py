"""The review page of an LAO: the provincial office's comments and revision requests; the
reviewer writes them (reading the LAO), the LAO answers, the reviewer resolves."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import get, post
from litestar.di import NamedDependency as Dep
from litestar.params import FromPath
from litestar.response import Redirect, Template

from domain.shared.access import Action, may
from domain.shared.errors import DomainError, NotFound
from services.api.edge import form_call, new_aggregate_id
from services.api.pages.common import not_found, text, view_context
from services.api.pages.visit import OrgPages, Visit, attempt
from services.usecases import reviews as usecase


class ReviewPages(OrgPages):
    path = "/t/{org_code:str}/reviews"

    async def _render(self, visit: Visit, status: int = 200, **extra: Any) -> Template:
        shown = await usecase.review_page(visit.services, visit.actor)
        return visit.render(
            "reviews.html",
            status,
            title="ความเห็นและคำขอแก้ไข",
            form=extra.pop("form", {}),
            **view_context(shown),
            **extra,
        )

    @get("/")
    async def show(self, visit: Dep[Visit]) -> Template:
        if visit.viewer.scope == "operator":
            return not_found()
        return await self._render(visit)

    @post("/", status_code=200)
    async def create(self, visit: Dep[Visit]) -> Template | Redirect:
        form = await visit.form()
        actor = visit.actor
        if not may(actor, Action.REVIEW):
            return not_found()
        typed = {k: text(form, k, 5000) for k in ("subject", "text", "kind")}
        call = form_call(form, "review")
        kind = "revision" if typed["kind"] == "revision" else "comment"
        errors: dict[str, str] = {}
        opened = usecase.open_thread(
            visit.services,
            actor,
            call,
            new_aggregate_id(actor, call),
            typed["subject"],
            typed["text"],
            kind,
        )
        if not await attempt(opened, errors, "text"):
            return await self._render(visit, 400, form=typed, errors=errors)
        return visit.see_other("/reviews")

    @post("/{thread_id:uuid}", status_code=200)
    async def act(self, visit: Dep[Visit], thread_id: FromPath[uuid.UUID]) -> Template | Redirect:
        form = await visit.form()
        action = text(form, "action", 20)
        actor = visit.actor
        allowed = {"answer": Action.ANSWER_REVIEW, "resolve": Action.REVIEW}.get(action)
        if allowed is None or not may(actor, allowed):
            return not_found()
        act = usecase.answer if action == "answer" else usecase.resolve
        call = form_call(form, f"review:{action}")
        try:
            await act(visit.services, actor, call, thread_id, text(form, "text", 5000))
        except NotFound:
            return not_found()
        except DomainError as e:
            return await self._render(visit, 400, errors={f"text-{thread_id}": e.message})
        return visit.see_other("/reviews")
