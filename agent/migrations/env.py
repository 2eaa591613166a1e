"""Alembic's environment for the store's tables.

:func:`agent.migrations.upgrade` hands over an open connection (in a transaction the caller
commits), so migrations run on the store's own engine. Without one, as when writing a new
revision with :func:`agent.migrations.revision`, this opens the configured URL itself.
"""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from agent.config import Settings
from agent.sql_store import SQLStore, metadata

config = context.config


def run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite alters most things by copying the table: generate batch operations.
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_on_own_connection(url: str) -> None:
    store = SQLStore(url)
    try:
        async with store.engine.begin() as connection:
            await connection.run_sync(run_migrations)
    finally:
        await store.close()


if context.is_offline_mode():
    raise SystemExit("SQL script (offline) mode is not supported: run migrations on a database")

shared: Connection | None = config.attributes.get("connection")
if shared is not None:
    run_migrations(shared)
else:
    url = (
        config.attributes.get("url")
        or config.get_main_option("sqlalchemy.url")
        or Settings().resolved_database_url()
    )
    asyncio.run(run_on_own_connection(url))
