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
    member_action,
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
        A.ANSWER_REVIEW, A.OWN_ACCOUNT, A.SET_REMINDER_POLICY, A.MANAGE_MEMBERS,
        A.GRANT_EXECUTIVE,
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


ME = uuid.uuid4()


def actor(role: str) -> Actor:
    if role == "reviewer":
        return Actor(role, "office", OWN, "6470101", "r@po.example", ME, province="47")
    if role == "operator":
        return Actor(role, "operator", NIL, "", "op@example", ME)
    return Actor(role, "lao", OWN, "6470101", f"{role}@lao.example", ME, name="สมชาย ใจดี")


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


# -- members: who changes whose role ------------------------------------------------------
SOMEONE = uuid.uuid4()
MEMBER_RULES = [
    # (actor's role, action, target, allowed)
    ("executive", A.MANAGE_MEMBERS, Target(OWN, "47", member=SOMEONE), True),
    ("executive", A.GRANT_EXECUTIVE, Target(OWN, "47", member=SOMEONE), True),
    ("executive", A.GRANT_EXECUTIVE, Target(OWN, "47", executives=1), True),
    ("executive", A.MANAGE_MEMBERS, Target(OWN, "47", member=ME), False),  # own role
    ("executive", A.GRANT_EXECUTIVE, Target(OWN, "47", member=ME), False),
    ("executive", A.MANAGE_MEMBERS, Target(OTHER, "47", member=SOMEONE), False),
    ("plan_officer", A.MANAGE_MEMBERS, Target(OWN, "47", member=SOMEONE), True),
    ("plan_officer", A.MANAGE_MEMBERS, Target(OWN, "47", member=ME), False),
    ("plan_officer", A.GRANT_EXECUTIVE, Target(OWN, "47", member=SOMEONE), False),
    ("plan_officer", A.GRANT_EXECUTIVE, Target(OWN, "47", executives=0), False),
    ("staff", A.MANAGE_MEMBERS, Target(OWN, "47", member=SOMEONE), False),
    ("viewer", A.GRANT_EXECUTIVE, Target(OWN, "47", executives=0), False),
    ("reviewer", A.MANAGE_MEMBERS, Target(OWN, "47", member=SOMEONE), False),
    ("reviewer", A.GRANT_EXECUTIVE, Target(OWN, "47", executives=0), False),
    # the operator: its own accounts and offices' reviewers; an LAO's first executive only
    ("operator", A.MANAGE_MEMBERS, None, True),
    ("operator", A.MANAGE_MEMBERS, Target(member=SOMEONE), True),
    ("operator", A.MANAGE_MEMBERS, Target(member=ME), False),
    ("operator", A.MANAGE_MEMBERS, Target(OWN, "47", member=SOMEONE), False),
    ("operator", A.GRANT_EXECUTIVE, Target(OWN, "47", executives=0), True),
    ("operator", A.GRANT_EXECUTIVE, Target(OWN, "47", executives=1), False),
    ("operator", A.GRANT_EXECUTIVE, Target(OWN, "47"), False),  # not known: refused
    ("operator", A.GRANT_EXECUTIVE, Target(OWN, "47", member=SOMEONE), False),
    ("operator", A.GRANT_EXECUTIVE, None, False),
]


@pytest.mark.parametrize(("role", "action", "target", "allowed"), MEMBER_RULES)
def test_who_changes_whose_role(
    role: str, action: Action, target: Target | None, allowed: bool
) -> None:
    assert may(actor(role), action, target) is allowed


@pytest.mark.parametrize(
    ("before", "after", "action"),
    [
        ("", "executive", A.GRANT_EXECUTIVE),  # inviting an executive
        ("", "plan_officer", A.MANAGE_MEMBERS),
        ("executive", "staff", A.GRANT_EXECUTIVE),  # taking the role away
        ("staff", "executive", A.GRANT_EXECUTIVE),
        ("executive", "", A.GRANT_EXECUTIVE),  # disabling an executive
        ("plan_officer", "staff", A.MANAGE_MEMBERS),
        ("viewer", "", A.MANAGE_MEMBERS),
    ],
)
def test_giving_or_taking_the_executive_role_is_granting_it(
    before: str, after: str, action: Action
) -> None:
    assert member_action(before, after) is action


def test_refusals_say_why_in_thai() -> None:
    with pytest.raises(Forbidden, match="ของตัวเอง"):
        require(actor("executive"), A.MANAGE_MEMBERS, Target(OWN, "47", member=ME))
    with pytest.raises(Forbidden, match="เฉพาะผู้บริหาร"):
        require(actor("plan_officer"), A.GRANT_EXECUTIVE, Target(OWN, "47", member=SOMEONE))
    with pytest.raises(Forbidden, match="ผู้บริหารคนแรก"):
        require(actor("operator"), A.GRANT_EXECUTIVE, Target(OWN, "47", executives=1))
