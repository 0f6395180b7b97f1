"""``python -m bench [NAME ...]``: run the named benchmarks (default: all), write results."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

from bench.common import Server, loadavg, machine, now_iso, server, write_result


def _benchmarks() -> dict[str, Callable[[Server], dict[str, Any]]]:
    from bench import api, append, clerks, province, rebuild, reports, tlog

    return {
        append.NAME: append.run,
        rebuild.NAME: rebuild.run,
        api.NAME: api.run,
        province.NAME: province.run,
        tlog.NAME: tlog.run,
        reports.NAME: reports.run,
        clerks.NAME: clerks.run,
    }


def main(argv: list[str]) -> int:
    benchmarks = _benchmarks()
    names = argv or list(benchmarks)
    unknown = [n for n in names if n not in benchmarks]
    if unknown:
        print(
            f"unknown benchmark: {', '.join(unknown)}; known: {', '.join(benchmarks)}",
            file=sys.stderr,
        )
        return 2
    failed = []
    with server() as srv:
        for name in names:
            print(f"== {name}", flush=True)
            date = now_iso()
            load_before = loadavg()
            started = time.perf_counter()
            figures = benchmarks[name](srv)
            result = {
                "name": name,
                **figures,
                "loadavg_before": load_before,
                "loadavg_after": loadavg(),
                "loadavg_note": "1/5/15-min load averages of a 2-core machine shared with "
                "other work while this ran: not a quiet machine unless these are low",
                "machine": machine(srv),
                "date": date,
                "runtime_s": round(time.perf_counter() - started, 1),
            }
            path = write_result(name, result)
            verdict = "met" if result["met"] else "NOT met"
            span = (
                f" [min {result['ratio_min']}, max {result['ratio_max']}]"
                if "ratio_min" in result
                else ""
            )
            print(
                f"== {name}: median ratio {result['ratio']}{span} (target >= {result['target']}):"
                f" {verdict}; load {result['loadavg_before']} -> {result['loadavg_after']}; "
                f"{path.relative_to(path.parents[2])}",
                flush=True,
            )
            if not result["met"]:
                failed.append(name)
    if failed:
        print(f"targets not met: {', '.join(failed)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
