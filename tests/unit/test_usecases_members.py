"""The members', accounts' and reminders' use cases ask the access rules first: a role that may
not act is refused (Forbidden) whatever it sent, before anything is read or validated."""

from __future__ import annotations

import uuid
from typing import Any, cast

import pytest

from domain.shared.access import NIL, Actor, Forbidden
from services.usecases import members, reminders
from services.usecases.bootstrap import Services

LAO = uuid.uuid4()


class Untouched:
    """Services that must not be used: any attribute fails the test."""

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"services.{name} used before the access rules said no")


NOBODY = cast(Services, Untouched())


def member(role: str) -> Actor:
    return Actor(role, "lao", LAO, "6470101", f"{role}@x.org", uuid.uuid4(), org_code="6470101")


REVIEWER = Actor(
    "reviewer", "office", LAO, "6470101", "r@x.org", uuid.uuid4(), province="47", org_code="po-47"
)
OPERATOR = Actor("operator", "operator", NIL, "", "op@x.org", uuid.uuid4(), org_code="operator")
GARBAGE = "<script>not-an-email"


@pytest.mark.parametrize("actor", [member("viewer"), member("staff"), REVIEWER])
async def test_only_the_member_administrator_invites_changes_and_lists(actor: Actor) -> None:
    with pytest.raises(Forbidden):
        await members.invite(NOBODY, actor, GARBAGE, "", "no-such-role")
    with pytest.raises(Forbidden):
        await members.change_member(NOBODY, actor, uuid.uuid4(), "no-such-change")
    with pytest.raises(Forbidden):
        await members.members_of(NOBODY, actor)


@pytest.mark.parametrize("actor", [member("plan_officer"), member("executive"), REVIEWER])
async def test_only_the_operator_onboards(actor: Actor) -> None:
    with pytest.raises(Forbidden):
        await members.onboard(NOBODY, actor, "nowhere", GARBAGE, "", "")


@pytest.mark.parametrize("actor", [REVIEWER, OPERATOR])
async def test_api_tokens_are_an_lao_member_s_own(actor: Actor) -> None:
    for call in (
        members.own_tokens(NOBODY, actor),
        members.create_own_token(NOBODY, actor, ""),
        members.revoke_own_token(NOBODY, actor, uuid.uuid4()),
    ):
        with pytest.raises(Forbidden):
            await call


def test_an_invitation_lists_every_missing_field_role_first() -> None:
    from domain.tenancy.members import Scope
    from infra.auth.orgs import Org

    lao = Org("6470101", Scope.LAO, "อบต.", LAO, "47")
    errors = members.invitation_errors(lao, "", " ", "")
    assert list(errors) == ["role", "name", "email"]
    assert errors["role"] == "กรุณาเลือกบทบาท"
    assert members.invitation_errors(lao, "a@x.org", "ก", "staff") == {}
    assert "reviewer" in members.invitation_errors(lao, "a@x.org", "ก", "reviewer")["role"]
    with pytest.raises(members.InvalidInvitation) as e:
        raise members.InvalidInvitation(errors)
    assert e.value.details == {"field": "role"} and e.value.code == "invalid-member"


@pytest.mark.parametrize("actor", [member("plan_officer"), member("staff"), REVIEWER, OPERATOR])
async def test_only_the_executive_sets_the_reminder_policy_whatever_was_typed(
    actor: Actor,
) -> None:
    typed = dict.fromkeys(reminders.POLICY_FIELDS, "x")
    with pytest.raises(Forbidden):
        await reminders.set_policy(NOBODY, actor, typed)


async def test_a_reviewer_chooses_no_reminders_in_an_lao() -> None:
    with pytest.raises(Forbidden):
        await reminders.set_preference(NOBODY, REVIEWER, "never", 99)


def test_a_typed_policy_is_read_or_refused() -> None:
    from domain.reminders.policy import InvalidPolicy

    typed = {
        "before_days": "10, 3",
        "overdue_every_days": "",
        "escalate_after_days": "",
        "province_after_days": "30",
    }
    policy = reminders.policy_of(typed)
    assert policy.before_days == (10, 3) and policy.province_after_days == 30
    with pytest.raises(InvalidPolicy):
        reminders.policy_of({**typed, "before_days": "x"})
    with pytest.raises(InvalidPolicy):
        reminders.policy_of({**typed, "before_days": "0"})
