"""Who may do what: the one place for the service's authorization rules.

An ``Actor`` is whoever asks (a member of an LAO, a provincial reviewer, the operator), as the
edge resolved it from a session or an API token. ``may(actor, action, target)`` answers every
question of the form "may this actor do this to that"; ``require`` raises ``Forbidden``.
The application layer (services/usecases) asks before it opens a transaction; the database
(row-level security) enforces the tenant and the reviewer's read-only scope again underneath.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import StrEnum

from domain.shared.errors import DomainError

NIL = uuid.UUID(int=0)

EXECUTIVE = "executive"
PLAN_OFFICER = "plan_officer"
STAFF = "staff"
VIEWER = "viewer"
REVIEWER = "reviewer"
OPERATOR = "operator"
ROLES = (EXECUTIVE, PLAN_OFFICER, STAFF, VIEWER, REVIEWER, OPERATOR)


class Action(StrEnum):
    READ = "read"  # an LAO's plan, items, declarations, registers, history, reports
    EDIT_PLAN = "edit_plan"  # draft, items, headings, numbers, budgets, steps, indicators
    PROMULGATE_PLAN = "promulgate_plan"
    RECORD_PROGRESS = "record_progress"  # start, complete, reopen a step; evidence
    EDIT_DECLARATION = "edit_declaration"  # draft, announce
    PUBLISH_DECLARATION = "publish_declaration"
    KEEP_REGISTERS = "keep_registers"  # complaints: receive, resolve
    IMPORT_DOCUMENTS = "import_documents"
    WRITE_REPORTS = "write_reports"  # generate, submit a round's report
    ANSWER_REVIEW = "answer_review"  # the LAO answers the province's comments
    REVIEW = "review"  # the province comments, asks for revisions, resolves
    READ_PROVINCE = "read_province"  # a province's dashboard and summaries
    READ_NATIONAL = "read_national"
    MANAGE_MEMBERS = "manage_members"  # invite, change roles, disable (LAO or operator)
    GRANT_EXECUTIVE = "grant_executive"  # give or take the executive role (see member_action)
    OWN_ACCOUNT = "own_account"  # one's own API tokens and reminder choices
    SET_REMINDER_POLICY = "set_reminder_policy"
    OPERATE = "operate"  # the operator's console: failed mail, onboarding

    @property
    def writes(self) -> bool:
        return self not in _READS


_READS = frozenset({Action.READ, Action.READ_PROVINCE, Action.READ_NATIONAL})

# The roles of an LAO's members that may do each LAO action in their own LAO.
_LAO_RULES: dict[Action, frozenset[str]] = {
    Action.READ: frozenset({EXECUTIVE, PLAN_OFFICER, STAFF, VIEWER}),
    Action.EDIT_PLAN: frozenset({EXECUTIVE, PLAN_OFFICER}),
    Action.PROMULGATE_PLAN: frozenset({EXECUTIVE}),
    Action.RECORD_PROGRESS: frozenset({EXECUTIVE, PLAN_OFFICER, STAFF}),
    Action.EDIT_DECLARATION: frozenset({EXECUTIVE, PLAN_OFFICER}),
    Action.PUBLISH_DECLARATION: frozenset({EXECUTIVE}),
    Action.KEEP_REGISTERS: frozenset({EXECUTIVE, PLAN_OFFICER}),
    Action.IMPORT_DOCUMENTS: frozenset({EXECUTIVE, PLAN_OFFICER}),
    Action.WRITE_REPORTS: frozenset({EXECUTIVE, PLAN_OFFICER}),
    Action.ANSWER_REVIEW: frozenset({EXECUTIVE, PLAN_OFFICER}),
    Action.MANAGE_MEMBERS: frozenset({EXECUTIVE, PLAN_OFFICER}),
    Action.GRANT_EXECUTIVE: frozenset({EXECUTIVE}),
    Action.OWN_ACCOUNT: frozenset({EXECUTIVE, PLAN_OFFICER, STAFF, VIEWER}),
    Action.SET_REMINDER_POLICY: frozenset({EXECUTIVE}),
}
# What a provincial reviewer may do to an LAO of its own province (never a write of the LAO's).
_REVIEWER_LAO = frozenset({Action.READ, Action.REVIEW})
# What a provincial reviewer and the operator may do in their own organisation.
_OFFICE_OWN = frozenset({Action.READ_PROVINCE, Action.OWN_ACCOUNT})
_OPERATOR_OWN = frozenset(
    {Action.READ_NATIONAL, Action.MANAGE_MEMBERS, Action.OPERATE, Action.OWN_ACCOUNT}
)

REFUSED = "บทบาทของคุณทำรายการนี้ไม่ได้"
OWN_ROLE = "เปลี่ยนบทบาทหรือระงับบัญชีของตัวเองไม่ได้ ให้ผู้บริหารคนอื่นของ อปท. เป็นผู้เปลี่ยน"
EXECUTIVE_ONLY = "เฉพาะผู้บริหารของ อปท. ที่ให้หรือเปลี่ยนบทบาทผู้บริหารได้"
FIRST_EXECUTIVE_ONLY = "ผู้ดูแลระบบเพิ่มได้เฉพาะผู้บริหารคนแรกของ อปท. ผู้บริหารคนต่อไปให้ผู้บริหารของ อปท. เป็นผู้เชิญ"
NOT_ASSIGNED = "ขั้นตอนนี้ไม่ได้มอบหมายให้คุณ ผู้รับผิดชอบแผนเพิ่มชื่อหรืออีเมลของคุณในผู้รับผิดชอบได้"


class Forbidden(DomainError):
    """The actor's role may not do this (HTTP 403; a Thai page that says who can)."""

    code = "forbidden"
    status = 403


@dataclass(frozen=True)
class Actor:
    """Who asks. ``tenant_id`` is the LAO read or written: a member's own LAO, the LAO a
    reviewer is reading (NIL when it names none), NIL for the operator."""

    role: str
    scope: str  # lao | office | operator
    tenant_id: uuid.UUID
    tenant_code: str  # the LAO's code ('' when none)
    email: str
    account_id: uuid.UUID | None = None
    name: str = ""
    province: str = ""  # a reviewer's province
    org_code: str = ""  # the actor's own organisation: an LAO code, po-<province>, operator
    via: str = "session"  # session | token

    @property
    def has_tenant(self) -> bool:
        return self.tenant_id != NIL

    @property
    def reviewing(self) -> bool:
        """A provincial reviewer reading an LAO: every transaction is the province's
        read-only scope."""
        return self.scope == "office"


@dataclass(frozen=True)
class Target:
    """What the action is done to: an LAO (its tenant id and province) and, for a step, the
    people it is assigned to (emails or names as the plan officer wrote them)."""

    tenant_id: uuid.UUID | None = None
    province: str = ""
    assigned_to: tuple[str, ...] | None = None
    # A member's account acted on (a role changed, an account disabled), when there is one.
    member: uuid.UUID | None = None
    # The LAO's executives (invited or active), when granting the executive role: the
    # operator may add an LAO's first executive only.
    executives: int | None = None


def member_action(role_before: str, role_after: str) -> Action:
    """What changing a member from one role to another (``""``: not a member yet, or the
    account only disabled or enabled) asks: giving or taking the executive role is the
    executive's own decision; every other change is managing members."""
    return (
        Action.GRANT_EXECUTIVE if EXECUTIVE in (role_before, role_after) else Action.MANAGE_MEMBERS
    )


def _same(text: str) -> str:
    return " ".join(text.lower().split())


def assigned(actor: Actor, people: tuple[str, ...]) -> bool:
    """A step names the actor among its responsible people, by the email of its account. Not
    by name: a display name is the member's own choice, and choosing a step's responsible text
    as one's name must not make a step one's own."""
    return _same(actor.email) in {_same(p) for p in people}


_MEMBER_ACTIONS = frozenset({Action.MANAGE_MEMBERS, Action.GRANT_EXECUTIVE})


def _own_account(actor: Actor, t: Target) -> bool:
    return t.member is not None and t.member == actor.account_id


def may(actor: Actor, action: Action, target: Target | None = None) -> bool:
    t = target or Target()
    if action in _MEMBER_ACTIONS and _own_account(actor, t):
        return False  # nobody changes their own role or disables their own account
    if actor.scope == "lao":
        if actor.role not in _LAO_RULES.get(action, frozenset()):
            return False
        if t.tenant_id is not None and t.tenant_id != actor.tenant_id:
            return False
        if action is Action.RECORD_PROGRESS and actor.role == STAFF and t.assigned_to is not None:
            return assigned(actor, t.assigned_to)
        return True
    if actor.scope == "office" and actor.role == REVIEWER:
        if action in _OFFICE_OWN:
            return t.tenant_id is None
        if action not in _REVIEWER_LAO:
            return False
        return t.tenant_id is None or (bool(t.province) and t.province == actor.province)
    if actor.scope == "operator" and actor.role == OPERATOR:
        if action is Action.GRANT_EXECUTIVE:
            # An LAO's first executive only: who leads an LAO afterwards is the LAO's choice.
            return t.tenant_id is not None and t.executives == 0
        return action in _OPERATOR_OWN and t.tenant_id is None
    return False


def require(actor: Actor, action: Action, target: Target | None = None) -> None:
    if may(actor, action, target):
        return
    t = target or Target()
    if (
        action is Action.RECORD_PROGRESS
        and actor.scope == "lao"
        and actor.role == STAFF
        and t.assigned_to is not None
    ):
        raise Forbidden(NOT_ASSIGNED, action=action.value)
    if action in _MEMBER_ACTIONS and _own_account(actor, t):
        raise Forbidden(OWN_ROLE, action=action.value, role=actor.role)
    if action is Action.GRANT_EXECUTIVE:
        why = FIRST_EXECUTIVE_ONLY if actor.scope == "operator" else EXECUTIVE_ONLY
        raise Forbidden(why, action=action.value, role=actor.role)
    raise Forbidden(REFUSED, action=action.value, role=actor.role)
