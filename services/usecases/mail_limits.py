"""Mail a request sends on someone's behalf (a password reset, an invitation) is limited per
address mailed and per client address (infra.auth.throttle): past either, 429 with the minutes
to wait. Every request counts, whether or not the address has an account, so the answer is the
same for both."""

from __future__ import annotations

from domain.shared.errors import DomainError
from infra.auth.throttle import INVITATION_MAIL, ONBOARDING_MAIL, RESET_MAIL, MailLimit
from services.usecases.bootstrap import Services

__all__ = [
    "INVITATION_MAIL",
    "ONBOARDING_MAIL",
    "RESET_MAIL",
    "MailLimit",
    "Throttled",
    "TooManyMails",
    "spend",
]


class Throttled(DomainError):
    """Asked too often: 429, and how long to wait (``retry_after``, seconds; the message in
    minutes)."""

    status = 429
    wait = "กรุณารออีกประมาณ {minutes} นาที"

    def __init__(self, retry_after: int) -> None:
        minutes = max(1, round(retry_after / 60))
        super().__init__(self.wait.format(minutes=minutes), field="email", retry_after=retry_after)
        self.retry_after = retry_after


class TooManyMails(Throttled):
    code = "too-many-mails"
    wait = "ส่งอีเมลนี้บ่อยเกินไป กรุณารออีกประมาณ {minutes} นาทีแล้วลองใหม่"


async def spend(services: Services, limit: MailLimit, org_code: str, email: str, ip: str) -> None:
    """Count this request; ``TooManyMails`` when the address or the client asked too often."""
    wait = await services.throttle.spend(limit, org_code, email, ip or "unknown")
    if wait:
        raise TooManyMails(wait)
