"""Reminders: a member's delivery choice and what was sent to them; the executive's policy for
the LAO; the operator's list of reminders that failed for good."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from domain.reminders.policy import Policy
from domain.shared.access import Action, Actor
from domain.shared.errors import DomainError
from services.usecases.bootstrap import Services
from services.usecases.scope import authorize, reading, writing

MODES = ("immediate", "daily")


class InvalidPreference(DomainError):
    code = "invalid-reminder-preference"
    status = 422


@dataclass(frozen=True)
class MyReminders:
    sent: list[Any]
    mode: str
    hour: int
    policy: Policy


def _policy(raw: str | None) -> Policy:
    if not raw:
        return Policy()
    data = json.loads(raw)
    return Policy(**{**data, "before_days": tuple(data["before_days"])})


async def my_reminders(services: Services, actor: Actor) -> MyReminders:
    authorize(actor, Action.READ)
    async with reading(services, actor) as conn:
        sent = await conn.fetch(
            "SELECT subject, due_date, kind, sent_at, detail FROM reminder_claims "
            "WHERE recipient = $1 AND status = 'sent' ORDER BY sent_at DESC LIMIT 100",
            actor.email,
        )
        pref = await conn.fetchrow(
            "SELECT mode, hour FROM reminder_preferences WHERE account_id = $1",
            actor.account_id,
        )
        raw = await conn.fetchval("SELECT policy FROM reminder_policies")
    return MyReminders(
        list(sent),
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


async def set_policy(services: Services, actor: Actor, policy: Policy) -> None:
    """The LAO's reminder policy (the executive's)."""
    async with writing(services, actor, Action.SET_REMINDER_POLICY) as conn:
        await conn.execute(
            "INSERT INTO reminder_policies (tenant_id, policy, changed_by, changed_at) "
            "VALUES ($1, $2, $3, $4) ON CONFLICT (tenant_id) DO UPDATE SET "
            "policy = EXCLUDED.policy, changed_by = EXCLUDED.changed_by, "
            "changed_at = EXCLUDED.changed_at",
            actor.tenant_id,
            {**asdict(policy), "before_days": list(policy.before_days)},
            actor.email,
            services.clock.now(),
        )


async def failed_reminders(services: Services, actor: Actor) -> list[Any]:
    """Reminders that failed for good, for the operator."""
    authorize(actor, Action.OPERATE)
    async with services.db.acquire() as conn, conn.transaction(readonly=True):
        await conn.execute("SELECT set_config('app.scope', 'operator', true)")
        return list(await conn.fetch("SELECT * FROM app_failed_reminders()"))
