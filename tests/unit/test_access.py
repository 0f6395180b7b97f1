"""The access rules as a table: every role x every action, in the actor's own LAO, in another
LAO, and for a provincial reviewer in and out of its province."""

from __future__ import annotations

import uuid

import pytest

from domain.shared.access import (
    NIL,
    ROLES,
    Action,
    Actor,
    Forbidden,
    Target,
    assigned,
    may,
    require,
)

OWN = uuid.uuid4()
OTHER = uuid.uuid4()
A = Action

# role -> the actions it may do in its own organisation (an LAO member in its LAO; a reviewer
# in an LAO of its province; the operator on its console). Everything else is refused.
TABLE: dict[str, set[Action]] = {
    "executive": {
        A.READ, A.EDIT_PLAN, A.PROMULGATE_PLAN, A.RECORD_PROGRESS, A.EDIT_DECLARATION,
        A.PUBLISH_DECLARATION, A.KEEP_REGISTERS, A.IMPORT_DOCUMENTS, A.WRITE_REPORTS,
        A.ANSWER_REVIEW, A.OWN_ACCOUNT, A.SET_REMINDER_POLICY,
    },
    "plan_officer": {
        A.READ, A.EDIT_PLAN, A.RECORD_PROGRESS, A.EDIT_DECLARATION, A.KEEP_REGISTERS,
        A.IMPORT_DOCUMENTS, A.WRITE_REPORTS, A.ANSWER_REVIEW, A.MANAGE_MEMBERS, A.OWN_ACCOUNT,
    },
    "staff": {A.READ, A.RECORD_PROGRESS, A.OWN_ACCOUNT},
    "viewer": {A.READ, A.OWN_ACCOUNT},
    "reviewer": {A.READ, A.REVIEW},
    "operator": {A.READ_NATIONAL, A.MANAGE_MEMBERS, A.OPERATE, A.OWN_ACCOUNT},
}  # fmt: skip


def actor(role: str) -> Actor:
    if role == "reviewer":
        return Actor(role, "office", OWN, "6470101", "r@po.example", province="47")
    if role == "operator":
        return Actor(role, "operator", NIL, "", "op@example")
    return Actor(role, "lao", OWN, "6470101", f"{role}@lao.example", name="สมชาย ใจดี")


def own_target(role: str) -> Target | None:
    if role == "operator":
        return None
    return Target(OWN, "47")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(Action))
def test_every_role_and_action_in_its_own_organisation(role: str, action: Action) -> None:
    expected = action in TABLE[role]
    assert may(actor(role), action, own_target(role)) is expected
    if not expected:
        with pytest.raises(Forbidden):
            require(actor(role), action, own_target(role))


@pytest.mark.parametrize("role", ["executive", "plan_officer", "staff", "viewer"])
@pytest.mark.parametrize("action", list(Action))
def test_an_lao_member_may_do_nothing_in_another_lao(role: str, action: Action) -> None:
    assert not may(actor(role), action, Target(OTHER, "47"))


@pytest.mark.parametrize("action", list(Action))
def test_a_reviewer_may_do_nothing_in_another_province(action: Action) -> None:
    assert not may(actor("reviewer"), action, Target(OTHER, "10"))


@pytest.mark.parametrize("action", [a for a in Action if a.writes and a is not Action.REVIEW])
def test_a_reviewer_never_writes_an_lao(action: Action) -> None:
    assert not may(actor("reviewer"), action, Target(OWN, "47"))


def test_a_reviewer_reads_its_province_dashboard_but_not_as_an_lao_action() -> None:
    r = actor("reviewer")
    assert may(r, Action.READ_PROVINCE)
    assert not may(r, Action.READ_NATIONAL)


def test_staff_record_progress_only_on_steps_assigned_to_them() -> None:
    staff = actor("staff")
    assert may(staff, Action.RECORD_PROGRESS, Target(OWN, assigned_to=("STAFF@lao.example",)))
    # a display name is the member's own choice: naming oneself like a step's responsible
    # text does not make the step one's own
    assert not may(staff, Action.RECORD_PROGRESS, Target(OWN, assigned_to=("สมชาย  ใจดี",)))
    assert not may(staff, Action.RECORD_PROGRESS, Target(OWN, assigned_to=("someone else",)))
    with pytest.raises(Forbidden, match="ไม่ได้มอบหมายให้คุณ"):
        require(staff, Action.RECORD_PROGRESS, Target(OWN, assigned_to=()))
    # the plan officer and the executive record any step
    for role in ("plan_officer", "executive"):
        assert may(actor(role), Action.RECORD_PROGRESS, Target(OWN, assigned_to=()))


def test_assignment_is_by_email_ignoring_case_and_spacing() -> None:
    nameless = Actor("staff", "lao", OWN, "6470101", "a@b.example", name="  ")
    assert not assigned(nameless, ("",))
    assert assigned(nameless, (" A@B.example ",))
    named = Actor("staff", "lao", OWN, "6470101", "w@b.example", name="งานกฎหมายและคดี")
    assert not assigned(named, ("งานกฎหมายและคดี",))


def test_writes_are_every_action_but_the_reads() -> None:
    assert {a for a in Action if not a.writes} == {
        Action.READ,
        Action.READ_PROVINCE,
        Action.READ_NATIONAL,
    }
