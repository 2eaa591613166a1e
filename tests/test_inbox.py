"""The dashboard inbox over real HTTP: a rep gives their name, claims a chat, replies and
releases it, as from Slack; refusals say why; the live streams need a session."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from agent.config import Settings
from agent.sql_store import SQLStore
from agent.takeover import Takeover, dashboard_user
from channels.web.app import create_app
from tests.servers import ThreadedServer

KEY = "inbox-admin-key-0123456789-0123456789"
HUMAN_TEXT = "I'd like to talk to a person."


def settings_for(tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,
        data_dir=tmp_path,
        admin_api_key=KEY,
        secret_key="inbox-secret-key-0123456789",
        knowledge=False,
    )


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ThreadedServer]:
    with ThreadedServer(create_app(settings_for(tmp_path))) as running:
        yield running


@pytest.fixture
async def rep(server: ThreadedServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
        yield http


@pytest.fixture
async def other_rep(server: ThreadedServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
        yield http


@pytest.fixture
async def prospect(server: ThreadedServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
        yield http


async def sign_in(client: httpx.AsyncClient, name: str | None = None) -> str:
    """Sign in (and give a name); the session's CSRF token."""
    assert (await client.post("/admin/login", data={"key": KEY})).status_code == 303
    csrf = csrf_of(await client.get("/admin/inbox"))
    if name is not None:
        said = await client.post("/admin/inbox/name", data={"csrf": csrf, "name": name})
        assert said.status_code == 303
    return csrf


def csrf_of(page: httpx.Response) -> str:
    assert page.status_code == 200, page.text
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found is not None
    return found.group(1)


async def start_chat(client: httpx.AsyncClient) -> tuple[str, str]:
    """A prospect's chat handed to sales: they asked for a person (the widget's button)
    and said what about. (token, lead id)"""
    created = (await client.post("/api/conversations", json={})).json()
    await say(client, created["token"], HUMAN_TEXT, intent="human")
    handed = dict(await say(client, created["token"], "Help with our checkout funnel"))
    assert handed["reply"]["handoff"] is True
    return created["token"], created["conversation_id"]


async def say(
    client: httpx.AsyncClient, token: str, text: str, intent: str | None = None
) -> list[tuple[str, Any]]:
    body = {"text": text, **({"intent": intent} if intent else {})}
    response = await client.post(f"/api/conversations/{token}/messages", json=body)
    assert response.status_code == 200, response.text
    return events_of(response.text)


def events_of(body: str) -> list[tuple[str, Any]]:
    found = []
    for block in body.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        if "event" in lines:
            found.append((lines["event"], json.loads(lines["data"])))
    return found


async def history(client: httpx.AsyncClient, token: str) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = (await client.get(f"/api/conversations/{token}")).json()[
        "messages"
    ]
    return messages


async def claimed_by(server_settings: Settings, lead: str) -> str | None:
    store = SQLStore(server_settings.resolved_database_url())
    await store.init()
    try:
        handoff = await store.get_handoff(lead)
    finally:
        await store.close()
    return None if handoff is None else handoff.claimed_by


async def test_claim_reply_release_from_the_inbox(
    tmp_path: Path, rep: httpx.AsyncClient, prospect: httpx.AsyncClient
) -> None:
    token, lead = await start_chat(prospect)
    csrf = await sign_in(rep, "Alex")
    inbox = await rep.get("/admin/inbox")
    assert f'href="/admin/inbox/{lead}"' in inbox.text

    claimed = await rep.post(f"/admin/inbox/{lead}/claim", data={"csrf": csrf})
    assert claimed.status_code == 303
    assert await claimed_by(settings_for(tmp_path), lead) == "dashboard:Alex"
    page = await rep.get(f"/admin/inbox/{lead}")
    assert "Alex has this chat" in page.text

    sent = await rep.post(
        f"/admin/inbox/{lead}/reply", data={"csrf": csrf, "text": "Hi, I'm Alex from sales."}
    )
    assert sent.status_code == 303
    shown = [(m["role"], m["author"], m["text"]) for m in await history(prospect, token)]
    assert ("system", "Alex", "Alex joined the chat") in shown
    assert shown[-1] == ("rep", "Alex", "Hi, I'm Alex from sales.")

    # While the rep has the chat, the assistant stays quiet.
    quiet = await say(prospect, token, "Great, can we talk pricing?")
    assert "Great, can we talk pricing?" in (await rep.get(f"/admin/inbox/{lead}")).text
    assert dict(quiet)["reply"]["message"]["role"] == "system"  # passed on, not answered
    roles = [m["role"] for m in await history(prospect, token)]
    assert roles[-2:] == ["rep", "prospect"]

    released = await rep.post(f"/admin/inbox/{lead}/release", data={"csrf": csrf})
    assert released.status_code == 303
    assert await claimed_by(settings_for(tmp_path), lead) is None
    last = (await history(prospect, token))[-1]
    assert (last["role"], last["text"]) == ("system", "Alex handed the chat back to the assistant.")
    answered = dict(await say(prospect, token, "We are a team of 40 people"))
    assert answered["reply"]["message"]["text"]
    assert (await history(prospect, token))[-1]["role"] == "assistant"


async def test_a_form_without_the_sessions_csrf_token_is_refused(
    tmp_path: Path, rep: httpx.AsyncClient, prospect: httpx.AsyncClient
) -> None:
    _, lead = await start_chat(prospect)
    csrf = await sign_in(rep, "Alex")
    for path in ("claim", "release"):
        refused = await rep.post(f"/admin/inbox/{lead}/{path}", data={"csrf": "forged"})
        assert refused.status_code == 403
    refused = await rep.post("/admin/inbox/name", data={"csrf": "forged", "name": "Mallory"})
    assert refused.status_code == 403
    assert await claimed_by(settings_for(tmp_path), lead) is None
    assert "Mallory" not in (await rep.get("/admin/inbox")).text
    # The right token works, so the refusals were the token's doing.
    assert (await rep.post(f"/admin/inbox/{lead}/claim", data={"csrf": csrf})).status_code == 303


async def test_a_second_reps_claim_is_refused_with_who_has_it(
    tmp_path: Path,
    rep: httpx.AsyncClient,
    other_rep: httpx.AsyncClient,
    prospect: httpx.AsyncClient,
) -> None:
    token, lead = await start_chat(prospect)
    alex = await sign_in(rep, "Alex")
    bo = await sign_in(other_rep, "Bo")
    assert (await rep.post(f"/admin/inbox/{lead}/claim", data={"csrf": alex})).status_code == 303

    again = await other_rep.post(f"/admin/inbox/{lead}/claim", data={"csrf": bo})
    assert again.status_code == 409
    assert "Alex has already claimed this lead." in again.text
    reply = await other_rep.post(f"/admin/inbox/{lead}/reply", data={"csrf": bo, "text": "Hi"})
    assert reply.status_code == 409
    assert "Your reply was not sent: Alex has this chat." in reply.text
    release = await other_rep.post(f"/admin/inbox/{lead}/release", data={"csrf": bo})
    assert release.status_code == 409
    assert await claimed_by(settings_for(tmp_path), lead) == "dashboard:Alex"
    assert [m["author"] for m in await history(prospect, token) if m["role"] == "rep"] == []


async def test_a_reply_to_an_unclaimed_lead_is_refused(
    rep: httpx.AsyncClient, prospect: httpx.AsyncClient
) -> None:
    token, lead = await start_chat(prospect)
    csrf = await sign_in(rep, "Alex")
    refused = await rep.post(f"/admin/inbox/{lead}/reply", data={"csrf": csrf, "text": "Hello"})
    assert refused.status_code == 409
    assert "Your reply was not sent: nobody has claimed this chat." in refused.text
    assert all(m["role"] != "rep" for m in await history(prospect, token))


async def test_claiming_needs_a_name_and_a_name_is_kept_for_its_session_only(
    rep: httpx.AsyncClient, other_rep: httpx.AsyncClient, prospect: httpx.AsyncClient
) -> None:
    _, lead = await start_chat(prospect)
    csrf = await sign_in(rep)
    refused = await rep.post(f"/admin/inbox/{lead}/claim", data={"csrf": csrf})
    assert refused.status_code == 409
    assert "Give your name first" in refused.text
    blank = await rep.post("/admin/inbox/name", data={"csrf": csrf, "name": "   "})
    assert blank.status_code in (400, 422)

    said = await rep.post("/admin/inbox/name", data={"csrf": csrf, "name": "Alex"})
    assert said.status_code == 303
    assert 'id="rep-name">Alex<' in (await rep.get("/admin/inbox")).text
    # The name's cookie carried into another session is not that session's name.
    await sign_in(other_rep)
    other_rep.cookies.set("qualify_rep", rep.cookies["qualify_rep"])
    assert 'id="rep-name"' not in (await other_rep.get("/admin/inbox")).text


async def test_a_prospect_asking_for_a_person_is_in_the_inbox_before_the_handoff(
    rep: httpx.AsyncClient, prospect: httpx.AsyncClient
) -> None:
    quiet = (await prospect.post("/api/conversations", json={})).json()
    await say(prospect, quiet["token"], "Do you integrate with Shopify?")
    asking = (await prospect.post("/api/conversations", json={})).json()
    said = dict(await say(prospect, asking["token"], HUMAN_TEXT, intent="human"))
    assert said["reply"]["handoff"] is False  # asked what about first
    await sign_in(rep, "Alex")
    page = (await rep.get("/admin/inbox")).text
    assert f'href="/admin/inbox/{asking["conversation_id"]}"' in page
    assert f'href="/admin/inbox/{quiet["conversation_id"]}"' not in page


async def test_the_live_streams_need_a_session(
    rep: httpx.AsyncClient, prospect: httpx.AsyncClient
) -> None:
    _, lead = await start_chat(prospect)
    for path in ("/admin/inbox/events", f"/admin/inbox/{lead}/events", "/admin/inbox"):
        response = await rep.get(path)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/admin/login")
    await sign_in(rep, "Alex")
    async with rep.stream("GET", "/admin/inbox/events") as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        text = ""
        async for chunk in stream.aiter_text():
            text += chunk
            if "event: inbox" in text and "\n\n" in text.split("event: inbox", 1)[1]:
                break
    rows = dict(events_of(text.split("retry: 2000", 1)[1]))["inbox"]
    assert [row["id"] for row in rows] == [lead]


async def test_new_messages_and_online_prospects_reach_the_inbox_live(
    rep: httpx.AsyncClient, prospect: httpx.AsyncClient
) -> None:
    token, lead = await start_chat(prospect)
    csrf = await sign_in(rep, "Alex")
    assert "online now" not in (await rep.get("/admin/inbox")).text
    # The widget's open event stream is the prospect on the site.
    async with prospect.stream("GET", f"/api/conversations/{token}/events") as widget:
        async for _ in widget.aiter_text():
            break
        inbox = await rep.get("/admin/inbox")
        assert "online now" in inbox.text

        await rep.post(f"/admin/inbox/{lead}/claim", data={"csrf": csrf})
        page = await rep.get(f"/admin/inbox/{lead}")
        after = re.search(r"events\?after=(\d+)", page.text)
        assert after is not None
        async with rep.stream("GET", f"/admin/inbox/{lead}/events?after={after.group(1)}") as live:
            await say(prospect, token, "Are you a real person?")
            text = ""
            async for chunk in live.aiter_text():
                text += chunk
                if "Are you a real person?" in text:
                    break
    events = events_of(text.split("retry: 2000", 1)[1])
    messages = [data for name, data in events if name == "message"]
    assert [(m["role"], m["text"]) for m in messages] == [("prospect", "Are you a real person?")]
    states = [data for name, data in events if name == "state"]
    assert states[0] == {"claimed_by": "Alex", "online": True}


@pytest.mark.parametrize(
    ("inbox_live", "promise"),
    [
        (True, "Someone from our team will join this chat shortly."),
        (False, "they can get back to you once they have your email."),
    ],
)
async def test_what_the_prospect_is_promised_follows_whether_reps_watch_the_inbox(
    tmp_path: Path, inbox_live: bool, promise: str
) -> None:
    settings = settings_for(tmp_path).model_copy(update={"inbox_live": inbox_live})
    with ThreadedServer(create_app(settings)) as server:
        async with httpx.AsyncClient(base_url=server.url, timeout=30) as prospect:
            created = (await prospect.post("/api/conversations", json={})).json()
            await say(prospect, created["token"], HUMAN_TEXT, intent="human")
            told = dict(await say(prospect, created["token"], "Help with our checkout funnel"))
    assert told["reply"]["handoff"] is True
    assert promise in told["reply"]["message"]["text"]
    assert ("join this chat" in told["reply"]["message"]["text"]) is inbox_live


# --- the store and the shared takeover, on SQLite and PostgreSQL ---------------------------


async def test_the_inbox_lists_handoffs_requests_for_a_person_and_open_chats(
    store: SQLStore, make_engine: Any
) -> None:
    engine = await make_engine()
    quiet, _ = await engine.start(channel="web")
    await engine.turn(quiet.id, "Do you integrate with Shopify?")
    asking, _ = await engine.start(channel="web")
    await engine.turn(asking.id, HUMAN_TEXT, requested_human=True)
    handed, _ = await engine.start(channel="web")
    await engine.turn(handed.id, HUMAN_TEXT, requested_human=True)
    result = await engine.turn(handed.id, "Help with our checkout funnel")
    assert result.handoff is not None
    open_now, _ = await engine.start(channel="web")
    seen = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    await store.mark_seen(open_now.id, seen)

    entries = {e.conversation.id: e for e in await store.inbox(seen - timedelta(seconds=60))}
    assert set(entries) == {asking.id, handed.id, open_now.id}
    assert entries[handed.id].reason == result.handoff.reason
    assert entries[asking.id].reason is None
    assert entries[open_now.id].last_seen_at == seen
    later = {e.conversation.id for e in await store.inbox(seen + timedelta(seconds=1))}
    assert later == {asking.id, handed.id}


async def test_claim_reply_and_release_are_one_takeover_for_every_channel(
    store: SQLStore, make_engine: Any
) -> None:
    engine = await make_engine()
    lead, _ = await engine.start(channel="web")
    await engine.turn(lead.id, HUMAN_TEXT, requested_human=True)
    await engine.turn(lead.id, "Help with our checkout funnel")
    takeover = Takeover(engine)

    async def name_of(user: str) -> str:
        return {"U1": "Sam"}.get(user, user)

    alex = dashboard_user("Alex")
    assert await takeover.reply(lead.id, alex, "Alex", "Hello") is None  # not claimed
    won, _ = await takeover.claim(lead.id, alex, name_of)
    assert won
    lost, handoff = await takeover.claim(lead.id, "U1", name_of)
    assert not lost and handoff is not None and handoff.claimed_by == alex
    assert await takeover.reply(lead.id, "U1", "Sam", "Hi") is None  # not theirs
    sent = await takeover.reply(lead.id, alex, "Alex", "Hi, I'm Alex.")
    assert sent is not None
    relayed = await engine.turn(lead.id, "Hi Alex")
    assert relayed.relayed_to == alex
    assert await takeover.release(lead.id, name_of) == alex
    assert await takeover.release(lead.id, name_of) is None

    said = [(m.role, m.author, m.text) for _, m in await store.messages_after(lead.id, 0)]
    assert said[-4:] == [
        ("system", "Alex", "Alex joined the chat"),
        ("rep", "Alex", "Hi, I'm Alex."),
        ("prospect", None, "Hi Alex"),
        ("system", None, "Alex handed the chat back to the assistant."),
    ]
    assert (await engine.turn(lead.id, "Is there a free trial?")).relayed_to is None
