"""Who acted, in public: the events that record a published file are published whole (their
canonical text, /p/<code>/log/record), so they name the actor's role and office, never a
person; the person stays in the tenant's own event_actors, which the LAO's history reads and
the public role cannot."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from domain.declarations.handlers import (
    DraftDeclaration,
    PublishDeclaration,
    handle_declaration_command,
)
from domain.ledger.note import ED25519
from domain.shared.ports import Context
from infra.db.pool import connect, create_pool, tenant_transaction
from infra.eventstore.postgres import PostgresEventStore
from infra.projections.registry import inline_projections
from infra.repository import EventSourcedRepository
from infra.settings import Settings
from infra.tenancy import upsert_organisations
from infra.tlog.keys import load_or_create
from services.api.app import create_app
from services.usecases.ledger import issue_checkpoint
from tests.integration.test_public_page import ACTOR, SHA, _file, make_lao
from tests.support import org

pytestmark = pytest.mark.timeout(300)
PERSON = "somchai.clerk@lao.example.go.th"
SHA_E = "e" * 64


async def _public_log(client: Any, code: str, shas: list[str]) -> list[str]:
    """Every public log response for the LAO: checkpoint, keys, each file's record, each
    record's inclusion proof, a consistency proof."""
    texts = []
    r = await client.get(f"/p/{code}/log/checkpoint")
    assert r.status_code == 200, r.text
    size = int(r.text.split("\n")[1])
    texts.append(r.text)
    texts.append((await client.get(f"/p/{code}/log/keys")).text)
    for sha in shas:
        rec = await client.get(f"/p/{code}/log/record?sha256={sha}")
        assert rec.status_code == 200, (sha, rec.text)
        texts.append(rec.text)
        inc = await client.get(f"/p/{code}/log/inclusion?index={rec.json()['index']}&size={size}")
        assert inc.status_code == 200
        texts.append(inc.text)
    texts.append((await client.get(f"/p/{code}/log/consistency?from=1&to={size}")).text)
    texts.append((await client.get(f"/p/{code}/verify")).text)
    return texts


async def test_no_email_in_any_public_log_response(
    settings: Settings, app_pool: asyncpg.Pool, tmp_path: Path
) -> None:
    owner = await connect(settings.database_url)
    try:
        lao = await make_lao(app_pool, owner)  # a person (ACTOR) published, announced, promulgated
        # and a signed-in clerk (role and office known) publishes a second declaration
        other = org()
        await upsert_organisations(owner, [other])
    finally:
        await owner.close()
    repo = EventSourcedRepository(PostgresEventStore(app_pool, projections=inline_projections()))
    clerk = Context(lao.tenant, PERSON, role="clerk", office=lao.code)
    second = uuid.uuid4()
    await handle_declaration_command(repo, clerk, DraftDeclaration(second, "ประกาศ ๒", ("นายก",)))
    await handle_declaration_command(
        repo,
        clerk,
        PublishDeclaration(second, datetime(2025, 11, 1).date(), _file(SHA_E, "two.pdf")),
    )
    s = replace(settings, data_dir=tmp_path)
    signer = load_or_create(s.log_key_path, s.log_origin_name, ED25519)
    pool = await create_pool(s.projector_url, min_size=1, max_size=2)
    try:
        issued = await issue_checkpoint(
            pool, signer, [], lao.tenant, lao.code, now=datetime.now(UTC)
        )
        assert issued.size > 0
    finally:
        await pool.close()

    async with AsyncTestClient(create_app(s, configure_logs=False)) as client:
        texts = await _public_log(client, lao.code, [SHA["a"], SHA["b"], SHA["d"], SHA_E])
        # the records name a role at an office (or "member" when none was given), no person
        bodies = [
            json.loads((await client.get(f"/p/{lao.code}/log/record?sha256={h}")).json()["body"])
            for h in (SHA["a"], SHA_E)
        ]
    for text in texts:
        assert "@" not in text, text[:300]
        assert ACTOR not in text and PERSON not in text
    assert bodies[0]["metadata"]["actor"] == "member"
    assert bodies[1]["metadata"]["actor"] == f"clerk/{lao.code}"

    # the person stays in the tenant's own store: its history (timeline) names them ...
    async with tenant_transaction(app_pool, lao.tenant, readonly=True) as conn:
        rows = await conn.fetch(
            "SELECT event_type, actor FROM timeline WHERE event_type = 'DeclarationPublished' "
            "ORDER BY sequence"
        )
    assert [r["actor"] for r in rows] == [ACTOR, PERSON]
    # ... which another tenant and the public role cannot read
    async with tenant_transaction(app_pool, other.id, readonly=True) as conn:
        assert await conn.fetchval("SELECT count(*) FROM event_actors") == 0
    async with app_pool.acquire() as conn, conn.transaction(readonly=True):
        await conn.execute("SELECT set_config('role', 'sujarit_public', true)")
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await conn.fetchval("SELECT count(*) FROM event_actors")
