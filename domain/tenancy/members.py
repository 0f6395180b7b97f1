"""Members: the people who sign in, their roles, and what happens to their accounts.

An LAO's members live in that LAO's log (stream type ``member``); provincial reviewers and the
operator live in the operator log. Passwords are never in an event: only that one was set.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from dataclasses import dataclass
from enum import StrEnum

from domain.shared.aggregate import Aggregate
from domain.shared.errors import DomainError
from domain.shared.messages import Event

LAO_ROLES = ("executive", "plan_officer", "staff", "viewer")
OFFICE_ROLES = ("reviewer",)
OPERATOR_ROLES = ("operator",)
ROLE_NAMES_TH = {
    "executive": "ผู้บริหาร",
    "plan_officer": "เจ้าหน้าที่ผู้รับผิดชอบแผน",
    "staff": "เจ้าหน้าที่ผู้ปฏิบัติ",
    "viewer": "ผู้ดูข้อมูล",
    "reviewer": "ผู้ตรวจติดตาม (สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัด)",
    "operator": "ผู้ดูแลระบบ",
}
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s.]{2,63}$")
MIN_PASSWORD = 12


class Scope(StrEnum):
    """Where an account belongs: an LAO (a tenant), a provincial office, or the operator."""

    LAO = "lao"
    OFFICE = "office"
    OPERATOR = "operator"

    @property
    def roles(self) -> tuple[str, ...]:
        return {Scope.LAO: LAO_ROLES, Scope.OFFICE: OFFICE_ROLES}.get(self, OPERATOR_ROLES)


class InvalidMember(DomainError):
    code = "invalid-member"


class MemberStateError(DomainError):
    code = "member-state"
    status = 409


def normalise_email(email: str) -> str:
    e = unicodedata.normalize("NFC", email).strip().lower()
    if not _EMAIL.match(e):
        raise InvalidMember("อีเมลไม่ถูกต้อง ตัวอย่าง: somchai@example.go.th", field="email")
    return e


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InvalidMember(
            f"รหัสผ่านต้องยาวอย่างน้อย {MIN_PASSWORD} ตัวอักษร หรือใช้วลีหลายคำเว้นวรรค เช่น ม้าลาย กินหญ้า ริมน้ำ",
            field="password",
        )
    if len(password) > 256:
        raise InvalidMember("รหัสผ่านยาวเกิน 256 ตัวอักษร", field="password")


@dataclass(frozen=True)
class MemberInvited(Event):
    email: str
    name: str
    role: str
    scope: str
    invited_by: str


@dataclass(frozen=True)
class MemberJoined(Event):
    name: str


@dataclass(frozen=True)
class PasswordChanged(Event):
    how: str  # "reset" (by an emailed link) or "set" (by the operator's command line)


@dataclass(frozen=True)
class MemberRoleChanged(Event):
    old_role: str
    new_role: str
    by: str


@dataclass(frozen=True)
class MemberDisabled(Event):
    by: str


@dataclass(frozen=True)
class MemberEnabled(Event):
    by: str


@dataclass(frozen=True)
class InvitationRevoked(Event):
    """An invitation not yet taken, withdrawn: its link no longer works and the person is no
    longer listed (they may be invited again)."""

    by: str


@dataclass(frozen=True)
class OperatorAccessGranted(Event):
    """The operator gave someone access to an LAO (its first executive): in the operator log,
    on the LAO's access stream, beside the invitation in the LAO's own log."""

    org_code: str
    account_id: uuid.UUID
    email: str
    role: str
    what: str  # first_executive_invited, executive_joined


@dataclass(frozen=True)
class SignedIn(Event):
    ip: str


@dataclass(frozen=True)
class SignInFailed(Event):
    ip: str
    reason: str  # wrong_password, disabled, not_joined, unknown_account, throttled


@dataclass(frozen=True)
class ApiTokenCreated(Event):
    token_id: uuid.UUID
    role: str
    name: str


@dataclass(frozen=True)
class ApiTokenRevoked(Event):
    token_id: uuid.UUID
    by: str


MEMBER_EVENTS: tuple[type[Event], ...] = (
    MemberInvited,
    MemberJoined,
    PasswordChanged,
    MemberRoleChanged,
    MemberDisabled,
    MemberEnabled,
    InvitationRevoked,
    SignedIn,
    SignInFailed,
    ApiTokenCreated,
    ApiTokenRevoked,
)


@dataclass(frozen=True)
class RegisterChanged(Event):
    """The operator added or changed LAOs of the register (on the console, after seeing what
    would change)."""

    added: int
    changed: int
    codes: str  # the codes written, comma-separated
    how: str  # "add" (one LAO) or "import" (a CSV)


OPERATOR_EVENTS: tuple[type[Event], ...] = (OperatorAccessGranted, RegisterChanged)


class Member(Aggregate):
    stream_type = "member"

    def __init__(self, id: uuid.UUID) -> None:
        super().__init__(id)
        self.email = ""
        self.name = ""
        self.role = ""
        self.scope = Scope.LAO
        self.status = "new"  # new -> invited -> active <-> disabled
        self.tokens: set[uuid.UUID] = set()

    @property
    def exists(self) -> bool:
        return self.status != "new"

    def invite(self, email: str, name: str, role: str, scope: Scope, by: str) -> None:
        if self.status not in ("new", "invited"):
            raise MemberStateError("สมาชิกคนนี้ตอบรับคำเชิญแล้ว")
        if role not in scope.roles:
            raise InvalidMember(
                f"บทบาท '{role}' ใช้ไม่ได้ที่นี่; เลือกจาก {', '.join(scope.roles)}", field="role"
            )
        if not name.strip():
            raise InvalidMember("กรุณากรอกชื่อ-สกุล", field="name")
        self._record(MemberInvited(normalise_email(email), name.strip(), role, scope.value, by))

    def revoke_invitation(self, by: str) -> None:
        if self.status != "invited":
            raise MemberStateError("ยกเลิกได้เฉพาะคำเชิญที่ยังไม่ได้ตอบรับ")
        self._record(InvitationRevoked(by))

    def join(self, name: str) -> None:
        if self.status != "invited":
            raise MemberStateError("คำเชิญนี้ใช้ไปแล้วหรือถูกยกเลิก")
        self._record(MemberJoined(name.strip() or self.name))

    def change_password(self, how: str) -> None:
        if self.status not in ("active", "invited"):
            raise MemberStateError("บัญชีนี้ถูกระงับ เปลี่ยนรหัสผ่านไม่ได้")
        self._record(PasswordChanged(how))

    def change_role(self, role: str, by: str) -> None:
        if not self.exists:
            raise MemberStateError("ไม่พบสมาชิกคนนี้")
        if role not in self.scope.roles:
            raise InvalidMember(f"บทบาท '{role}' ใช้ไม่ได้ที่นี่", field="role")
        if role != self.role:
            self._record(MemberRoleChanged(self.role, role, by))

    def disable(self, by: str) -> None:
        if self.status == "disabled":
            return
        if not self.exists:
            raise MemberStateError("ไม่พบสมาชิกคนนี้")
        self._record(MemberDisabled(by))

    def enable(self, by: str) -> None:
        if self.status != "disabled":
            return
        self._record(MemberEnabled(by))

    def signed_in(self, ip: str) -> None:
        self._record(SignedIn(ip))

    def sign_in_failed(self, ip: str, reason: str) -> None:
        self._record(SignInFailed(ip, reason))

    def create_token(self, token_id: uuid.UUID, name: str) -> None:
        if self.status != "active":
            raise MemberStateError("บัญชีที่ยังไม่เปิดใช้หรือถูกระงับสร้าง API token ไม่ได้")
        self._record(ApiTokenCreated(token_id, self.role, name.strip()[:100]))

    def revoke_token(self, token_id: uuid.UUID, by: str) -> None:
        if token_id not in self.tokens:
            raise MemberStateError("ไม่พบ API token นี้หรือถูกยกเลิกแล้ว")
        self._record(ApiTokenRevoked(token_id, by))

    def _on_MemberInvited(self, e: MemberInvited) -> None:
        self.email, self.name, self.role = e.email, e.name, e.role
        self.scope, self.status = Scope(e.scope), "invited"

    def _on_MemberJoined(self, e: MemberJoined) -> None:
        self.name, self.status = e.name, "active"

    def _on_PasswordChanged(self, e: PasswordChanged) -> None:
        if self.status == "invited":
            self.status = "active"

    def _on_MemberRoleChanged(self, e: MemberRoleChanged) -> None:
        self.role = e.new_role

    def _on_MemberDisabled(self, e: MemberDisabled) -> None:
        self.status = "disabled"

    def _on_MemberEnabled(self, e: MemberEnabled) -> None:
        self.status = "active"

    def _on_InvitationRevoked(self, e: InvitationRevoked) -> None:
        self.status = "new"

    def _on_SignedIn(self, e: SignedIn) -> None:
        pass

    def _on_SignInFailed(self, e: SignInFailed) -> None:
        pass

    def _on_ApiTokenCreated(self, e: ApiTokenCreated) -> None:
        self.tokens.add(e.token_id)

    def _on_ApiTokenRevoked(self, e: ApiTokenRevoked) -> None:
        self.tokens.discard(e.token_id)
