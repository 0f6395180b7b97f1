"""The clerks benchmark's load generator, a process of its own: ``python -m bench.clerks_load
CONFIG_JSON`` runs ``concurrency`` clerks for ``seconds`` against the JSON API and prints one
line ``LOAD {json}``: requests, req/s, and p50/p95/max per route.

A clerk's journey (``mode`` "journey"): home (GET /api/v1/plans), the plan (its overview),
an item, upload evidence (a ~20 KB PDF, different each time), complete step 6.8 citing it,
the item again, reopen the step. Each clerk works on items of its own (no two clerks write
the same stream). ``mode`` "bare": the same clerks asking the app's bare endpoint
(/bench/memory) in a loop. Latency is measured here, from send to the whole response.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from collections import defaultdict
from typing import Any

import httpx

from bench.common import percentile


def pdf(size: int = 20_000) -> bytes:
    """A small valid-looking PDF of ``size`` bytes, different each call."""
    head = b"%PDF-1.4\n%" + os.urandom(8).hex().encode() + b"\n"
    body = b"1 0 obj << /Type /Catalog >> endobj\n"
    pad = b"%" + b"x" * max(0, size - len(head) - len(body) - 20) + b"\n"
    return head + body + pad + b"trailer << /Root 1 0 R >>\n%%EOF\n"


async def clerk(
    n: int, cfg: dict[str, Any], until: float, lat: dict[str, list[float]], errors: list[str]
) -> None:
    base, auth = cfg["base"], {"Authorization": cfg["auth"]}
    plan, items = cfg["plan"], cfg["items"]
    mine = [i for k, i in enumerate(items) if k % cfg["concurrency"] == n] or [
        items[n % len(items)]
    ]
    async with httpx.AsyncClient(base_url=base, headers=auth, timeout=30) as c:

        async def call(route: str, method: str, url: str, **kw: Any) -> httpx.Response | None:
            if time.perf_counter() >= until:
                return None
            t0 = time.perf_counter()
            r = await c.request(method, url, **kw)
            lat[route].append(time.perf_counter() - t0)
            # A run that ended between complete and reopen leaves the step completed: the next
            # run's first complete of that item is refused (409) and its reopen heals it.
            healing = r.status_code == 409 and "step-already-completed" in r.text
            if r.status_code >= 400 and not healing:
                errors.append(f"{route} {r.status_code} {r.text[:120]}")
            return r

        k = 0
        while time.perf_counter() < until:
            if cfg["mode"] == "bare":
                await call("bare", "GET", "/bench/memory")
                continue
            item = mine[k % len(mine)]
            k += 1
            item_url = f"/api/v1/plans/{plan}/items/{item}"
            await call("home", "GET", "/api/v1/plans")
            await call("plan", "GET", f"/api/v1/plans/{plan}")
            await call("item", "GET", item_url)
            up = await call(
                "upload", "POST", "/api/v1/evidence", files={"data": ("report.pdf", pdf())}
            )
            if up is None or up.status_code != 201:
                continue
            sha = up.json()["sha256"]
            await call(
                "complete",
                "POST",
                f"{item_url}/steps/6.8/complete",
                json={"on": "2026-11-30", "note": "ดำเนินการแล้ว", "files": [sha]},
            )
            await call("item", "GET", item_url)
            await call(
                "reopen", "POST", f"{item_url}/steps/6.8/reopen", json={"reason": "แก้ไขหลักฐาน"}
            )


async def main(cfg: dict[str, Any]) -> dict[str, Any]:
    lat: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    t0 = time.perf_counter()
    until = t0 + cfg["seconds"]
    await asyncio.gather(*(clerk(n, cfg, until, lat, errors) for n in range(cfg["concurrency"])))
    elapsed = time.perf_counter() - t0
    total = sum(len(v) for v in lat.values())
    everything = sorted(x for v in lat.values() for x in v)
    routes = {}
    for route, values in lat.items():
        s = sorted(values)
        routes[route] = {
            "requests": len(s),
            "p50_ms": round(percentile(s, 50) * 1000, 1),
            "p95_ms": round(percentile(s, 95) * 1000, 1),
            "max_ms": round(s[-1] * 1000, 1),
        }
    return {
        "requests": total,
        "req_per_s": round(total / elapsed, 1),
        "p95_ms": round(percentile(everything, 95) * 1000, 1),
        "worst_route_p95_ms": max((r["p95_ms"] for r in routes.values()), default=0.0),
        "routes": routes,
        "errors": len(errors),
        "error_samples": errors[:3],
    }


if __name__ == "__main__":
    config = json.loads(sys.argv[1])
    print("LOAD " + json.dumps(asyncio.run(main(config))), flush=True)
