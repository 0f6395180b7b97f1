"""The review page of an LAO: the provincial office's comments and revision requests; the
reviewer writes them (reading the LAO), the LAO answers, the reviewer resolves."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, get, post
from litestar.di import NamedDependency as Dep
from litestar.params import FromPath
from litestar.response import Redirect, Template

from domain.shared.errors import DomainError
from infra.auth.sessions import Session
from services.api.pages.common import AnyRequest, not_found, org_of, page, posted, text
from services.api.state import Services
from services.api.v1.auth import WRITE_ROLES, principal_of
from services.api.v1.reviews import ReviewIn, _act, review_thread

SUBJECT_KINDS = ("plan", "item", "declaration", "report")


class ReviewPages(Controller):
    path = "/t/{org_code:str}/reviews"
    include_in_schema = False

    async def _render(
        self, services: Services, viewer: Session, code: str, status: int = 200, **extra: Any
    ) -> Template:
        org = await org_of(services, code)
        p = principal_of(viewer)
        async with p.reading(services) as conn:
            threads = await conn.fetch(
                "SELECT * FROM review_threads ORDER BY (status IN ('open', 'answered')) DESC, "
                "requested_at DESC"
            )
            plans = await conn.fetch("SELECT plan_id, summary->>'title' AS title FROM plan_views")
            items = await conn.fetch(
                "SELECT item_id, number, registered_name FROM item_views ORDER BY sort_key"
            )
        subjects = [(f"plan:{r['plan_id']}", f"แผน: {r['title']}") for r in plans] + [
            (f"item:{r['item_id']}", f"{r['number']} {r['registered_name']}") for r in items
        ]
        return page(
            "reviews.html",
            status,
            session=viewer,
            org=org,
            title="ความเห็นและคำขอแก้ไข",
            threads=threads,
            subjects=subjects,
            reviewer=viewer.role == "reviewer",
            can_answer=viewer.role in WRITE_ROLES,
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
        if viewer.role != "reviewer":
            return not_found()
        typed = {k: text(form, k, 5000) for k in ("subject", "text", "kind")}
        try:
            await review_thread(
                services,
                principal_of(viewer),
                request,
                ReviewIn(
                    subject=typed["subject"],
                    text=typed["text"],
                    kind="revision" if typed["kind"] == "revision" else "comment",
                ),
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
        p = principal_of(viewer)
        if action == "answer" and viewer.role not in WRITE_ROLES:
            return not_found()
        if action == "resolve" and viewer.role != "reviewer":
            return not_found()
        if action not in ("answer", "resolve"):
            return not_found()
        try:
            await _act(services, p, thread_id, action, text(form, "text", 5000))
        except DomainError as e:
            return await self._render(
                services, viewer, org_code, 400, errors={f"text-{thread_id}": e.message}
            )
        except Exception as e:
            if getattr(e, "status_code", 0) == 404:
                return not_found()
            raise
        return Redirect(f"/t/{org_code}/reviews", status_code=303)


PAGES = (ReviewPages,)
