"""The SQL store on SQLite and PostgreSQL: migrations, types, sharing a database, the CLI."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import delete, event, func, inspect, select, text
from sqlalchemy.engine import Connection, make_url
from typer.testing import CliRunner

from agent.migrations import alembic_config, head_revision
from agent.sql_store import (
    DatabaseUnavailable,
    SQLStore,
    _sqlite_pragmas,
    conversations,
    messages,
    metadata,
    normalize_database_url,
)
from agent.store import Conversation, LeadFilter, Message
from channels.cli.app import app
from tests.conftest import TODAY
from tests.postgres import PostgresCluster

START = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def conversation(**fields: object) -> Conversation:
    values: dict[str, object] = {"created_at": START, "updated_at": START, "today": TODAY}
    values.update(fields)
    return Conversation.model_validate(values)


def message(conversation_id: str, text: str, **fields: object) -> Message:
    values: dict[str, object] = {
        "conversation_id": conversation_id,
        "role": "prospect",
        "text": text,
        "created_at": START,
    }
    values.update(fields)
    return Message.model_validate(values)


def schema_differences(connection: Connection) -> list[object]:
    return list(compare_metadata(MigrationContext.configure(connection), metadata))


def table_names(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


# Migrations


async def test_migrated_schema_matches_the_tables_in_code(database_url: str) -> None:
    store = SQLStore(database_url)
    try:
        assert await store.schema_revision() is None
        await store.init()
        assert await store.schema_revision() == head_revision()
        async with store.engine.connect() as conn:
            assert await conn.run_sync(schema_differences) == []
            assert await conn.run_sync(table_names) == {
                "admin_sessions",
                "alembic_version",
                "audit_log",
                "contacts",
                "conversations",
                "deliveries",
                "disabled_destinations",
                "handoffs",
                "lead_events",
                "lead_notes",
                "messages",
                "readiness",
                "saved_filters",
                "slack_events",
                "webhook_endpoints",
            }
    finally:
        await store.close()


async def test_init_twice_keeps_the_data(store: SQLStore) -> None:
    started = conversation()
    await store.create_conversation(started)
    await store.add_message(message(started.id, "hello"))
    await store.init()
    await store.init()
    assert await store.schema_revision() == head_revision()
    assert await store.get_conversation(started.id) == started
    assert [m.text for m in await store.messages(started.id)] == ["hello"]


async def test_workers_starting_together_migrate_once(database_url: str) -> None:
    workers = [SQLStore(database_url) for _ in range(3)]
    try:
        await asyncio.wait_for(asyncio.gather(*(worker.init() for worker in workers)), 60)
        for worker in workers:
            assert await worker.schema_revision() == head_revision()
        async with workers[0].engine.connect() as conn:
            assert await conn.run_sync(schema_differences) == []
    finally:
        for worker in workers:
            await worker.close()


async def test_tables_from_before_migrations_are_adopted(database_url: str) -> None:
    store = SQLStore(database_url)
    try:
        async with store.engine.begin() as conn:
            await conn.run_sync(metadata.create_all)  # how init() made the tables before
        old = conversation()
        await store.create_conversation(old)
        await store.init()
        assert await store.schema_revision() == head_revision()
        assert await store.get_conversation(old.id) == old
    finally:
        await store.close()


async def test_initial_migration_downgrades_and_upgrades_again(store: SQLStore) -> None:
    async with store.engine.begin() as conn:
        await conn.run_sync(lambda c: command.downgrade(alembic_config(c), "base"))
        assert await conn.run_sync(table_names) == {"alembic_version"}
    await store.init()
    async with store.engine.connect() as conn:
        assert await conn.run_sync(schema_differences) == []


# Types and behaviour that must match on both backends


async def test_datetimes_are_stored_as_utc_and_read_back_aware(store: SQLStore) -> None:
    paris = timezone(timedelta(hours=2))
    new_york = timezone(timedelta(hours=-5))
    # 10:00 in Paris is 08:00 UTC: earlier than 09:00 UTC although its wall clock is later.
    early = conversation(updated_at=datetime(2026, 11, 24, 10, 0, tzinfo=paris))
    late = conversation(updated_at=datetime(2026, 11, 24, 9, 0, tzinfo=UTC))
    await store.create_conversation(early)
    await store.create_conversation(late)

    oldest_first = await store.list_conversations(
        where=LeadFilter(order_by="updated_at", descending=False)
    )
    assert [c.id for c in oldest_first] == [early.id, late.id]
    for since in (
        datetime(2026, 11, 24, 8, 30, tzinfo=UTC),
        datetime(2026, 11, 24, 3, 30, tzinfo=new_york),
        datetime(2026, 11, 24, 8, 30),  # naive: taken as UTC
    ):
        found = await store.list_conversations(where=LeadFilter(since=since))
        assert [c.id for c in found] == [late.id], since
    assert await store.count_conversations(LeadFilter(until=START)) == 1

    async with store.engine.connect() as conn:
        stored = (
            await conn.execute(
                select(conversations.c.updated_at).where(conversations.c.id == early.id)
            )
        ).scalar_one()
    assert stored == datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
    assert stored.utcoffset() == timedelta(0)
    again = await store.get_conversation(early.id)
    assert again is not None and again.updated_at == early.updated_at


async def test_json_and_text_round_trip_exactly(store: SQLStore) -> None:
    started = conversation()
    await store.create_conversation(started)
    meta = {
        "nested": {"list": [1, 2.5, None, True, "x"], "empty": {}},
        "unicode": "café ☕ 𝔘 ﷽",
        "big": 2**53 + 1,
        "nul": "a\x00b",
        "quotes": "'\"\\",
    }
    original = message(started.id, "zero\x00byte and ünïcödé 🎉", meta=meta, author="Ana")
    await store.add_message(original)
    assert await store.messages(started.id) == [original]
    async with store.engine.connect() as conn:
        column = (await conn.execute(select(messages.c.text))).scalar_one()
    # The text column (for queries) cannot hold NUL on PostgreSQL, so neither backend gets it.
    assert column == "zero\ufffdbyte and ünïcödé 🎉"


async def test_messages_keep_insertion_order(store: SQLStore) -> None:
    started = conversation()
    await store.create_conversation(started)
    other = conversation()
    await store.create_conversation(other)
    texts = [f"message {n}" for n in range(25)]
    for n, body in enumerate(texts):
        # Same timestamp and random ids: only the autoincrement key gives the order.
        await store.add_message(message(started.id, body))
        if n % 5 == 0:
            await store.add_message(message(other.id, f"other {n}"))
    assert [m.text for m in await store.messages(started.id)] == texts
    assert [m.text for m in await store.messages(started.id, last=3)] == texts[-3:]
    assert len(await store.messages(other.id)) == 5


async def test_erase_reports_rowcount_and_cascades(store: SQLStore) -> None:
    kept, erased, deleted = conversation(), conversation(), conversation()
    for item in (kept, erased, deleted):
        await store.create_conversation(item)
        for n in range(3):
            await store.add_message(message(item.id, f"{item.id} {n}"))

    assert await store.erase_conversation(erased.id) is True
    assert await store.erase_conversation(erased.id) is False
    assert await store.erase_conversation("no-such-conversation") is False
    assert await store.get_conversation(erased.id) is None
    assert await store.messages(erased.id) == []

    # The foreign key itself cascades too (the migration made it ON DELETE CASCADE).
    async with store.engine.begin() as conn:
        result = await conn.execute(delete(conversations).where(conversations.c.id == deleted.id))
        assert result.rowcount == 1
    async with store.engine.connect() as conn:
        remaining = (
            await conn.execute(
                select(messages.c.conversation_id, func.count()).group_by(
                    messages.c.conversation_id
                )
            )
        ).all()
    assert dict(remaining) == {kept.id: 3}
    assert await store.count_conversations() == 1


async def test_strings_longer_than_their_column_are_refused_on_both(store: SQLStore) -> None:
    with pytest.raises(ValueError, match=r"conversations.channel holds at most 32 characters"):
        await store.create_conversation(conversation(channel="c" * 33))
    fits = conversation(channel="c" * 32)
    await store.create_conversation(fits)
    with pytest.raises(ValueError, match=r"conversations.segment holds at most 32"):
        await store.save_turn(fits.model_copy(update={"segment": "s" * 40}), None)
    with pytest.raises(ValueError, match=r"messages.id holds at most 64"):
        await store.add_message(message(fits.id, "hi", id="m" * 65))
    assert await store.get_conversation(fits.id) == fits
    assert await store.messages(fits.id) == []


async def test_a_message_needs_its_conversation(store: SQLStore) -> None:
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError):
        await store.add_message(message("no-such-conversation", "orphan"))


async def test_sqlite_pragmas_only_on_sqlite(store: SQLStore) -> None:
    backend = make_url(store.url).get_backend_name()
    has_listener = event.contains(store.engine.sync_engine, "connect", _sqlite_pragmas)
    assert has_listener == (backend == "sqlite")
    if backend == "sqlite":
        async with store.engine.connect() as conn:
            assert (await conn.exec_driver_sql("PRAGMA journal_mode")).scalar_one() == "wal"
            assert (await conn.exec_driver_sql("PRAGMA foreign_keys")).scalar_one() == 1
            assert (await conn.exec_driver_sql("PRAGMA synchronous")).scalar_one() == 1
    else:
        async with store.engine.connect() as conn:
            assert (await conn.execute(text("SHOW TimeZone"))).scalar_one()  # connected fine


# Two workers on one database


async def test_two_store_instances_share_conversations(database_url: str) -> None:
    first, second = SQLStore(database_url), SQLStore(database_url)
    try:
        await first.init()
        await second.init()
        started = conversation(channel="web")
        await first.create_conversation(started)
        await first.add_message(message(started.id, "hi from worker one"))

        seen = await second.get_conversation(started.id)
        assert seen == started
        assert [m.text for m in await second.messages(started.id)] == ["hi from worker one"]

        moved = started.model_copy(
            update={"score": 75, "segment": "hot", "updated_at": START + timedelta(minutes=1)}
        )
        reply = message(started.id, "reply from worker two", role="assistant")
        saved = await second.save_turn(moved, reply)
        assert saved == moved.model_copy(update={"version": 1})
        assert await first.get_conversation(started.id) == saved
        assert [m.text for m in await first.messages(started.id)] == [
            "hi from worker one",
            "reply from worker two",
        ]
        assert [c.id for c in await first.list_conversations(where=LeadFilter(segment="hot"))] == [
            started.id
        ]

        assert await first.erase_conversation(started.id)
        assert await second.get_conversation(started.id) is None
        assert await second.messages(started.id) == []
        assert await second.count_conversations() == 0
    finally:
        await first.close()
        await second.close()


async def test_concurrent_writers_on_separate_conversations(database_url: str) -> None:
    workers = [SQLStore(database_url) for _ in range(2)]
    try:
        await workers[0].init()
        started = [conversation() for _ in range(4)]
        for item in started:
            await workers[0].create_conversation(item)

        async def chat(worker: SQLStore, item: Conversation) -> None:
            for n in range(5):
                await worker.add_message(message(item.id, f"{n}"))

        await asyncio.gather(
            *(chat(workers[n % 2], item) for n, item in enumerate(started)),
        )
        for item in started:
            assert [m.text for m in await workers[1].messages(item.id)] == list("01234")
    finally:
        for worker in workers:
            await worker.close()


# URLs and errors


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u:p@db:5432/app", "postgresql+asyncpg://u:p@db:5432/app"),
        ("postgresql://u@db/app", "postgresql+asyncpg://u@db/app"),
        ("postgresql+asyncpg://u@db/app", "postgresql+asyncpg://u@db/app"),
        ("postgres://u@db/app?sslmode=require", "postgresql+asyncpg://u@db/app?ssl=require"),
        ("postgresql://u:p%40ss%2Fw@db/app", "postgresql+asyncpg://u:p%40ss%2Fw@db/app"),
        ("sqlite:///data/q.db", "sqlite+aiosqlite:///data/q.db"),
        ("sqlite+aiosqlite:////tmp/q.db", "sqlite+aiosqlite:////tmp/q.db"),
    ],
)
def test_database_urls_get_an_async_driver(given: str, expected: str) -> None:
    assert normalize_database_url(given) == expected
    assert make_url(normalize_database_url(given)).password == make_url(given).password


async def test_unreachable_database_is_a_clear_error() -> None:
    store = SQLStore(f"postgres://qualify:s3cret@127.0.0.1:{closed_port()}/qualify")
    try:
        with pytest.raises(DatabaseUnavailable, match="cannot reach the database") as error:
            await store.init()
    finally:
        await store.close()
    assert "s3cret" not in str(error.value)
    assert "postgresql+asyncpg://qualify:***@127.0.0.1" in str(error.value)


async def test_missing_postgres_database_is_a_clear_error(
    postgres_cluster: PostgresCluster,
) -> None:
    store = SQLStore(postgres_cluster.url("no_such_database"))
    try:
        with pytest.raises(DatabaseUnavailable, match='database "no_such_database" does not'):
            await store.init()
    finally:
        await store.close()


# qualify db


def test_db_upgrade_and_current_commands(database_url: str) -> None:
    runner = CliRunner()

    def qualify(*args: str) -> str:
        result = runner.invoke(app, [*args, "--database-url", database_url])
        assert result.exit_code == 0, result.output
        return result.stdout

    head = head_revision()
    assert f"head is {head}" in qualify("db", "current")
    assert f"upgraded (no revision) -> {head} (head)" in qualify("db", "upgrade")
    assert f"already at {head} (head)" in qualify("db", "upgrade")
    assert f": {head} (head)" in qualify("db", "current")


def test_db_upgrade_reads_database_url_and_fails_cleanly(tmp_path: Path) -> None:
    """As a real process: DATABASE_URL in the libpq form, and a server that is not there."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("QUALIFY_")}
    environment.update(
        QUALIFY_DATA_DIR=str(tmp_path),
        DATABASE_URL=f"postgres://qualify:s3cret@127.0.0.1:{closed_port()}/qualify",
        NO_COLOR="1",
    )
    result = subprocess.run(
        [str(Path(sys.executable).parent / "qualify"), "db", "upgrade"],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith("error: cannot reach the database at postgresql+asyncpg://")
    assert "Traceback" not in result.stderr
    assert "s3cret" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


async def test_lead_stats_and_search(store: SQLStore) -> None:
    today = START.date()
    leads = [
        conversation(segment="hot", score=104, created_at=START),
        conversation(segment="warm", score=55, created_at=START - timedelta(days=8)),
        conversation(segment="cold", score=-5, created_at=START - timedelta(days=8)),
        conversation(segment="cold", score=3, created_at=START - timedelta(days=70)),
    ]
    for lead in leads:
        await store.create_conversation(lead)
        await store.add_message(message(lead.id, f"Budget_Is 50% for {lead.segment}"))
    await store.create_conversation(conversation(segment="hot", score=90))  # never wrote

    stats = await store.lead_stats(today)
    assert stats.funnel[:2] == [("Conversations", 4), ("Qualified", 2)]
    assert stats.scores == [(-10, 1), (0, 1), (50, 1), (100, 1)]
    assert stats.per_week["hot"][-1] == 1
    assert stats.per_week["warm"][-2] == 1 and stats.per_week["cold"][-2] == 1
    assert sum(sum(counts) for counts in stats.per_week.values()) == 3  # one is 10 weeks old

    async def found(q: str) -> int:
        where = LeadFilter(started=True, q=q)
        counted = await store.count_conversations(where)
        page, total = await store.lead_page(limit=2, where=where)
        assert total == counted and len(page) == min(2, counted), q
        return counted

    assert await found("budget_is 50%") == 4
    assert await found("HOT") == 1
    assert await found("d_e") == 0 and await found("5_%") == 0
