"""The witnessed log end to end, on the demo data: the real API (uvicorn) and two witness
processes (`sujarit witness`, each with its own key and folder) speaking C2SP tlog-witness;
cosignatures checked with the bare Ed25519 primitive; then the tamper drill: the database
owner rewrites one of Phang Khwang's events and recomputes its chain and tree, the witnesses
refuse the next checkpoint, the public pages show the alarm, and `sujarit verify` holding the
earlier checkpoint finds the inconsistency."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from domain.ledger.note import parse_checkpoint, parse_note
from domain.tenancy.organisations import organisation_id
from infra.db.pool import connect, create_pool
from infra.eventstore.postgres import PostgresEventStore
from infra.eventstore.records import NewEvent
from infra.eventstore.verify import verify_log
from infra.projections.registry import inline_projections
from infra.tlog import store
from infra.tlog.witnesses import parse_witnesses
from infra.tokens import create_token
from services.usecases.ledger import Issued, issue_checkpoint, issue_due
from services.usecases.ledger_public import all_alarms
from tests.conftest import Servers
from tests.ledger_world import World, rewrite_event, running_world

pytestmark = pytest.mark.timeout(300)
PK = organisation_id("6470101")
NOW = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def world(servers: Servers, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    data = tmp_path_factory.mktemp("witnessed").resolve()
    with running_world(servers, data, ("provincial", "national")) as w:
        yield w


def _get(url: str) -> tuple[int, str, dict[str, str]]:
    try:
        with urllib.request.urlopen(url, timeout=20) as r:
            return r.status, r.read().decode(), {k.lower(): v for k, v in r.headers.items()}
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(), {k.lower(): v for k, v in e.headers.items()}


async def _issue(world: World, now: datetime = NOW) -> list[Issued]:
    pool = await create_pool(world.settings.projector_url, min_size=1, max_size=2)
    try:
        ws = parse_witnesses(world.settings.witnesses)
        return list(await issue_due(pool, world.signer, ws, now=now, every=timedelta(minutes=3)))
    finally:
        await pool.close()


async def _append(world: World, n: int = 1) -> None:
    pool = await create_pool(world.settings.app_url, min_size=1, max_size=2)
    try:
        es = PostgresEventStore(pool, projections=inline_projections())
        await es.append(
            PK, uuid.uuid4(), "Probe", 0, [NewEvent("Probed", {"n": i}) for i in range(n)]
        )
    finally:
        await pool.close()


def _checkpoint(world: World) -> str:
    status, text, headers = _get(world.url + "/p/6470101/log/checkpoint")
    assert status == 200, text
    assert headers["content-type"].startswith("text/plain")
    return text


def _independent_check(world: World, text: str) -> int:
    """The log signature and every cosignature, with the bare Ed25519 primitive and the
    formats written out here (not domain.ledger.note's parser)."""
    body, _, sigs = text.rpartition("\n\n")
    body += "\n"
    keys = json.loads(_get(world.url + "/p/6470101/log/keys")[1])
    cosigned = 0
    for line in sigs.strip("\n").split("\n"):
        dash, name, b64 = line.split(" ")
        assert dash == "\u2014"
        raw = base64.b64decode(b64)
        if name == world.signer.name:
            vk = base64.b64decode(keys["log"].split("+", 2)[2])
            assert vk[0] == 1
            Ed25519PublicKey.from_public_bytes(vk[1:]).verify(raw[4:], body.encode())
        else:
            (wkey,) = [k for k in keys["witnesses"] if k.startswith(name + "+")]
            vk = base64.b64decode(wkey.split("+", 2)[2])
            assert vk[0] == 4 and len(raw) == 4 + 8 + 64
            stamp = int.from_bytes(raw[4:12], "big")
            assert abs(stamp - time.time()) < 600
            msg = f"cosignature/v1\ntime {stamp}\n{body}".encode()
            Ed25519PublicKey.from_public_bytes(vk[1:]).verify(raw[12:], msg)
            cosigned += 1
    return cosigned


def _verify_cli(world: World, file: Path, state: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "services.cli",
            "verify",
            world.url + "/p/6470101",
            str(file),
            "--state",
            str(state),
            "--min-witnesses",
            "2",
        ],
        capture_output=True,
        text=True,
        env=world.env,
        timeout=60,
    )


async def test_witnessed_log_and_tamper_drill(world: World, tmp_path: Path) -> None:
    # 1. the first checkpoint of every LAO, cosigned by both witnesses
    issued = await _issue(world)
    pk = next(i for i in issued if i.code == "6470101")
    assert pk.new and sorted(pk.cosigned) == ["witness.test/national", "witness.test/provincial"]
    text = _checkpoint(world)
    assert _independent_check(world, text) == 2
    first = parse_checkpoint(parse_note(text).text)
    assert first.origin == f"{world.signer.name}/p/6470101"
    # nothing grew: nothing issued (batched), nothing sent again
    assert [i for i in await _issue(world) if i.code == "6470101"] == []

    # a published file's record is checkable offline; the verifier keeps the checkpoint
    owner = await connect(world.settings.database_url)
    try:
        sha = await owner.fetchval(
            "SELECT sha256 FROM tlog_records WHERE tenant_id = $1 ORDER BY sequence LIMIT 1", PK
        )
        assert sha, "the demo's published declaration file has a record"
        path = world.settings.evidence_dir / sha[:2] / sha[2:4] / sha
        if not path.exists():
            path = next(world.settings.evidence_dir.rglob(sha))
        doc = tmp_path / "declaration.pdf"
        doc.write_bytes(path.read_bytes())
    finally:
        await owner.close()
    state = tmp_path / "verifier"
    ok = _verify_cli(world, doc, state)
    assert ok.returncode == 0, ok.stderr
    assert "cosigned by 2 witness(es)" in ok.stdout

    # 2. the log grows: batched until due, then cosigned with a consistency proof
    await _append(world, 3)
    assert [i for i in await _issue(world) if i.code == "6470101"] == []
    later = NOW.replace(minute=4)
    (grown,) = [i for i in await _issue(world, later) if i.code == "6470101"]
    assert grown.size == first.size + 3 and len(grown.cosigned) == 2
    assert _independent_check(world, _checkpoint(world)) == 2
    again = _verify_cli(world, doc, state)
    assert again.returncode == 0, again.stderr
    assert f"consistent with the checkpoint of {first.size} entries" in again.stdout

    # a publication is checkpointed at once (the next scan), not after the batching delay
    owner = await connect(world.settings.database_url)
    try:
        token = await create_token(owner, PK, "executive", "executive@test")
        declaration = await owner.fetchval(
            "SELECT declaration_id FROM public_declarations WHERE tenant_id = $1", PK
        )
    finally:
        await owner.close()
    req = urllib.request.Request(
        f"{world.url}/api/v1/declarations/{declaration}/announcements",
        data=json.dumps({"channel": "website", "on": "2026-12-01", "detail": "ซ้ำ"}).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(req, timeout=20) as r:
        assert r.status == 200
    (published,) = [i for i in await _issue(world, later.replace(minute=5)) if i.code == "6470101"]
    assert published.new and published.size == grown.size + 1 and len(published.cosigned) == 2

    # a service that lost track of a witness's size gets 409 with the size, and recovers
    owner = await connect(world.settings.database_url)
    try:
        await owner.execute(
            "DELETE FROM tlog_cosignatures WHERE tenant_id = $1 AND witness LIKE "
            "'witness.test/national+%'",
            PK,
        )
    finally:
        await owner.close()
    pool = await create_pool(world.settings.projector_url, min_size=1, max_size=2)
    try:
        ws = parse_witnesses(world.settings.witnesses)
        redo = await issue_checkpoint(pool, world.signer, ws, PK, "6470101", now=later)
        assert redo.cosigned == ["witness.test/national"] and not redo.refused
    finally:
        await pool.close()

    # 3. the tamper drill: the owner rewrites an early event and recomputes everything
    owner = await connect(world.settings.database_url)
    try:
        await rewrite_event(owner, PK, "DeclarationPublished")
        # the forger's work passes every local check
        assert (await verify_log(owner)).ok
        assert await store.verify_trees(owner) == []
    finally:
        await owner.close()

    await _append(world, 1)
    (refused,) = [i for i in await _issue(world, NOW.replace(minute=9)) if i.code == "6470101"]
    assert sorted(refused.refused) == ["witness.test/national", "witness.test/provincial"]
    assert refused.cosigned == []
    for folder in world.witnesses:
        lines = (folder / "refusals.jsonl").read_text().splitlines()
        assert json.loads(lines[-1])["status"] == 422
    # the alarm on the public pages and the operator's console (its data, as the web role)
    pool = await create_pool(world.settings.app_url, min_size=1, max_size=1)
    try:
        alarms = await all_alarms(pool)
    finally:
        await pool.close()
    assert {(a["code"], a["status"]) for a in alarms} == {("6470101", 422)}
    assert len(alarms) == 2
    status, page, _ = _get(world.url + "/p/6470101")
    assert status == 200 and "ผู้รับรองอิสระปฏิเสธบันทึก" in page
    status, page, _ = _get(world.url + "/p/6470101/verify")
    assert status == 200 and "ผู้รับรองอิสระปฏิเสธบันทึก" in page
    # the refused checkpoint is never served: the last cosigned one is, whose root the
    # rewritten tree no longer reaches
    served = _checkpoint(world)
    assert _independent_check(world, served) == 2
    assert parse_checkpoint(parse_note(served).text).size == published.size
    # the verifier that kept the earlier checkpoint finds the rewrite
    caught = _verify_cli(world, doc, state)
    assert caught.returncode == 3, caught.stdout + caught.stderr
    assert "does not extend the checkpoint" in caught.stderr
    # another LAO's log is untouched and still cosigned
    assert "\u2014 witness.test/" in _get(world.url + "/p/6470102/log/checkpoint")[1]
