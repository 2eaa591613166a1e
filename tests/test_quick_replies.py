"""Quick replies carry their meaning: each Beacon chip, pressed in the widget over HTTP,
records exactly the fact the playbook gives it and scores by the playbook's rule; bad chip
references are refused before anything is stored."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from agent.playbook import load_playbook
from agent.resources import default_playbook_path
from channels.web.app import create_app
from tests.servers import ThreadedServer
from tests.test_web_api import ADMIN, make_settings, parse_events, send

BEACON = load_playbook(default_playbook_path())
CHIPS = [
    (question.field, index, chip.label)
    for question in BEACON.questions
    for index, chip in enumerate(question.quick_replies)
]

# What each chip must record, and the one scoring rule (with its points) it must trigger;
# None when no rule scores it. The playbook's "How answers become facts": a range scores at
# its midpoint, "under X" is 0..X, "over X" scores at X, a window counts at its end.
BUDGET = {"currency": "USD", "period": "annual"}
EXPECTED: dict[str, tuple[dict[str, Any], tuple[str, int] | None]] = {
    "Under $12k/year": (
        {**BUDGET, "status": "known", "amount_min": 0, "amount_max": 12000, "annual_usd": 6000},
        ("budget_under_12k", 5),
    ),
    "$12k–$50k/year": (
        {
            **BUDGET,
            "status": "known",
            "amount_min": 12000,
            "amount_max": 50000,
            "annual_usd": 31000,
        },
        ("budget_12k_to_50k", 20),
    ),
    "Over $50k/year": (
        {**BUDGET, "status": "known", "amount_min": 50000, "amount_max": None, "annual_usd": 50000},
        ("budget_50k_plus", 30),
    ),
    "No budget yet": (
        {
            "status": "no_budget",
            "amount_min": None,
            "amount_max": None,
            "currency": None,
            "period": None,
            "annual_usd": None,
        },
        ("no_budget", -10),
    ),
    "As soon as possible": (
        {"text": "As soon as possible", "months": 1},
        ("timeline_3_months", 20),
    ),
    "Within 3 months": ({"text": "Within 3 months", "months": 3}, ("timeline_3_months", 20)),
    "3–6 months": ({"text": "3–6 months", "months": 6}, ("timeline_4_to_6_months", 10)),
    "Just exploring": ({"text": "Just exploring", "months": None}, None),
}

# Answers that get the conversation to the next question without a handoff.
ANSWERS = {
    "need": "We need funnel analysis",
    "budget": "I'd rather not say",
    "authority": "I'm a product analyst",
    "company": "We're a SaaS company with 40 people",
    "contact": "ana@example.com",
}


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ThreadedServer]:
    with ThreadedServer(create_app(make_settings(tmp_path))) as running:
        yield running


@pytest.fixture
async def client(server: ThreadedServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
        yield http


async def start(client: httpx.AsyncClient) -> tuple[str, str]:
    created = (await client.post("/api/conversations", json={})).json()
    return created["token"], created["conversation_id"]


async def reply_of(client: httpx.AsyncClient, token: str, text: str, **extra: Any) -> Any:
    response = await send(client, token, text, **extra)
    assert response.status_code == 200, response.text
    name, data = parse_events(response.text)[-1]
    assert name == "reply", data
    return data


async def until_asked(client: httpx.AsyncClient, token: str, field: str) -> Any:
    """Answer the agent's questions until it asks about ``field``; that reply."""
    reply = await reply_of(client, token, ANSWERS["need"])
    for _ in range(6):
        if reply["asking"] == field:
            return reply
        reply = await reply_of(client, token, ANSWERS[reply["asking"]])
    pytest.fail(f"the agent never asked about {field}")


async def lead(client: httpx.AsyncClient, conversation_id: str) -> Any:
    response = await client.get(f"/api/admin/leads/{conversation_id}", headers=ADMIN)
    assert response.status_code == 200
    return response.json()


def test_every_beacon_chip_has_an_expectation() -> None:
    assert sorted(EXPECTED) == sorted(label for _, _, label in CHIPS)
    assert all(BEACON.question(field).quick_replies[i].value for field, i, _ in CHIPS)


@pytest.mark.parametrize(("field", "index", "label"), CHIPS, ids=[label for *_, label in CHIPS])
async def test_a_pressed_chip_records_its_value_and_scores_by_its_rule(
    client: httpx.AsyncClient, field: str, index: int, label: str
) -> None:
    token, conversation_id = await start(client)
    asked = await until_asked(client, token, field)
    assert asked["quick_replies"][index] == label  # the chip as the widget got it

    reply = await reply_of(
        client, token, label, quick_reply={"field": asked["asking"], "index": index}
    )

    assert reply["asking"] != field  # answered: the agent moves on
    detail = await lead(client, conversation_id)
    value, rule = EXPECTED[label]
    fact = detail["profile"][field]
    assert fact["value"] == value
    assert fact["evidence"]["quote"] == label
    pressed = [m for m in detail["transcript"] if m["role"] == "prospect"][-1]
    assert pressed["text"] == label
    assert pressed["meta"] == {"quick_reply": {"field": field, "index": index}}
    assert fact["evidence"]["message_id"] == pressed["id"]
    scored = [
        (item["rule"], item["points"])
        for item in detail["score"]["items"]
        if item["fact"].startswith(f"{field}.")
    ]
    assert scored == ([rule] if rule else [])


@pytest.mark.parametrize(
    ("typed", "field", "label"),
    [
        ("no budget yet", "budget", "No budget yet"),
        ("UNDER $12K/YEAR", "budget", "Under $12k/year"),
    ],
)
async def test_typing_a_chip_label_counts_as_pressing_it(
    client: httpx.AsyncClient, typed: str, field: str, label: str
) -> None:
    token, conversation_id = await start(client)
    await until_asked(client, token, field)
    await reply_of(client, token, typed)
    fact = (await lead(client, conversation_id))["profile"][field]
    assert fact["value"] == EXPECTED[label][0]
    assert fact["evidence"]["quote"] == typed


@pytest.mark.parametrize(
    ("quick_reply", "text", "problem"),
    [
        ({"field": "budget", "index": 9}, "Under $12k/year", "has no quick reply 9; it has 4"),
        ({"field": "budget", "index": 2}, "Under $12k/year", "quick reply budget 2 is"),
        ({"field": "authority", "index": 0}, "I decide", "the authority question has no quick"),
        ({"field": "pricing", "index": 0}, "Under $12k/year", "no question asks about 'pricing'"),
    ],
)
async def test_a_bad_quick_reply_reference_is_refused_and_nothing_is_lost(
    client: httpx.AsyncClient, quick_reply: dict[str, Any], text: str, problem: str
) -> None:
    token, conversation_id = await start(client)
    asked = await until_asked(client, token, "budget")
    before = (await lead(client, conversation_id))["transcript"]

    refused = await send(client, token, text, quick_reply=quick_reply)

    assert refused.status_code == 422
    body = refused.json()
    assert body["error"] == "invalid_quick_reply"
    assert problem in body["problem"]
    assert problem in body["message"] and "wasn't sent" in body["message"]
    after = await lead(client, conversation_id)
    assert after["transcript"] == before  # nothing stored, nothing applied
    assert after["profile"]["budget"] is None
    # The same chip sent right still works.
    await reply_of(
        client, token, asked["quick_replies"][0], quick_reply={"field": "budget", "index": 0}
    )
    budget = (await lead(client, conversation_id))["profile"]["budget"]
    assert budget["value"]["annual_usd"] == 6000


async def test_a_malformed_quick_reply_is_an_invalid_request(client: httpx.AsyncClient) -> None:
    token, _ = await start(client)
    response = await send(client, token, "Under $12k/year", quick_reply={"field": "budget"})
    assert response.status_code == 422
    assert response.json()["error"] == "invalid_request"
    assert "quick_reply.index" in response.json()["message"]
