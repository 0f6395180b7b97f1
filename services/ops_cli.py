"""``sujarit backup DIR`` and ``sujarit restore DIR`` (the operator's commands)."""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path
from typing import Any

from infra.settings import Settings


def _need_database(settings: Settings) -> bool:
    if settings.database_url:
        return True
    print("DATABASE_URL is not set: name the owner's connection of the server", file=sys.stderr)
    return False


def cmd_backup(settings: Settings, args: argparse.Namespace) -> int:
    from infra.backup import BackupError, backup

    if not _need_database(settings):
        return 2
    started = time.perf_counter()
    try:
        result = asyncio.run(backup(settings, Path(args.dir)))
    except BackupError as exc:
        print(f"backup failed: {exc}", file=sys.stderr)
        return 1
    print(f"{result.summary()} in {time.perf_counter() - started:.1f} s")
    for sha in result.manifest["missing_files"]:
        print(f"MISSING: file {sha} is named by a row but not in the store", file=sys.stderr)
    return 0


def cmd_restore(settings: Settings, args: argparse.Namespace) -> int:
    from infra.backup import BackupError
    from infra.restore import restore

    if not _need_database(settings):
        return 2
    started = time.perf_counter()
    try:
        report = asyncio.run(restore(settings, Path(args.dir)))
    except BackupError as exc:
        print(f"restore failed: {exc}", file=sys.stderr)
        return 1
    if not report.ok:
        for p in report.problems:
            print(f"PROBLEM: {p}", file=sys.stderr)
        print(f"restore finished with {len(report.problems)} problem(s)", file=sys.stderr)
        return 1
    print(f"{report.summary()} in {time.perf_counter() - started:.1f} s")
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
