"""Several server processes on one database: what a prospect said is never lost, and a
resend is answered once, whichever process each request reaches.

Real ``qualify serve`` processes over HTTP, on SQLite and PostgreSQL: two processes on one
database (each request's process chosen by the test), and one ``--workers 2`` server (the
kernel chooses), as README promises.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.servers import QualifyProcess

ADMIN_KEY = "workers-test-admin-key-0123456789-0123456789"
SECRET = "workers-test-secret-key-0123456789abcdef"
ROUNDS = 8


@contextmanager
def serving(database_url: str, data_dir: Path, *, workers: int = 1) -> Iterator[str]:
    """``qualify serve`` on ``database_url``, until the block ends; its base URL."""
    with QualifyProcess(settings(database_url, data_dir), workers=workers) as server:
        yield server.url


def settings(database_url: str, data_dir: Path) -> dict[str, str]:
    return {
        "QUALIFY_DATA_DIR": str(data_dir),
        "QUALIFY_DATABASE_URL": database_url,
        "QUALIFY_ADMIN_API_KEY": ADMIN_KEY,
        "QUALIFY_SECRET_KEY": SECRET,
        "QUALIFY_RATE_LIMIT_IP": "100000/minute",
        "QUALIFY_RATE_LIMIT_CONVERSATION": "100000/minute",
    }


@pytest.fixture
def two_servers(database_url: str, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Two server processes sharing one database (the first one migrates it)."""
    with serving(database_url, tmp_path) as first, serving(database_url, tmp_path) as second:
        yield first, second


def _events(body: str) -> list[tuple[str, dict[str, Any]]]:
    found = []
    for block in body.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        if "event" in lines:
            found.append((lines["event"], json.loads(lines["data"])))
    return found


async def _start(client: httpx.AsyncClient, url: str) -> tuple[str, str]:
    created = (await client.post(f"{url}/api/conversations", json={})).json()
    return created["token"], created["conversation_id"]


async def _send(
    client: httpx.AsyncClient, url: str, token: str, text: str, client_id: str | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {"text": text}
    if client_id is not None:
        body["client_id"] = client_id
    response = await client.post(f"{url}/api/conversations/{token}/messages", json=body)
    assert response.status_code == 200, response.text
    events = dict(_events(response.text))
    assert "reply" in events, response.text  # answered, not an error event
    reply: dict[str, Any] = events["reply"]
    return reply


async def _lead(client: httpx.AsyncClient, url: str, lead_id: str) -> dict[str, Any]:
    response = await client.get(
        f"{url}/api/admin/leads/{lead_id}", headers={"Authorization": f"Bearer {ADMIN_KEY}"}
    )
    assert response.status_code == 200, response.text
    lead: dict[str, Any] = response.json()
    return lead


def _prospect_texts(lead: dict[str, Any]) -> list[str]:
    return [m["text"] for m in lead["transcript"] if m["role"] == "prospect"]


def _client() -> httpx.AsyncClient:
    return httpx.AsyncClient(timeout=120, limits=httpx.Limits(max_connections=50))


BUDGET = "Our budget is about $60k a year."
ROLE = "I'm the CEO, I sign off on purchases."


async def _two_facts_at_once(first: str, second: str) -> list[str]:
    """Rounds of two facts sent to one conversation at the same moment; what was lost."""
    lost = []
    async with _client() as client:
        for round_ in range(ROUNDS):
            token, lead_id = await _start(client, first)
            await asyncio.gather(
                _send(client, first, token, BUDGET), _send(client, second, token, ROLE)
            )
            lead = await _lead(client, first, lead_id)
            profile = lead["profile"]
            if profile["budget"] is None or profile["authority"] is None:
                lost.append(f"round {round_}: budget {profile['budget']}, {profile['authority']}")
            assert sorted(_prospect_texts(lead)) == sorted([BUDGET, ROLE])
            assert lead["lead"]["prospect_messages"] == 2
    return lost


def test_two_messages_at_once_on_two_processes_keep_both_facts(
    two_servers: tuple[str, str],
) -> None:
    assert asyncio.run(_two_facts_at_once(*two_servers)) == []


def test_two_messages_at_once_on_two_workers_keep_both_facts(
    database_url: str, tmp_path: Path
) -> None:
    with serving(database_url, tmp_path, workers=2) as url:
        assert asyncio.run(_two_facts_at_once(url, url)) == []


async def _rescore_racing_turns(first: str, second: str) -> None:
    async with _client() as client:
        leads = [await _start(client, first) for _ in range(40)]
        for token, _ in leads:  # something to score, so that every rescore writes the lead
            await _send(client, first, token, "We need funnel analysis for our checkout")
        done = asyncio.Event()

        async def rescore_until_done() -> int:
            runs = 0
            while not done.is_set():
                for url in (first, second):
                    response = await client.post(
                        f"{url}/api/admin/rescore",
                        params={"on": "2027-09-01"},
                        headers={"Authorization": f"Bearer {ADMIN_KEY}"},
                    )
                    assert response.status_code == 200, response.text
                    runs += 1
            return runs

        async def talk() -> None:
            try:
                await asyncio.gather(
                    *(
                        _send(client, (first, second)[n % 2], token, "About $60k a year")
                        for n, (token, _) in enumerate(leads)
                    )
                )
            finally:
                done.set()

        runs, _ = await asyncio.gather(rescore_until_done(), talk())
        assert runs >= 2
        for _, lead_id in leads:
            lead = await _lead(client, second, lead_id)
            assert lead["profile"]["budget"] is not None, lead_id
            assert lead["profile"]["budget"]["value"]["annual_usd"] == 60000
            assert lead["lead"]["prospect_messages"] == 2
            assert _prospect_texts(lead)[-1] == "About $60k a year"


def test_a_rescore_racing_turns_on_two_processes_keeps_every_fact(
    two_servers: tuple[str, str],
) -> None:
    asyncio.run(_rescore_racing_turns(*two_servers))


def test_a_rescore_racing_turns_on_two_workers_keeps_every_fact(
    database_url: str, tmp_path: Path
) -> None:
    with serving(database_url, tmp_path, workers=2) as url:
        asyncio.run(_rescore_racing_turns(url, url))


async def _resends(first: str, second: str) -> None:
    async with _client() as client:
        for round_ in range(ROUNDS):
            token, lead_id = await _start(client, first)
            client_id = f"same-id-{round_}"
            replies = await asyncio.gather(
                *(_send(client, (first, second)[n % 2], token, BUDGET, client_id) for n in range(5))
            )
            assert len({reply["message"]["id"] for reply in replies}) == 1
            lead = await _lead(client, second, lead_id)
            roles = [m["role"] for m in lead["transcript"]]
            assert roles == ["assistant", "prospect", "assistant"], (round_, roles)
            assert lead["lead"]["prospect_messages"] == 1


def test_five_resends_at_once_on_two_processes_store_one_answer(
    two_servers: tuple[str, str],
) -> None:
    asyncio.run(_resends(*two_servers))


def test_five_resends_at_once_on_two_workers_store_one_answer(
    database_url: str, tmp_path: Path
) -> None:
    with serving(database_url, tmp_path, workers=2) as url:
        asyncio.run(_resends(url, url))
