"""Schema migrations with Alembic, configured from code: no ``alembic.ini`` is needed.

``SQLStore.init()`` and ``qualify db upgrade`` call :func:`upgrade` on a connection of the
store's own engine, so the SQLite pragmas and the URL normalisation of
:mod:`agent.sql_store` apply to migrations too.

Writing a migration after changing the tables in :mod:`agent.sql_store`: bring a scratch
database to the current head (``qualify db upgrade`` with ``QUALIFY_DATABASE_URL`` pointing
at it), then compare it with the tables in code::

    python -c "from agent.migrations import revision; \\
        revision('sqlite+aiosqlite:///scratch.db', 'what changed', '0002')"

That writes ``agent/migrations/versions/0002_what_changed.py``; read it, fix it up, and
check the test that compares the migrated schema with ``metadata`` still passes on both
SQLite and PostgreSQL.
"""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

__all__ = [
    "BASELINE",
    "MIGRATIONS_DIR",
    "alembic_config",
    "current_revision",
    "head_revision",
    "revision",
    "upgrade",
]

MIGRATIONS_DIR = Path(__file__).resolve().parent

BASELINE = "0001"
"""The first migration: the tables as ``metadata.create_all`` made them before migrations."""

_LOCK_KEY = 0x7175616C696679  # "qualify": the PostgreSQL advisory lock migrations hold

log = logging.getLogger(__name__)


def alembic_config(connection: Connection | None = None, *, url: str | None = None) -> Config:
    """An Alembic configuration for this folder; ``env.py`` uses ``connection`` if given,
    otherwise it opens ``url`` (or the settings' database) itself."""
    config = Config()
    # Config values go through ConfigParser interpolation: a literal % must be doubled.
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    config.attributes["connection"] = connection
    config.attributes["url"] = url
    return config


def head_revision() -> str | None:
    """The newest migration shipped with this version of the package."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(connection: Connection) -> str | None:
    """The migration the database is at; None when it has none (empty or pre-migration)."""
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(connection: Connection, revision: str = "head") -> None:
    """Migrate the database up to ``revision`` in the connection's transaction.

    The caller commits. Concurrent callers (several workers starting at once) are serialised
    by a lock: a PostgreSQL transaction-scoped advisory lock, SQLite's write lock. A
    database whose tables predate migrations is stamped with :data:`BASELINE` first.
    """
    _lock(connection)
    config = alembic_config(connection)
    if current_revision(connection) is None and inspect(connection).has_table("conversations"):
        log.warning("database tables predate migrations: marking them as revision %s", BASELINE)
        command.stamp(config, BASELINE)
    command.upgrade(config, revision)


def revision(url: str, message: str, rev_id: str | None = None) -> None:
    """Write a new migration from the difference between the database at ``url`` and the
    tables in code (Alembic autogenerate)."""
    command.revision(alembic_config(url=url), message=message, autogenerate=True, rev_id=rev_id)


def _lock(connection: Connection) -> None:
    dialect = connection.dialect.name
    if dialect == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
    elif dialect == "sqlite":
        # Take the write lock before reading the revision, not at the first write: a
        # concurrent caller waits here (sqlite's busy timeout), then finds nothing to do.
        # The driver begins transactions lazily, so none is open yet on a fresh connection.
        driver = connection.connection.driver_connection
        if not getattr(driver, "in_transaction", False):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
