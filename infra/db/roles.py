"""Passwords of the application's database roles, set by the owner at migrate time."""

from __future__ import annotations

import asyncpg

from infra.settings import APP_ROLE, PROJECTOR_ROLE, Settings


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
