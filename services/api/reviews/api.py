"""/api/v1/reviews: the provincial reviewer comments on an LAO's plan, items or reports and
requests revisions; the LAO answers; the reviewer resolves. Events in the LAO's log."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, get, post
from litestar.di import NamedDependency as Dep
from litestar.params import FromPath, JSONBody

from services.api.edge import Asked
from services.api.reviews.schemas import AnswerIn, ResolveIn, ReviewIn
from services.api.v1.common import PROBLEMS
from services.usecases import reviews as usecase


def _thread(thread_id: uuid.UUID, status: str) -> dict[str, str]:
    """A thread as an answer or a resolution leaves it: its id and its status."""
    return {"id": str(thread_id), "status": status}


class ReviewsController(Controller):
    path = "/api/v1/reviews"
    tags = ["reviews"]  # noqa: RUF012

    @get("/", responses=PROBLEMS)
    async def list_reviews(self, asked: Dep[Asked]) -> list[dict[str, Any]]:
        return await asked.read(usecase.threads)

    @post("/", status_code=201, responses=PROBLEMS)
    async def create(self, data: JSONBody[ReviewIn], asked: Dep[Asked]) -> dict[str, str]:
        thread = await asked.write(
            usecase.open_thread, asked.new_id(), data.subject, data.text, data.kind
        )
        return {"id": str(thread)}

    @post("/{thread_id:uuid}/answer", status_code=200, responses=PROBLEMS)
    async def answer(
        self, thread_id: FromPath[uuid.UUID], data: JSONBody[AnswerIn], asked: Dep[Asked]
    ) -> dict[str, str]:
        return _thread(thread_id, await asked.write(usecase.answer, thread_id, data.text))

    @post("/{thread_id:uuid}/resolution", status_code=200, responses=PROBLEMS)
    async def resolve(
        self, thread_id: FromPath[uuid.UUID], data: JSONBody[ResolveIn], asked: Dep[Asked]
    ) -> dict[str, str]:
        return _thread(thread_id, await asked.write(usecase.resolve, thread_id, data.note))
