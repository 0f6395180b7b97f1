"""The ``sujarit`` command."""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import asyncpg

from infra.settings import Settings, load_settings
from services.import_cli import add_import_parser
from services.ops_cli import add_ops_parsers
from services.verify_cli import add_verify_parser
from services.witness import add_witness_parser

T = TypeVar("T")


def _migrate(settings: Settings) -> None:
    from infra.db.migrate import upgrade

    upgrade(settings.database_url)


async def _with_owner(settings: Settings, fn: Callable[[asyncpg.Connection], Awaitable[T]]) -> T:
    from infra.db.pool import connect

    conn = await connect(settings.database_url)
    try:
        return await fn(conn)
    finally:
        await conn.close()


def _need_database(settings: Settings) -> Settings:
    if not settings.database_url:
        sys.exit(
            "DATABASE_URL is not set. `sujarit run` starts the embedded servers; for other "
            "commands set DATABASE_URL (and REDIS_URL) to the servers to use."
        )
    return settings


def cmd_migrate(settings: Settings, _: argparse.Namespace) -> int:
    from infra.db.roles import set_role_passwords

    _migrate(_need_database(settings))
    roles = asyncio.run(_with_owner(settings, lambda c: set_role_passwords(c, settings)))
    print("migrations applied" + (f"; passwords set for {', '.join(roles)}" if roles else ""))
    return 0


def cmd_demo_data(settings: Settings, _: argparse.Namespace) -> int:
    from services.usecases.demo import load_demo

    print(asyncio.run(load_demo(_need_database(settings))))
    return 0


def cmd_rebuild(settings: Settings, args: argparse.Namespace) -> int:
    from infra.projections.rebuild import rebuild
    from infra.projections.registry import all_projections

    projections = all_projections()
    names = [args.name] if args.name else list(projections)
    unknown = [n for n in names if n not in projections]
    if unknown:
        print(
            f"unknown projection: {', '.join(unknown)}; known: {', '.join(projections)}",
            file=sys.stderr,
        )
        return 2

    async def _run(conn: asyncpg.Connection) -> None:
        started = time.perf_counter()
        # A second connection reads the events while the first writes the rows.
        await _with_owner(
            settings,
            lambda reader: rebuild(conn, *(projections[n] for n in names), reader=reader),
        )
        print(f"rebuilt {', '.join(names)} in {time.perf_counter() - started:.2f} s")

    asyncio.run(_with_owner(_need_database(settings), _run))
    return 0


def cmd_log_key(settings: Settings, args: argparse.Namespace) -> int:
    """Print the log's verifier key, making the key file on first use; with ``--public FILE``
    also write the verifier key there (for a witness that may read it, never the secret)."""
    from domain.ledger.note import ED25519
    from infra.tlog.keys import load_or_create

    vkey = str(load_or_create(settings.log_key_path, settings.log_origin_name, ED25519).verifier)
    if args.public:
        out = Path(args.public)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(vkey + "\n", encoding="ascii")
    print(vkey)
    return 0


def cmd_verify(settings: Settings, _: argparse.Namespace) -> int:
    from infra.eventstore.verify import verify_log
    from infra.tlog.store import verify_trees

    report = asyncio.run(_with_owner(_need_database(settings), verify_log))
    trees = asyncio.run(_with_owner(settings, verify_trees))
    for code, why in trees:
        print(f"TREE: tenant {code}: {why}", file=sys.stderr)
    if report.ok and not trees:
        print(
            f"log verified: {report.tenants} tenants, {report.events} events, chains intact, "
            "Merkle trees equal to a recomputation from the events"
        )
        return 0
    for link in report.broken:
        print(f"BROKEN: {link}", file=sys.stderr)
    print(
        f"{len(report.broken)} tenant chain(s) broken, {len(trees)} tree(s) differ",
        file=sys.stderr,
    )
    return 1


def cmd_import_orgs(settings: Settings, args: argparse.Namespace) -> int:
    from domain.tenancy.organisations import InvalidOrganisationFile, parse_organisations_csv
    from infra.tenancy import seed_provinces, upsert_organisations

    try:
        orgs = parse_organisations_csv(Path(args.file).read_text(encoding="utf-8-sig"))
    except InvalidOrganisationFile as exc:
        for p in exc.problems:
            print(p, file=sys.stderr)
        print("nothing was imported", file=sys.stderr)
        return 1
    except (OSError, UnicodeDecodeError) as exc:
        print(f"cannot read {args.file}: {exc}", file=sys.stderr)
        return 1
    started = time.perf_counter()

    async def _run(conn: asyncpg.Connection) -> int:
        await seed_provinces(conn)
        return await upsert_organisations(conn, orgs)

    n = asyncio.run(_with_owner(_need_database(settings), _run))
    print(f"imported {n} organisations in {time.perf_counter() - started:.2f} s")
    return 0


def cmd_org_contact(settings: Settings, args: argparse.Namespace) -> int:
    """``organisations contact <code> --address --phone --website``: what the public page shows
    as the LAO's own complaint and contact channels."""
    from services.usecases.public import InvalidContact, set_contact

    async def _run(conn: asyncpg.Connection) -> bool:
        return await set_contact(conn, args.code, args.address, args.phone, args.website)

    try:
        found = asyncio.run(_with_owner(_need_database(settings), _run))
    except InvalidContact as exc:
        print(str(exc), file=sys.stderr)
        return 1
    if not found:
        print(f"no organisation with code {args.code!r}", file=sys.stderr)
        return 1
    print(f"contact details of {args.code} set")
    return 0


def cmd_token_create(settings: Settings, args: argparse.Namespace) -> int:
    """``tokens create <email>``: a token of that member (their LAO and role). The older form
    ``--tenant --role --actor`` makes a token not tied to a member (for integrations)."""
    from infra.tokens import ROLES, create_token

    if args.email:
        return _member_token(_need_database(settings), args)
    if not (args.tenant and args.role and args.actor):
        print("give a member's email, or --tenant, --role and --actor", file=sys.stderr)
        return 2
    if args.role not in ROLES:
        print(f"unknown role {args.role!r}; one of: {', '.join(ROLES)}", file=sys.stderr)
        return 2

    async def _run(conn: asyncpg.Connection) -> str | None:
        tenant = await conn.fetchval("SELECT id FROM organisations WHERE code = $1", args.tenant)
        if tenant is None:
            return None
        return await create_token(conn, tenant, args.role, args.actor, args.name)

    token = asyncio.run(_with_owner(_need_database(settings), _run))
    if token is None:
        print(f"no organisation with code {args.tenant!r}", file=sys.stderr)
        return 1
    print(token)
    print("(shown once: store it now; it is kept only as a hash)", file=sys.stderr)
    return 0


def _operator_services(settings: Settings) -> Any:
    """The services (services.usecases.bootstrap) on the owner's connection."""
    from services.usecases import bootstrap

    return bootstrap.services(
        settings, database_url=settings.database_url, pool_min=1, pool_max=2, listen_tokens=False
    )


def _member_token(settings: Settings, args: argparse.Namespace) -> int:
    from domain.shared.errors import DomainError
    from services.usecases import members

    async def _run() -> tuple[int, str]:
        async with _operator_services(settings) as services:
            try:
                actor = await members.member_actor(services, args.email, args.tenant)
            except members.Ambiguous as e:
                return 2, e.message
            except DomainError as e:
                return 1, e.message
            return 0, await members.create_own_token(services, actor, args.name or "command line")

    code, out = asyncio.run(_run())
    if code:
        print(out, file=sys.stderr)
        return code
    print(out)
    print("(shown once: store it now; it is kept only as a hash)", file=sys.stderr)
    return 0


def cmd_member_invite(settings: Settings, args: argparse.Namespace) -> int:
    """The operator's onboarding: invite an LAO's first executive or an office's reviewer."""
    from domain.shared.access import NIL, OPERATOR, Actor
    from domain.shared.errors import DomainError, NotFound
    from services.usecases import members

    settings = _need_database(settings)
    operator = Actor(
        role=OPERATOR,
        scope="operator",
        tenant_id=NIL,
        tenant_code="",
        email="operator",
        org_code="operator",
    )

    async def _run() -> int:
        async with _operator_services(settings) as services:
            try:
                invited = await members.onboard(
                    services, operator, args.org, args.email, args.name, args.role
                )
            except NotFound:
                print(f"no organisation {args.org!r}", file=sys.stderr)
                return 1
            except DomainError as e:
                print(e.message, file=sys.stderr)
                return 1
        print(f"invitation link: {settings.base_url}/t/{args.org}/invitation/{invited.link}")
        print(f"emailed to {args.email} (queued: the worker sends it)")
        return 0

    return asyncio.run(_run())


def cmd_projector(settings: Settings, _: argparse.Namespace) -> int:
    from infra.logs import configure_logging
    from infra.projections.projector import run_in_foreground

    configure_logging(settings.log_level, json_lines=settings.log_json)
    run_in_foreground(_need_database(settings))
    return 0


def cmd_mailcatcher(settings: Settings, _: argparse.Namespace) -> int:
    from infra.mailcatcher import main as catch

    catch(settings.data_dir / "mail", settings.smtp_host, settings.smtp_port)
    return 0


def cmd_run(settings: Settings, args: argparse.Namespace) -> int:
    from services.runner import run

    return run(settings)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sujarit", description="Sujarit service commands")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser(
        "run",
        help="run everything: API and pages, worker, beat (embedded servers "
        "unless DATABASE_URL / REDIS_URL are set)",
    ).set_defaults(fn=cmd_run)
    sub.add_parser("migrate", help="apply database migrations (as the owner)").set_defaults(
        fn=cmd_migrate
    )
    sub.add_parser("demo-data", help="load the demo data once").set_defaults(fn=cmd_demo_data)
    proj = sub.add_parser("projections", help="read models").add_subparsers(
        dest="action", required=True
    )
    rb = proj.add_parser("rebuild", help="rebuild read models from the events")
    rb.add_argument("name", nargs="?", help="one projection (default: all)")
    rb.set_defaults(fn=cmd_rebuild)
    logp = sub.add_parser("log", help="the event log").add_subparsers(dest="action", required=True)
    logp.add_parser("verify", help="recompute every tenant's hash chain").set_defaults(
        fn=cmd_verify
    )
    lk = logp.add_parser("key", help="print the transparency log's verifier key (made if missing)")
    lk.add_argument("--public", help="also write the verifier key (not the secret) to this file")
    lk.set_defaults(fn=cmd_log_key)
    orgs = sub.add_parser("organisations", help="LAOs").add_subparsers(dest="action", required=True)
    imp = orgs.add_parser(
        "import", help="import a CSV: code, name_th, name_en, kind, province, district"
    )
    imp.add_argument("file")
    imp.set_defaults(fn=cmd_import_orgs)
    con = orgs.add_parser("contact", help="set an LAO's address, phone and website (public page)")
    con.add_argument("code", help="the LAO's code, e.g. 6470101")
    con.add_argument("--address", default="", help="postal address")
    con.add_argument("--phone", default="", help="phone numbers, e.g. 042-123456")
    con.add_argument("--website", default="", help="https://...")
    con.set_defaults(fn=cmd_org_contact)
    tok = sub.add_parser("tokens", help="API tokens for programs").add_subparsers(
        dest="action", required=True
    )
    tc = tok.add_parser(
        "create", help="create an API token for a member (by email), or for an LAO and role"
    )
    tc.add_argument("email", nargs="?", help="the member's email: the token has their role")
    tc.add_argument("--tenant", help="the LAO's code, e.g. 6470101")
    tc.add_argument("--role", help="without email: executive, plan_officer, staff or viewer")
    tc.add_argument("--actor", help="without email: who acts with it (shown in the history)")
    tc.add_argument("--name", default="", help="what the token is for")
    tc.set_defaults(fn=cmd_token_create)
    sub.add_parser(
        "mailcatcher", help="a local SMTP server that keeps what it receives (development)"
    ).set_defaults(fn=cmd_mailcatcher)
    mem = sub.add_parser("members", help="accounts").add_subparsers(dest="action", required=True)
    mi = mem.add_parser("invite", help="invite someone by email (onboarding an LAO or office)")
    mi.add_argument("--org", required=True, help="an LAO code, po-<province code>, or operator")
    mi.add_argument("--email", required=True)
    mi.add_argument("--name", required=True)
    mi.add_argument(
        "--role", required=True, help="executive, plan_officer, staff, viewer, reviewer, operator"
    )
    mi.set_defaults(fn=cmd_member_invite)
    sub.add_parser(
        "projector", help="run the async projector alone (it also runs inside the worker)"
    ).set_defaults(fn=cmd_projector)
    add_import_parser(sub)
    add_ops_parsers(sub)
    add_witness_parser(sub)
    add_verify_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    code: int = args.fn(load_settings(), args)
    return code


if __name__ == "__main__":
    sys.exit(main())
