"""/api/v1/operator: the register of LAOs (preview and apply an import, add one) and the
onboarding funnel, for the operator's programs (the same use cases as the console's pages)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, get, post
from litestar.di import NamedDependency as Dep
from litestar.params import JSONBody

from domain.shared.access import Actor
from domain.tenancy.organisations import RegisterChanges
from services.api.console.schemas import LaoIn, RegisterIn, WithdrawIn
from services.api.pages.common import AnyRequest
from services.api.state import Services
from services.api.v1.common import LIMITED, PROBLEMS
from services.usecases import members
from services.usecases import register as usecase


def changes_json(changes: RegisterChanges) -> dict[str, Any]:
    return {
        "added": [o.code for o in changes.added],
        "changed": [
            {"code": c.code, "fields": [list(f) for f in c.fields]} for c in changes.changed
        ],
        "unchanged": changes.unchanged,
        "problems": list(changes.problems),
        "seen": usecase.fingerprint(changes),
    }


class ConsoleController(Controller):
    path = "/api/v1/operator"
    tags = ["operator"]  # noqa: RUF012

    @get("/funnel", responses=PROBLEMS)
    async def funnel(self, actor: Dep[Actor], services: Dep[Services]) -> list[dict[str, Any]]:
        """Per province: LAOs, first executives invited and joined, plans drafted and
        promulgated, declarations published."""
        return await usecase.funnel(services, actor)

    @post("/register/preview", status_code=200, responses=PROBLEMS)
    async def preview(
        self, data: JSONBody[RegisterIn], actor: Dep[Actor], services: Dep[Services]
    ) -> dict[str, Any]:
        """What importing the CSV would add, change (field by field) and leave; its problems."""
        return changes_json(await usecase.preview(services, actor, data.csv))

    @post("/register", status_code=200, responses=PROBLEMS)
    async def apply(
        self, data: JSONBody[RegisterIn], actor: Dep[Actor], services: Dep[Services]
    ) -> dict[str, Any]:
        """Import exactly what the preview showed (``seen``); 409 if the register changed."""
        return changes_json(await usecase.apply(services, actor, data.csv, data.seen))

    @post("/laos", status_code=201, responses=PROBLEMS)
    async def add_lao(
        self, data: LaoIn, actor: Dep[Actor], services: Dep[Services]
    ) -> dict[str, Any]:
        """Add one LAO (a new code; 409 for a known one: changes go through the preview)."""
        fields = {k: str(v) for k, v in asdict_of(data).items()}
        lao = await usecase.add_lao(services, actor, fields)
        return {"id": str(lao.id), "code": lao.code, "name_th": lao.name_th}

    @post("/invitations/withdraw", status_code=204, responses=PROBLEMS)
    async def withdraw(
        self, data: JSONBody[WithdrawIn], actor: Dep[Actor], services: Dep[Services]
    ) -> None:
        """Withdraw an invitation not yet taken (an LAO's first executive, or a reviewer)."""
        await members.withdraw(services, actor, data.org, data.email)

    @get("/invitations/pending", responses=PROBLEMS)
    async def pending(self, actor: Dep[Actor], services: Dep[Services]) -> list[dict[str, Any]]:
        """The invitations the operator sent not yet taken nor withdrawn, with their expiry."""
        return await members.pending_invitations(services, actor)

    @post("/invitations/resend", status_code=204, responses=LIMITED)
    async def resend(
        self,
        data: JSONBody[WithdrawIn],
        actor: Dep[Actor],
        services: Dep[Services],
        request: AnyRequest,
    ) -> None:
        """Send a pending invitation again: a new link and mail; the old link stops working
        (limited like an invitation)."""
        ip = request.client.host if request.client else ""
        await members.resend_onboarding(services, actor, data.org, data.email, ip=ip)


def asdict_of(data: LaoIn) -> dict[str, Any]:
    return {f: getattr(data, f) for f in data.__struct_fields__}
