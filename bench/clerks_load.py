"""The clerks benchmark's load generator: ``python -m bench.clerks_load < CONFIG_JSON`` runs
``concurrency`` clerks for ``seconds`` against the JSON API and prints one line ``LOAD
{json}``: requests, req/s, and p50/p95/max per route.

The clerks are wrk (C, one thread and one keep-alive connection per clerk) running
bench/clerks.lua, which measures each request's latency from its write to the whole response
and prints them at the end; this process only starts wrk and summarises (it sleeps while the
load runs, so the 2 cores are left to the server). The first version was a Python client
(httpx/asyncio) whose own CPU was a large share of the machine: at 2 clients the bare endpoint
reached only 68 req/s.

A clerk's journey (``mode`` "journey"): home (GET /api/v1/plans), the plan (its overview),
an item, upload evidence (a ~20 KB PDF, different each time), complete step 6.8 citing it,
the item again, reopen the step. Each clerk works on items of its own (no two clerks write
the same stream). ``mode`` "bare": the same clerks asking the app's bare endpoint
(/bench/memory) in a loop.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.api import wrk_path
from bench.common import percentile

SCRIPT = Path(__file__).resolve().parent / "clerks.lua"
ROUTES = ("home", "plan", "item", "upload", "complete", "reopen", "bare")


def run_wrk(cfg: dict[str, Any]) -> str:
    """wrk's output for one run of ``cfg`` (one thread and one connection per clerk)."""
    c = int(cfg["concurrency"])
    # one line per LAO: "<Authorization>|<plan id>|<item id>,<item id>,..." (a file: 64 LAOs'
    # items are ~190 KB, past what one argument or environment variable may hold)
    with tempfile.NamedTemporaryFile("w", suffix=".clerks") as clerks:
        for x in cfg["clerks"]:
            clerks.write(f"{x['auth']}|{x['plan']}|{','.join(x['items'])}\n")
        clerks.flush()
        return _wrk(cfg, c, clerks.name)


def _wrk(cfg: dict[str, Any], c: int, clerks: str) -> str:
    out = subprocess.run(
        [
            wrk_path(),
            f"-t{c}",
            f"-c{c}",
            f"-d{float(cfg['seconds']):g}s",
            "--timeout",
            "30s",
            "-s",
            str(SCRIPT),
            cfg["base"],
        ],
        env={
            **os.environ,
            "BENCH_MODE": cfg["mode"],
            "BENCH_CLERKS_FILE": clerks,
            "BENCH_CONCURRENCY": str(c),
        },
        capture_output=True,
        text=True,
        errors="replace",  # an error's sample is cut at 120 bytes, maybe inside a Thai letter
        timeout=float(cfg["seconds"]) + 90,
        check=True,
    )
    if "DUR " not in out.stdout:
        raise RuntimeError(f"wrk printed no figures: {out.stdout[-2000:]}{out.stderr[-2000:]}")
    return out.stdout


def summarise(output: str) -> dict[str, Any]:
    """The figures of one run from the lines bench/clerks.lua's done() printed."""
    lat: dict[str, list[float]] = {}
    errors, samples, elapsed = 0, [], 0.0
    for line in output.splitlines():
        tag, _, rest = line.partition(" ")
        if tag in ROUTES:
            lat.setdefault(tag, []).append(int(rest) / 1e6)
        elif tag in ("ERR", "SOCKERR"):
            errors += int(rest)
        elif tag == "SAMPLE":
            samples.append(rest)
        elif tag == "DUR":
            elapsed = int(rest) / 1e6
    if elapsed <= 0:
        raise RuntimeError(f"no duration in wrk's output: {output[-2000:]}")
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
        "errors": errors,
        "error_samples": samples[:3],
    }


def main(cfg: dict[str, Any]) -> dict[str, Any]:
    return summarise(run_wrk(cfg))


if __name__ == "__main__":
    config = json.loads(sys.stdin.read())
    print("LOAD " + json.dumps(main(config)), flush=True)
