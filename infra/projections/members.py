"""Inline projection "members": an LAO's members, folded from its ``member`` streams.

The same folding writes ``office_members`` (reviewers and operators) from the operator log,
in the transaction that appends to it (infra/auth/accounts.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import asyncpg

from infra.eventstore.postgres import decode_json
from infra.eventstore.records import StoredEvent

_SET = {
    "MemberJoined": "status = 'active', name = $4, joined_at = $3",
    "PasswordChanged": "status = CASE status WHEN 'invited' THEN 'active' ELSE status END",
    "MemberRoleChanged": "role = $4",
    "MemberDisabled": "status = 'disabled'",
    "MemberEnabled": "status = 'active'",
    "SignedIn": "last_sign_in_at = $3",
}


async def fold_member_event(
    conn: asyncpg.Connection,
    where: tuple[str, str, Any],  # (table, key column, key value): the tenant or the scope
    account_id: uuid.UUID,
    version: int,
    event_type: str,
    data: Mapping[str, Any],
    at: datetime,
) -> None:
    table, key_col, key = where
    if event_type == "MemberInvited":
        extra_col, extra = (
            ("province_code", data.get("province") or None)
            if (table == "office_members")
            else ("", None)
        )
        cols = f"{key_col}, account_id, email, name, role, status, invited_at, updated_at, version"
        vals = "$1, $2, $5, $6, $7, 'invited', $3, $3, $4"
        args: list[Any] = [key, account_id, at, version, data["email"], data["name"], data["role"]]
        if extra_col:
            cols += f", {extra_col}"
            vals += ", $8"
            args.append(extra)
        conflict = "(tenant_id, account_id)" if table == "members" else "(account_id)"
        await conn.execute(
            f"INSERT INTO {table} ({cols}) VALUES ({vals}) ON CONFLICT {conflict} DO UPDATE SET "
            "email = EXCLUDED.email, name = EXCLUDED.name, role = EXCLUDED.role, "
            "status = 'invited', invited_at = EXCLUDED.invited_at, "
            "updated_at = EXCLUDED.updated_at, version = EXCLUDED.version",
            *args,
        )
        return
    if event_type == "InvitationRevoked":
        await conn.execute(
            f"DELETE FROM {table} WHERE {key_col} = $1 AND account_id = $2", key, account_id
        )
        return
    assignment = _SET.get(event_type, "")
    value = {"MemberJoined": data.get("name"), "MemberRoleChanged": data.get("new_role")}
    params: list[Any] = [key, account_id, at]
    if "$4" in assignment:
        params.append(value[event_type])
    sets = ", ".join(x for x in (assignment, f"updated_at = $3, version = {int(version)}") if x)
    await conn.execute(
        f"UPDATE {table} SET {sets} WHERE {key_col} = $1 AND account_id = $2", *params
    )


class MembersProjection:
    name: str = "members"
    tables: tuple[str, ...] = ("members",)
    stream_types: frozenset[str] | None = frozenset({"member"})
    reads: frozenset[str] = frozenset({"data", "version", "recorded_at"})

    async def apply(self, conn: asyncpg.Connection, events: Sequence[StoredEvent]) -> None:
        for e in events:
            if e.stream_type == "member":
                await fold_member_event(
                    conn,
                    ("members", "tenant_id", e.tenant_id),
                    e.stream_id,
                    e.version,
                    e.event_type,
                    e.data if isinstance(e.data, Mapping) else decode_json(e.data),
                    e.recorded_at,
                )

    def rebuilder(self) -> _Rebuild:
        return _Rebuild(self)


class _Rebuild:
    def __init__(self, projection: MembersProjection) -> None:
        self.projection = projection

    async def add(self, conn: asyncpg.Connection, events: Sequence[StoredEvent]) -> None:
        await self.projection.apply(conn, events)

    async def finish(self, conn: asyncpg.Connection) -> None:
        pass
