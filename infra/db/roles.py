"""The application's database roles: created on a new server, passwords set by the owner.

Roles belong to the server (the cluster), not to the database: ``pg_dump`` of the database
keeps the grants and policies that name them but never the roles themselves, nor the
membership of ``sujarit_public`` in ``sujarit_app``. So ``sujarit migrate`` (before any
migration runs) and ``sujarit restore`` (before ``pg_restore``) create them when missing.
"""

from __future__ import annotations

import asyncpg

from infra.settings import APP_ROLE, PROJECTOR_ROLE, PUBLIC_ROLE, Settings

# name -> attributes. LOGIN for the two roles the services connect as; sujarit_public is a
# role the web role switches to for the public pages (migration 0013).
ROLES = {
    APP_ROLE: "LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE",
    PROJECTOR_ROLE: "LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE",
    PUBLIC_ROLE: "NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE",
}


def ensure_roles_sql() -> str:
    """One statement creating the missing roles and the public role's membership.

    Two sessions creating the same role at once (two migrations on one server) are both
    fine: the loser's duplicate is ignored.
    """
    blocks = "\n".join(
        f"""
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{name}') THEN
    BEGIN
      CREATE ROLE {name} {attrs};
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END;
  END IF;"""
        for name, attrs in ROLES.items()
    )
    return f"""
DO $$
BEGIN{blocks}
  IF NOT pg_has_role('{APP_ROLE}', '{PUBLIC_ROLE}', 'MEMBER') THEN
    GRANT {PUBLIC_ROLE} TO {APP_ROLE};
  END IF;
END $$
"""


async def ensure_roles(conn: asyncpg.Connection) -> None:
    await conn.execute(ensure_roles_sql())


async def set_role_passwords(conn: asyncpg.Connection, settings: Settings) -> list[str]:
    """Give the web and projector roles the passwords the settings name (if any)."""
    done = []
    for role, password in (
        (APP_ROLE, settings.app_db_password),
        (PROJECTOR_ROLE, settings.projector_db_password),
    ):
        if password:
            sql = await conn.fetchval(
                "SELECT format('ALTER ROLE %I PASSWORD %L', $1::text, $2::text)", role, password
            )
            await conn.execute(sql)
            done.append(role)
    return done
