"""A database that refuses writes: the prospect is told the truth, nothing is lost, and
``/readyz`` says the server cannot take turns while ``/healthz`` (liveness) stays up.

The refusals are the database's own: a trigger that raises on insert or update (as a full
disk or a read-only volume would make a statement fail), and on PostgreSQL a database
switched to read-only transactions.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from agent.config import Settings
from agent.migrations import head_revision
from agent.sql_store import SQLStore
from channels.web.app import create_app
from tests.servers import ThreadedServer

ADMIN = {"Authorization": "Bearer failures-admin-key-0123456789"}


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[ThreadedServer]:
    settings = Settings(
        data_dir=tmp_path,
        database_url=database_url,
        admin_api_key="failures-admin-key-0123456789",
        secret_key="failures-secret-key-0123456789",
        knowledge=False,
    )
    with ThreadedServer(create_app(settings)) as running:
        yield running


@pytest.fixture
async def client(server: ThreadedServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server.url, timeout=60) as http:
        yield http


@pytest.fixture
async def admin_db(database_url: str) -> AsyncIterator[SQLStore]:
    """A second connection to the same database, for the test to break it with."""
    store = SQLStore(database_url)
    yield store
    await store.close()


async def _refuse(db: SQLStore, table: str, operation: str, when: str = "TRUE") -> None:
    """Make the database refuse ``operation`` (INSERT or UPDATE) on ``table`` for the rows
    ``when`` (an SQL condition on ``NEW``) holds for."""
    name = f"refuse_{operation.lower()}_{table}"
    async with db.engine.begin() as conn:
        if db.engine.dialect.name == "sqlite":
            await conn.execute(
                text(
                    f"CREATE TRIGGER {name} BEFORE {operation} ON {table} WHEN {when} "
                    "BEGIN SELECT RAISE(ABORT, 'disk I/O error (test)'); END"
                )
            )
            return
        await conn.execute(
            text(
                f"CREATE FUNCTION {name}() RETURNS trigger AS $$ BEGIN "
                "RAISE EXCEPTION 'disk I/O error (test)'; END $$ LANGUAGE plpgsql"
            )
        )
        await conn.execute(
            text(
                f"CREATE TRIGGER {name} BEFORE {operation} ON {table} "
                f"FOR EACH ROW WHEN ({when}) EXECUTE FUNCTION {name}()"
            )
        )


async def _mend(db: SQLStore, table: str, operation: str) -> None:
    name = f"refuse_{operation.lower()}_{table}"
    async with db.engine.begin() as conn:
        if db.engine.dialect.name == "sqlite":
            await conn.execute(text(f"DROP TRIGGER {name}"))
        else:
            await conn.execute(text(f"DROP TRIGGER {name} ON {table}"))
            await conn.execute(text(f"DROP FUNCTION {name}()"))


def _events(body: str) -> list[tuple[str, dict[str, Any]]]:
    found = []
    for block in body.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        found.append((lines["event"], json.loads(lines["data"])))
    return found


async def _start(client: httpx.AsyncClient) -> tuple[str, str]:
    created = (await client.post("/api/conversations", json={})).json()
    return created["token"], created["conversation_id"]


async def _send(client: httpx.AsyncClient, token: str, body: str, client_id: str) -> Any:
    response = await client.post(
        f"/api/conversations/{token}/messages", json={"text": body, "client_id": client_id}
    )
    assert response.status_code == 200, response.text
    return _events(response.text)


async def _transcript(client: httpx.AsyncClient, token: str) -> list[tuple[str, str]]:
    history = (await client.get(f"/api/conversations/{token}")).json()
    return [(m["role"], m["text"]) for m in history["messages"]]


async def test_a_message_the_database_refused_is_reported_as_not_saved(
    client: httpx.AsyncClient, admin_db: SQLStore, caplog: pytest.LogCaptureFixture
) -> None:
    token, _ = await _start(client)
    await _refuse(admin_db, "messages", "INSERT")
    with caplog.at_level(logging.ERROR):
        events = await _send(client, token, "About $60k a year", "m-1")
    assert "turn failed" in caplog.text and "disk I/O error (test)" in caplog.text
    assert "60k" not in caplog.text  # what the prospect wrote stays out of the logs
    assert [name for name, _ in events] == ["error"]
    error = events[0][1]
    assert error["saved"] is False
    assert "wasn't saved" in error["message"]
    assert "is saved" not in error["message"]
    assert [role for role, _ in await _transcript(client, token)] == ["assistant"]

    await _mend(admin_db, "messages", "INSERT")
    events = await _send(client, token, "About $60k a year", "m-1")  # the widget's retry
    assert events[0][0] == "stored" and events[-1][0] == "reply"
    assert [role for role, _ in await _transcript(client, token)] == [
        "assistant",
        "prospect",
        "assistant",
    ]


async def test_a_reply_the_database_refused_is_reported_with_the_message_saved(
    client: httpx.AsyncClient, admin_db: SQLStore
) -> None:
    token, lead_id = await _start(client)
    await _refuse(admin_db, "messages", "INSERT", "NEW.role = 'assistant'")
    events = await _send(client, token, "About $60k a year", "m-1")
    names = [name for name, _ in events]
    assert names[0] == "stored" and names[-1] == "error" and "reply" not in names
    error = events[-1][1]
    assert error["saved"] is True
    assert "is saved" in error["message"]
    assert (await _transcript(client, token))[1:] == [("prospect", "About $60k a year")]

    await _mend(admin_db, "messages", "INSERT")
    events = await _send(client, token, "About $60k a year", "m-1")  # "Try again"
    assert events[-1][0] == "reply"
    assert [role for role, _ in await _transcript(client, token)] == [
        "assistant",
        "prospect",
        "assistant",
    ]
    lead = (await client.get(f"/api/admin/leads/{lead_id}", headers=ADMIN)).json()
    assert lead["profile"]["budget"]["value"]["annual_usd"] == 60000


async def test_readyz_fails_while_the_database_refuses_writes_and_healthz_stays_up(
    client: httpx.AsyncClient, admin_db: SQLStore
) -> None:
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ok", "problems": []}

    await _refuse(admin_db, "readiness", "UPDATE")
    ready = await client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["status"] == "unavailable"
    assert "refuses writes" in ready.json()["problems"][0]
    assert (await client.get("/healthz")).status_code == 200

    await _mend(admin_db, "readiness", "UPDATE")
    assert (await client.get("/readyz")).status_code == 200


async def test_readyz_reports_a_schema_behind_the_newest_migration(
    client: httpx.AsyncClient, admin_db: SQLStore
) -> None:
    async with admin_db.engine.begin() as conn:
        await conn.execute(text("UPDATE alembic_version SET version_num = '0005'"))
    ready = await client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["problems"] == [
        f"database schema at 0005, newest migration {head_revision()}"
    ]


async def test_readyz_fails_on_a_read_only_postgresql_database(
    database_url: str, client: httpx.AsyncClient
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("read-only databases are a PostgreSQL setting")
    url = make_url(database_url)
    admin = await asyncpg.connect(
        host=url.host, port=url.port, user=url.username, password=url.password, database="postgres"
    )
    try:
        await admin.execute(
            f'ALTER DATABASE "{url.database}" SET default_transaction_read_only = on'
        )
        await admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = $1 AND pid <> pg_backend_pid()",
            url.database,
        )
        statuses = []
        for _ in range(3):  # the first may meet a connection that was just cut
            statuses.append((await client.get("/readyz")).status_code)
            await asyncio.sleep(0.1)
        assert statuses[-1] == 503
        assert 200 not in statuses
        assert (await client.get("/healthz")).status_code == 200
    finally:
        await admin.execute(
            f'ALTER DATABASE "{url.database}" SET default_transaction_read_only = off'
        )
        await admin.close()


async def test_an_erased_lead_leaves_no_copy_in_the_sqlite_files_and_an_audit_entry(
    tmp_path: Path,
) -> None:
    settings = Settings(
        data_dir=tmp_path,
        admin_api_key="failures-admin-key-0123456789",
        secret_key="failures-secret-key-0123456789",
        knowledge=False,
    )
    name, email = "Zebulon Quartermaine", "zebulon.quartermaine@example.org"
    with ThreadedServer(create_app(settings)) as running:
        async with httpx.AsyncClient(base_url=running.url, timeout=60) as client:
            token, lead_id = await _start(client)
            for n, text_ in enumerate(
                [f"I'm {name}, we need funnel analysis", f"Email me at {email}"] * 6
            ):
                await _send(client, token, text_, f"m-{n}")
            files = [tmp_path / "qualify.db", tmp_path / "qualify.db-wal"]
            before = b"".join(path.read_bytes() for path in files if path.exists())
            assert email.encode() in before  # there to be erased
            erased = await client.delete(f"/api/admin/leads/{lead_id}", headers=ADMIN)
            assert erased.status_code == 204
            after = b"".join(path.read_bytes() for path in files if path.exists())
            for secret in (name, email, "Quartermaine", "funnel analysis"):
                assert secret.encode() not in after, secret
            audit = (await client.get("/api/admin/audit", headers=ADMIN)).json()
    assert [(a["actor"], a["action"], a["subject"]) for a in audit] == [
        ("admin-api", "erase", lead_id)
    ]
    assert "Quartermaine" not in json.dumps(audit)
