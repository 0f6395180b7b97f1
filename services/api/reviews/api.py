"""/api/v1/reviews: the provincial reviewer comments on an LAO's plan, items or reports and
requests revisions; the LAO answers; the reviewer resolves. Events in the LAO's log."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, get, post
from litestar.di import NamedDependency as Dep
from litestar.params import FromPath, JSONBody

from services.api.edge import actor_of, api_call, new_aggregate_id
from services.api.reviews.schemas import AnswerIn, ResolveIn, ReviewIn
from services.api.state import Services
from services.api.v1.auth import AnyRequest, Principal
from services.api.v1.common import PROBLEMS
from services.usecases import reviews as usecase


class ReviewsController(Controller):
    path = "/api/v1/reviews"
    tags = ["reviews"]  # noqa: RUF012

    @get("/", responses=PROBLEMS)
    async def list_reviews(
        self, principal: Dep[Principal], services: Dep[Services]
    ) -> list[dict[str, Any]]:
        return await usecase.threads(services, actor_of(principal))

    @post("/", status_code=201, responses=PROBLEMS)
    async def create(
        self,
        data: JSONBody[ReviewIn],
        request: AnyRequest,
        principal: Dep[Principal],
        services: Dep[Services],
    ) -> dict[str, str]:
        actor, call = actor_of(principal), await api_call(request)
        thread = await usecase.open_thread(
            services,
            actor,
            call,
            new_aggregate_id(actor, call),
            data.subject,
            data.text,
            data.kind,
        )
        return {"id": str(thread)}

    @post("/{thread_id:uuid}/answer", status_code=200, responses=PROBLEMS)
    async def answer(
        self,
        thread_id: FromPath[uuid.UUID],
        data: JSONBody[AnswerIn],
        request: AnyRequest,
        principal: Dep[Principal],
        services: Dep[Services],
    ) -> dict[str, str]:
        status = await usecase.answer(
            services, actor_of(principal), await api_call(request), thread_id, data.text
        )
        return {"id": str(thread_id), "status": status}

    @post("/{thread_id:uuid}/resolution", status_code=200, responses=PROBLEMS)
    async def resolve(
        self,
        thread_id: FromPath[uuid.UUID],
        data: JSONBody[ResolveIn],
        request: AnyRequest,
        principal: Dep[Principal],
        services: Dep[Services],
    ) -> dict[str, str]:
        status = await usecase.resolve(
            services, actor_of(principal), await api_call(request), thread_id, data.note
        )
        return {"id": str(thread_id), "status": status}
