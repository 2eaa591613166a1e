"""``qualify db``: bring the database schema up to date and show where it is."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, NoReturn, TypeVar

import typer
from alembic.util import CommandError
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from agent.config import Settings
from agent.errors import QualifyError
from agent.migrations import head_revision
from agent.sql_store import SQLStore, display_url, normalize_database_url

db_app = typer.Typer(
    help="The database schema: apply migrations, show the current revision.",
    no_args_is_help=True,
)

# soft_wrap: long URLs stay on one line; markup off: URLs may contain brackets.
console = Console(highlight=False, soft_wrap=True, markup=False)
errors = Console(stderr=True, highlight=False, soft_wrap=True)

T = TypeVar("T")

DatabaseUrlOption = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        help="Database URL (default: DATABASE_URL or QUALIFY_DATABASE_URL, else the SQLite "
        "file in the data folder).",
        show_default=False,
    ),
]


@db_app.command("upgrade")
def upgrade(database_url: DatabaseUrlOption = None) -> None:
    """Apply every migration the database does not have yet (creates the tables if needed)."""
    url = _database_url(database_url)

    async def run(store: SQLStore) -> tuple[str | None, str | None]:
        before = await store.schema_revision()
        await store.init()
        return before, await store.schema_revision()

    before, after = _with_store(url, run)
    where = display_url(url)
    if before == after:
        console.print(f"{where}: already at {after} (head)")
    else:
        console.print(f"{where}: upgraded {before or '(no revision)'} -> {after} (head)")


@db_app.command("current")
def current(database_url: DatabaseUrlOption = None) -> None:
    """Show the migration the database is at and the newest one this version ships."""
    url = _database_url(database_url)
    head = head_revision()
    where = display_url(url)
    sqlite_file = _sqlite_file(url)
    if sqlite_file is not None and not sqlite_file.exists():
        console.print(f"{where}: no database yet (qualify db upgrade creates it); head is {head}")
        return

    async def run(store: SQLStore) -> str | None:
        return await store.schema_revision()

    revision = _with_store(url, run)
    if revision is None:
        console.print(f"{where}: no migrations applied (run: qualify db upgrade); head is {head}")
    elif revision == head:
        console.print(f"{where}: {revision} (head)")
    else:
        console.print(f"{where}: {revision}; head is {head} (run: qualify db upgrade)")


def _database_url(option: str | None) -> str:
    if option:
        url = option
    else:
        try:
            url = Settings().resolved_database_url()
        except ValidationError as exc:
            _fail(f"invalid settings: {exc}")
    try:
        return normalize_database_url(url)
    except ArgumentError as exc:
        _fail(f"not a database URL: {exc}")


def _sqlite_file(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def _with_store(url: str, action: Callable[[SQLStore], Awaitable[T]]) -> T:
    async def run() -> T:
        store = SQLStore(url)
        try:
            return await action(store)
        finally:
            await store.close()

    try:
        return asyncio.run(run())
    except QualifyError as exc:
        _fail(str(exc))
    except CommandError as exc:
        _fail(f"migration failed: {exc}")
    except SQLAlchemyError as exc:
        _fail(f"database error at {display_url(url)}: {_first_line(exc)}")
    except OSError as exc:
        _fail(f"cannot open the database at {display_url(url)}: {exc}")


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _fail(message: str) -> NoReturn:
    errors.print(f"[bold red]error:[/] {escape(message)}", markup=True)
    raise typer.Exit(1)
