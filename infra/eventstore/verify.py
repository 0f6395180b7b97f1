"""Recompute every tenant's hash chain and name the first broken link."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import asyncpg

from infra.eventstore.canonical import GENESIS, chain_hash
from infra.eventstore.postgres import COLUMNS, row_to_event


@dataclass(frozen=True)
class BrokenLink:
    tenant_id: uuid.UUID
    tenant_code: str
    sequence: int
    reason: str

    def __str__(self) -> str:
        return (
            f"tenant {self.tenant_code} ({self.tenant_id}) sequence {self.sequence}: {self.reason}"
        )


@dataclass(frozen=True)
class VerifyReport:
    tenants: int
    events: int
    broken: tuple[BrokenLink, ...]

    @property
    def ok(self) -> bool:
        return not self.broken


async def verify_log(conn: asyncpg.Connection, *, batch: int = 5000) -> VerifyReport:
    """Run as the owner (reads every tenant). One broken link reported per tenant: the first."""
    heads = {
        r["tenant_id"]: (r["sequence"], bytes(r["last_hash"]), r["code"])
        for r in await conn.fetch(
            "SELECT h.tenant_id, h.sequence, h.last_hash, o.code FROM tenant_heads h "
            "JOIN organisations o ON o.id = h.tenant_id"
        )
    }
    broken: dict[uuid.UUID, BrokenLink] = {}
    state: dict[uuid.UUID, tuple[int, bytes]] = {}
    count = 0
    async with conn.transaction(isolation="repeatable_read", readonly=True):
        cursor = conn.cursor(
            f"SELECT {COLUMNS} FROM events ORDER BY tenant_id, sequence", prefetch=batch
        )
        async for row in cursor:
            count += 1
            ev = row_to_event(row)
            t = ev.tenant_id
            if t in broken:
                continue
            last_seq, prev = state.get(t, (0, GENESIS))
            code = heads.get(t, (0, b"", "?"))[2]
            reason = None
            if ev.sequence != last_seq + 1:
                reason = f"sequence gap: expected {last_seq + 1}"
            elif ev.prev_hash != prev:
                reason = "previous hash does not match the event before it"
            elif chain_hash(prev, ev.hash_body()) != ev.hash:
                reason = "hash does not match the event's content (changed after it was written)"
            if reason:
                broken[t] = BrokenLink(t, code, ev.sequence, reason)
                continue
            state[t] = (ev.sequence, ev.hash)
    for t, (seq, last_hash, code) in heads.items():
        if t in broken:
            continue
        got_seq, got_hash = state.get(t, (0, GENESIS))
        if got_seq != seq or got_hash != last_hash:
            broken[t] = BrokenLink(
                t, code, got_seq + 1, f"tenant head says {seq} events; the log ends at {got_seq}"
            )
    ordered = tuple(sorted(broken.values(), key=lambda b: (b.tenant_code, b.sequence)))
    return VerifyReport(tenants=len(heads), events=count, broken=ordered)
