"""Sign-in throttling with atomic Redis counters, per account and per client address.

Every API process shares the counters through Redis. After a few failures each attempt waits
a little longer (progressive delay); past the limit, 429 with Retry-After until the window ends.
A successful sign-in clears the account's counter (not the address's).

The same counters limit the mail a request sends (a password reset, an invitation): per
address mailed, in its organisation, and per client address, every request counted whether or
not the address has an account (so the limit tells nothing about who has one).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import redis.asyncio as aioredis

ACCOUNT_LIMIT = 10  # failures per account per window
IP_LIMIT = 50  # failures per client address per window
WINDOW_SECONDS = 15 * 60
FREE_FAILURES = 3  # no delay before these
MAX_DELAY = 4.0

# Count one failure on both keys; start each key's window on its first failure.
_FAIL = """
local out = {}
for i, key in ipairs(KEYS) do
  local n = redis.call('INCR', key)
  if n == 1 then redis.call('EXPIRE', key, ARGV[1]) end
  out[i] = n
end
return out
"""


@dataclass(frozen=True)
class Verdict:
    delay: float  # seconds to wait before checking the password
    retry_after: int  # > 0: refuse with 429 for this many seconds


@dataclass(frozen=True)
class MailLimit:
    """How many mails of one kind an address may be sent (in one organisation), and how many
    one client address may ask for (in all of them), per window."""

    kind: str
    per_address: int
    per_ip: int
    window: int = 60 * 60


RESET_MAIL = MailLimit("reset", per_address=3, per_ip=20)
INVITATION_MAIL = MailLimit("invitation", per_address=3, per_ip=60)
# The operator onboards the country's LAOs from one desk: no useful cap per client address
# (7,852 first executives), still three mails an hour to one address.
ONBOARDING_MAIL = MailLimit("onboarding", per_address=3, per_ip=10_000)


def _who(org: str, email: str) -> str:
    return hashlib.sha256(f"{org}\0{email}".encode()).hexdigest()[:32]


def _keys(org: str, email: str, ip: str) -> tuple[str, str]:
    return f"signin-fail:acct:{_who(org, email)}", f"signin-fail:ip:{ip}"


class Throttle:
    def __init__(self, redis: aioredis.Redis) -> None:
        self.redis = redis
        self._fail = redis.register_script(_FAIL)

    async def check(self, org: str, email: str, ip: str) -> Verdict:
        acct, addr = _keys(org, email, ip)
        async with self.redis.pipeline(transaction=False) as p:
            p.get(acct)
            p.get(addr)
            p.ttl(acct)
            p.ttl(addr)
            a, i, a_ttl, i_ttl = await p.execute()
        a, i = int(a or 0), int(i or 0)
        blocked = [t for n, lim, t in ((a, ACCOUNT_LIMIT, a_ttl), (i, IP_LIMIT, i_ttl)) if n >= lim]
        if blocked:
            return Verdict(0.0, max(max(blocked), 1))
        worst = max(a, i * ACCOUNT_LIMIT // IP_LIMIT)
        if worst < FREE_FAILURES:
            return Verdict(0.0, 0)
        return Verdict(min(0.25 * 2 ** (worst - FREE_FAILURES), MAX_DELAY), 0)

    async def failed(self, org: str, email: str, ip: str) -> None:
        await self._fail(keys=list(_keys(org, email, ip)), args=[WINDOW_SECONDS])

    async def succeeded(self, org: str, email: str, ip: str) -> None:
        await self.redis.delete(_keys(org, email, ip)[0])

    async def spend(self, limit: MailLimit, org: str, email: str, ip: str) -> int:
        """Count one request to mail ``email`` (of ``org``) from ``ip``: 0 to go ahead, or the
        seconds until the window of the limit it went past ends."""
        address = " ".join(email.lower().split())
        keys = [f"mail:{limit.kind}:addr:{_who(org, address)}", f"mail:{limit.kind}:ip:{ip}"]
        counts = await self._fail(keys=keys, args=[limit.window])
        over = [
            k
            for k, n, cap in zip(keys, counts, (limit.per_address, limit.per_ip), strict=True)
            if n > cap
        ]
        if not over:
            return 0
        ttls = [await self.redis.ttl(k) for k in over]
        return max(*ttls, 1)
