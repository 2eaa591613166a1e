"""One contact, many conversations, over HTTP against the real app: two widget chats with
one email are one lead in the admin API, with one Slack handoff (the local fake Slack Web
API) whose thread gets the second chat's messages, and one lead id for webhook receivers
(the test webhook receiver), told of the merge by ``lead.merged``."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from markupsafe import escape

from channels.web.app import create_app
from channels.web.grants import mint_transcript_url
from tests.servers import ThreadedServer
from tests.slack_server import FakeSlack, running_fake_slack
from tests.test_slack_handoff import TOKEN
from tests.test_web_api import ADMIN, make_settings, parse_events, send
from tests.webhook_receiver import Receiver, running_receiver

SECRET = "whsec-contacts-0123456789"
FIRST_VISIT = [
    "You can reach me at Jane.Doe@Shiftwise.io",
    "We need to understand churn and fix our checkout funnel",
    "About $60k a year",
    "I'm the VP of Product and I own the budget",
]
COMING_BACK = "Hi again, it's jane.doe@shiftwise.io"
ASKING_MORE = "One more thing: can we export the churn reports as CSV?"


@pytest.fixture(name="slack")
def fake_slack() -> Iterator[FakeSlack]:
    with running_fake_slack() as fake:
        yield fake


@pytest.fixture(name="receiver")
def webhook_receiver() -> Iterator[Receiver]:
    with running_receiver(SECRET) as running:
        yield running


@pytest.fixture(name="server")
def app_server(slack: FakeSlack, receiver: Receiver, tmp_path: Path) -> Iterator[ThreadedServer]:
    settings = make_settings(
        tmp_path,
        slack_bot_token=TOKEN,
        slack_api_url=slack.api_url,
        public_url="https://qualify.example.com",
        webhooks=[{"name": "crm", "url": receiver.url, "secret": SECRET}],
        outbox_poll_seconds=0.2,
        knowledge=False,
    )
    with ThreadedServer(create_app(settings)) as running:
        yield running


async def started(client: httpx.AsyncClient) -> tuple[str, str]:
    """A new widget conversation: its token and id."""
    response = await client.post("/api/conversations", json={})
    assert response.status_code == 201
    body = response.json()
    return body["token"], body["conversation_id"]


async def until(condition: Callable[[], Any], what: str) -> None:
    """Poll ``condition`` (sync or async) until it holds; fails after 20 s."""
    deadline = time.monotonic() + 20
    while True:
        result = condition()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"not in time: {what}")
        await asyncio.sleep(0.05)


def cards(slack: FakeSlack) -> list[Any]:
    """Top-level posts (handoff cards), not thread replies."""
    return [c for c in slack.calls_to("chat.postMessage") if not c.params.get("thread_ts")]


async def test_two_widget_chats_with_one_email_are_one_lead_with_one_handoff(
    server: ThreadedServer, slack: FakeSlack, receiver: Receiver
) -> None:
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
        first_token, first = await started(client)
        for text in FIRST_VISIT:
            reply = parse_events((await send(client, first_token, text)).text)[-1][1]
        assert reply["handoff"] is True
        await slack.wait_for("chat.postMessage")

        async def posted() -> bool:
            detail = (await client.get(f"/api/admin/leads/{first}", headers=ADMIN)).json()
            return bool(detail["handoff"] and detail["handoff"]["status"] == "posted")

        await until(posted, "the handoff is posted")
        assert len(cards(slack)) == 1
        handoff = (await client.get(f"/api/admin/leads/{first}", headers=ADMIN)).json()["handoff"]

        # The same person comes back in a new chat and gives the same email.
        second_token, second = await started(client)
        assert (await send(client, second_token, COMING_BACK)).status_code == 200
        await send(client, second_token, ASKING_MORE)

        # One lead, two conversations, in the list and the detail (by either id).
        page = (await client.get("/api/admin/leads", headers=ADMIN)).json()
        assert page["total"] == 1
        [lead] = page["leads"]
        assert (lead["id"], lead["conversation_id"], lead["conversations"]) == (first, second, 2)
        detail = (await client.get(f"/api/admin/leads/{second}", headers=ADMIN)).json()
        assert detail["lead"]["id"] == first
        assert [c["id"] for c in detail["conversations"]] == [first, second]
        said = [m["text"] for m in detail["transcript"] if m["role"] == "prospect"]
        assert said == [*FIRST_VISIT, COMING_BACK, ASKING_MORE]
        assert detail["handoff"]["status"] == "posted"
        assert (detail["lead"]["segment"], detail["lead"]["score"]) == (
            lead["segment"],
            lead["score"],
        )
        assert lead["segment"] == "hot"  # what the first chat told counts for the lead
        exported = (await client.get("/api/admin/leads/export?format=csv", headers=ADMIN)).text
        assert len(exported.strip().splitlines()) == 2  # the header and one lead
        assert exported.splitlines()[0].endswith(",conversations")
        assert exported.strip().splitlines()[1].endswith(",2")

        # One Slack card; the second chat's messages reach its thread; the card says the
        # prospect came back.
        def relayed() -> bool:
            replies = [
                c
                for c in slack.calls_to("chat.postMessage")
                if c.params.get("thread_ts") and ASKING_MORE.split(":")[0] in c.params["text"]
            ]
            return bool(replies)

        await until(relayed, "the second chat's message in the card's thread")
        thread = {
            c.params["thread_ts"]
            for c in slack.calls_to("chat.postMessage")
            if c.params.get("thread_ts")
        }
        assert thread == {handoff["posted_ts"]} and len(cards(slack)) == 1

        def came_back() -> bool:
            return any(
                "The prospect came back" in str(c.params.get("blocks"))
                for c in slack.calls_to("chat.update")
            )

        await until(came_back, "the card says the prospect came back")

        # Webhook receivers get one lead id, and lead.merged naming the absorbed one.
        await until(
            lambda: any(r.event["type"] == "lead.merged" for r in receiver.received),
            "lead.merged delivered",
        )
        events = [r.event for r in receiver.received if r.signature_ok]
        assert {event["lead"]["id"] for event in events} == {first}
        [merged] = [event for event in events if event["type"] == "lead.merged"]
        assert merged["data"] == {"absorbed_id": second, "lead_id": first}
        assert [event["type"] for event in events].count("lead.handoff") == 1

        # The second conversation's old address shows the lead it joined.
        assert (await client.get(f"/api/admin/leads/{second}", headers=ADMIN)).status_code == 200


async def test_a_rep_s_transcript_link_shows_every_conversation_of_the_lead(
    tmp_path: Path,
) -> None:
    settings = make_settings(tmp_path, knowledge=False)
    with ThreadedServer(create_app(settings)) as running:
        async with httpx.AsyncClient(base_url=running.url, timeout=30) as client:
            first_token, _ = await started(client)
            await send(client, first_token, FIRST_VISIT[0])
            await send(client, first_token, FIRST_VISIT[1])
            second_token, second = await started(client)
            await send(client, second_token, COMING_BACK)

            url = mint_transcript_url(settings, running.url, second, "U07REP1", datetime.now(UTC))
            exchanged = await client.get(url.removeprefix(running.url))
            assert exchanged.status_code == 303
            page = await client.get(exchanged.headers["location"])
    assert page.status_code == 200
    assert page.text.count('class="conversation-start"') == 2
    for text in (FIRST_VISIT[1], COMING_BACK):
        assert str(escape(text)) in page.text
