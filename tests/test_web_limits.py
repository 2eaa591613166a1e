"""Limits and hygiene of the web server, over real HTTP: body size enforced while reading,
no caching of conversations and leads, no Host reflection, validated stream ids, invisible
messages refused, API docs off by default, no tokens in access logs."""

from __future__ import annotations

import asyncio
import contextlib
import select
import socket
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from agent.config import Settings
from agent.sql_store import SQLStore
from channels.web.app import create_app
from tests.servers import ThreadedServer

ADMIN = {"Authorization": "Bearer limits-admin-key-0123456789"}
LIMIT = 64 * 1024


def settings_for(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "data_dir": tmp_path,
        "admin_api_key": "limits-admin-key-0123456789",
        "secret_key": "limits-secret-key-0123456789",
        "knowledge": False,
        "max_body_bytes": LIMIT,
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ThreadedServer]:
    with ThreadedServer(create_app(settings_for(tmp_path))) as running:
        yield running


@pytest.fixture
async def client(server: ThreadedServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
        yield http


async def _token(client: httpx.AsyncClient) -> str:
    token: str = (await client.post("/api/conversations", json={})).json()["token"]
    return token


def _raw(server: ThreadedServer, head: bytes, *pieces: bytes) -> bytes:
    """Send a raw request piece by piece, stopping once the server answers; the answer."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(head)
        for piece in pieces:
            readable, _, _ = select.select([sock], [], [], 0.05)
            if readable:
                break  # answered already: the rest is never sent
            with contextlib.suppress(OSError):
                sock.sendall(piece)
        answer = b""
        with contextlib.suppress(OSError):
            while chunk := sock.recv(65536):
                answer += chunk
    return answer


def test_a_100_mb_body_is_refused_before_it_is_read(server: ThreadedServer) -> None:
    head = (
        b"POST /api/conversations/x/messages HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/json\r\nContent-Length: 104857600\r\n\r\n"
    )
    answer = _raw(server, head, b'{"text": "')  # the rest is never sent
    assert answer.startswith(b"HTTP/1.1 413")
    assert b'"error": "body_too_large"' in answer


def test_a_chunked_body_is_cut_off_at_the_limit(server: ThreadedServer) -> None:
    head = (
        b"POST /api/conversations/x/messages HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
        b"Connection: close\r\n\r\n"
    )
    chunk = b"a" * 16384
    pieces = [b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(8)] + [b"0\r\n\r\n"]
    answer = _raw(server, head, *pieces)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b"body_too_large" in answer


async def test_a_body_under_the_limit_is_served(client: httpx.AsyncClient) -> None:
    token = await _token(client)
    response = await client.post(
        f"/api/conversations/{token}/messages", json={"text": "hello " * 600}
    )
    assert response.status_code == 200


async def test_conversations_and_leads_are_never_cached(client: httpx.AsyncClient) -> None:
    created = await client.post("/api/conversations", json={})
    assert created.headers["cache-control"] == "no-store"
    token = created.json()["token"]
    assert (await client.get(f"/api/conversations/{token}")).headers["cache-control"] == (
        "no-store"
    )
    leads = await client.get("/api/admin/leads", headers=ADMIN)
    assert leads.headers["cache-control"] == "no-store"


async def test_the_page_never_reflects_the_host_header(client: httpx.AsyncClient) -> None:
    page = await client.get("/", headers={"Host": "evil.example"})
    assert page.status_code == 200
    assert "evil.example" not in page.text
    assert 'src="/widget.js"' in page.text


async def test_the_configured_public_url_is_used(tmp_path: Path) -> None:
    app = create_app(settings_for(tmp_path, public_url="https://chat.example.com/"))
    with ThreadedServer(app) as running:
        async with httpx.AsyncClient(base_url=running.url) as http:
            page = await http.get("/", headers={"Host": "evil.example"})
    assert 'src="https://chat.example.com/widget.js"' in page.text


@pytest.mark.parametrize("last", ["1" * 20, "9" * 5000, "-1", "abc"])
async def test_a_bad_last_event_id_is_refused(client: httpx.AsyncClient, last: str) -> None:
    token = await _token(client)
    response = await client.get(
        f"/api/conversations/{token}/events", headers={"Last-Event-ID": last}
    )
    assert response.status_code == 400
    assert response.json()["error"] == "bad_last_event_id"


@pytest.mark.parametrize(
    "text", ["\x00", "\x00\x00\x00", "\u200b\u200b", "\ufeff \u200d", "\u2060"]
)
async def test_invisible_messages_are_refused(client: httpx.AsyncClient, text: str) -> None:
    token = await _token(client)
    response = await client.post(f"/api/conversations/{token}/messages", json={"text": text})
    assert response.status_code == 422
    assert response.json()["error"] == "empty_message"
    history = (await client.get(f"/api/conversations/{token}")).json()
    assert [m["role"] for m in history["messages"]] == ["assistant"]


async def test_api_docs_are_off_unless_enabled(client: httpx.AsyncClient, tmp_path: Path) -> None:
    assert (await client.get("/docs")).status_code == 404
    assert (await client.get("/openapi.json")).status_code == 404
    app = create_app(settings_for(tmp_path / "docs", api_docs=True))
    with ThreadedServer(app) as running:
        async with httpx.AsyncClient(base_url=running.url) as http:
            assert (await http.get("/docs")).status_code == 200
            assert "/api/conversations" in (await http.get("/openapi.json")).json()["paths"]


def test_access_log_lines_carry_no_conversation_token(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    server = ThreadedServer(create_app(settings_for(tmp_path)))
    server.access_log = True
    with server:
        token = httpx.post(f"{server.url}/api/conversations", json={}).json()["token"]
        httpx.get(f"{server.url}/api/conversations/{token}")
    out = capfd.readouterr()
    lines = [line for line in (out.out + out.err).splitlines() if "HTTP/1.1" in line]
    assert any("GET /api/conversations/[token] " in line for line in lines), lines
    assert not any(token in line for line in lines)


async def test_event_streams_per_conversation_are_capped(tmp_path: Path) -> None:
    app = create_app(settings_for(tmp_path, max_streams_per_conversation=2))
    with ThreadedServer(app) as running:
        async with httpx.AsyncClient(base_url=running.url, timeout=30) as http:
            token = await _token(http)
            url = f"/api/conversations/{token}/events"
            async with http.stream("GET", url) as first, http.stream("GET", url) as second:
                assert (first.status_code, second.status_code) == (200, 200)
                third = await http.get(url)
                assert third.status_code == 429
                assert third.json()["error"] == "too_many_streams"
            # Closed streams give their slots back (the server notices within a poll).
            for _ in range(50):
                async with http.stream("GET", url) as again:
                    if again.status_code == 200:
                        break
                await asyncio.sleep(0.2)
            assert again.status_code == 200


async def test_reading_a_conversation_is_rate_limited(tmp_path: Path) -> None:
    app = create_app(settings_for(tmp_path, rate_limit_ip="3/minute"))
    with ThreadedServer(app) as running:
        async with httpx.AsyncClient(base_url=running.url, timeout=30) as http:
            token = await _token(http)  # 1
            assert (await http.get(f"/api/conversations/{token}")).status_code == 200  # 2
            assert (await http.get(f"/api/conversations/{token}")).status_code == 200  # 3
            limited = await http.get(f"/api/conversations/{token}")
            assert limited.status_code == 429
            assert int(limited.headers["retry-after"]) > 0


async def test_chats_nobody_wrote_in_are_not_leads_and_are_purged(
    client: httpx.AsyncClient, tmp_path: Path
) -> None:
    empty = (await client.post("/api/conversations", json={})).json()["conversation_id"]
    written = (await client.post("/api/conversations", json={})).json()
    await client.post(
        f"/api/conversations/{written['token']}/messages", json={"text": "We need dashboards"}
    )
    leads = (await client.get("/api/admin/leads", headers=ADMIN)).json()
    assert [lead["id"] for lead in leads["leads"]] == [written["conversation_id"]]
    export = await client.get("/api/admin/leads/export?format=csv", headers=ADMIN)
    assert empty not in export.text and written["conversation_id"] in export.text

    store = SQLStore(f"sqlite+aiosqlite:///{tmp_path / 'qualify.db'}")
    try:
        assert await store.purge_unstarted(datetime.now(UTC) - timedelta(days=1)) == 0
        assert await store.purge_unstarted(datetime.now(UTC) + timedelta(seconds=1)) == 1
        assert await store.get_conversation(empty) is None
        assert await store.get_conversation(written["conversation_id"]) is not None
    finally:
        await store.close()


async def _age(tmp_path: Path, conversation_id: str, days: int) -> None:
    """Make the conversation look last active ``days`` ago."""
    store = SQLStore(f"sqlite+aiosqlite:///{tmp_path / 'qualify.db'}")
    try:
        stored = await store.get_conversation(conversation_id)
        assert stored is not None
        then = datetime.now(UTC) - timedelta(days=days)
        await store.save_turn(
            stored.model_copy(update={"updated_at": then, "last_message_at": then}), None
        )
    finally:
        await store.close()


async def test_a_chat_idle_past_the_expiry_takes_no_message(
    client: httpx.AsyncClient, tmp_path: Path
) -> None:
    created = (await client.post("/api/conversations", json={})).json()
    token, lead_id = created["token"], created["conversation_id"]
    await client.post(f"/api/conversations/{token}/messages", json={"text": "We need dashboards"})
    await _age(tmp_path, lead_id, 29)
    assert (await client.get(f"/api/conversations/{token}")).status_code == 200  # not yet
    await _age(tmp_path, lead_id, 31)  # the default expiry is 30 days
    for response in (
        await client.get(f"/api/conversations/{token}"),
        await client.get(f"/api/conversations/{token}/events"),
        await client.post(f"/api/conversations/{token}/messages", json={"text": "hello again"}),
    ):
        assert response.status_code == 404
        assert response.json()["error"] == "conversation_expired"
        assert "start a new one" in response.json()["message"]
    lead = (await client.get(f"/api/admin/leads/{lead_id}", headers=ADMIN)).json()
    assert [m["text"] for m in lead["transcript"] if m["role"] == "prospect"] == [
        "We need dashboards"
    ]  # nothing of the refused message was stored


async def test_chats_can_be_kept_open_for_ever(tmp_path: Path) -> None:
    app = create_app(settings_for(tmp_path, conversation_expiry_days=0))
    with ThreadedServer(app) as running:
        async with httpx.AsyncClient(base_url=running.url, timeout=30) as http:
            created = (await http.post("/api/conversations", json={})).json()
            await _age(tmp_path, created["conversation_id"], 400)
            answer = await http.post(
                f"/api/conversations/{created['token']}/messages", json={"text": "hello"}
            )
            assert answer.status_code == 200 and "event: reply" in answer.text
