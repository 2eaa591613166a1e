"""Prospects who write to the app in Slack: DMs and mentions are qualified by the same
engine, one conversation per thread, answered in the thread, each event once."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from channels.slack.blocks import CLAIM
from channels.web.app import create_app
from knowledge.ingest import ingest_shipped
from tests.servers import ThreadedServer
from tests.slack_server import BOT_ID, BOT_USER, TEAM, FakeSlack, running_fake_slack
from tests.test_slack_app import REP, Handoff, app_settings, button, event, interact, thread_reply
from tests.test_web_api import ADMIN

PROSPECT = "UPROSPECT1"


@pytest.fixture(name="slack")
def fake_slack() -> Iterator[FakeSlack]:
    with running_fake_slack() as fake:
        yield fake


@pytest.fixture
async def client(slack: FakeSlack, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    with ThreadedServer(create_app(app_settings(slack, tmp_path))) as server:
        async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
            yield http


def dm(text: str, ts: str, thread: str | None = None, **extra: str) -> dict[str, str]:
    message = {"type": "message", "channel": "D0PROSPECT", "channel_type": "im"}
    message.update(user=PROSPECT, text=text, ts=ts, **extra)
    if thread:
        message["thread_ts"] = thread
    return message


def replies(slack: FakeSlack, channel: str) -> list[dict[str, str]]:
    return [c.params for c in slack.calls_to("chat.postMessage") if c.params["channel"] == channel]


async def test_a_direct_message_is_qualified_in_its_thread(
    client: httpx.AsyncClient, slack: FakeSlack
) -> None:
    first = dm("We need to understand churn and fix our checkout funnel", "1764000300.000001")
    assert (await event(client, first, "EvD1")).status_code == 200
    [answer] = await slack.wait_for("chat.postMessage")
    assert answer.params["channel"] == "D0PROSPECT"
    assert answer.params["thread_ts"] == "1764000300.000001"
    assert "budget" in answer.params["text"].lower()

    await event(client, first, "EvD1", retry=1)  # Slack retrying: no second answer
    await event(client, dm("ignore me", "1764000300.000002", bot_id=BOT_ID), "EvD2")
    await event(client, dm("About $60k a year", "1764000300.000003", "1764000300.000001"), "EvD3")
    answers = await slack.wait_for("chat.postMessage", 2)
    assert [a.params["thread_ts"] for a in answers] == ["1764000300.000001"] * 2
    leads = (await client.get("/api/admin/leads", headers=ADMIN)).json()["leads"]
    assert [(lead["channel"], lead["prospect_messages"]) for lead in leads] == [("slack", 2)]


async def test_a_mention_in_a_shared_channel_starts_a_thread_conversation(
    client: httpx.AsyncClient, slack: FakeSlack
) -> None:
    mention = {
        "type": "app_mention",
        "channel": "C0SHARED01",
        "user": PROSPECT,
        "text": f"<@{BOT_USER}> We need funnel analysis",
        "ts": "1764000400.000001",
    }
    await event(client, mention, "EvM1")
    [answer] = await slack.wait_for("chat.postMessage")
    assert answer.params["thread_ts"] == "1764000400.000001"

    chatter = {"type": "message", "channel": "C0SHARED01", "channel_type": "channel"}
    await event(
        client, {**chatter, "user": PROSPECT, "text": "lunch?", "ts": "1764000400.000002"}, "EvM2"
    )
    follow_up = {
        **chatter,
        "user": PROSPECT,
        "text": "About $60k a year",
        "ts": "1764000400.000003",
        "thread_ts": "1764000400.000001",
    }
    await event(client, follow_up, "EvM3")
    answers = await slack.wait_for("chat.postMessage", 2)
    assert [a.params["thread_ts"] for a in answers] == ["1764000400.000001"] * 2
    leads = (await client.get("/api/admin/leads", headers=ADMIN)).json()
    assert leads["total"] == 1 and leads["leads"][0]["prospect_messages"] == 2


async def test_a_rep_takes_over_a_slack_conversation(
    client: httpx.AsyncClient, slack: FakeSlack
) -> None:
    slack.users[REP] = {"display_name": "Alex"}
    await event(
        client, dm("we need funnel analytics, can I talk to a person?", "1764000600.000001"), "EvT1"
    )
    handoff_post = None
    for _ in range(500):
        handoff_post = next(
            (c for c in slack.calls_to("chat.postMessage") if "blocks" in c.params), None
        )
        if handoff_post is not None:
            break
        await asyncio.sleep(0.02)
    assert handoff_post is not None and handoff_post.params["channel"] == "#sales"
    lead = handoff_post.params["blocks"][-1]["elements"][0]["value"]
    detail = (await client.get(f"/api/admin/leads/{lead}", headers=ADMIN)).json()
    for _ in range(500):
        if detail["handoff"]["status"] == "posted":
            break
        await asyncio.sleep(0.02)
        detail = (await client.get(f"/api/admin/leads/{lead}", headers=ADMIN)).json()
    message = Handoff(
        "",
        lead,
        detail["handoff"]["posted_channel"],
        detail["handoff"]["posted_ts"],
        handoff_post.params["blocks"],
    )

    def in_dm() -> list[str]:
        return [
            c.params["text"]
            for c in slack.calls_to("chat.postMessage")
            if c.params["channel"] == "D0PROSPECT"
        ]

    before = len(in_dm())
    await interact(client, button(message, REP, CLAIM))
    # The rep writes once the claim has reached the prospect, as a rep would.
    for _ in range(500):
        if len(in_dm()) >= before + 1:
            break
        await asyncio.sleep(0.02)
    # A mention is posted as a name (so nobody is pinged by the relay); links stay links.
    slack.users["U0SAM0002"] = {"display_name": "Sam <SE>"}
    said = "Hi, Alex here. <@U0SAM0002> joins us: <https://cal.com/alex|book a slot>"
    await event(client, thread_reply(message, REP, said, "1764000600.000100"), "EvT2")
    for _ in range(500):
        if len(in_dm()) >= before + 2:
            break
        await asyncio.sleep(0.02)
    assert in_dm()[before:] == [
        "_Alex joined the chat_",
        "*Alex:* Hi, Alex here. @Sam &lt;SE&gt; joins us: <https://cal.com/alex|book a slot>",
    ]

    await event(client, dm("Great, thanks", "1764000600.000200", "1764000600.000001"), "EvT3")
    relayed = []
    for _ in range(500):
        relayed = [
            c.params
            for c in slack.calls_to("chat.postMessage")
            if c.params.get("text") == "*Prospect:* Great, thanks"
        ]
        if relayed:
            break
        await asyncio.sleep(0.02)
    assert [r["thread_ts"] for r in relayed] == [message.ts]
    assert len(in_dm()) == before + 2  # no bot reply while the rep has it


async def test_quick_replies_are_buttons_and_a_press_records_the_chip_value(
    client: httpx.AsyncClient, slack: FakeSlack
) -> None:
    first = dm("We need to understand churn and fix our checkout funnel", "1764000700.000001")
    await event(client, first, "EvQ1")
    [question] = await slack.wait_for("chat.postMessage")
    assert question.params["thread_ts"] == "1764000700.000001"
    section, actions = question.params["blocks"]
    assert section["text"]["text"] == question.params["text"]
    buttons = actions["elements"]
    assert [button["text"]["text"] for button in buttons] == [
        "Under $12k/year",
        "$12k–$50k/year",
        "Over $50k/year",
        "No budget yet",
    ]
    message = {
        "type": "message",
        "ts": "1764000000.000001",
        "thread_ts": "1764000700.000001",
        "text": question.params["text"],
        "blocks": question.params["blocks"],
    }
    press = {
        "type": "block_actions",
        "user": {"id": PROSPECT, "username": "prospect", "team_id": TEAM},
        "team": {"id": TEAM, "domain": "beacon"},
        "api_app_id": "A0000001",
        "token": "unused",
        "trigger_id": "1234.5678.abcd",
        "container": {"type": "message", "message_ts": message["ts"], "channel_id": "D0PROSPECT"},
        "channel": {"id": "D0PROSPECT", "name": "directmessage"},
        "message": message,
        "actions": [
            {
                "type": "button",
                "action_id": buttons[0]["action_id"],
                "block_id": actions["block_id"],
                "value": buttons[0]["value"],
                "text": buttons[0]["text"],
                "action_ts": "1764000701.000001",
            }
        ],
    }
    assert (await interact(client, press)).status_code == 200

    answers = await slack.wait_for("chat.postMessage", 2)
    assert answers[1].params["thread_ts"] == "1764000700.000001"
    assert "role" in answers[1].params["text"].lower()  # on to the next question
    [update] = await slack.wait_for("chat.update")
    assert update.params["ts"] == message["ts"]
    assert "Under $12k/year" in json.dumps(update.params["blocks"], ensure_ascii=False)
    assert all(block["type"] != "actions" for block in update.params["blocks"])

    lead = "slack:D0PROSPECT:1764000700.000001"
    detail = (await client.get(f"/api/admin/leads/{lead}", headers=ADMIN)).json()
    budget = detail["profile"]["budget"]
    assert budget["value"]["amount_min"] == 0 and budget["value"]["amount_max"] == 12000
    assert budget["value"]["annual_usd"] == 6000
    assert budget["evidence"]["quote"] == "Under $12k/year"
    scored = [
        (i["rule"], i["points"])
        for i in detail["score"]["items"]
        if i["fact"] == "budget.annual_usd"
    ]
    assert scored == [("budget_under_12k", 5)]
    pressed = [m for m in detail["transcript"] if m["role"] == "prospect"][-1]
    assert pressed["text"] == "Under $12k/year"
    assert pressed["meta"] == {"quick_reply": {"field": "budget", "index": 0}}

    # Pressing it again (a double click) answers nothing twice.
    await interact(client, press)
    await asyncio.sleep(0.3)
    assert len(slack.calls_to("chat.postMessage")) == 2


async def test_a_product_answer_and_the_next_question_are_two_slack_messages(
    slack: FakeSlack, tmp_path: Path
) -> None:
    settings = app_settings(slack, tmp_path)
    ingest_shipped(settings)  # what `qualify serve` does on a first start
    with ThreadedServer(create_app(settings)) as server:
        async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
            text = "We need funnel analysis. How much does Beacon cost?"
            await event(client, dm(text, "1764000900.000001"), "EvP1")
            answer, question = await slack.wait_for("chat.postMessage", 2)
    assert [m.params["thread_ts"] for m in (answer, question)] == ["1764000900.000001"] * 2
    assert "$48,000" in answer.params["text"]
    assert "https://beacon.example.com/docs/pricing" in answer.params["text"]
    assert "blocks" not in answer.params
    # The question comes second, with a button for each of its quick replies.
    assert "$" not in question.params["text"].split("\n")[0]
    blocks = question.params["blocks"]
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    labels = [
        element["text"]["text"]
        for block in blocks
        if block["type"] == "actions"
        for element in block["elements"]
    ]
    assert "Under $12k/year" in labels
