"""What an overview request costs the database in a served app: round trips and bytes.

The design (infra/tokens.TokenCache, infra/overview_cache.TemplateCache, migration 0019): once
a process has resolved the token and holds the plan's template, an overview request is ONE
round trip (``app_plan_overview``, which sets the tenant for itself) and the server sends no
template parts, only the version, the digest and the day's fillers.

Counted at the wire: every connection of the app's pool gets a tap on its transport (each
write is a message batch the client then waits on: one round trip; asyncpg sends a query's
Parse/Bind/Execute/Sync in one write) and on its protocol (the bytes the server sent). The
same requests with each cache disabled show the test can fail: a second round trip for the
token, the template's bytes on the wire again.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from typing import Any

from infra.overview_cache import Key, TemplateCache
from services.api.state import Services
from tests.integration.conftest import Api, make_plan


@dataclass
class Wire:
    writes: int = 0
    received: int = 0

    def reset(self) -> None:
        self.writes = self.received = 0


class _CountingProtocol:
    """Stands between a transport and asyncpg's protocol, counting the bytes read."""

    def __init__(self, inner: Any, wire: Wire) -> None:
        self._inner = inner
        self._wire = wire

    def data_received(self, data: bytes) -> None:
        self._wire.received += len(data)
        self._inner.data_received(data)

    def buffer_updated(self, nbytes: int) -> None:
        self._wire.received += nbytes
        self._inner.buffer_updated(nbytes)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def _tap(con: Any, wire: Wire) -> None:
    transport = con._transport
    if getattr(transport, "_sujarit_tap", None) is wire:
        return
    write, writelines = transport.write, transport.writelines

    def counted_write(data: Any) -> None:
        wire.writes += 1
        write(data)

    def counted_writelines(lines: Any) -> None:
        wire.writes += 1
        writelines(lines)

    transport.write = counted_write
    transport.writelines = counted_writelines
    transport._protocol = _CountingProtocol(transport._protocol, wire)
    transport._sujarit_tap = wire


def tap_pool(services: Services, wire: Wire) -> None:
    """Tap every connection the pool holds, and every one it opens from now on."""
    pool: Any = services.db
    for holder in pool._holders:
        if holder._con is not None:
            _tap(holder._con, wire)
    init = pool._init

    async def tapping_init(con: Any) -> None:
        if init is not None:
            await init(con)
        _tap(con, wire)

    pool._init = tapping_init  # the app's loop opens them (the test client runs it apart)


class _Forgetful(TemplateCache):
    """A template cache that holds nothing (as if it stopped working)."""

    def get(self, key: Key) -> tuple[bytes, Any] | None:
        return None


async def _count(api: Api, wire: Wire, url: str) -> tuple[int, int, bytes]:
    await asyncio.sleep(0)  # nothing of an earlier request left on the wire
    wire.reset()
    r = await api.client.get(url, headers=api.viewer)
    assert r.status_code == 200, r.text
    return wire.writes, wire.received, r.content


async def _plan_with_items(api: Api, n: int) -> str:
    plan, _ = await make_plan(api)
    for k in range(n):
        r = await api.client.post(
            f"/api/v1/plans/{plan}/items",
            headers=api.officer,
            json={
                "number": f"1.{k % 3 + 1}.{k // 3 + 1}",
                "kind": "project",
                "name": f"โครงการส่งเสริมคุณธรรมและความโปร่งใสในการปฏิบัติราชการ ที่ {k + 1}",
            },
        )
        assert r.status_code == 201, r.text
    return plan


async def test_a_warm_overview_request_is_one_round_trip_and_no_template(api: Api) -> None:
    services: Services = api.client.app.state.services
    await asyncio.wait_for(services.tokens.listening.wait(), 10)
    plan = await _plan_with_items(api, 12)
    url = f"/api/v1/plans/{plan}"
    wire = Wire()
    tap_pool(services, wire)

    cold_writes, cold_bytes, cold_body = await _count(api, wire, url)
    warm_writes, warm_bytes, warm_body = await _count(api, wire, url)
    again_writes, again_bytes, _ = await _count(api, wire, url)
    key = (services.tokens._entries[_token_key(api)][1].tenant_id, uuid.UUID(plan))
    held = services.templates.get(key)
    assert held is not None
    template_bytes = sum(len(p) for p in held[1])
    # The body assembled from the parts is kept with what filled it: what warm requests sent.
    rendered = services.templates._entries[key].rendered
    assert rendered is not None and rendered[3] == warm_body
    print(
        f"overview: cold {cold_writes} round trips / {cold_bytes} B; warm {warm_writes} / "
        f"{warm_bytes} B, again {again_writes} / {again_bytes} B; template {template_bytes} B"
    )
    assert warm_body == cold_body
    # Cold: the token is resolved and the template read with the overview (statements not yet
    # prepared on this connection cost a round trip more each).
    assert cold_writes >= 2, cold_writes
    assert cold_bytes > template_bytes
    # Warm: the design's one round trip, and the server sends no template.
    assert warm_writes == again_writes == 1, (warm_writes, again_writes)
    assert warm_bytes < template_bytes and again_bytes < template_bytes

    # Controls: the same request with each cache not working is caught by these counts.
    services.tokens._entries.clear()  # the token must be resolved again
    writes, _, _ = await _count(api, wire, url)
    assert writes == 2
    kept = services.templates
    services.templates = _Forgetful()
    try:
        writes, received, body = await _count(api, wire, url)
        assert writes == 1 and received > template_bytes and body == cold_body
    finally:
        services.templates = kept


def _token_key(api: Api) -> str:
    return uuid.UUID(hex=api.viewer["Authorization"].split("_")[1]).hex
