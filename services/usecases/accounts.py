"""Signing in and out, accepting an invitation, setting and resetting a password. Who asks is
not yet known here (no actor): the organisation is the one of the address signed in at, and
the throttle, the one-time links and the password decide."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import asyncpg

from domain.shared.access import EXECUTIVE
from domain.shared.errors import DomainError
from domain.tenancy.members import OperatorAccessGranted
from infra.auth import mails
from infra.auth.accounts import Account
from infra.auth.orgs import OPERATOR, Org, find_org, org_transaction
from infra.auth.passwords import verify_password
from infra.mail_outbox import Queued, enqueue_mail
from services.usecases import mail_limits
from services.usecases.bootstrap import Services
from services.usecases.mail import hand_over

log = logging.getLogger("sujarit.accounts")
BAD_CREDENTIALS = "อีเมลหรือรหัสผ่านไม่ถูกต้อง"
INVITATION, RESET = "invitation", "reset"


class BadCredentials(DomainError):
    """A wrong password, an unknown address and a disabled account: the same answer."""

    code = "bad-credentials"
    status = 401

    def __init__(self) -> None:
        super().__init__(BAD_CREDENTIALS, field="email")


class TooManyAttempts(mail_limits.Throttled):
    code = "too-many-attempts"
    wait = "ลองเข้าสู่ระบบผิดหลายครั้งเกินไป กรุณารออีกประมาณ {minutes} นาที หรือใช้ 'ลืมรหัสผ่าน'"


AFTER_ANSWER: set[asyncio.Task[None]] = set()


def after_answer(work: Callable[[], Awaitable[None]], tries: int = 3) -> None:
    """Do ``work`` once the answer has gone (the task kept referenced until done); a conflict
    with a concurrent write to the same log is tried again."""

    async def run() -> None:
        for n in range(1, tries + 1):
            try:
                await work()
                return
            except (DomainError, asyncpg.UniqueViolationError) as e:
                log.info("recording after the answer, try %d: %s", n, e)
            except Exception:
                log.exception("recording after the answer failed")
                return

    task = asyncio.get_running_loop().create_task(run())
    AFTER_ANSWER.add(task)
    task.add_done_callback(AFTER_ANSWER.discard)


@dataclass(frozen=True)
class SignedIn:
    session_id: str
    account_id: uuid.UUID


async def sign_in(
    services: Services, org: Org, email: str, password: str, ip: str, old_session: str | None
) -> SignedIn:
    """A new session for a member of ``org`` (never the old id again); throttled per account
    and per address."""
    verdict = await services.throttle.check(org.code, email, ip)
    if verdict.retry_after:
        raise TooManyAttempts(verdict.retry_after)
    if verdict.delay:
        await asyncio.sleep(verdict.delay)
    async with org_transaction(services.db, org, readonly=True) as conn:
        account = await services.accounts.find(conn, org, email=email)
    ok = await verify_password(account.password_hash if account else None, password)
    if account is None or not ok or account.status != "active":
        await services.throttle.failed(org.code, email, ip)
        if account is not None:
            reason = (
                "wrong_password"
                if not ok
                else {"disabled": "disabled", "invited": "not_joined"}.get(account.status, "other")
            )
            # Recorded after the answer: an unknown address has nothing to record, and the
            # time it takes would tell an attacker which addresses have an account.
            failed = account.account_id
            after_answer(lambda: services.accounts.record_sign_in(org, failed, ip, reason))
        raise BadCredentials
    await services.throttle.succeeded(org.code, email, ip)
    session_id = await _new_session(services, org, account, old_session)
    await services.accounts.record_sign_in(org, account.account_id, ip)
    return SignedIn(session_id, account.account_id)


async def _new_session(
    services: Services, org: Org, account: Account, old_session: str | None
) -> str:
    await services.sessions.destroy(old_session)  # never reuse an id
    session_id, _ = await services.sessions.create(
        account_id=str(account.account_id),
        scope=org.scope.value,
        org_code=org.code,
        tenant_id=str(org.tenant_id or ""),
        province=org.province if org.tenant_id is None else "",
        role=account.role,
        email=account.email,
        name=account.name,
    )
    return session_id


async def sign_out(services: Services, session_id: str | None) -> None:
    await services.sessions.destroy(session_id)


async def link_account(services: Services, org: Org, link: str, purpose: str) -> Account:
    """Who a one-time link is for, while it is good (``LinkInvalid`` otherwise)."""
    return await services.accounts.link_account(org, link, purpose)


async def use_link(
    services: Services, org: Org, link: str, purpose: str, password: str, name: str = ""
) -> uuid.UUID:
    """Accept an invitation (with one's name) or reset a password, with the one-time link; a
    reset ends every session of the account."""
    if purpose == INVITATION:
        return await services.accounts.accept(org, link, name, password)
    account_id = await services.accounts.reset(org, link, password)
    await services.sessions.destroy_all(str(account_id))
    return account_id


async def accept_invitation(
    services: Services,
    org: Org,
    link: str,
    name: str,
    password: str,
    ip: str,
    old_session: str | None,
) -> SignedIn:
    """Accept an invitation with one's name and a new password, and be signed in: whoever
    holds the emailed link and just chose the password is the account's owner."""
    account_id = await services.accounts.accept(org, link, name, password)
    async with org_transaction(services.db, org, readonly=True) as conn:
        account = await services.accounts.find(conn, org, account_id=account_id)
    assert account is not None and account.status == "active"
    if org.tenant_id is not None and account.role == EXECUTIVE:
        # The onboarding funnel counts the LAOs whose executive has joined.
        joined = OperatorAccessGranted(
            org.code, account_id, account.email, EXECUTIVE, "executive_joined"
        )
        operator = await find_org_by_code(services, OPERATOR)
        await services.accounts.record_operator_access(
            operator, org.tenant_id, joined, account.email
        )
    session_id = await _new_session(services, org, account, old_session)
    await services.accounts.record_sign_in(org, account_id, ip)
    return SignedIn(session_id, account_id)


async def find_org_by_code(services: Services, code: str) -> Org:
    async with services.db.acquire() as conn:
        org = await find_org(conn, code)
    assert org is not None, code
    return org


def landing(org: Org) -> str:
    """Where a member lands after signing in: a provincial office on its province's dashboard,
    everyone else on the organisation's home page."""
    return f"/t/{org.code}/province" if org.scope.value == "office" else f"/t/{org.code}/"


async def request_reset(services: Services, org: Org, email: str, ip: str) -> None:
    """Queue a reset link to a known, active address; nothing otherwise (the same answer, and
    the mail goes out from the worker, so the timing tells nothing either). Limited per address
    and per client address (``TooManyMails``), counted the same for both."""
    await mail_limits.spend(services, mail_limits.RESET_MAIL, org.code, email, ip)
    queued: list[Queued] = []

    async def mail_it(conn: asyncpg.Connection, account_id: uuid.UUID, link: str) -> None:
        with_account = await services.accounts.find(conn, org, account_id=account_id)
        assert with_account is not None
        mail = mails.password_reset(
            services.settings, org, with_account.name, with_account.email, link
        )
        key = hashlib.sha256(link.encode()).hexdigest()[:32]
        queued.append(
            await enqueue_mail(conn, org.tenant_id, RESET, mail, key, now=services.clock.now())
        )

    await services.accounts.request_reset(org, email, then=mail_it)
    await hand_over(services, queued)
