"""The handoff card stays current: updated as the lead changes (a burst of turns makes one
update), the prospect's messages in its thread before anyone claims, and a claim cycle
(claim, release, claim by another rep, reassign, not a fit) that the card always shows.
Against the local Slack wire-format server (tests/slack_server.py)."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from agent.sql_store import SQLStore
from channels.slack.blocks import CLAIM, NOT_A_FIT, OPEN_TRANSCRIPT, REASSIGN, RELEASE
from channels.web.app import create_app
from tests.conftest import EngineFactory
from tests.servers import ThreadedServer
from tests.slack_server import Call, FakeSlack, running_fake_slack
from tests.test_slack_app import (
    OTHER_REP,
    REP,
    EventStream,
    app_settings,
    button,
    card_buttons,
    card_status,
    claimed_by,
    command,
    event,
    hot_handoff,
    interact,
    not_a_fit_submission,
    post_form,
    thread_reply,
    wait_for_message,
)
from tests.test_slack_handoff import HOT, Later, dispatcher, hot_lead
from tests.test_web_api import ADMIN, send


@pytest.fixture(name="slack")
def fake_slack() -> Iterator[FakeSlack]:
    with running_fake_slack() as fake:
        fake.users[REP] = {"display_name": "Alex", "real_name": "Alex Rivera"}
        fake.users[OTHER_REP] = {"display_name": "Sam", "real_name": "Sam Lee"}
        yield fake


@pytest.fixture(name="client")
async def app_client(slack: FakeSlack, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    with ThreadedServer(create_app(app_settings(slack, tmp_path))) as running:
        async with httpx.AsyncClient(base_url=running.url, timeout=30) as http:
            yield http


LATER = [
    "We want it live within 2 months",
    "We're Orbit Labs, a SaaS company with about 300 people",
    "jane@orbitlabs.example",
]


def blocks_of(call: Call) -> list[dict[str, Any]]:
    blocks = call.params["blocks"]
    return json.loads(blocks) if isinstance(blocks, str) else list(blocks)


def card_text(call: Call) -> str:
    return json.dumps(blocks_of(call), ensure_ascii=False)


def shows(lead: dict[str, Any]) -> Any:
    """Whether a card update shows the lead's score, segment, email and company."""

    def check(call: Call) -> bool:
        text = card_text(call)
        return (
            f"*Score {lead['score']}* · {lead['segment']}" in text
            and f"*Email:* {lead['email']}" in text
            and f"*Company:* {lead['company_name']}" in text
        )

    return check


async def test_the_card_follows_the_lead_and_its_thread_gets_the_prospects_messages(
    client: httpx.AsyncClient, slack: FakeSlack
) -> None:
    handoff = await hot_handoff(client, slack)
    first = card_text(slack.calls_to("chat.postMessage")[0])
    assert "*Score 80* · hot" in first and "Email" not in first
    for text in LATER:
        await send(client, handoff.token, text)
    detail = (await client.get(f"/api/admin/leads/{handoff.lead}", headers=ADMIN)).json()
    lead = detail["lead"]
    assert lead["score"] == 105 and lead["segment"] == "hot"
    assert lead["email"] == "jane@orbitlabs.example" and lead["company_name"] == "Orbit Labs"

    [update] = await slack.wait_until("chat.update", shows(lead))
    assert (update.params["channel"], update.params["ts"]) == (handoff.channel, handoff.ts)
    text = card_text(update)
    # As README's Slack section shows it.
    blocks = blocks_of(update)
    assert blocks[0]["text"]["text"] == "Hot lead: Orbit Labs"
    assert blocks[1]["text"]["text"] == (
        "Orbit Labs (SaaS, ~300 people): VP of Product, $60k/yr, wants retention and churn "
        "analysis, funnel and conversion analysis within 2 months."
    )
    assert "*Score 105* · hot · SaaS industry, mid market company" in text
    assert "*Industry:* SaaS" in text and "*Employees:* 300" in text
    assert card_status(update) == "Not claimed yet"
    assert claimed_by(update) is None and CLAIM in card_buttons(update)
    # Nobody has claimed it, and the prospect's messages are in the thread already.
    relayed = await slack.wait_until(
        "chat.postMessage",
        lambda c: (
            c.params.get("thread_ts") == handoff.ts
            and str(c.params.get("text", "")).startswith("*Prospect:*")
        ),
        count=3,
    )
    assert [c.params["text"] for c in relayed] == [f"*Prospect:* {t}" for t in LATER]


async def test_a_burst_of_turns_makes_at_most_two_card_updates(
    make_engine: EngineFactory, store: SQLStore, slack: FakeSlack, tmp_path: Path
) -> None:
    engine = await make_engine()
    conversation_id = await hot_lead(engine)
    clock = Later()
    cards = dispatcher(engine, store, slack, tmp_path, clock)
    assert await cards.run_once() == 1
    burst = [*LATER, "Do you support SSO?", "And SOC 2?"]
    for text in burst:  # five turns a second apart, the card keeper running after each
        await engine.turn(conversation_id, text)
        clock.now += timedelta(seconds=1)
        await cards.run_once()
    assert len(slack.calls_to("chat.update")) == 1  # 3 s after the card was posted
    # Once the burst is over, the card catches up with the last turn.
    clock.now += timedelta(seconds=5)
    await cards.run_once()
    final = slack.calls_to("chat.update")[-1]
    assert "jane@orbitlabs.example" in card_text(final) and "SOC 2" in card_text(final)
    assert len(slack.calls_to("chat.update")) == 2
    await cards.run_once()  # nothing changed since: no update
    assert len(slack.calls_to("chat.update")) <= 2
    relayed = [c.params["text"] for c in slack.calls_to("chat.postMessage")[1:]]
    assert relayed == [f"*Prospect:* {t}" for t in burst]


async def test_release_puts_the_card_back_to_claim_and_another_rep_can_claim(
    client: httpx.AsyncClient, slack: FakeSlack
) -> None:
    handoff = await hot_handoff(client, slack)
    await interact(client, button(handoff, REP, CLAIM))
    await slack.wait_until("chat.update", lambda c: claimed_by(c) == REP)
    await interact(client, button(handoff, REP, RELEASE))
    [back] = await slack.wait_until("chat.update", lambda c: "Not claimed yet" in card_status(c))
    assert card_buttons(back)[0] == CLAIM and RELEASE not in card_buttons(back)
    note = await slack.wait_until(
        "chat.postMessage", lambda c: "released the lead" in str(c.params.get("text"))
    )
    assert note and note[0].params["thread_ts"] == handoff.ts

    assert (await interact(client, button(handoff, OTHER_REP, CLAIM))).status_code == 200
    [claimed] = await slack.wait_until("chat.update", lambda c: claimed_by(c) == OTHER_REP)
    assert card_buttons(claimed)[0] == RELEASE
    joined = await wait_for_message(client, handoff.token, "system", 3)
    assert joined[-1]["text"].endswith("joined the chat")
    lead = (await client.get(f"/api/admin/leads/{handoff.lead}", headers=ADMIN)).json()
    assert lead["handoff"]["claimed_by"] == OTHER_REP

    # /qualify release says so in the thread and on the card too.
    released = await post_form(client, command(handoff, OTHER_REP, "release"))
    assert released.text.startswith("Released lead")
    notes = await slack.wait_until(
        "chat.postMessage",
        lambda c: f"<@{OTHER_REP}> released the lead" in str(c.params.get("text")),
    )
    assert notes[0].params["thread_ts"] == handoff.ts
    backs = await slack.wait_until(
        "chat.update", lambda c: "Not claimed yet" in card_status(c), count=2
    )
    assert len(backs) == 2


async def test_not_a_fit_shows_the_reason_and_who_said_it_on_the_card(
    client: httpx.AsyncClient, slack: FakeSlack
) -> None:
    handoff = await hot_handoff(client, slack)
    await interact(client, button(handoff, REP, NOT_A_FIT))
    [opened] = await slack.wait_for("views.open")
    view = opened.params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    submission = not_a_fit_submission(view, "Agency <reselling> & more")
    assert (await interact(client, submission)).status_code == 200
    [card] = await slack.wait_until("chat.update", lambda c: "not a fit" in card_status(c))
    assert card_status(card) == (
        f":no_entry: Marked not a fit by <@{REP}>: Agency &lt;reselling&gt; &amp; more"
    )
    assert CLAIM not in card_buttons(card) and NOT_A_FIT not in card_buttons(card)


async def test_reassigning_moves_the_claim_to_another_rep(
    client: httpx.AsyncClient, slack: FakeSlack
) -> None:
    handoff = await hot_handoff(client, slack)
    await interact(client, button(handoff, REP, CLAIM))
    await slack.wait_until("chat.update", lambda c: claimed_by(c) == REP)
    pick = button(handoff, REP, REASSIGN)
    pick["actions"] = [{"type": "users_select", "action_id": REASSIGN, "selected_user": OTHER_REP}]
    assert (await interact(client, pick)).status_code == 200
    [moved] = await slack.wait_until("chat.update", lambda c: claimed_by(c) == OTHER_REP)
    assert card_buttons(moved)[0] == RELEASE
    said = await slack.wait_until(
        "chat.postEphemeral", lambda c: "Reassigned lead" in str(c.params.get("text"))
    )
    assert said[0].params["user"] == REP
    # The new rep's replies reach the prospect; the old rep's do not any more.
    hello = thread_reply(handoff, OTHER_REP, "Hi, Sam here", "1764000200.000001")
    await event(client, hello, "E1")
    reps = await wait_for_message(client, handoff.token, "rep")
    assert [m["text"] for m in reps] == ["Hi, Sam here"]

    # /qualify assign @rep <lead> gives it back.
    fields = command(handoff, OTHER_REP, f"assign <@{REP}|alex> {handoff.lead}")
    assert (await post_form(client, fields)).text.startswith("Reassigned lead")
    await slack.wait_until("chat.update", lambda c: claimed_by(c) == REP, count=2)


async def test_a_rep_reply_that_cannot_reach_the_prospect_gets_an_ephemeral_note(
    client: httpx.AsyncClient, slack: FakeSlack
) -> None:
    handoff = await hot_handoff(client, slack)
    early = thread_reply(handoff, REP, "Looks great, who has it?", "1764000300.000001")
    await event(client, early, "E10")
    [before] = await slack.wait_for("chat.postEphemeral")
    assert before.params["user"] == REP and before.params["thread_ts"] == handoff.ts
    assert (
        "did not reach the prospect" in before.params["text"] and "Claim" in before.params["text"]
    )

    await interact(client, button(handoff, REP, CLAIM))
    await slack.wait_until("chat.update", lambda c: claimed_by(c) == REP)
    other = thread_reply(handoff, OTHER_REP, "I can take this one", "1764000300.000002")
    await event(client, other, "E11")
    notes = await slack.wait_for("chat.postEphemeral", 2)
    assert notes[-1].params["user"] == OTHER_REP
    assert f"<@{REP}> has this lead" in notes[-1].params["text"]
    # A note to the team is not a reply: no ephemeral.
    note = thread_reply(handoff, OTHER_REP, "note: big account", "1764000300.000003")
    await event(client, note, "E12")
    messages = await wait_for_message(client, handoff.token, "system")
    assert all(m["role"] != "rep" for m in messages)
    assert len(slack.calls_to("chat.postEphemeral")) == 2


async def test_open_transcript_gives_the_rep_a_personal_link_that_opens_the_lead(
    client: httpx.AsyncClient, slack: FakeSlack
) -> None:
    handoff = await hot_handoff(client, slack)
    assert (await interact(client, button(handoff, REP, OPEN_TRANSCRIPT))).status_code == 200
    [link] = await slack.wait_until(
        "chat.postEphemeral", lambda c: "Open the transcript" in str(c.params.get("text"))
    )
    assert link.params["user"] == REP
    found = re.search(r"<(https://qualify\.example\.com[^|>]+)\|", link.params["text"])
    assert found is not None
    url = urlsplit(found.group(1))
    assert url.path == f"/admin/transcript/{handoff.lead}"
    # The link works without the admin key (the public URL is this server in the test).
    page = await client.get(f"{url.path}?{url.query}", follow_redirects=True)
    assert page.status_code == 200 and HOT[0] in page.text
    audit = (await client.get("/api/admin/audit", headers=ADMIN)).json()
    assert (audit[0]["actor"], audit[0]["action"], audit[0]["subject"]) == (
        f"slack:{REP}",
        "view_transcript",
        handoff.lead,
    )


async def test_the_card_shows_a_prospect_whose_widget_is_open_as_online(
    client: httpx.AsyncClient, slack: FakeSlack
) -> None:
    handoff = await hot_handoff(client, slack)
    first = card_text(slack.calls_to("chat.postMessage")[0])
    assert "Online now" not in first  # no widget stream was open
    stream = EventStream(client, handoff.token)
    try:
        await asyncio.wait_for(stream.opened.wait(), 20)
        await send(client, handoff.token, LATER[0])
        [update] = await slack.wait_until(
            "chat.update", lambda c: "within 2 months" in card_text(c)
        )
        assert ":large_green_circle: Online now · last wrote <!date^" in card_text(update)
    finally:
        await stream.close()


async def test_the_card_says_where_the_chat_started_and_the_prospects_local_time(
    client: httpx.AsyncClient, slack: FakeSlack
) -> None:
    context = {
        "page_url": "https://example.com/pricing",
        "referrer": "https://www.google.com/",
        "utm": {"utm_campaign": "spring"},
        "time_zone": "Europe/Berlin",
        "returning": True,
    }
    created = await client.post("/api/conversations", json={"context": context})
    token = created.json()["token"]
    for text in HOT:
        await send(client, token, text)
    [card] = await slack.wait_for("chat.postMessage")
    lines = [element["text"] for element in blocks_of(card)[-2]["elements"]]
    assert "Started on https://example.com/pricing (from google.com, utm_campaign=spring)" in lines
    assert any(line.startswith("Local time ") and "Europe/Berlin" in line for line in lines)
    assert "Returning visitor" in lines
    assert not any(line.startswith("Conversation in") for line in lines)  # reps read English


async def test_the_card_marks_a_conversation_held_in_another_language_than_the_reps(
    client: httpx.AsyncClient, slack: FakeSlack
) -> None:
    created = await client.post("/api/conversations", json={"language": {"forced": "de"}})
    assert created.json()["language"] == "de"
    token = created.json()["token"]
    for text in HOT:
        await send(client, token, text)
    [card] = await slack.wait_for("chat.postMessage")
    lines = [element["text"] for element in blocks_of(card)[-2]["elements"]]
    assert lines[0] == "Not claimed yet" and lines[1].startswith(":white_circle: Away")
    assert lines[2:] == ["Conversation in German"]  # then where the chat started, if known
