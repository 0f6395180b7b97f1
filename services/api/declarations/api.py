"""/api/v1/declarations: draft, redraft, publish (the executive) and announce a declaration of
intent; read them."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Response, get, post, put
from litestar.di import NamedDependency as Dep
from litestar.params import FromPath, JSONBody

from domain.declarations.declaration import Channel
from services.api.edge import Asked
from services.api.v1 import schemas as s
from services.api.v1.common import PROBLEMS, tagged, written
from services.usecases import declarations as usecase


class DeclarationsController(Controller):
    path = "/api/v1/declarations"
    tags = ["declarations"]  # noqa: RUF012

    @get("/", responses=PROBLEMS)
    async def list_declarations(self, asked: Dep[Asked]) -> list[Any]:
        return await asked.read(usecase.declarations)

    @get("/{declaration_id:uuid}", responses=PROBLEMS)
    async def get_declaration(
        self, declaration_id: FromPath[uuid.UUID], asked: Dep[Asked]
    ) -> Response[Any]:
        view, version = await asked.read(usecase.declaration, declaration_id)
        return tagged(view, version)

    @post("/", responses=PROBLEMS)
    async def draft(self, data: JSONBody[s.DeclarationIn], asked: Dep[Asked]) -> Response[Any]:
        new = asked.new_id()
        saved = await asked.write(usecase.draft, new, data.text, data.signers)
        return written(new, saved, 201)

    @put("/{declaration_id:uuid}", responses=PROBLEMS)
    async def redraft(
        self,
        declaration_id: FromPath[uuid.UUID],
        data: JSONBody[s.DeclarationIn],
        asked: Dep[Asked],
    ) -> Response[Any]:
        saved = await asked.write(
            usecase.draft, declaration_id, data.text, data.signers, existing=True
        )
        return written(declaration_id, saved)

    @post("/{declaration_id:uuid}/publication", status_code=200, responses=PROBLEMS)
    async def publish(
        self, declaration_id: FromPath[uuid.UUID], data: JSONBody[s.PublishIn], asked: Dep[Asked]
    ) -> Response[Any]:
        saved = await asked.write(
            usecase.publish, declaration_id, data.on, document_sha=data.document
        )
        return written(declaration_id, saved)

    @post("/{declaration_id:uuid}/announcements", status_code=200, responses=PROBLEMS)
    async def announce(
        self, declaration_id: FromPath[uuid.UUID], data: JSONBody[s.AnnounceIn], asked: Dep[Asked]
    ) -> Response[Any]:
        links = [(link.url, link.name) for link in data.links]
        saved = await asked.write(
            usecase.announce,
            declaration_id,
            Channel(data.channel),
            data.on,
            data.detail,
            links=links,
            files=data.files,
        )
        return written(declaration_id, saved)
