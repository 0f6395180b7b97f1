"""Reminders: a member's delivery choice and what was sent to them; the executive's policy for
the LAO; the operator's list of reminders that failed for good."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from domain.reminders.policy import InvalidPolicy, Policy
from domain.shared.access import Action, Actor
from domain.shared.errors import DomainError
from infra.queries import reminders as queries
from services.usecases.bootstrap import Services
from services.usecases.scope import authorize, reading, writing

MODES = ("immediate", "daily")
POLICY_FIELDS = ("before_days", "overdue_every_days", "escalate_after_days", "province_after_days")


class InvalidPreference(DomainError):
    code = "invalid-reminder-preference"
    status = 422


@dataclass(frozen=True)
class MyReminders:
    sent: list[Any]
    mode: str
    hour: int
    policy: Policy


def _policy(raw: Any) -> Policy:
    if not raw:
        return Policy()
    data = json.loads(raw) if isinstance(raw, str) else dict(raw)
    return Policy(**{**data, "before_days": tuple(data["before_days"])})


async def my_reminders(services: Services, actor: Actor) -> MyReminders:
    authorize(actor, Action.READ)
    async with reading(services, actor) as conn:
        sent = await queries.sent_to(conn, actor.email)
        pref = await queries.preference(conn, actor.account_id)
        raw = await queries.policy(conn)
    return MyReminders(
        sent,
        pref["mode"] if pref else "immediate",
        pref["hour"] if pref else 7,
        _policy(raw),
    )


async def set_preference(services: Services, actor: Actor, mode: str, hour: int) -> None:
    """Immediate reminders or a daily digest at an hour (0-23), for the actor in its LAO."""
    authorize(actor, Action.OWN_ACCOUNT)  # a reviewer reading an LAO: refused
    if mode not in MODES or not 0 <= hour <= 23:
        raise InvalidPreference("เลือกรูปแบบการรับ และเวลา 0 ถึง 23 นาฬิกา", field="mode")
    async with writing(services, actor, Action.OWN_ACCOUNT) as conn:
        await conn.execute(
            "INSERT INTO reminder_preferences (tenant_id, account_id, mode, hour) "
            "VALUES ($1, $2, $3, $4) ON CONFLICT (tenant_id, account_id) DO UPDATE SET "
            "mode = EXCLUDED.mode, hour = EXCLUDED.hour",
            actor.tenant_id,
            actor.account_id,
            mode,
            hour,
        )


def policy_of(typed: Mapping[str, str]) -> Policy:
    """The policy as typed in the form's fields (``POLICY_FIELDS``); ``InvalidPolicy`` says
    what is wrong."""
    try:
        before = tuple(int(x) for x in typed["before_days"].replace(" ", "").split(",") if x)
        province = typed["province_after_days"]
        return Policy(
            before_days=before,
            overdue_every_days=int(typed["overdue_every_days"] or 0),
            escalate_after_days=int(typed["escalate_after_days"] or 14),
            province_after_days=int(province) if province else None,
        )
    except ValueError as e:
        raise InvalidPolicy("กรอกเป็นตัวเลข เช่น 14,7,1", field="before_days") from e


async def set_policy(services: Services, actor: Actor, policy: Policy | Mapping[str, str]) -> None:
    """The LAO's reminder policy (the executive's), given as a ``Policy`` or as typed."""
    authorize(actor, Action.SET_REMINDER_POLICY)  # before reading what was typed
    chosen = policy if isinstance(policy, Policy) else policy_of(policy)
    async with writing(services, actor, Action.SET_REMINDER_POLICY) as conn:
        await conn.execute(
            "INSERT INTO reminder_policies (tenant_id, policy, changed_by, changed_at) "
            "VALUES ($1, $2, $3, $4) ON CONFLICT (tenant_id) DO UPDATE SET "
            "policy = EXCLUDED.policy, changed_by = EXCLUDED.changed_by, "
            "changed_at = EXCLUDED.changed_at",
            actor.tenant_id,
            {**asdict(chosen), "before_days": list(chosen.before_days)},
            actor.email,
            services.clock.now(),
        )


async def failed_reminders(services: Services, actor: Actor) -> list[Any]:
    """Reminders that failed for good, for the operator."""
    authorize(actor, Action.OPERATE)
    async with services.db.acquire() as conn, conn.transaction(readonly=True):
        await conn.execute("SELECT set_config('app.scope', 'operator', true)")
        return await queries.failed(conn)
