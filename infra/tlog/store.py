"""SQL of the transparency log: tree nodes, checkpoints, cosignatures, alarms, records.

Reads take a connection whose transaction may see the rows (the public role, the projector
role, or the owner); nothing here sets a role or a tenant.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import asyncpg

from domain.ledger import merkle
from domain.ledger.merkle import Node, Range


class MissingNodes(LookupError):
    """The tree lacks nodes a proof needs (it is smaller than asked, or damaged)."""


# The nodes a proof needs and the LAO they belong to, in one statement that reads as the public
# role (migration 0023): at least one row when the LAO exists (level NULL when none is stored).
PROOF_NODES = (
    "SELECT level, idx, hash, leaf FROM tlog_public_nodes($1, $2::smallint[], $3::bigint[])"
)


async def tree_size(conn: asyncpg.Connection, tenant: uuid.UUID) -> int:
    size = await conn.fetchval(
        "SELECT coalesce(max(idx) + 1, 0) FROM tlog_nodes WHERE tenant_id = $1 AND level = 0",
        tenant,
    )
    return int(size)


async def fetch_nodes(
    conn: asyncpg.Connection, tenant: uuid.UUID, nodes: Sequence[Node]
) -> dict[Node, bytes]:
    if not nodes:
        return {}
    rows = await conn.fetch(
        "SELECT n.level, n.idx, n.hash FROM tlog_nodes n "
        "JOIN unnest($2::smallint[], $3::bigint[]) AS w(level, idx) "
        "ON n.level = w.level AND n.idx = w.idx WHERE n.tenant_id = $1",
        tenant,
        [lv for lv, _ in nodes],
        [i for _, i in nodes],
    )
    found = {(r["level"], r["idx"]): bytes(r["hash"]) for r in rows}
    if len(found) != len(set(nodes)):
        raise MissingNodes(f"{len(set(nodes)) - len(found)} tree nodes are missing")
    return found


async def range_hashes(
    conn: asyncpg.Connection, tenant: uuid.UUID, ranges: Sequence[Range]
) -> list[bytes]:
    """The hashes of ``ranges`` from the stored complete subtrees (one query)."""
    found = await fetch_nodes(conn, tenant, merkle.nodes_for(ranges))
    return merkle.hashes_of(ranges, found.__getitem__)


async def root(conn: asyncpg.Connection, tenant: uuid.UUID, size: int) -> bytes:
    if size == 0:
        return merkle.EMPTY_ROOT
    return (await range_hashes(conn, tenant, [(0, size)]))[0]


async def consistency_proof(
    conn: asyncpg.Connection, tenant: uuid.UUID, old: int, new: int
) -> list[bytes]:
    ranges = merkle.consistency_ranges(old, new)
    if new and (0, new - 1) not in merkle.nodes_for(ranges):
        await fetch_nodes(conn, tenant, [(0, new - 1)])  # the tree has `new` leaves
    return await range_hashes(conn, tenant, ranges)


async def rebuild_tree(conn: asyncpg.Connection, tenant: uuid.UUID) -> int:
    """Recompute a tenant's nodes from its events (the owner's repair, and the tamper drill's
    forger): returns the number of leaves."""
    hashes = [
        bytes(r["hash"])
        for r in await conn.fetch(
            "SELECT hash FROM events WHERE tenant_id = $1 ORDER BY sequence", tenant
        )
    ]
    nodes = merkle.all_nodes(hashes)
    await conn.execute("DELETE FROM tlog_nodes WHERE tenant_id = $1", tenant)
    await conn.copy_records_to_table(
        "tlog_nodes",
        records=[
            (tenant, lv, i, h, hashes[i] if lv == 0 else None) for (lv, i), h in nodes.items()
        ],
        columns=["tenant_id", "level", "idx", "hash", "leaf"],
    )
    return len(hashes)


async def tree_matches_events(conn: asyncpg.Connection, tenant: uuid.UUID) -> str | None:
    """None when every stored node (and leaf input) equals a recomputation from the events,
    so the root and every proof do; else what differs first."""
    hashes = [
        bytes(r["hash"])
        for r in await conn.fetch(
            "SELECT hash FROM events WHERE tenant_id = $1 ORDER BY sequence", tenant
        )
    ]
    want = merkle.all_nodes(hashes)
    stored = {
        (r["level"], r["idx"]): (bytes(r["hash"]), r["leaf"])
        for r in await conn.fetch(
            "SELECT level, idx, hash, leaf FROM tlog_nodes WHERE tenant_id = $1", tenant
        )
    }
    if len(stored) != len(want):
        return f"the tree has {len(stored)} nodes, {len(want)} expected for {len(hashes)} events"
    for (level, index), h in sorted(want.items()):
        got = stored.get((level, index))
        if got is None or got[0] != h:
            return f"node {index} at level {level} differs from a recomputation from the events"
        if level == 0 and (got[1] is None or bytes(got[1]) != hashes[index]):
            return f"leaf {index} is not the hash of event {index + 1}"
    return None


# Checkpoints, cosignatures, alarms.


@dataclass(frozen=True)
class StoredCheckpoint:
    size: int
    root: bytes
    note: str
    issued_at: datetime


async def latest_checkpoint(
    conn: asyncpg.Connection, tenant: uuid.UUID, *, cosigned: bool = False
) -> StoredCheckpoint | None:
    """The tenant's latest checkpoint (``cosigned``: the latest with a cosignature)."""
    r = await conn.fetchrow(
        "SELECT size, root, note, issued_at FROM tlog_checkpoints k WHERE tenant_id = $1 "
        + (
            "AND EXISTS (SELECT 1 FROM tlog_cosignatures s WHERE s.tenant_id = k.tenant_id "
            "AND s.size = k.size) "
            if cosigned
            else ""
        )
        + "ORDER BY size DESC LIMIT 1",
        tenant,
    )
    return StoredCheckpoint(r["size"], bytes(r["root"]), r["note"], r["issued_at"]) if r else None


async def cosignature_lines(conn: asyncpg.Connection, tenant: uuid.UUID, size: int) -> list[str]:
    return [
        r["line"]
        for r in await conn.fetch(
            "SELECT line FROM tlog_cosignatures WHERE tenant_id = $1 AND size = $2 "
            "ORDER BY witness",
            tenant,
            size,
        )
    ]


async def alarms(conn: asyncpg.Connection, tenant: uuid.UUID | None = None) -> list[asyncpg.Record]:
    if tenant is None:
        return list(
            await conn.fetch(
                "SELECT a.*, o.code, o.name_th FROM tlog_alarms a "
                "JOIN organisations o ON o.id = a.tenant_id ORDER BY a.at DESC LIMIT 200"
            )
        )
    return list(
        await conn.fetch(
            "SELECT * FROM tlog_alarms WHERE tenant_id = $1 ORDER BY at DESC LIMIT 50", tenant
        )
    )


async def verify_trees(conn: asyncpg.Connection) -> list[tuple[str, str]]:
    """(code, why) of every tenant whose stored tree differs from its events (as the owner)."""
    out = []
    async with conn.transaction(isolation="repeatable_read", readonly=True):
        for r in await conn.fetch(
            "SELECT o.id, o.code FROM organisations o WHERE EXISTS "
            "(SELECT 1 FROM events e WHERE e.tenant_id = o.id) OR EXISTS "
            "(SELECT 1 FROM tlog_nodes n WHERE n.tenant_id = o.id) ORDER BY o.code"
        ):
            why = await tree_matches_events(conn, r["id"])
            if why:
                out.append((r["code"], why))
    return out
