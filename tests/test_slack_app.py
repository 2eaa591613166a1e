"""The Slack app over HTTP: signed requests to /slack/events, our real slack-bolt app and
slack-sdk client, the local fake Slack Web API, and the widget's event stream."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import re
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from channels.slack.blocks import CLAIM, NOT_A_FIT, RELEASE
from channels.slack.bolt_app import NOT_A_FIT_VIEW, NOT_ALLOWED
from channels.web.app import create_app
from tests.servers import ThreadedServer
from tests.slack_server import TEAM, FakeSlack, running_fake_slack
from tests.test_slack_handoff import HOT, slack_settings
from tests.test_web_api import ADMIN, parse_events, send, start

SECRET = "test-signing-secret"
REP, OTHER_REP, OUTSIDER = "UREP00001", "UREP00002", "UOUT00001"


@pytest.fixture(name="slack")
def fake_slack() -> Iterator[FakeSlack]:
    with running_fake_slack() as fake:
        fake.users[REP] = {"display_name": "Alex", "real_name": "Alex Rivera"}
        yield fake


def app_settings(fake: FakeSlack, tmp_path: Path) -> Any:
    return slack_settings(
        fake,
        tmp_path,
        slack_signing_secret=SECRET,
        slack_rep_user_ids=[REP, OTHER_REP],
    )


@pytest.fixture
def server(slack: FakeSlack, tmp_path: Path) -> Iterator[ThreadedServer]:
    with ThreadedServer(create_app(app_settings(slack, tmp_path))) as running:
        yield running


@pytest.fixture
async def client(server: ThreadedServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
        yield http


def signed(body: str, *, secret: str = SECRET, age: int = 0) -> dict[str, str]:
    stamp = str(int(time.time()) - age)
    digest = hmac.new(secret.encode(), f"v0:{stamp}:{body}".encode(), hashlib.sha256)
    return {
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": f"v0={digest.hexdigest()}",
    }


async def post_form(client: httpx.AsyncClient, fields: dict[str, str]) -> httpx.Response:
    body = urlencode(fields)
    headers = {**signed(body), "Content-Type": "application/x-www-form-urlencoded"}
    return await client.post("/slack/events", content=body, headers=headers)


async def interact(client: httpx.AsyncClient, payload: dict[str, Any]) -> httpx.Response:
    return await post_form(client, {"payload": json.dumps(payload)})


async def event(
    client: httpx.AsyncClient, inner: dict[str, Any], event_id: str, retry: int = 0
) -> httpx.Response:
    body = json.dumps(
        {
            "type": "event_callback",
            "token": "unused",
            "team_id": TEAM,
            "api_app_id": "A0000001",
            "event_id": event_id,
            "event_time": int(time.time()),
            "event": inner,
        }
    )
    headers = {**signed(body), "Content-Type": "application/json"}
    if retry:
        headers["X-Slack-Retry-Num"] = str(retry)
        headers["X-Slack-Retry-Reason"] = "http_timeout"
    return await client.post("/slack/events", content=body, headers=headers)


class Handoff:
    """The handoff message as it landed in the fake Slack."""

    def __init__(self, token: str, lead: str, channel: str, ts: str, blocks: Any) -> None:
        self.token, self.lead, self.channel, self.ts, self.blocks = token, lead, channel, ts, blocks


async def hot_handoff(client: httpx.AsyncClient, slack: FakeSlack) -> Handoff:
    token = await start(client)
    for text in HOT:
        await send(client, token, text)
    [call] = await slack.wait_for("chat.postMessage")
    lead = call.params["blocks"][-1]["elements"][0]["value"]
    for _ in range(500):
        detail = (await client.get(f"/api/admin/leads/{lead}", headers=ADMIN)).json()
        if detail["handoff"]["status"] == "posted":
            break
        await asyncio.sleep(0.02)
    handoff = detail["handoff"]
    return Handoff(
        token, lead, handoff["posted_channel"], handoff["posted_ts"], call.params["blocks"]
    )


def command(handoff: Handoff, user: str, text: str) -> dict[str, str]:
    """The form Slack posts for ``/qualify <text>`` typed by ``user`` in the handoff's channel."""
    return {
        "command": "/qualify",
        "text": text,
        "user_id": user,
        "team_id": TEAM,
        "channel_id": handoff.channel,
        "trigger_id": "t",
        "response_url": "x",
    }


def button(handoff: Handoff, user: str, action: str) -> dict[str, Any]:
    return {
        "type": "block_actions",
        "user": {"id": user, "username": user.lower(), "team_id": TEAM},
        "team": {"id": TEAM, "domain": "beacon"},
        "api_app_id": "A0000001",
        "token": "unused",
        "trigger_id": "1234.5678.abcd",
        "container": {"type": "message", "message_ts": handoff.ts, "channel_id": handoff.channel},
        "channel": {"id": handoff.channel, "name": "sales"},
        "message": {"type": "message", "ts": handoff.ts, "text": "", "blocks": handoff.blocks},
        "actions": [
            {
                "type": "button",
                "action_id": action,
                "block_id": "handoff_actions",
                "value": handoff.lead,
                "action_ts": str(time.time()),
            }
        ],
    }


def thread_reply(handoff: Handoff, user: str, text: str, ts: str) -> dict[str, Any]:
    return {
        "type": "message",
        "channel": handoff.channel,
        "channel_type": "channel",
        "user": user,
        "text": text,
        "ts": ts,
        "thread_ts": handoff.ts,
    }


async def transcript(client: httpx.AsyncClient, token: str) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = (await client.get(f"/api/conversations/{token}")).json()[
        "messages"
    ]
    return messages


async def wait_for_message(
    client: httpx.AsyncClient, token: str, role: str, count: int = 1
) -> list[dict[str, Any]]:
    for _ in range(1000):
        found = [m for m in await transcript(client, token) if m["role"] == role]
        if len(found) >= count:
            return found
        await asyncio.sleep(0.02)
    return found


class EventStream:
    """Reads a conversation's /events stream in the background."""

    def __init__(self, client: httpx.AsyncClient, token: str) -> None:
        self.messages: list[dict[str, Any]] = []
        self.opened = asyncio.Event()
        self.task = asyncio.create_task(self._read(client, token))

    async def _read(self, client: httpx.AsyncClient, token: str) -> None:
        async with client.stream("GET", f"/api/conversations/{token}/events") as response:
            assert response.headers["content-type"].startswith("text/event-stream")
            block: list[str] = []
            async for line in response.aiter_lines():
                self.opened.set()
                if line:
                    block.append(line)
                    continue
                fields = dict(item.split(": ", 1) for item in block if ": " in item)
                block = []
                if fields.get("event") == "message":
                    self.messages.append(json.loads(fields["data"]))

    async def wait(self, count: int) -> list[dict[str, Any]]:
        for _ in range(1000):
            if len(self.messages) >= count:
                break
            await asyncio.sleep(0.02)
        return self.messages

    async def close(self) -> None:
        self.task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.task


# Signatures


async def test_unsigned_forged_and_stale_requests_are_refused(client: httpx.AsyncClient) -> None:
    body = urlencode({"payload": json.dumps({"type": "block_actions"})})
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    unsigned = await client.post("/slack/events", content=body, headers=form)
    forged = await client.post(
        "/slack/events", content=body, headers={**form, **signed(body, secret="wrong")}
    )
    stale = await client.post(
        "/slack/events", content=body, headers={**form, **signed(body, age=600)}
    )
    assert [unsigned.status_code, forged.status_code, stale.status_code] == [401, 401, 401]


async def test_without_slack_settings_there_is_no_slack_endpoint(tmp_path: Path) -> None:
    from tests.test_web_api import make_settings

    with ThreadedServer(create_app(make_settings(tmp_path))) as server:
        async with httpx.AsyncClient(base_url=server.url) as http:
            response = await http.post("/slack/events", content="{}")
    assert response.status_code == 404


# Claim, takeover, release


async def test_claim_takeover_and_release(client: httpx.AsyncClient, slack: FakeSlack) -> None:
    handoff = await hot_handoff(client, slack)
    stream = EventStream(client, handoff.token)
    await asyncio.wait_for(stream.opened.wait(), 20)

    assert (await interact(client, button(handoff, OUTSIDER, CLAIM))).status_code == 200
    [refusal] = await slack.wait_for("chat.postEphemeral")
    assert refusal.params["user"] == OUTSIDER and refusal.params["text"] == NOT_ALLOWED

    assert (await interact(client, button(handoff, REP, CLAIM))).status_code == 200
    [update] = await slack.wait_until("chat.update", lambda c: claimed_by(c) == REP)
    assert update.params["ts"] == handoff.ts and update.params["channel"] == handoff.channel
    assert "Claimed" in update.params["text"]
    assert card_buttons(update)[0] == RELEASE and CLAIM not in card_buttons(update)

    await interact(client, button(handoff, OTHER_REP, CLAIM))
    second = await slack.wait_for("chat.postEphemeral", 2)
    assert second[-1].params["text"] == f"<@{REP}> has already claimed this lead."
    assert all(claimed_by(c) != OTHER_REP for c in slack.calls_to("chat.update"))

    [joined] = await stream.wait(1)
    assert (joined["role"], joined["text"]) == ("system", "Alex joined the chat")

    # The rep writes in the thread: the prospect sees it; notes and retries are not sent.
    reply = thread_reply(handoff, REP, "Hi, I'm Alex. Happy to set up a demo.", "1764000100.000001")
    assert (await event(client, reply, "Ev0001")).status_code == 200
    assert (await event(client, reply, "Ev0001", retry=1)).status_code == 200
    note = thread_reply(handoff, REP, "note: big account, loop in the SE", "1764000100.000002")
    await event(client, note, "Ev0002")
    bot = {**thread_reply(handoff, REP, "from a bot", "1764000100.000003"), "bot_id": "B1"}
    await event(client, bot, "Ev0003")
    # Slack mrkdwn is stored as readable text, with its http(s) links as spans.
    markup = "Does *Tuesday* work? <https://cal.com/alex|Pick a time> &amp; <javascript:x|no>"
    later = thread_reply(handoff, REP, markup, "1764000100.000004")
    await event(client, later, "Ev0004")
    received = await stream.wait(3)
    link = {"start": 19, "end": 30, "href": "https://cal.com/alex"}
    assert [(m["role"], m["author"], m["text"], m["links"]) for m in received[1:]] == [
        ("rep", "Alex", "Hi, I'm Alex. Happy to set up a demo.", []),
        ("rep", "Alex", "Does Tuesday work? Pick a time & no", [link]),
    ]
    history = await transcript(client, handoff.token)
    reps = [(m["text"], m["links"]) for m in history if m["role"] == "rep"]
    assert reps == [
        ("Hi, I'm Alex. Happy to set up a demo.", []),
        ("Does Tuesday work? Pick a time & no", [link]),
    ]

    # The prospect answers: no bot reply, the answer goes to the thread.
    bot_replies = len(
        [m for m in await transcript(client, handoff.token) if m["role"] == "assistant"]
    )
    events = parse_events((await send(client, handoff.token, "Tuesday is great")).text)
    assert events[-1][1]["message"]["role"] == "system"
    relayed = await slack.wait_until(
        "chat.postMessage", lambda c: c.params.get("text") == "*Prospect:* Tuesday is great"
    )
    assert len(relayed) == 1 and relayed[0].params["thread_ts"] == handoff.ts
    after = await transcript(client, handoff.token)
    assert len([m for m in after if m["role"] == "assistant"]) == bot_replies

    # Release: the assistant answers again.
    await interact(client, button(handoff, REP, RELEASE))
    released = await stream.wait(4)
    assert released[3]["role"] == "system" and "handed the chat back" in released[3]["text"]
    events = parse_events((await send(client, handoff.token, "My email is jo@acme.io")).text)
    assert events[-1][1]["message"]["role"] == "assistant"
    await stream.close()


def not_a_fit_submission(view: dict[str, Any], reason: str) -> dict[str, Any]:
    """A rep submitting the Not a fit dialog Slack opened with ``view``."""
    return {
        "type": "view_submission",
        "user": {"id": REP, "team_id": TEAM},
        "team": {"id": TEAM},
        "api_app_id": "A0000001",
        "token": "unused",
        "view": {
            "id": "V0000001",
            "type": "modal",
            "callback_id": view["callback_id"],
            "private_metadata": view["private_metadata"],
            "state": {
                "values": {"reason": {"reason": {"type": "plain_text_input", "value": reason}}}
            },
        },
    }


def card_buttons(call: Any) -> list[str]:
    """The action ids of a card's buttons and menus, in order."""
    return [
        element["action_id"]
        for block in call.params["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    ]


def card_status(call: Any) -> str:
    """The card's status line (who has the lead, or a verdict)."""
    blocks = call.params["blocks"]
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    context = [b for b in blocks if b["type"] == "context"][-1]
    return str(context["elements"][0]["text"])


def claimed_by(call: Any) -> str | None:
    found = re.search(r"Claimed by <@(\w+)>", card_status(call))
    return found.group(1) if found else None


async def test_release_with_the_slash_command(client: httpx.AsyncClient, slack: FakeSlack) -> None:
    handoff = await hot_handoff(client, slack)
    await interact(client, button(handoff, REP, CLAIM))
    await wait_for_message(client, handoff.token, "system")
    fields = command(handoff, REP, "release")
    response = await post_form(client, fields)
    assert response.status_code == 200
    assert response.text.startswith("Released lead")
    again = await post_form(client, fields)
    assert again.text == "You have no live conversation to release."
    events = parse_events((await send(client, handoff.token, "Hello again")).text)
    assert events[-1][1]["message"]["role"] == "assistant"


# Not a fit


async def test_not_a_fit_asks_for_a_reason_and_stores_it(
    client: httpx.AsyncClient, slack: FakeSlack
) -> None:
    handoff = await hot_handoff(client, slack)
    await interact(client, button(handoff, REP, NOT_A_FIT))
    [opened] = await slack.wait_for("views.open")
    view = opened.params["view"]
    if isinstance(view, str):
        view = json.loads(view)
    assert view["callback_id"] == NOT_A_FIT_VIEW and opened.params["trigger_id"] == "1234.5678.abcd"

    submission = not_a_fit_submission(view, "Agency reselling")
    assert (await interact(client, submission)).status_code == 200
    for _ in range(500):
        detail = (await client.get(f"/api/admin/leads/{handoff.lead}", headers=ADMIN)).json()
        if detail["handoff"]["feedback"]:
            break
        await asyncio.sleep(0.02)
    assert detail["handoff"]["feedback"] == "not a fit: Agency reselling"
    assert detail["handoff"]["feedback_by"] == REP


# Two workers


async def test_a_rep_message_reaches_a_prospect_on_another_worker(
    slack: FakeSlack, tmp_path: Path
) -> None:
    settings = app_settings(slack, tmp_path)
    with (
        ThreadedServer(create_app(settings)) as first,
        ThreadedServer(create_app(settings)) as second,
    ):
        async with (
            httpx.AsyncClient(base_url=first.url, timeout=30) as one,
            httpx.AsyncClient(base_url=second.url, timeout=30) as two,
        ):
            handoff = await hot_handoff(one, slack)
            stream = EventStream(one, handoff.token)
            await asyncio.wait_for(stream.opened.wait(), 20)
            await interact(two, button(handoff, REP, CLAIM))
            # The claim is handled after Slack's ack: the rep writes once it has shown.
            await stream.wait(1)
            reply = thread_reply(handoff, REP, "Hello from the other worker", "1764000200.000001")
            await event(two, reply, "Ev0100")
            received = await stream.wait(2)
            await stream.close()
    assert [(m["role"], m["text"]) for m in received] == [
        ("system", "Alex joined the chat"),
        ("rep", "Hello from the other worker"),
    ]


async def test_a_claim_on_a_withdrawn_handoff_says_why(
    client: httpx.AsyncClient, slack: FakeSlack
) -> None:
    handoff = await hot_handoff(client, slack)
    # The prospect corrects the budget that made them hot: the handoff is withdrawn.
    said = parse_events(
        (await send(client, handoff.token, "Sorry, I misread: it's more like $5k a year")).text
    )
    assert said[-1][1]["handoff"] is False
    detail = (await client.get(f"/api/admin/leads/{handoff.lead}", headers=ADMIN)).json()
    assert detail["handoff"]["status"] == "withdrawn"

    await interact(client, button(handoff, REP, CLAIM))
    [refusal] = await slack.wait_for("chat.postEphemeral")
    assert refusal.params["user"] == REP
    assert "no longer waiting for sales" in refusal.params["text"]
    assert not slack.calls_to("chat.update")  # the card is not marked as claimed


async def test_a_lead_claimed_from_the_dashboard_inbox_is_named_in_slack(
    server: ThreadedServer, client: httpx.AsyncClient, slack: FakeSlack
) -> None:
    """The same takeover from both channels: a chat a rep claimed in the inbox cannot be
    claimed from Slack, and Slack says who has it by the name the prospect sees."""
    handoff = await hot_handoff(client, slack)
    key = ADMIN["Authorization"].removeprefix("Bearer ")
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as rep:
        await rep.post("/admin/login", data={"key": key})
        found = re.search(r'name="csrf" value="([^"]+)"', (await rep.get("/admin/inbox")).text)
        assert found is not None
        csrf = found.group(1)
        await rep.post("/admin/inbox/name", data={"csrf": csrf, "name": "Dana"})
        claimed = await rep.post(f"/admin/inbox/{handoff.lead}/claim", data={"csrf": csrf})
        assert claimed.status_code == 303

    await interact(client, button(handoff, REP, CLAIM))
    [refusal] = await slack.wait_for("chat.postEphemeral")
    assert refusal.params["text"] == "Dana (on the dashboard inbox) has already claimed this lead."
    dana = "Claimed by Dana (on the dashboard inbox) (talking to the prospect)"
    await slack.wait_until("chat.update", lambda c: dana in json.dumps(c.params.get("blocks")))
    joined = [m for m in await transcript(client, handoff.token) if m["role"] == "system"]
    assert [m["text"] for m in joined] == ["Dana joined the chat"]
