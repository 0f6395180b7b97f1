"""Accounts for the tests, made through the same code as the service's, and signing in."""

from __future__ import annotations

import asyncio
import re
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import asyncpg
from aiosmtpd.controller import Controller

from domain.shared.clock import Clock, SystemClock
from infra.auth.accounts import Accounts
from infra.auth.orgs import find_org
from infra.eventstore.postgres import PostgresEventStore
from infra.projections.registry import inline_projections
from infra.settings import Settings
from tests.integration.workers import redis_db, worker

PASSWORD = "correct horse battery"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def accounts_on(pool: asyncpg.Pool, clock: Clock | None = None) -> Accounts:
    store = PostgresEventStore(pool, clock=clock, projections=inline_projections())
    return Accounts(pool, store, clock or SystemClock())


async def make_member(
    pool: asyncpg.Pool, org_code: str, role: str, *, email: str = "", password: str = PASSWORD
) -> tuple[str, str]:
    """An active member (invited, then given a password); returns (email, account id)."""
    email = email or f"{role}-{secrets.token_hex(4)}@example.org"
    async with pool.acquire() as conn:
        org = await find_org(conn, org_code)
    assert org is not None, org_code
    accounts = accounts_on(pool)
    account_id, _ = await accounts.invite(org, email, f"ทดสอบ {role}", role, "test")
    await accounts.set_password(org, account_id, password, "test")
    return email, str(account_id)


def csrf_of(html: str) -> str:
    m = _CSRF.search(html)
    assert m, html[:500]
    return m[1]


async def sign_in(client: Any, org_code: str, email: str, password: str = PASSWORD) -> Any:
    form = await client.get(f"/t/{org_code}/signin")
    assert form.status_code == 200, form.text
    return await client.post(
        f"/t/{org_code}/signin",
        data={"email": email, "password": password, "csrf_token": csrf_of(form.text)},
        follow_redirects=False,
    )


async def session_csrf(client: Any, org_code: str) -> str:
    """The signed-in session's CSRF token, as the pages give it."""
    page = await client.get(f"/t/{org_code}/")
    assert page.status_code == 200, page.text
    return csrf_of(page.text)


@dataclass
class Mailbox:
    """A real SMTP server (aiosmtpd) on a free port, keeping what it receives."""

    port: int = 0
    messages: list[EmailMessage] = field(default_factory=list)

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    async def wait(self, address: str, count: int = 1, timeout: float = 30.0) -> None:
        """Until ``count`` messages to ``address`` arrived (the worker sends them), or the
        timeout; the caller asserts what it expects."""
        deadline = time.monotonic() + timeout
        while len(self.to(address)) < count and time.monotonic() < deadline:
            await asyncio.sleep(0.05)

    @staticmethod
    def text(msg: EmailMessage) -> str:
        body = msg.get_body(("plain",))
        assert body is not None
        return str(body.get_content())

    def link(self, address: str, kind: str) -> str:
        """The last one-time link of ``kind`` (invitation or reset) mailed to ``address``."""
        for msg in reversed(self.to(address)):
            m = re.search(rf"https?://[^\s]+/t/([^/\s]+)/{kind}/([A-Za-z0-9_-]+)", self.text(msg))
            if m:
                return f"/t/{m[1]}/{kind}/{m[2]}"
        raise AssertionError(f"no {kind} link mailed to {address}")


class _Handler:
    def __init__(self, box: Mailbox) -> None:
        self.box = box

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        msg = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(msg, EmailMessage)
        self.box.messages.append(msg)
        return "250 OK"


def serve(box: Mailbox) -> Controller:
    """Start an SMTP server on ``box.port`` that keeps what it receives in ``box``."""
    controller = Controller(_Handler(box), hostname="127.0.0.1", port=box.port)
    controller.start()
    return controller


def smtp_server() -> Iterator[Mailbox]:
    from infra.embedded import free_port

    box = Mailbox(port=free_port())
    controller = serve(box)
    try:
        yield box
    finally:
        controller.stop()


@contextmanager
def mail_worker(settings: Settings, box: Mailbox, log: Path, db: int = 13) -> Iterator[Settings]:
    """A real Celery worker sending the mail outbox to ``box``; the settings an app needs to
    hand it its mail (the same Redis database, the same SMTP server)."""
    url = redis_db(settings, db)
    with worker(settings, box, url, log, concurrency=1):
        yield replace(settings, redis_url=url, smtp_port=box.port)
