"""What anyone may read of an LAO's transparency log: the latest checkpoint with its
cosignatures, inclusion and consistency proofs, the record of a published file, and the
witnesses' refusals (alarms). Every read runs in a read-only transaction as the role
``sujarit_public``, which can read the log's public tables and the organisations only."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import asyncpg

from domain.ledger import merkle
from domain.ledger.merkle import ProofError
from domain.ledger.note import b64
from infra.tlog import store

PUBLIC_ROLE = "sujarit_public"
MAX_SIZE = 1 << 62


class UnknownLog(LookupError):
    """No LAO has this code."""


@dataclass(frozen=True)
class Org:
    id: uuid.UUID
    code: str
    name_th: str


@asynccontextmanager
async def public(pool: asyncpg.Pool, code: str) -> AsyncIterator[tuple[asyncpg.Connection, Org]]:
    """A read-only transaction as ``sujarit_public`` and the LAO of ``code``."""
    if not re.fullmatch(r"[0-9A-Za-z-]{3,20}", code):
        raise UnknownLog(code)
    async with pool.acquire() as conn, conn.transaction(readonly=True):
        await conn.execute("SELECT set_config('role', $1, true)", PUBLIC_ROLE)
        row = await conn.fetchrow(
            "SELECT id, code, name_th FROM organisations WHERE code = $1",
            code,
        )
        if row is None:
            raise UnknownLog(code)
        yield conn, Org(row["id"], row["code"], row["name_th"])


async def checkpoint(pool: asyncpg.Pool, code: str) -> tuple[int, str] | None:
    """(size, the signed note with the witnesses' cosignatures), or None before the first.
    The latest checkpoint a witness cosigned; the latest one only while none is cosigned (a
    log without witnesses, or before the first cosignature): a checkpoint the witnesses
    refused is never served as the log's word."""
    async with public(pool, code) as (conn, org):
        last = await store.latest_checkpoint(conn, org.id, cosigned=True)
        if last is None:
            last = await store.latest_checkpoint(conn, org.id)
        if last is None:
            return None
        lines = await store.cosignature_lines(conn, org.id, last.size)
        return last.size, last.note + "".join(lines)


def _sizes(*values: int) -> None:
    if any(v < 0 or v > MAX_SIZE for v in values):
        raise ProofError("sizes and indexes are between 0 and 2^62")


async def _nodes(
    pool: asyncpg.Pool, code: str, need: list[merkle.Node], size: int
) -> dict[merkle.Node, tuple[bytes, bytes | None]]:
    """The nodes ``need`` of the LAO ``code``'s tree, checking it has ``size`` leaves."""
    if not re.fullmatch(r"[0-9A-Za-z-]{3,20}", code):
        raise UnknownLog(code)
    if size:
        need = [*need, (0, size - 1)]
    # one statement, its own transaction, read as the public role (tlog_public_nodes)
    rows = await pool.fetch(store.PROOF_NODES, code, [n[0] for n in need], [n[1] for n in need])
    if not rows:
        raise UnknownLog(code)
    found = {
        (r["level"], r["idx"]): (bytes(r["hash"]), r["leaf"])
        for r in rows
        if r["level"] is not None
    }
    if size and (0, size - 1) not in found:
        raise ProofError(f"the log of {code} does not have {size} entries yet")
    if len(found) != len(set(need)):
        raise ProofError(f"the log of {code} lacks nodes of this proof")
    return found


async def inclusion(pool: asyncpg.Pool, code: str, index: int, size: int) -> dict[str, Any]:
    _sizes(index, size)
    ranges = merkle.inclusion_ranges(index, size)
    found = await _nodes(pool, code, [*merkle.nodes_for(ranges), (0, index)], size)
    proof = merkle.hashes_of(ranges, lambda n: found[n][0])
    leaf = found[(0, index)][1]
    return {
        "index": index,
        "size": size,
        "leaf": b64(bytes(leaf or b"")),
        "proof": [b64(p) for p in proof],
    }


async def consistency(pool: asyncpg.Pool, code: str, old: int, new: int) -> dict[str, Any]:
    _sizes(old, new)
    ranges = merkle.consistency_ranges(old, new)
    found = await _nodes(pool, code, merkle.nodes_for(ranges), new)
    proof = merkle.hashes_of(ranges, lambda n: found[n][0])
    return {"from": old, "to": new, "proof": [b64(p) for p in proof]}


async def record(pool: asyncpg.Pool, code: str, sha256: str) -> dict[str, Any] | None:
    """The event that records a published file of SHA-256 ``sha256`` (hex), if any."""
    if not re.fullmatch(r"[0-9a-f]{64}", sha256):
        raise ProofError("sha256 is 64 lowercase hexadecimal digits")
    async with public(pool, code) as (conn, org):
        row = await conn.fetchrow(
            "SELECT sequence, event_type, prev_hash, body FROM tlog_records "
            "WHERE tenant_id = $1 AND sha256 = $2 ORDER BY sequence LIMIT 1",
            org.id,
            sha256,
        )
    if row is None:
        return None
    return {
        "sha256": sha256,
        "sequence": row["sequence"],
        "index": row["sequence"] - 1,
        "event_type": row["event_type"],
        "prev_hash": b64(bytes(row["prev_hash"])),
        "body": row["body"],
    }


async def alarms(pool: asyncpg.Pool, code: str) -> list[dict[str, Any]]:
    async with public(pool, code) as (conn, org):
        rows = await store.alarms(conn, org.id)
    return [_alarm(r) for r in rows]


def _alarm(row: Any) -> dict[str, Any]:
    """A witness's alarm as shown: the witness by its name (without its key hash)."""
    return {
        "witness": row["witness"].split("+")[0],
        "size": row["size"],
        "status": row["status"],
        "reason": row["reason"],
        "at": row["at"],
    }


async def all_alarms(pool: asyncpg.Pool) -> list[dict[str, Any]]:
    """Every LAO's alarms (the operator's console), newest first."""
    async with pool.acquire() as conn, conn.transaction(readonly=True):
        await conn.execute("SELECT set_config('role', $1, true)", PUBLIC_ROLE)
        rows = await store.alarms(conn)
    return [{"code": r["code"], "name_th": r["name_th"], **_alarm(r)} for r in rows]
