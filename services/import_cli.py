"""``sujarit import``: read plan documents into detail sheets, for review or as JSON."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from domain.shared.errors import DomainError
from infra.settings import Settings

if TYPE_CHECKING:
    import asyncpg


def add_import_parser(sub: Any) -> None:
    p = sub.add_parser(
        "import",
        help="import detail sheets from .txt, .docx, .pdf (text layer) or .zip for review",
    )
    p.add_argument("files", nargs="+", help="one or more documents, or a .zip of them")
    p.add_argument("--tenant", help="the LAO's code: store the sheets for its review")
    p.add_argument("--dry-run", action="store_true", help="only read and print; touch no database")
    p.add_argument("--format", choices=("json", "text"), default="text")
    p.add_argument("--actor", default="command line", help="who imports (shown in the review)")
    p.add_argument(
        "--plan",
        action="store_true",
        help="the file is a whole plan (summary table and detail sheets): read it as one",
    )
    p.set_defaults(fn=cmd_import)


def cmd_import(settings: Settings, args: argparse.Namespace) -> int:
    from infra.imports.parse import parse_upload

    try:
        files = [(Path(f).name, Path(f).read_bytes()) for f in args.files]
    except OSError as exc:
        print(f"cannot read {exc.filename}: {exc.strerror}", file=sys.stderr)
        return 1
    if args.plan:
        return _plan(settings, args, files)
    try:
        upload = parse_upload(files)
    except DomainError as exc:
        return _refused(exc)
    sheets = [s.to_json() for _, s in upload.sheets]
    if args.format == "json" and args.dry_run:
        return _dump(sheets)
    if args.dry_run:
        for source, s in upload.sheets:
            _print_sheet(source, s.to_json())
        print(f"{len(sheets)} sheet(s) read in {upload.seconds:.2f} s; nothing stored (dry run)")
        return 0
    return asyncio.run(_store(settings, args, upload))


def _refused(exc: DomainError) -> int:
    """What the reader refused (exit code 1): nothing is imported."""
    print(f"{exc.message} {exc.details or ''}".rstrip(), file=sys.stderr)
    print("nothing was imported", file=sys.stderr)
    return 1


def _dump(data: Any) -> int:
    """What was read, as JSON on standard output (a dry run)."""
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    print()
    return 0


async def _into_tenant(
    settings: Settings,
    args: argparse.Namespace,
    what: str,
    store: Callable[[asyncpg.Pool, uuid.UUID], Awaitable[uuid.UUID]],
) -> uuid.UUID | int:
    """``store(pool, tenant)`` for the LAO ``--tenant`` names: the batch it made, or an exit
    code (printed why) when no LAO is named, there is no database or no such LAO."""
    from infra.db.pool import create_pool

    if not args.tenant:
        print(f"give --tenant <LAO code> to store {what} for review, or --dry-run", file=sys.stderr)
        return 2
    if not settings.database_url:
        print("DATABASE_URL is not set (or use --dry-run)", file=sys.stderr)
        return 2
    pool = await create_pool(settings.database_url, min_size=1, max_size=2)
    try:
        tenant = await pool.fetchval("SELECT id FROM organisations WHERE code = $1", args.tenant)
        if tenant is None:
            print(f"no organisation with code {args.tenant!r}", file=sys.stderr)
            return 1
        return await store(pool, tenant)
    finally:
        await pool.close()


async def _store(settings: Settings, args: argparse.Namespace, upload: Any) -> int:
    from infra.imports.review import create_batch

    batch = await _into_tenant(
        settings,
        args,
        "the sheets",
        lambda pool, tenant: create_batch(pool, tenant, args.actor, upload),
    )
    if isinstance(batch, int):
        return batch
    if args.format == "json":
        print(json.dumps({"batch_id": str(batch), "sheets": len(upload.sheets)}))
    else:
        print(f"batch {batch}: {len(upload.sheets)} sheet(s) stored for review")
    return 0


def _plan(settings: Settings, args: argparse.Namespace, files: list[tuple[str, bytes]]) -> int:
    from infra.imports.parse import parse_plan_upload

    if len(files) != 1:
        print("--plan reads one file (the whole plan)", file=sys.stderr)
        return 2
    name, content = files[0]
    try:
        plan = parse_plan_upload(name, content)
    except DomainError as exc:
        return _refused(exc)
    if args.dry_run and args.format == "json":
        return _dump(plan.to_json())
    if args.dry_run:
        data = plan.to_json()
        print(f"{data['title']} ({data['round']}): {data['counts']}")
        for d in data["dimensions"]:
            for s in d["sub_items"]:
                for i in s["items"]:
                    listed = i["table"]["listed_as"] if i["table"] else "-"
                    print(
                        f"  {i['number']:<7} {listed:<11} {i['matched_by'] or 'no sheet':<10}"
                        f" {i['sheet']['name']}"
                    )
        print(f"problems {len(data['problems'])}; nothing stored (dry run)")
        return 0
    return asyncio.run(_store_plan(settings, args, name, content))


async def _store_plan(
    settings: Settings, args: argparse.Namespace, name: str, content: bytes
) -> int:
    from services.usecases.imports import import_plan

    batch = await _into_tenant(
        settings,
        args,
        "the plan",
        lambda pool, tenant: import_plan(pool, tenant, args.actor, name, content),
    )
    if isinstance(batch, int):
        return batch
    print(json.dumps({"batch_id": str(batch)}) if args.format == "json" else f"plan batch {batch}")
    return 0


def _print_sheet(source: str, s: dict[str, Any]) -> None:
    budget = "ไม่ใช้งบประมาณ" if s["budget"] is None else s["budget"]
    print(f"== {source}: {s['number']} {s['kind']} {s['name']}")
    print(f"   steps {len(s['steps'])}, years {s['fiscal_years']}, budget {budget}")
    print(f"   outputs {len(s['output_indicators'])}, outcomes {len(s['outcomes'])}")
    print(f"   repairs {len(s['repairs'])}, to check {len(s['unparsed'])}")
