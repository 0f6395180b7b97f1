"""``sujarit backup DIR`` and ``sujarit restore DIR`` (the operator's commands)."""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

from infra.settings import Settings

T = TypeVar("T")


def _run(
    settings: Settings, what: str, job: Callable[[], Coroutine[Any, Any, T]]
) -> tuple[T, float] | int:
    """Run the backup or restore ``job`` against the owner's connection, timed: its result and
    the seconds it took, or an exit code (printed why) when there is no database or it failed."""
    from infra.backup import BackupError

    if not settings.database_url:
        print("DATABASE_URL is not set: name the owner's connection of the server", file=sys.stderr)
        return 2
    started = time.perf_counter()
    try:
        result = asyncio.run(job())
    except BackupError as exc:
        print(f"{what} failed: {exc}", file=sys.stderr)
        return 1
    return result, time.perf_counter() - started


def cmd_backup(settings: Settings, args: argparse.Namespace) -> int:
    from infra.backup import backup

    ran = _run(settings, "backup", lambda: backup(settings, Path(args.dir)))
    if isinstance(ran, int):
        return ran
    result, seconds = ran
    print(f"{result.summary()} in {seconds:.1f} s")
    for sha in result.manifest["missing_files"]:
        print(f"MISSING: file {sha} is named by a row but not in the store", file=sys.stderr)
    return 0


def cmd_restore(settings: Settings, args: argparse.Namespace) -> int:
    from infra.restore import restore

    ran = _run(settings, "restore", lambda: restore(settings, Path(args.dir)))
    if isinstance(ran, int):
        return ran
    report, seconds = ran
    if not report.ok:
        for p in report.problems:
            print(f"PROBLEM: {p}", file=sys.stderr)
        print(f"restore finished with {len(report.problems)} problem(s)", file=sys.stderr)
        return 1
    print(f"{report.summary()} in {seconds:.1f} s")
    return 0


def add_ops_parsers(sub: Any) -> None:
    b = sub.add_parser(
        "backup", help="back up the database, its roles' grants and the evidence/report files"
    )
    b.add_argument("dir", help="a new (or empty) folder for the backup")
    b.set_defaults(fn=cmd_backup)
    r = sub.add_parser(
        "restore", help="restore a backup onto an EMPTY database, then verify log and read models"
    )
    r.add_argument("dir", help="a folder written by `sujarit backup`")
    r.set_defaults(fn=cmd_restore)
