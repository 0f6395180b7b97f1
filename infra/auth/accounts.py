"""Members' accounts: invitations, passwords, one-time links, roles, sign-in records, tokens.

Every change is a Member event: in the LAO's own log (through the event store, with the
``members`` inline projection) or, for provincial offices and the operator, in the operator
log (with ``office_members`` written in the same transaction). Password hashes and links are
state beside the events, never in them.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import asyncpg

from domain.registry import event_data, event_from
from domain.shared.clock import Clock
from domain.shared.errors import ConcurrencyConflict, DomainError
from domain.shared.messages import Event
from domain.shared.ports import Context
from domain.tenancy.members import (
    InvalidMember,
    Member,
    MemberStateError,
    normalise_email,
)
from infra.auth.orgs import Org, org_transaction
from infra.auth.passwords import check_password, hash_password
from infra.eventstore.postgres import PostgresEventStore
from infra.projections.members import fold_member_event
from infra.queries.members import member_table
from infra.repository import EventSourcedRepository
from infra.tokens import create_token

INVITATION_DAYS = 7
RESET_HOURS = 2


class LinkInvalid(DomainError):
    code = "link-invalid"
    status = 410


@dataclass(frozen=True)
class Account:
    account_id: uuid.UUID
    email: str
    name: str
    role: str
    status: str
    password_hash: str | None = None


def _digest(link: str) -> bytes:
    return hashlib.sha256(link.encode()).digest()


_table = member_table
# Run inside the transaction that stores a new one-time link: (connection, account, link).
LinkHook = Callable[[asyncpg.Connection, uuid.UUID, str], Awaitable[Any]]


class Accounts:
    def __init__(
        self,
        pool: asyncpg.Pool,
        store: PostgresEventStore,
        clock: Clock,
        *,
        tokens_changed: Callable[[uuid.UUID | None], None] = lambda _: None,
    ) -> None:
        """``tokens_changed(token id, or None for any)``: told as soon as this process revokes
        a token (the API's TokenCache forgets it at once; other processes hear the database's
        notice)."""
        self.pool, self.store, self.clock = pool, store, clock
        self.tokens_changed = tokens_changed

    # -- reading -------------------------------------------------------------------------
    async def find(
        self,
        conn: asyncpg.Connection,
        org: Org,
        *,
        email: str | None = None,
        account_id: uuid.UUID | None = None,
    ) -> Account | None:
        table, key_col, key = _table(org)
        where = "m.email = $2" if email is not None else "m.account_id = $2"
        province = " AND m.province_code = $3" if org.province and org.tenant_id is None else ""
        args: list[Any] = [key, email if email is not None else account_id]
        if province:
            args.append(org.province)
        row = await conn.fetchrow(
            f"SELECT m.account_id, m.email, m.name, m.role, m.status, c.password_hash "
            f"FROM {table} m LEFT JOIN credentials c USING (account_id) "
            f"WHERE m.{key_col} = $1 AND {where}{province}",
            *args,
        )
        return Account(**dict(row)) if row else None

    # -- writing -------------------------------------------------------------------------
    async def _load(self, conn: asyncpg.Connection, org: Org, account_id: uuid.UUID) -> Member:
        if org.tenant_id is not None:
            rows = await conn.fetch(
                "SELECT event_type, data FROM events WHERE tenant_id = $1 AND stream_id = $2 "
                "AND stream_type = 'member' ORDER BY version",
                org.tenant_id,
                account_id,
            )
        else:
            rows = await conn.fetch(
                "SELECT event_type, data FROM operator_events WHERE stream_id = $1 "
                "ORDER BY version",
                account_id,
            )
        return Member.replay(account_id, (event_from(r["event_type"], r["data"]) for r in rows))

    async def load(self, org: Org, account_id: uuid.UUID) -> Member:
        async with org_transaction(self.pool, org, readonly=True) as conn:
            return await self._load(conn, org, account_id)

    async def save(
        self, org: Org, member: Member, actor: str, *, any_version: bool = False
    ) -> None:
        if not member.pending():
            return
        if org.tenant_id is not None:
            repo = EventSourcedRepository(self.store)
            ctx = Context(org.tenant_id, actor)
            if any_version:
                from infra.eventstore.records import NewEvent

                await self.store.append(
                    org.tenant_id,
                    member.id,
                    "member",
                    None,
                    [NewEvent(e.event_type(), event_data(e)) for e in member.pending()],
                    metadata={"actor": actor},
                )
            else:
                await repo.save(ctx, member)
            return
        async with org_transaction(self.pool, org) as conn:
            current = await conn.fetchval(
                "SELECT coalesce(max(version), 0) FROM operator_events WHERE stream_id = $1",
                member.id,
            )
            version = current if any_version else member.loaded_version
            if current != version:
                raise ConcurrencyConflict(version, current)
            now = self.clock.now()
            for e in member.pending():
                version += 1
                data = event_data(e)
                await conn.execute(
                    "INSERT INTO operator_events (stream_id, version, event_type, data, "
                    "metadata, recorded_at) VALUES ($1, $2, $3, $4, $5, $6)",
                    member.id,
                    version,
                    e.event_type(),
                    data,
                    {"actor": actor, "org": org.code},
                    now,
                )
                await fold_member_event(
                    conn,
                    _table(org),
                    member.id,
                    version,
                    e.event_type(),
                    {**data, "province": org.province},
                    now,
                )

    async def _link(
        self,
        conn: asyncpg.Connection,
        org: Org,
        account_id: uuid.UUID,
        purpose: str,
        ttl: timedelta,
    ) -> str:
        link = secrets.token_urlsafe(32)
        now = self.clock.now()
        await conn.execute(
            "UPDATE account_links SET used_at = $2 WHERE account_id = $1 AND purpose = $3 "
            "AND used_at IS NULL",
            account_id,
            now,
            purpose,
        )
        await conn.execute(
            "INSERT INTO account_links (link_hash, account_id, tenant_id, purpose, created_at, "
            "expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
            _digest(link),
            account_id,
            org.tenant_id,
            purpose,
            now,
            now + ttl,
        )
        return link

    async def invite(
        self, org: Org, email: str, name: str, role: str, by: str, *, then: LinkHook | None = None
    ) -> tuple[uuid.UUID, str]:
        """Invite someone (or invite again an invitation not yet taken); return the link.
        ``then`` runs in the transaction that stores the link (e.g. to queue its email)."""
        email = normalise_email(email)
        async with org_transaction(self.pool, org, readonly=True) as conn:
            found = await self.find(conn, org, email=email)
            if found is not None and found.status != "invited":
                raise MemberStateError("มีสมาชิกที่ใช้อีเมลนี้อยู่แล้ว", field="email")
            account_id = found.account_id if found else uuid.uuid4()
            member = await self._load(conn, org, account_id)
        member.invite(email, name, role, org.scope, by)
        await self.save(org, member, by)
        async with org_transaction(self.pool, org) as conn:
            link = await self._link(
                conn, org, account_id, "invitation", timedelta(days=INVITATION_DAYS)
            )
            if then is not None:
                await then(conn, account_id, link)
        return account_id, link

    async def revoke_invitation(self, org: Org, account_id: uuid.UUID, by: str) -> None:
        """Withdraw an invitation not yet taken: its links stop working at once."""
        member = await self.load(org, account_id)
        member.revoke_invitation(by)
        await self.save(org, member, by)
        async with org_transaction(self.pool, org) as conn:
            await conn.execute(
                "UPDATE account_links SET used_at = $2 WHERE account_id = $1 "
                "AND purpose = 'invitation' AND used_at IS NULL",
                account_id,
                self.clock.now(),
            )

    async def record_operator_access(
        self, operator: Org, stream: uuid.UUID, event: Event, by: str
    ) -> None:
        """An operator's access decision about an LAO, in the operator log (the LAO's access
        stream there: ``stream`` is the LAO's tenant id)."""
        async with org_transaction(self.pool, operator) as conn:
            version = await conn.fetchval(
                "SELECT coalesce(max(version), 0) + 1 FROM operator_events WHERE stream_id = $1",
                stream,
            )
            await conn.execute(
                "INSERT INTO operator_events (stream_id, version, event_type, data, metadata, "
                "recorded_at) VALUES ($1, $2, $3, $4, $5, $6)",
                stream,
                version,
                event.event_type(),
                event_data(event),
                {"actor": by, "org": operator.code},
                self.clock.now(),
            )

    async def _take_link(
        self, conn: asyncpg.Connection, link: str, purpose: str, *, lock: bool = False
    ) -> uuid.UUID:
        row = await conn.fetchrow(
            "SELECT account_id, expires_at, used_at FROM account_links "
            "WHERE link_hash = $1 AND purpose = $2" + (" FOR UPDATE" if lock else ""),
            _digest(link),
            purpose,
        )
        if row is None or row["used_at"] is not None or row["expires_at"] <= self.clock.now():
            raise LinkInvalid(
                "ลิงก์นี้ใช้ไม่ได้แล้ว (หมดอายุหรือถูกใช้ไปแล้ว) กรุณาขอลิงก์ใหม่",
            )
        return row["account_id"]  # type: ignore[no-any-return]

    async def link_account(self, org: Org, link: str, purpose: str) -> Account:
        """Who a link is for, if it is still good (to greet them by name on the page)."""
        async with org_transaction(self.pool, org, readonly=True) as conn:
            account_id = await self._take_link(conn, link, purpose)
            found = await self.find(conn, org, account_id=account_id)
        if found is None:
            raise LinkInvalid("ลิงก์นี้ใช้ไม่ได้แล้ว กรุณาขอลิงก์ใหม่")
        return found

    async def _use_link(
        self, org: Org, link: str, purpose: str, password: str, apply: str, name: str = ""
    ) -> uuid.UUID:
        check_password(password, name)
        hashed = await hash_password(password)
        async with org_transaction(self.pool, org, readonly=True) as conn:
            account_id = await self._take_link(conn, link, purpose)
            member = await self._load(conn, org, account_id)
        if apply == "join":
            member.join(name)
        else:
            member.change_password("reset")
        await self.save(org, member, member.email)
        async with org_transaction(self.pool, org) as conn:
            await self._take_link(conn, link, purpose, lock=True)
            await conn.execute(
                "UPDATE account_links SET used_at = $2 WHERE link_hash = $1",
                _digest(link),
                self.clock.now(),
            )
            await self._store_hash(conn, org, account_id, hashed)
        return account_id

    async def _store_hash(
        self, conn: asyncpg.Connection, org: Org, account_id: uuid.UUID, hashed: str
    ) -> None:
        await conn.execute(
            "INSERT INTO credentials (account_id, tenant_id, password_hash, changed_at) "
            "VALUES ($1, $2, $3, $4) ON CONFLICT (account_id) DO UPDATE SET "
            "password_hash = EXCLUDED.password_hash, changed_at = EXCLUDED.changed_at",
            account_id,
            org.tenant_id,
            hashed,
            self.clock.now(),
        )

    async def accept(self, org: Org, link: str, name: str, password: str) -> uuid.UUID:
        return await self._use_link(org, link, "invitation", password, "join", name)

    async def reset(self, org: Org, link: str, password: str) -> uuid.UUID:
        return await self._use_link(org, link, "reset", password, "reset")

    async def request_reset(
        self, org: Org, email: str, *, then: LinkHook | None = None
    ) -> tuple[Account, str] | None:
        """A reset link for a known, active account; None otherwise (the caller answers the
        same either way). ``then`` runs in the transaction that stores the link."""
        try:
            email = normalise_email(email)
        except InvalidMember:
            return None
        async with org_transaction(self.pool, org) as conn:
            found = await self.find(conn, org, email=email)
            if found is None or found.status != "active":
                return None
            link = await self._link(
                conn, org, found.account_id, "reset", timedelta(hours=RESET_HOURS)
            )
            if then is not None:
                await then(conn, found.account_id, link)
        return found, link

    async def set_password(self, org: Org, account_id: uuid.UUID, password: str, by: str) -> None:
        """The operator's command line (and the demo data): set a password directly."""
        check_password(password)
        hashed = await hash_password(password)
        member = await self.load(org, account_id)
        if member.status == "invited":
            member.join(member.name)
        member.change_password("set")
        await self.save(org, member, by)
        async with org_transaction(self.pool, org) as conn:
            await self._store_hash(conn, org, account_id, hashed)

    async def change(
        self, org: Org, account_id: uuid.UUID, by: str, action: str, role: str = ""
    ) -> Member:
        member = await self.load(org, account_id)
        if not member.exists:
            raise MemberStateError("ไม่พบสมาชิกคนนี้")
        if action == "role":
            member.change_role(role, by)
        elif action == "disable":
            member.disable(by)
        elif action == "enable":
            member.enable(by)
        await self.save(org, member, by)
        if action in ("role", "disable") and org.tenant_id is not None:
            # Tokens carry the role they were made with: a changed or disabled member's end.
            async with org_transaction(self.pool, org) as conn:
                await self.revoke_all_tokens(conn, account_id, self.clock.now())
        return member

    async def record_sign_in(
        self, org: Org, account_id: uuid.UUID, ip: str, reason: str = ""
    ) -> None:
        member = await self.load(org, account_id)
        if reason:
            member.sign_in_failed(ip, reason)
        else:
            member.signed_in(ip)
        await self.save(org, member, member.email, any_version=True)

    async def create_token(self, org: Org, account_id: uuid.UUID, name: str) -> str:
        if org.tenant_id is None:
            raise MemberStateError("API token มีไว้สำหรับสมาชิกของ อปท. เท่านั้น")
        member = await self.load(org, account_id)
        async with org_transaction(self.pool, org) as conn:
            token = await create_token(
                conn,
                org.tenant_id,
                member.role or "viewer",
                member.email,
                name,
                account_id=account_id,
            )
        token_id = uuid.UUID(hex=token.split("_")[1])
        try:
            member.create_token(token_id, name)
            await self.save(org, member, member.email)
        except DomainError:
            async with org_transaction(self.pool, org) as conn:
                await conn.execute(
                    "UPDATE api_tokens SET revoked_at = now() WHERE token_id = $1", token_id
                )
            raise
        return token

    async def revoke_token(
        self, org: Org, account_id: uuid.UUID, token_id: uuid.UUID, by: str
    ) -> None:
        member = await self.load(org, account_id)
        member.revoke_token(token_id, by)
        await self.save(org, member, by)
        async with org_transaction(self.pool, org) as conn:
            await conn.execute(
                "UPDATE api_tokens SET revoked_at = $2 WHERE token_id = $1 AND revoked_at IS NULL",
                token_id,
                self.clock.now(),
            )
        self.tokens_changed(token_id)

    async def revoke_all_tokens(
        self, conn: asyncpg.Connection, account_id: uuid.UUID, at: datetime
    ) -> None:
        await conn.execute(
            "UPDATE api_tokens SET revoked_at = $2 WHERE account_id = $1 AND revoked_at IS NULL",
            account_id,
            at,
        )
        self.tokens_changed(None)
