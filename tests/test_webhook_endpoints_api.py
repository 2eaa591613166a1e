"""Webhook endpoints added through the admin API, over real HTTP against the real app, with
real receivers on 127.0.0.1 checking signatures: an added endpoint gets lead events from a
real conversation, "send test event" reports a live and a dead receiver, and removing one
stops deliveries to it and cancels the pending ones."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from channels.web.app import create_app
from tests.servers import ThreadedServer, free_port
from tests.test_web_api import ADMIN, make_settings, send, start
from tests.test_webhooks import wait_for
from tests.webhook_receiver import Receiver, running_receiver

KEY = "test-admin-key-0123456789"
HOOKS = "/api/admin/webhooks"


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    settings = make_settings(
        tmp_path,
        knowledge=False,
        outbox_poll_seconds=0.2,
        webhook_backoff_seconds=3600,  # a failed attempt waits: it stays pending
        webhooks=[{"name": "crm", "url": "http://127.0.0.1:9/settings-hook", "secret": "s" * 20}],
    )
    with ThreadedServer(create_app(settings)) as server:
        async with httpx.AsyncClient(base_url=server.url, timeout=60) as client:
            yield client


async def add(client: httpx.AsyncClient, receiver: Receiver, **body: Any) -> dict[str, Any]:
    """Add ``receiver`` as an endpoint; it learns the secret the answer shows once."""
    made = await client.post(HOOKS, json={"url": receiver.url, **body}, headers=ADMIN)
    assert made.status_code == 201, made.text
    created: dict[str, Any] = made.json()
    receiver.secret = created["secret"]
    return created


async def until(condition: Callable[[], Awaitable[bool]], seconds: float = 30) -> None:
    """Poll an async condition (background delivery) until it holds; fail after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not await condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.1)


async def deliveries(client: httpx.AsyncClient, **params: str) -> list[dict[str, Any]]:
    page = await client.get("/api/admin/deliveries", params=params, headers=ADMIN)
    rows: list[dict[str, Any]] = page.json()["deliveries"]
    return rows


async def test_an_added_endpoint_receives_signed_events_of_its_types(
    client: httpx.AsyncClient,
) -> None:
    with running_receiver("not-known-yet") as receiver:
        created = await add(client, receiver, events=["lead.created"], description="CRM sandbox")
        assert created["secret"].startswith("whsec_") and len(created["secret"]) > 40
        assert created["events"] == ["lead.created"]
        assert created["source"] == "dashboard" and created["created_by"] == "admin-api"

        token = await start(client)
        await send(client, token, "We need funnel analysis")
        await wait_for(lambda: len(receiver.processed) == 1)
        (got,) = receiver.received
        assert got.signature_ok  # signed with the secret shown when it was added
        assert got.event["type"] == "lead.created"
        assert got.headers["x-qualify-event"] == "lead.created"

        listed = (await client.get(HOOKS, headers=ADMIN)).json()
        assert [(e["name"], e["source"], e["id"] is None) for e in listed] == [
            ("crm", "settings", True),
            (created["name"], "dashboard", False),
        ]
        mine = listed[1]
        assert mine["secret_hint"] == "…" + created["secret"][-4:]
        assert mine["description"] == "CRM sandbox"
        assert created["secret"] not in (await client.get(HOOKS, headers=ADMIN)).text

        async def recorded() -> bool:
            done = await deliveries(client, destination=created["name"])
            return [(d["event_type"], d["status"]) for d in done] == [("lead.created", "delivered")]

        await until(recorded)  # the answer is recorded after the receiver has it
        audit = (await client.get("/api/admin/audit", headers=ADMIN)).json()
        assert ("add_webhook", created["id"]) in [(a["action"], a["subject"]) for a in audit]


@pytest.mark.parametrize(
    ("body", "status", "says"),
    [
        ({"url": "ftp://files.example.com/in"}, 422, "must start with http:// or https://"),
        ({"url": "javascript:alert(1)"}, 422, "must start with http:// or https://"),
        ({"url": "https:///path-only"}, 422, "needs a host name"),
        ({"url": "https://a b.example.com/"}, 422, "cannot contain spaces"),
        ({"url": ""}, 422, "Enter the endpoint's URL."),
        ({"url": "https://ok.example.com/", "events": ["lead.won"]}, 422, "Unknown event type"),
        ({"url": "https://ok.example.com/", "description": "d" * 201}, 422, "at most 200"),
        ({"url": "http://127.0.0.1:9/settings-hook"}, 409, "“crm”, from settings"),
        ({"url": "https://taken.example.com/in"}, 409, "already receives events"),
    ],
)
async def test_a_refused_endpoint_says_why_and_adds_nothing(
    client: httpx.AsyncClient, body: dict[str, Any], status: int, says: str
) -> None:
    first = await client.post(HOOKS, json={"url": "https://taken.example.com/in"}, headers=ADMIN)
    assert first.status_code == 201
    refused = await client.post(HOOKS, json=body, headers=ADMIN)
    assert refused.status_code == status, refused.text
    assert says in refused.json()["message"]
    assert len((await client.get(HOOKS, headers=ADMIN)).json()) == 2
    assert (await client.post(HOOKS, json={"url": "https://x.example.com/"})).status_code == 401


async def test_send_test_event_reports_a_live_and_a_dead_receiver(
    client: httpx.AsyncClient,
) -> None:
    with running_receiver("unknown") as receiver:
        live = await add(client, receiver)
        sent = await client.post(f"{HOOKS}/{live['id']}/test", headers=ADMIN)
        assert sent.status_code == 200, sent.text
        result = sent.json()
        assert (result["ok"], result["status"]) == (True, 200)
        assert result["outcome"].endswith("answered HTTP 200: delivered.")
        (got,) = receiver.received
        assert got.signature_ok
        assert got.event["id"] == result["event_id"]
        assert got.event["data"]["test"] is True

        receiver.answer(500)
        failed = (await client.post(f"{HOOKS}/{live['id']}/test", headers=ADMIN)).json()
        assert (failed["ok"], failed["status"]) == (False, 500)
        assert "answered HTTP 500" in failed["outcome"] and "not delivered" in failed["outcome"]

    port = free_port()
    dead = await client.post(HOOKS, json={"url": f"http://127.0.0.1:{port}/hook"}, headers=ADMIN)
    result = (await client.post(f"{HOOKS}/{dead.json()['id']}/test", headers=ADMIN)).json()
    assert (result["ok"], result["status"]) == (False, None)
    assert result["outcome"].startswith(f"Could not connect to http://127.0.0.1:{port}/hook: ")
    assert result["outcome"].endswith("Nothing was delivered.")
    missing = await client.post(f"{HOOKS}/no-such-id/test", headers=ADMIN)
    assert missing.status_code == 404 and missing.json()["error"] == "webhook_not_found"
    audit = (await client.get("/api/admin/audit", headers=ADMIN)).json()
    tests = [a["subject"] for a in audit if a["action"] == "test_webhook"]
    assert tests == [dead.json()["id"], live["id"], live["id"]]


async def test_removing_an_endpoint_stops_deliveries_and_cancels_pending_ones(
    client: httpx.AsyncClient,
) -> None:
    with running_receiver("a") as failing, running_receiver("b") as staying:
        failing.answer(503, times=1000)
        removed = await add(client, failing)
        kept = await add(client, staying, events=["lead.created"])
        token = await start(client)
        await send(client, token, "We need funnel analysis")
        # The first event to the failing receiver waits for its retry; later ones queue up.
        await wait_for(lambda: len(failing.received) >= 1)
        await wait_for(lambda: len(staying.processed) == 1)

        async def failed_once() -> bool:
            rows = await deliveries(client, destination=removed["name"])
            return any(d["attempts"] == 1 and d["last_error"] for d in rows)

        await until(failed_once)
        pending = await deliveries(client, destination=removed["name"], status="pending")
        assert pending  # waiting for their retry

        await client.post("/admin/login", data={"key": KEY})
        confirm = await client.get(f"/admin/webhooks/{removed['id']}/remove")
        n = len(pending)
        assert f"Its {n} pending deliver{'y is' if n == 1 else 'ies are'} cancelled" in confirm.text
        gone = await client.delete(f"{HOOKS}/{removed['id']}", headers=ADMIN)
        assert gone.status_code == 200
        assert gone.json() == {"removed": removed["id"], "cancelled": n}
        again = await client.delete(f"{HOOKS}/{removed['id']}", headers=ADMIN)
        assert again.status_code == 404

        cancelled = await deliveries(client, destination=removed["name"], status="cancelled")
        assert len(cancelled) == n
        assert {d["last_error"] for d in cancelled} == {
            "not sent: its webhook endpoint was removed"
        }
        page = await client.get("/admin/deliveries", params={"status": "cancelled"})
        assert page.text.count('badge-delivery-cancelled">cancelled<') == n
        destinations = re.search(r"Destinations: ([^<]*)</p>", page.text)
        assert destinations is not None
        assert destinations.group(1) == ", ".join(sorted(["crm", kept["name"]]))

        # A new lead after the removal: the staying endpoint gets it, the removed one not.
        other = await start(client)
        await send(client, other, "We need product analytics")
        await wait_for(lambda: len(staying.processed) == 2)
        assert await deliveries(client, destination=removed["name"], status="pending") == []
        assert len(await deliveries(client, destination=removed["name"])) == n
        assert [e["name"] for e in (await client.get(HOOKS, headers=ADMIN)).json()] == [
            "crm",
            kept["name"],
        ]
