"""The transparency log on the demo data: the tree written by the append trigger equals a
recomputation from the events; the public proof endpoints answer every index and size as the
RFC 9162 definitions do; caching and errors."""

from __future__ import annotations

import asyncio
import base64
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace

import pytest
from litestar.testing import AsyncTestClient

from domain.ledger import merkle
from domain.tenancy.organisations import organisation_id
from infra.db.pool import connect, create_pool
from infra.eventstore.postgres import PostgresEventStore
from infra.eventstore.records import NewEvent
from infra.projections.registry import inline_projections
from infra.settings import Settings
from infra.tlog import store
from services.api.app import create_app
from services.usecases.demo import load_demo
from tests.conftest import Servers, _drop_database, make_database
from tests.unit.test_ledger_merkle import naive_mth, naive_path, naive_subproof

pytestmark = pytest.mark.timeout(300)
PK = organisation_id("6470101")


@pytest.fixture(scope="module")
def demo(servers: Servers, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    name = f"sujarit_tlog_{uuid.uuid4().hex[:8]}"
    data = tmp_path_factory.mktemp("data").resolve()
    settings = replace(make_database(servers, name), data_dir=data, cookie_secure=False)
    asyncio.run(load_demo(settings))
    yield settings
    asyncio.run(_drop_database(servers.admin_url, name))


@pytest.fixture
async def client(demo: Settings) -> AsyncIterator[AsyncTestClient]:  # type: ignore[type-arg]
    async with AsyncTestClient(create_app(demo, configure_logs=False)) as c:
        yield c


async def _event_hashes(settings: Settings, tenant: uuid.UUID) -> list[bytes]:
    owner = await connect(settings.database_url)
    try:
        rows = await owner.fetch(
            "SELECT hash FROM events WHERE tenant_id = $1 ORDER BY sequence", tenant
        )
        return [bytes(r["hash"]) for r in rows]
    finally:
        await owner.close()


async def test_tree_written_in_the_append_equals_a_recomputation(demo: Settings) -> None:
    owner = await connect(demo.database_url)
    try:
        assert await store.verify_trees(owner) == []
        hashes = await _event_hashes(demo, PK)
        assert len(hashes) > 50
        assert await store.root(owner, PK, len(hashes)) == naive_mth(hashes)
        # every stored node is the hash of its leaves
        nodes = {
            (r["level"], r["idx"]): bytes(r["hash"])
            for r in await owner.fetch(
                "SELECT level, idx, hash FROM tlog_nodes WHERE tenant_id = $1", PK
            )
        }
        assert nodes == merkle.all_nodes(hashes)
    finally:
        await owner.close()
    # appends by the web role (RLS, the trigger) keep it so, also several events at once
    pool = await create_pool(demo.app_url, min_size=1, max_size=2)
    try:
        es = PostgresEventStore(pool, projections=inline_projections())
        stream = uuid.uuid4()
        await es.append(PK, stream, "Probe", 0, [NewEvent("Probed", {"n": i}) for i in range(3)])
    finally:
        await pool.close()
    after = await _event_hashes(demo, PK)
    owner = await connect(demo.database_url)
    try:
        assert await store.root(owner, PK, len(after)) == naive_mth(after)
        assert await store.verify_trees(owner) == []
    finally:
        await owner.close()


async def test_proofs_served_for_every_index_and_size(
    client: AsyncTestClient, demo: Settings
) -> None:  # type: ignore[type-arg]
    hashes = (await _event_hashes(demo, PK))[:40]
    n = len(hashes)
    for size in range(1, n + 1):
        for index in range(size):
            r = await client.get(f"/p/6470101/log/inclusion?index={index}&size={size}")
            assert r.status_code == 200, r.text
            body = r.json()
            assert body["index"] == index and body["size"] == size
            assert base64.b64decode(body["leaf"]) == hashes[index]
            proof = [base64.b64decode(p) for p in body["proof"]]
            assert proof == naive_path(index, hashes[:size])
        for old in range(1, size + 1):
            r = await client.get(f"/p/6470101/log/consistency?from={old}&to={size}")
            assert r.status_code == 200, r.text
            proof = [base64.b64decode(p) for p in r.json()["proof"]]
            want = [] if old == size else naive_subproof(old, hashes[:size], True)
            assert proof == want, (old, size)


async def test_proofs_are_cached_for_good(client: AsyncTestClient) -> None:  # type: ignore[type-arg]
    r = await client.get("/p/6470101/log/inclusion?index=3&size=20")
    assert r.headers["cache-control"] == "public, max-age=31536000, immutable"
    etag = r.headers["etag"]
    again = await client.get(
        "/p/6470101/log/inclusion?index=3&size=20", headers={"If-None-Match": etag}
    )
    assert again.status_code == 304
    assert again.headers["etag"] == etag


@pytest.mark.parametrize(
    "url",
    [
        "/p/6470101/log/inclusion?index=5&size=5",
        "/p/6470101/log/inclusion?index=-1&size=5",
        "/p/6470101/log/inclusion?index=0&size=99999999",
        "/p/6470101/log/inclusion?index=0&size=99999999999999999999999",
        "/p/6470101/log/inclusion?index=x&size=5",
        "/p/6470101/log/inclusion?size=5",
        "/p/6470101/log/consistency?from=6&to=5",
        "/p/6470101/log/consistency?from=1&to=99999999",
        "/p/6470101/log/record?sha256=xyz",
    ],
)
async def test_bad_requests_are_400_problems(client: AsyncTestClient, url: str) -> None:  # type: ignore[type-arg]
    r = await client.get(url)
    assert r.status_code == 400, r.text
    assert r.headers["content-type"].startswith("application/problem+json")


async def test_unknown_lao_is_404(client: AsyncTestClient) -> None:  # type: ignore[type-arg]
    for url in ("/p/9999999/log/checkpoint", "/p/9999999/log/inclusion?index=0&size=1"):
        r = await client.get(url)
        assert r.status_code == 404
        assert r.headers["content-type"].startswith("application/problem+json")
    r = await client.get("/p/6470101/log/record?sha256=" + "0" * 64)
    assert r.status_code == 404


async def test_log_verify_names_a_changed_node_and_rebuild_repairs_it(demo: Settings) -> None:
    owner = await connect(demo.database_url)
    try:
        await owner.execute(
            "UPDATE tlog_nodes SET hash = sha256('x') WHERE tenant_id = $1 AND level = 2 "
            "AND idx = 3",
            PK,
        )
        assert await store.verify_trees(owner) == [
            ("6470101", "node 3 at level 2 differs from a recomputation from the events")
        ]
        await store.rebuild_tree(owner, PK)
        assert await store.verify_trees(owner) == []
    finally:
        await owner.close()
