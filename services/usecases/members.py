"""Members of an organisation (the LAO's executive and plan officer, or the operator for
offices and an LAO's first executive): list, invite (the email queued in the outbox, in the link's
transaction), resend and revoke an invitation, change a role, disable, enable; a member's own
API tokens (shown once, stored hashed)."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from typing import Any

import asyncpg

from domain.shared.access import EXECUTIVE, Action, Actor, Forbidden, Target, member_action
from domain.shared.errors import DomainError, NotFound
from domain.tenancy.members import InvalidMember, Member, OperatorAccessGranted, normalise_email
from infra.auth import mails
from infra.auth.accounts import INVITATION_DAYS
from infra.auth.orgs import OPERATOR, Org, find_org, org_transaction
from infra.mail_outbox import Queued, enqueue_mail
from infra.queries import members as queries
from infra.queries import onboarding as onboarding_queries
from services.usecases import mail_limits
from services.usecases.bootstrap import Services
from services.usecases.mail import hand_over
from services.usecases.scope import authorize

CHANGES = ("role", "disable", "enable")
NO_SUCH_MEMBER = "ไม่พบสมาชิกคนนี้"
TOKENS_FOR_MEMBERS = "API token สร้างได้โดยสมาชิกของ อปท. ที่เข้าสู่ระบบ"


class InvalidInvitation(InvalidMember):
    """An invitation with fields missing or wrong: the first one's message, and ``errors``
    (every field's) for a form."""

    def __init__(self, errors: dict[str, str]) -> None:
        field, message = next(iter(errors.items()))
        super().__init__(message, field=field)
        self.errors = errors


class Ambiguous(DomainError):
    """The e-mail is an active member of several LAOs: the command line must name one (409)."""

    code = "ambiguous-member"
    status = 409


class UnknownChange(DomainError):
    """A change of a member other than role, disable or enable (400)."""

    code = "unknown-change"
    status = 400


@dataclass(frozen=True)
class Invited:
    id: uuid.UUID
    email: str
    name: str
    role: str
    status: str = "invited"
    link: str = ""  # the one-time link (emailed; the operator's command line prints it)


async def org_named(services: Services, code: str, missing: str = "ไม่พบหน่วยงานนี้") -> Org:
    async with services.db.acquire() as conn:
        org = await find_org(conn, code) if len(code) <= 40 else None
    if org is None:
        raise NotFound(missing)
    return org


async def own_org(services: Services, actor: Actor) -> Org:
    """The actor's own organisation (never the LAO a reviewer is reading)."""
    return await org_named(services, actor.org_code, "ไม่พบหน่วยงานของคุณ")


def _me(actor: Actor) -> uuid.UUID:
    if actor.account_id is None:
        raise NotFound("ไม่พบบัญชีของคุณ")
    return actor.account_id


# -- members -------------------------------------------------------------------------------
async def members_of(services: Services, actor: Actor) -> tuple[Org, list[dict[str, Any]]]:
    """The actor's organisation and its members (the member administrator's)."""
    authorize(actor, Action.MANAGE_MEMBERS)
    org = await own_org(services, actor)
    async with org_transaction(services.db, org, readonly=True) as conn:
        return org, await queries.members(conn, org)


def invitation_errors(org: Org, email: str, name: str, role: str) -> dict[str, str]:
    """What is missing from an invitation (all of it, for a form); the domain checks the rest."""
    errors: dict[str, str] = {}
    if role not in org.scope.roles:
        errors["role"] = (
            "กรุณาเลือกบทบาท"
            if not role
            else f"บทบาท '{role}' ใช้ไม่ได้ที่นี่; เลือกจาก {', '.join(org.scope.roles)}"
        )
    if not name.strip():
        errors["name"] = "กรุณากรอกชื่อ-สกุล"
    if not email.strip():
        errors["email"] = "กรุณากรอกอีเมล"
    return errors


async def _grant(
    services: Services, actor: Actor, org: Org, email: str, role: str, *, executives: bool
) -> Target:
    """Authorize inviting ``email`` as ``role`` to ``org``: giving the executive role is the
    executive's (or, for an LAO's first executive, the operator's) decision."""
    try:
        address = normalise_email(email)
    except InvalidMember:
        address = email.strip().lower()
    async with org_transaction(services.db, org, readonly=True) as conn:
        found = await services.accounts.find(conn, org, email=address)
        count = (
            await queries.executives(conn, org.tenant_id, address)
            if executives and org.tenant_id is not None
            else None
        )
    before = found.role if found is not None else ""
    target = Target(org.tenant_id, org.province, executives=count)
    authorize(actor, member_action(before, role), target)
    return target


async def _invite(
    services: Services,
    actor: Actor,
    org: Org,
    email: str,
    name: str,
    role: str,
    ip: str,
    limit: mail_limits.MailLimit = mail_limits.INVITATION_MAIL,
) -> Invited:
    errors = invitation_errors(org, email, name, role)
    if errors:
        raise InvalidInvitation(errors)
    await mail_limits.spend(services, limit, org.code, email, ip)
    queued: list[Queued] = []
    address = email.strip().lower()

    async def mail_it(conn: asyncpg.Connection, account_id: uuid.UUID, link: str) -> None:
        mail = mails.invitation(services.settings, org, name, address, role, link)
        key = hashlib.sha256(link.encode()).hexdigest()[:32]
        queued.append(
            await enqueue_mail(
                conn, org.tenant_id, "invitation", mail, key, now=services.clock.now()
            )
        )

    account_id, link = await services.accounts.invite(
        org, email, name, role, actor.email, then=mail_it
    )
    await hand_over(services, queued)
    return Invited(account_id, address, name, role, link=link)


async def invite(
    services: Services, actor: Actor, email: str, name: str, role: str, *, ip: str = ""
) -> Invited:
    """Invite someone to the actor's own organisation (or invite again, with a new link); the
    mail is limited per address and per client address ``ip`` (``TooManyMails``)."""
    authorize(actor, Action.MANAGE_MEMBERS)
    org = await own_org(services, actor)
    await _grant(services, actor, org, email, role, executives=False)
    return await _invite(services, actor, org, email, name, role, ip)


ONBOARDING = mail_limits.ONBOARDING_MAIL


async def onboard(
    services: Services,
    actor: Actor,
    org_code: str,
    email: str,
    name: str,
    role: str,
    *,
    ip: str = "",
) -> Invited:
    """The operator invites an LAO's first executive (recorded in the operator log as an
    access decision), or a provincial office's reviewer."""
    authorize(actor, Action.OPERATE)
    org = await org_named(services, org_code)
    if org.tenant_id is None:
        authorize(actor, Action.MANAGE_MEMBERS)
        return await _invite(services, actor, org, email, name, role, ip, ONBOARDING)
    if role != EXECUTIVE:
        authorize(actor, Action.GRANT_EXECUTIVE, Target(org.tenant_id, org.province))  # refused
    await _grant(services, actor, org, email, role, executives=True)
    invited = await _invite(services, actor, org, email, name, role, ip, ONBOARDING)
    operator = await org_named(services, OPERATOR)
    event = OperatorAccessGranted(
        org.code, invited.id, invited.email, role, "first_executive_invited"
    )
    await services.accounts.record_operator_access(operator, org.tenant_id, event, actor.email)
    return invited


async def withdraw(services: Services, actor: Actor, org_code: str, email: str) -> None:
    """The operator withdraws the invitation of an LAO's first executive (not yet taken) or of
    a provincial reviewer: its link stops working."""
    authorize(actor, Action.OPERATE)
    org = await org_named(services, org_code)
    address = email.strip().lower()
    async with org_transaction(services.db, org, readonly=True) as conn:
        found = await services.accounts.find(conn, org, email=address)
        others = await queries.executives(conn, org.tenant_id, address) if org.tenant_id else None
    if found is None:
        raise NotFound(NO_SUCH_MEMBER)
    if org.tenant_id is None:
        authorize(actor, Action.MANAGE_MEMBERS)
    else:
        target = Target(org.tenant_id, org.province, executives=others)
        authorize(actor, member_action(found.role, ""), target)
        if found.role != EXECUTIVE:
            authorize(actor, Action.GRANT_EXECUTIVE, Target(org.tenant_id, org.province))
    await services.accounts.revoke_invitation(org, found.account_id, actor.email)
    if org.tenant_id is not None:  # the console's pending list reads the operator log
        operator = await org_named(services, OPERATOR)
        event = OperatorAccessGranted(
            org.code, found.account_id, found.email, found.role, "invitation_withdrawn"
        )
        await services.accounts.record_operator_access(operator, org.tenant_id, event, actor.email)


async def pending_invitations(services: Services, actor: Actor) -> list[dict[str, Any]]:
    """The invitations the operator sent (LAOs' first executives, provincial reviewers) not
    yet taken nor withdrawn, newest first, each with when its link expires (``expired``)."""
    authorize(actor, Action.OPERATE)
    operator = await org_named(services, OPERATOR)
    async with org_transaction(services.db, operator, readonly=True) as conn:
        rows = await onboarding_queries.pending_invitations(conn, INVITATION_DAYS)
    now = services.clock.now()
    return [{**r, "expired": r["expires_at"] <= now} for r in rows]


async def resend_onboarding(
    services: Services, actor: Actor, org_code: str, email: str, *, ip: str = ""
) -> Invited:
    """The operator sends a pending invitation again: a new link and mail (the old link stops
    working), through the same path as the first one (``onboard``)."""
    authorize(actor, Action.OPERATE)
    org = await org_named(services, org_code)
    async with org_transaction(services.db, org, readonly=True) as conn:
        found = await services.accounts.find(conn, org, email=email.strip().lower())
    if found is None:
        raise NotFound(NO_SUCH_MEMBER)
    if found.status != "invited":
        raise InvalidMember("ส่งคำเชิญซ้ำได้เฉพาะคนที่ยังไม่ได้ตอบรับ")
    return await onboard(services, actor, org.code, found.email, found.name, found.role, ip=ip)


async def _member_of(services: Services, org: Org, account_id: uuid.UUID) -> Member:
    member = await services.accounts.load(org, account_id)
    if not member.exists:
        raise NotFound(NO_SUCH_MEMBER)
    return member


async def change_member(
    services: Services, actor: Actor, account_id: uuid.UUID, change: str, role: str = ""
) -> Member:
    """Change a member's role, disable or enable them. A changed or disabled member's sessions
    end and their tokens are revoked. Nobody changes their own account; giving or taking the
    executive role is an executive's decision (domain.shared.access)."""
    authorize(actor, Action.MANAGE_MEMBERS)
    org = await own_org(services, actor)
    member = await _member_of(services, org, account_id)
    if change not in CHANGES:
        raise UnknownChange("ไม่รู้จักคำสั่งนี้")
    after = role if change == "role" else ""
    target = Target(org.tenant_id, org.province, member=account_id)
    authorize(actor, member_action(member.role, after), target)
    member = await services.accounts.change(org, account_id, actor.email, change, role)
    if change != "enable":
        await services.sessions.destroy_all(str(account_id))  # sign in again, or never
    return member


async def _invitation_of(
    services: Services, actor: Actor, account_id: uuid.UUID
) -> tuple[Org, Member]:
    authorize(actor, Action.MANAGE_MEMBERS)
    org = await own_org(services, actor)
    member = await _member_of(services, org, account_id)
    target = Target(org.tenant_id, org.province, member=account_id)
    authorize(actor, member_action(member.role, ""), target)
    return org, member


async def resend_invitation(
    services: Services, actor: Actor, account_id: uuid.UUID, *, ip: str = ""
) -> Invited:
    """A new link (the old one stops working) and a new email, with a fresh expiry (limited
    like an invitation)."""
    org, member = await _invitation_of(services, actor, account_id)
    if member.status != "invited":
        raise InvalidMember("ส่งคำเชิญซ้ำได้เฉพาะคนที่ยังไม่ได้ตอบรับ")
    return await _invite(services, actor, org, member.email, member.name, member.role, ip)


async def revoke_invitation(services: Services, actor: Actor, account_id: uuid.UUID) -> None:
    """Withdraw an invitation not yet taken: the link stops working, the person is unlisted."""
    org, _ = await _invitation_of(services, actor, account_id)
    await services.accounts.revoke_invitation(org, account_id, actor.email)


async def member_actor(services: Services, email: str, tenant_code: str | None = None) -> Actor:
    """The active LAO member of this email (in ``tenant_code`` when given) as an actor: the
    operator's command line acting for them. ``NotFound`` if none; ``Ambiguous`` if several."""
    address = email.strip().lower()
    async with services.db.acquire() as conn:
        rows = await queries.active_lao_members(conn, address, tenant_code)
    if not rows:
        raise NotFound(f"no active LAO member with email {address!r}")
    if len(rows) > 1:
        codes = ", ".join(r["code"] for r in rows)
        raise Ambiguous(f"{address} is a member of several LAOs ({codes}): add --tenant CODE")
    org = await org_named(services, rows[0]["code"])
    assert org.tenant_id is not None
    return Actor(
        role=rows[0]["role"],
        scope="lao",
        tenant_id=org.tenant_id,
        tenant_code=org.code,
        email=address,
        account_id=rows[0]["account_id"],
        org_code=org.code,
    )


# -- a member's own API tokens -------------------------------------------------------------
async def _token_owner(services: Services, actor: Actor) -> tuple[Org, uuid.UUID]:
    authorize(actor, Action.OWN_ACCOUNT)
    if actor.scope != "lao" or actor.account_id is None:
        raise Forbidden(TOKENS_FOR_MEMBERS)
    return await own_org(services, actor), _me(actor)


async def own_tokens(services: Services, actor: Actor) -> list[Any]:
    org, me = await _token_owner(services, actor)
    async with org_transaction(services.db, org, readonly=True) as conn:
        return await queries.tokens_of(conn, me)


async def create_own_token(services: Services, actor: Actor, name: str) -> str:
    """A new API token of the actor's own role in its own organisation; the secret is returned
    once."""
    org, me = await _token_owner(services, actor)
    return await services.accounts.create_token(org, me, name)


async def revoke_own_token(services: Services, actor: Actor, token_id: uuid.UUID) -> None:
    org, me = await _token_owner(services, actor)
    if token_id not in (await services.accounts.load(org, me)).tokens:
        raise NotFound("ไม่พบ API token นี้")
    await services.accounts.revoke_token(org, me, token_id, actor.email)
