"""The LAO's profile for e-PlanNACC: read by every member, set by the executive and the plan
officer (as the plan is)."""

from __future__ import annotations

from domain.shared.access import Action, Actor
from domain.shared.ports import Saved
from domain.tenancy.profile import LaoProfile, LaoProfileSet, profile_stream_id
from infra.repository import EventSourcedRepository
from services.usecases.bootstrap import Services
from services.usecases.scope import Call, authorize, context, need_tenant


async def profile(services: Services, actor: Actor) -> tuple[LaoProfileSet, int]:
    authorize(actor, Action.READ)
    need_tenant(actor)
    agg = await EventSourcedRepository(services.store).load(
        LaoProfile, actor.tenant_id, profile_stream_id(actor.tenant_id)
    )
    return agg.profile, agg.version


async def set_profile(services: Services, actor: Actor, call: Call, p: LaoProfileSet) -> Saved:
    authorize(actor, Action.EDIT_PLAN)
    need_tenant(actor)
    repo = EventSourcedRepository(services.store)
    ctx = context(actor, call)
    if (prior := await repo.prior(ctx)) is not None:
        return prior
    agg = await repo.load(LaoProfile, actor.tenant_id, profile_stream_id(actor.tenant_id))
    agg.set(p)
    return await repo.save(ctx, agg)
