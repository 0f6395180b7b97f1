"""The transparency log's use cases: issue a tenant's checkpoint, have witnesses cosign it,
and find which tenants are due. Plain async functions over a pool of the projector role (which
reads every tenant's tree and writes the log's public tables); no web or task framework.

A tenant is due when its tree grew since its last checkpoint and either something was published
since then (at once) or the last checkpoint is at least ``every`` old (batched). A checkpoint
already issued but not yet cosigned by a witness (it was unreachable) is sent again.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import asyncpg

from domain.ledger.note import (
    AddCheckpoint,
    Checkpoint,
    Note,
    NoteError,
    parse_note,
    parse_signature_lines,
)
from infra.tlog import store
from infra.tlog.keys import Signer, verify_cosignature
from infra.tlog.records import PUBLICATION_TYPES, record_files
from infra.tlog.witnesses import Witness, add_checkpoint

log = logging.getLogger("sujarit.ledger")


def origin(log_name: str, code: str) -> str:
    return f"{log_name}/p/{code}"


@dataclass
class Issued:
    code: str
    size: int
    new: bool
    cosigned: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    unreachable: list[str] = field(default_factory=list)


async def issue_checkpoint(
    pool: asyncpg.Pool,
    signer: Signer,
    witnesses: list[Witness],
    tenant: uuid.UUID,
    code: str,
    *,
    now: datetime,
) -> Issued:
    """Sign a checkpoint of the tenant's tree as it is now (when it grew) and send the latest
    checkpoint to every witness that has not cosigned it."""
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(hashtext('tlog'), hashtext($1))", code)
        last = await store.latest_checkpoint(conn, tenant)
        size = await store.tree_size(conn, tenant)
        new = last is None or size > last.size
        if new:
            root = await store.root(conn, tenant, size)
            text = Checkpoint(origin(signer.name, code), size, root).text()
            note = str(Note(text, (signer.sign_note(text),)))
            await conn.execute(
                "INSERT INTO tlog_checkpoints (tenant_id, size, root, note, issued_at) "
                "VALUES ($1, $2, $3, $4, $5)",
                tenant,
                size,
                root,
                note,
                now,
            )
            await record_files(conn, tenant, last.size if last else 0, size)
        else:
            assert last is not None
            size, note = last.size, last.note
    issued = Issued(code, size, new)
    for w in witnesses:
        await _witness(pool, w, tenant, parse_note(note), size, now, issued)
    return issued


async def _last_cosigned(pool: asyncpg.Pool, tenant: uuid.UUID, witness: Witness) -> int:
    size = await pool.fetchval(
        "SELECT max(size) FROM tlog_cosignatures WHERE tenant_id = $1 AND witness = $2",
        tenant,
        str(witness.key),
    )
    return int(size or 0)


async def _alarm(
    pool: asyncpg.Pool,
    tenant: uuid.UUID,
    witness: Witness,
    size: int,
    status: int,
    reason: str,
    now: datetime,
) -> None:
    log.error("witness %s refused checkpoint %s: %s %s", witness.name, size, status, reason)
    await pool.execute(
        "INSERT INTO tlog_alarms (tenant_id, witness, size, status, reason, at) "
        "VALUES ($1, $2, $3, $4, $5, $6)",
        tenant,
        str(witness.key),
        size,
        status,
        reason[:500],
        now,
    )


async def _witness(
    pool: asyncpg.Pool,
    w: Witness,
    tenant: uuid.UUID,
    note: Note,
    size: int,
    now: datetime,
    issued: Issued,
) -> None:
    old = await _last_cosigned(pool, tenant, w)
    if old == size and old:
        return  # cosigned already
    for attempt in (1, 2):
        if old > size:
            await _alarm(pool, tenant, w, size, 409, f"the witness saw {old} leaves", now)
            issued.refused.append(w.name)
            return
        async with pool.acquire() as conn:
            proof = await store.consistency_proof(conn, tenant, old, size)
        answer = await add_checkpoint(w, AddCheckpoint(old, tuple(proof), note).body())
        if answer.status == 200:
            try:
                lines = parse_signature_lines(answer.body)
            except NoteError as exc:
                await _alarm(pool, tenant, w, size, 200, f"unreadable cosignature: {exc}", now)
                issued.refused.append(w.name)
                return
            for sig in lines:
                stamp = verify_cosignature(w.key, Note(note.text, (sig,)))
                if stamp is not None:
                    await pool.execute(
                        "INSERT INTO tlog_cosignatures (tenant_id, size, witness, line, "
                        "cosigned_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                        tenant,
                        size,
                        str(w.key),
                        sig.line(),
                        datetime.fromtimestamp(stamp, now.tzinfo),
                    )
                    issued.cosigned.append(w.name)
                    return
            await _alarm(pool, tenant, w, size, 200, "no valid cosignature in the answer", now)
            issued.refused.append(w.name)
            return
        if answer.status == 0:
            log.warning("witness %s unreachable: %s", w.name, answer.body)
            issued.unreachable.append(w.name)
            return
        if (
            answer.status == 409
            and attempt == 1
            and answer.content_type.startswith("text/x.tlog.size")
            and answer.body.strip().isdigit()
            and int(answer.body.strip()) != old
        ):
            old = int(answer.body.strip())  # the witness knows another size: prove from it
            continue
        await _alarm(pool, tenant, w, size, answer.status, answer.body.strip(), now)
        issued.refused.append(w.name)
        return


async def due_tenants(
    pool: asyncpg.Pool, *, now: datetime, every: timedelta, witnesses: int
) -> list[tuple[uuid.UUID, str]]:
    """Tenants whose tree grew and are due (published since, or the last checkpoint is old),
    and tenants whose latest checkpoint lacks a witness's cosignature or refusal."""
    rows = await pool.fetch(
        """
        SELECT o.id, o.code FROM organisations o
        CROSS JOIN LATERAL (
          SELECT coalesce(max(n.idx) + 1, 0) AS size FROM tlog_nodes n
           WHERE n.tenant_id = o.id AND n.level = 0) t
        LEFT JOIN LATERAL (
          SELECT k.size, k.issued_at FROM tlog_checkpoints k WHERE k.tenant_id = o.id
           ORDER BY k.size DESC LIMIT 1) c ON true
        WHERE (t.size > coalesce(c.size, 0) AND (
                 c.size IS NULL OR c.issued_at <= $1
                 OR EXISTS (SELECT 1 FROM events e WHERE e.tenant_id = o.id
                             AND e.sequence > c.size AND e.event_type = ANY($2::text[]))))
           OR (c.size IS NOT NULL AND $3 > (
                 (SELECT count(*) FROM tlog_cosignatures s
                   WHERE s.tenant_id = o.id AND s.size = c.size)
               + (SELECT count(DISTINCT a.witness) FROM tlog_alarms a
                   WHERE a.tenant_id = o.id AND a.size = c.size)))
        ORDER BY o.code
        """,
        now - every,
        list(PUBLICATION_TYPES),
        witnesses,
    )
    return [(r["id"], r["code"]) for r in rows]


async def issue_due(
    pool: asyncpg.Pool,
    signer: Signer,
    witnesses: list[Witness],
    *,
    now: datetime,
    every: timedelta,
) -> list[Issued]:
    out = []
    for tenant, code in await due_tenants(pool, now=now, every=every, witnesses=len(witnesses)):
        out.append(await issue_checkpoint(pool, signer, witnesses, tenant, code, now=now))
    return out
