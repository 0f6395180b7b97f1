"""Alembic environment: async engine (asyncpg), migrations run as the owner."""

from __future__ import annotations

import asyncio

import asyncpg
from alembic import context
from sqlalchemy import pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from infra.db.roles import ensure_roles_sql

config = context.config


def _run(connection: Connection) -> None:
    # Roles belong to the server, not the database: a new server (or a database restored onto
    # one) has none of them, and every migration's grants and policies name them.
    connection.exec_driver_sql(ensure_roles_sql())
    connection.commit()
    context.configure(connection=connection, target_metadata=None, transaction_per_migration=True)
    with context.begin_transaction():
        context.run_migrations()


async def _main() -> None:
    dsn = config.attributes["dsn"]  # the URL as asyncpg takes it (one host or several)
    engine = create_async_engine(
        "postgresql+asyncpg://", poolclass=pool.NullPool, async_creator=lambda: asyncpg.connect(dsn)
    )
    async with engine.connect() as conn:
        await conn.run_sync(_run)
        await conn.commit()
    await engine.dispose()


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    asyncio.run(_main())
