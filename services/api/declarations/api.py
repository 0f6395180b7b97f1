"""/api/v1/declarations: draft, redraft, publish (the executive) and announce a declaration of
intent; read them."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Response, get, post, put
from litestar.di import NamedDependency as Dep
from litestar.params import FromPath, JSONBody

from domain.declarations.declaration import Channel
from services.api.edge import actor_of, api_call, new_aggregate_id
from services.api.state import Services
from services.api.v1 import schemas as s
from services.api.v1.auth import AnyRequest, Principal
from services.api.v1.common import PROBLEMS, written
from services.usecases import declarations as usecase


class DeclarationsController(Controller):
    path = "/api/v1/declarations"
    tags = ["declarations"]  # noqa: RUF012

    @get("/", responses=PROBLEMS)
    async def list_declarations(
        self, principal: Dep[Principal], services: Dep[Services]
    ) -> list[Any]:
        return await usecase.declarations(services, actor_of(principal))

    @get("/{declaration_id:uuid}", responses=PROBLEMS)
    async def get_declaration(
        self,
        declaration_id: FromPath[uuid.UUID],
        principal: Dep[Principal],
        services: Dep[Services],
    ) -> Response[Any]:
        view, version = await usecase.declaration(services, actor_of(principal), declaration_id)
        return Response(view, headers={"ETag": f'"{version}"'})

    @post("/", responses=PROBLEMS)
    async def draft(
        self,
        data: JSONBody[s.DeclarationIn],
        request: AnyRequest,
        principal: Dep[Principal],
        services: Dep[Services],
    ) -> Response[Any]:
        actor, call = actor_of(principal), await api_call(request)
        new = new_aggregate_id(actor, call)
        saved = await usecase.draft(services, actor, call, new, data.text, data.signers)
        return written(new, saved, 201)

    @put("/{declaration_id:uuid}", responses=PROBLEMS)
    async def redraft(
        self,
        declaration_id: FromPath[uuid.UUID],
        data: JSONBody[s.DeclarationIn],
        request: AnyRequest,
        principal: Dep[Principal],
        services: Dep[Services],
    ) -> Response[Any]:
        saved = await usecase.draft(
            services,
            actor_of(principal),
            await api_call(request),
            declaration_id,
            data.text,
            data.signers,
            existing=True,
        )
        return written(declaration_id, saved)

    @post("/{declaration_id:uuid}/publication", status_code=200, responses=PROBLEMS)
    async def publish(
        self,
        declaration_id: FromPath[uuid.UUID],
        data: JSONBody[s.PublishIn],
        request: AnyRequest,
        principal: Dep[Principal],
        services: Dep[Services],
    ) -> Response[Any]:
        saved = await usecase.publish(
            services,
            actor_of(principal),
            await api_call(request),
            declaration_id,
            data.on,
            document_sha=data.document,
        )
        return written(declaration_id, saved)

    @post("/{declaration_id:uuid}/announcements", status_code=200, responses=PROBLEMS)
    async def announce(
        self,
        declaration_id: FromPath[uuid.UUID],
        data: JSONBody[s.AnnounceIn],
        request: AnyRequest,
        principal: Dep[Principal],
        services: Dep[Services],
    ) -> Response[Any]:
        saved = await usecase.announce(
            services,
            actor_of(principal),
            await api_call(request),
            declaration_id,
            Channel(data.channel),
            data.on,
            data.detail,
            links=[(link.url, link.name) for link in data.links],
            files=data.files,
        )
        return written(declaration_id, saved)
