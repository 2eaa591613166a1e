"""Where a chat started (page, referrer, UTM, time zone, returning visitor): checked field by
field, stored on the lead, in the lead events, on the dashboard, and updated when the
prospect moves to another page. Over real HTTP with a real SQLite file."""

from __future__ import annotations

import html
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from agent.lead_context import LeadContext, context_lines, parse_context
from channels.web.app import create_app
from tests.servers import ThreadedServer
from tests.test_web_api import ADMIN, make_settings, send
from tests.test_webhooks import server_settings, wait_for
from tests.webhook_receiver import Receiver, running_receiver

NOW = datetime(2026, 11, 24, 13, 5, tzinfo=UTC)
GOOD = {
    "page_url": "https://example.com/pricing?utm_campaign=spring",
    "referrer": "https://www.google.com/",
    "utm": {"utm_source": "google", "utm_campaign": "spring"},
    "time_zone": "Europe/Berlin",
    "returning": True,
}


# --- the pure part -------------------------------------------------------------------------


def test_context_lines_read_well() -> None:
    context, dropped = parse_context(GOOD)
    assert dropped == []
    assert context_lines(context, NOW) == [
        "Started on https://example.com/pricing?utm_campaign=spring "
        "(from google.com, utm_source=google, utm_campaign=spring)",
        "Local time 14:05 Europe/Berlin",
        "Returning visitor",
    ]


def test_context_lines_of_little_or_nothing() -> None:
    assert context_lines(None, NOW) == []
    assert context_lines(LeadContext(), NOW) == []
    assert context_lines(LeadContext(returning=False, time_zone="Asia/Kolkata"), NOW) == [
        "Local time 18:35 Asia/Kolkata",
        "First visit",
    ]
    assert context_lines(LeadContext(page_url="http://example.com/"), NOW) == [
        "Started on http://example.com/"
    ]
    moved = LeadContext(page_url="https://a.example/", current_page="https://a.example/docs")
    assert context_lines(moved, NOW) == [
        "Started on https://a.example/",
        "Now on https://a.example/docs",
    ]
    # Local time follows the zone's rules on the day (summer time in New York).
    summer = LeadContext(time_zone="America/New_York")
    assert context_lines(summer, datetime(2026, 7, 1, 12, 0, tzinfo=UTC)) == [
        "Local time 08:00 America/New_York"
    ]


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("page_url", "javascript:alert(1)", "must be an http or https URL"),
        ("page_url", "file:///etc/passwd", "must be an http or https URL"),
        ("page_url", "https://example.com/" + "a" * 2100, "at most 2048 characters"),
        ("page_url", "https://exa mple.com/", "without spaces"),
        ("page_url", 42, "valid string"),
        ("referrer", "data:text/html,x", "must be an http or https URL"),
        ("referrer", "https://", "must be an http or https URL"),
        ("time_zone", "Mars/Olympus_Mons", "IANA time zone"),
        ("time_zone", "../../etc/passwd", "IANA time zone"),
        ("time_zone", "x" * 100, "at most 64 characters"),
        ("returning", "maybe", "valid boolean"),
        ("utm", {"utm_source": "x" * 201}, "at most 200 characters"),
        ("utm", "utm_source=google", "valid dictionary"),
        ("visitor_id", "abc", "not a context field"),
    ],
)
def test_a_bad_field_is_dropped_with_its_reason_and_the_rest_kept(
    field: str, value: Any, reason: str
) -> None:
    context, dropped = parse_context({**GOOD, field: value})
    assert len(dropped) == 1 and dropped[0].startswith(f"{field}: ") and reason in dropped[0]
    kept = {key: val for key, val in GOOD.items() if key != field}
    assert context == LeadContext.model_validate(kept)


def test_other_utm_keys_are_not_kept() -> None:
    context, dropped = parse_context({"utm": {"utm_id": "7", "utm_medium": "cpc", "x": "y"}})
    assert dropped == [] and context.utm == {"utm_medium": "cpc"}


# --- over HTTP -----------------------------------------------------------------------------


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as running:
        yield running


@pytest.fixture
def server(tmp_path: Path, receiver: Receiver) -> Iterator[ThreadedServer]:
    with ThreadedServer(create_app(server_settings(tmp_path, receiver))) as running:
        yield running


@pytest.fixture
async def client(server: ThreadedServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
        yield http


async def lead(client: httpx.AsyncClient, lead_id: str) -> dict[str, Any]:
    response = await client.get(f"/api/admin/leads/{lead_id}", headers=ADMIN)
    assert response.status_code == 200
    detail: dict[str, Any] = response.json()
    return detail


async def test_the_context_is_stored_on_the_lead_and_in_its_events(
    client: httpx.AsyncClient, receiver: Receiver
) -> None:
    created = await client.post("/api/conversations", json={"context": GOOD})
    assert created.status_code == 201 and created.json()["context_dropped"] == []
    body = created.json()
    detail = await lead(client, body["conversation_id"])
    assert detail["context"] == {**GOOD, "current_page": None}
    assert detail["context_lines"][0].startswith("Started on https://example.com/pricing")
    assert detail["context_lines"][-1] == "Returning visitor"

    assert (await send(client, body["token"], "We need funnel analysis")).status_code == 200
    await wait_for(lambda: len(receiver.processed) >= 1)
    [event] = list(receiver.processed.values())
    assert event["lead"]["id"] == body["conversation_id"]
    assert event["lead"]["context"] == {**GOOD, "current_page": None}


async def test_bad_context_is_dropped_and_the_chat_goes_on(client: httpx.AsyncClient) -> None:
    bad = {
        **GOOD,
        "page_url": "javascript:alert(document.cookie)",
        "time_zone": "Not/AZone",
        "shoe_size": 44,
    }
    created = await client.post("/api/conversations", json={"context": bad})
    assert created.status_code == 201
    body = created.json()
    assert body["context_dropped"] == [
        "page_url: must be an http or https URL",
        "time_zone: must be an IANA time zone such as Europe/Berlin",
        "shoe_size: not a context field",
    ]
    context = (await lead(client, body["conversation_id"]))["context"]
    assert context["referrer"] == GOOD["referrer"] and context["utm"] == GOOD["utm"]
    assert context["page_url"] is None and context["time_zone"] is None
    # The chat works as any other.
    response = await send(client, body["token"], "We need funnel analysis")
    assert response.status_code == 200 and "event: reply" in response.text


async def test_no_context_or_no_body_still_starts_a_chat(client: httpx.AsyncClient) -> None:
    for request in (client.post("/api/conversations"), client.post("/api/conversations", json={})):
        created = await request
        assert created.status_code == 201
        detail = await lead(client, created.json()["conversation_id"])
        assert detail["context"] == {
            "page_url": None,
            "referrer": None,
            "utm": {},
            "time_zone": None,
            "returning": None,
            "current_page": None,
        }
        assert detail["context_lines"] == []


async def test_context_that_is_not_an_object_gets_a_clear_error(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post("/api/conversations", json={"context": "pricing page"})
    assert response.status_code == 422
    assert response.json()["error"] == "invalid_request"
    assert "context" in response.json()["message"]


async def test_the_page_is_updated_when_the_prospect_moves_on(client: httpx.AsyncClient) -> None:
    body = (await client.post("/api/conversations", json={"context": GOOD})).json()
    token, lead_id = body["token"], body["conversation_id"]
    assert (await send(client, token, "We need funnel analysis")).status_code == 200
    before = await lead(client, lead_id)

    page = "https://example.com/docs/setup"
    moved = await client.post(f"/api/conversations/{token}/page", json={"url": page})
    assert moved.status_code == 200 and moved.json() == {"current_page": page}
    after = await lead(client, lead_id)
    assert after["context"] == {**GOOD, "current_page": page}
    assert f"Now on {page}" in after["context_lines"]
    # Nothing else about the lead changed.
    assert after["transcript"] == before["transcript"]
    assert after["profile"] == before["profile"]

    refused = await client.post(f"/api/conversations/{token}/page", json={"url": "ftp://x.io/"})
    assert refused.status_code == 422
    assert refused.json()["message"] == "The page URL must be an http or https URL."
    assert (await lead(client, lead_id))["context"]["current_page"] == page

    forged = await client.post("/api/conversations/forged-token/page", json={"url": page})
    assert forged.status_code == 403


async def test_the_dashboard_shows_the_context_as_text(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, knowledge=False)
    with ThreadedServer(create_app(settings)) as server:
        async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
            context = {**GOOD, "utm": {"utm_campaign": "<b>spring</b>"}}
            body = (await client.post("/api/conversations", json={"context": context})).json()
            signed_in = await client.post("/admin/login", data={"key": "test-admin-key-0123456789"})
            assert signed_in.status_code == 303
            page = await client.get(f"/admin/leads/{body['conversation_id']}")
    assert page.status_code == 200
    started = (
        "Started on https://example.com/pricing?utm_campaign=spring "
        "(from google.com, utm_campaign=<b>spring</b>)"
    )
    assert f"<li>{html.escape(started)}</li>" in page.text
    assert "<b>spring</b>" not in page.text
    assert "Local time " in page.text and " Europe/Berlin</li>" in page.text
    assert "<li>Returning visitor</li>" in page.text
    assert "Conversation in" not in page.text  # held in the reps' language


async def test_a_lead_held_in_another_language_says_so_in_the_api_and_on_its_page(
    client: httpx.AsyncClient, tmp_path: Path
) -> None:
    hints = {"context": GOOD, "language": {"forced": "es"}}
    body = (await client.post("/api/conversations", json=hints)).json()
    assert body["language"] == "es"
    detail = await lead(client, body["conversation_id"])
    assert detail["context_lines"][0] == "Conversation in Spanish"
    assert detail["context_lines"][1].startswith("Started on https://example.com/pricing")

    settings = make_settings(tmp_path, knowledge=False)
    with ThreadedServer(create_app(settings)) as server:
        async with httpx.AsyncClient(base_url=server.url, timeout=30) as browser:
            french = {"language": {"forced": "fr"}}
            made = (await browser.post("/api/conversations", json=french)).json()
            signed_in = await browser.post(
                "/admin/login", data={"key": "test-admin-key-0123456789"}
            )
            assert signed_in.status_code == 303
            page = await browser.get(f"/admin/leads/{made['conversation_id']}")
    assert "<li>Conversation in French</li>" in page.text
