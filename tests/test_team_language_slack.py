"""Everything the Slack app writes to reps follows the team's language (the playbook's
``team_language``): thread notices, the heading of relayed prospect messages, /qualify
replies, ephemeral refusals, the Not a fit form and the transcript link. Over HTTP: signed
requests to our bolt app, the answers at the fake Slack Web API."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from agent.lead_context import LeadContext, context_lines
from agent.notify import came_back_line
from agent.prompts import PromptSet
from agent.team_words import catalogue_words
from channels.slack.blocks import CLAIM, NOT_A_FIT, OPEN_TRANSCRIPT, RELEASE
from channels.slack.erasure import SlackErasure
from channels.slack.notifier import build_client
from channels.web.app import create_app
from tests.servers import ThreadedServer
from tests.slack_server import FakeSlack
from tests.test_slack_app import (
    OTHER_REP,
    OUTSIDER,
    REP,
    app_settings,
    button,
    command,
    event,
    hot_handoff,
    interact,
    not_a_fit_submission,
    post_form,
    thread_reply,
    wait_for_message,
)
from tests.test_slack_app import fake_slack as fake_slack
from tests.test_team_language import playbook_text
from tests.test_web_api import send

__all__ = ["fake_slack"]


@pytest.fixture
def german_server(slack: FakeSlack, tmp_path: Path) -> Iterator[ThreadedServer]:
    path = tmp_path / "beacon-de.yaml"
    path.write_text(playbook_text("de"), encoding="utf-8")
    settings = app_settings(slack, tmp_path).model_copy(update={"playbook": path})
    with ThreadedServer(create_app(settings)) as running:
        yield running


@pytest.fixture
async def client(german_server: ThreadedServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=german_server.url, timeout=30) as http:
        yield http


def in_thread(slack: FakeSlack, ts: str) -> list[str]:
    return [
        str(call.params["text"])
        for call in slack.calls_to("chat.postMessage")
        if call.params.get("thread_ts") == ts
    ]


async def test_thread_notices_and_refusals_are_in_german(
    client: httpx.AsyncClient, slack: FakeSlack
) -> None:
    handoff = await hot_handoff(client, slack)

    await interact(client, button(handoff, OUTSIDER, CLAIM))
    [refusal] = await slack.wait_for("chat.postEphemeral")
    assert refusal.params["text"].startswith(
        "Das können leider nur die für die Lead-Qualifizierung eingerichteten"
    )

    await interact(client, button(handoff, REP, CLAIM))
    [claimed] = await slack.wait_until(
        "chat.postMessage", lambda c: "spricht jetzt mit dem Interessenten" in str(c.params)
    )
    assert claimed.params["thread_ts"] == handoff.ts
    assert claimed.params["text"].startswith(f"<@{REP}> spricht jetzt mit dem Interessenten:")
    assert "*Freigeben* oder `/qualify release`" in claimed.params["text"]
    await wait_for_message(client, handoff.token, "system")

    await interact(client, button(handoff, OTHER_REP, CLAIM))
    second = await slack.wait_for("chat.postEphemeral", 2)
    assert second[-1].params["text"] == f"<@{REP}> hat diesen Lead bereits übernommen."

    # A reply from a rep who does not have the chat does not reach the prospect.
    stray = thread_reply(handoff, OTHER_REP, "I can take this one", "1764000300.000001")
    await event(client, stray, "EvDe01")
    third = await slack.wait_for("chat.postEphemeral", 3)
    assert (
        third[-1]
        .params["text"]
        .startswith(
            f"Ihre Antwort hat den Interessenten nicht erreicht: <@{REP}> hat diesen Lead und "
            "spricht mit dem Interessenten."
        )
    )

    # The prospect's message comes to the thread under a German heading, in their words.
    await send(client, handoff.token, "Tuesday is great")
    relayed = await slack.wait_until(
        "chat.postMessage", lambda c: c.params.get("text") == "*Interessent:* Tuesday is great"
    )
    assert relayed and relayed[0].params["thread_ts"] == handoff.ts

    # /qualify: usage, release and nothing left to release.
    usage = await post_form(client, command(handoff, REP, ""))
    assert usage.text.startswith("Verwendung: `/qualify release [Lead-ID]`")
    assign = await post_form(client, command(handoff, REP, "assign nobody"))
    assert assign.text.startswith("Verwendung: `/qualify assign @Person [Lead-ID]`")
    released = await post_form(client, command(handoff, REP, "release"))
    assert released.text == (
        f"Lead {handoff.lead[:8]} freigegeben: Der Assistent übernimmt wieder."
    )
    again = await post_form(client, command(handoff, REP, "release"))
    assert again.text == "Sie haben kein laufendes Gespräch, das Sie freigeben könnten."
    note = await slack.wait_until(
        "chat.postMessage", lambda c: "hat den Lead freigegeben" in str(c.params.get("text"))
    )
    assert note[0].params["text"] == (
        f"<@{REP}> hat den Lead freigegeben: Der Assistent antwortet wieder, und alle können "
        "ihn *Übernehmen*."
    )

    # The Release button once nobody has the lead.
    await interact(client, button(handoff, REP, RELEASE))
    fourth = await slack.wait_for("chat.postEphemeral", 4)
    assert fourth[-1].params["text"] == "Niemand hat diesen Lead mehr übernommen."

    everything = json.dumps(in_thread(slack, handoff.ts), ensure_ascii=False)
    for english in ("is now talking", "released the lead", "Prospect:", "Usage"):
        assert english not in everything


async def test_not_a_fit_form_and_transcript_link_are_in_german(
    client: httpx.AsyncClient, slack: FakeSlack
) -> None:
    handoff = await hot_handoff(client, slack)

    await interact(client, button(handoff, REP, OPEN_TRANSCRIPT))
    [link] = await slack.wait_for("chat.postEphemeral")
    text = link.params["text"]
    assert text.startswith("<https://qualify.example.com/admin/transcript/")
    assert "|Verlauf öffnen>: Ihr persönlicher Link, nur zum Lesen, zu diesem Lead" in text
    assert "Audit-Log" in text

    await interact(client, button(handoff, REP, NOT_A_FIT))
    [opened] = await slack.wait_for("views.open")
    view = opened.params["view"]
    if isinstance(view, str):
        view = json.loads(view)
    assert view["title"]["text"] == "Passt nicht"
    assert view["submit"]["text"] == "Speichern"
    assert view["blocks"][0]["label"]["text"] == "Warum passt dieser Lead nicht?"

    refused = await interact(client, not_a_fit_submission(view, "  "))
    assert refused.json()["errors"] == {"reason": "Bitte geben Sie einen Grund an."}
    await interact(client, not_a_fit_submission(view, "Agentur, verkauft weiter"))
    [marked] = await slack.wait_until(
        "chat.postMessage", lambda c: "als unpassend markiert" in str(c.params.get("text"))
    )
    assert marked.params["text"] == (
        f"<@{REP}> hat diesen Lead als unpassend markiert: Agentur, verkauft weiter"
    )
    assert marked.params["thread_ts"] == handoff.ts
    for _ in range(200):
        card = slack.calls_to("chat.update")
        if card and "Als unpassend markiert" in json.dumps(card[-1].params, ensure_ascii=False):
            break
        await asyncio.sleep(0.05)
    assert "Als unpassend markiert" in json.dumps(card[-1].params, ensure_ascii=False)


def test_context_lines_and_notices_of_the_card_are_in_the_team_language(
    prompts: PromptSet,
) -> None:
    german = catalogue_words(prompts, "de")
    context = LeadContext.model_validate(
        {
            "page_url": "https://example.com/pricing",
            "referrer": "https://www.google.com/search",
            "utm": {"utm_campaign": "spring"},
            "current_page": "https://example.com/docs",
            "time_zone": "Europe/Berlin",
            "returning": True,
        }
    )
    now = datetime(2026, 11, 24, 13, 5, tzinfo=UTC)
    assert context_lines(context, now, german) == [
        "Begonnen auf https://example.com/pricing (von google.com, utm_campaign=spring)",
        "Jetzt auf https://example.com/docs",
        "Ortszeit 14:05 Europe/Berlin",
        "Wiederkehrender Besucher",
    ]
    # English stays as it was.
    assert context_lines(context, now) == [
        "Started on https://example.com/pricing (from google.com, utm_campaign=spring)",
        "Now on https://example.com/docs",
        "Local time 14:05 Europe/Berlin",
        "Returning visitor",
    ]
    assert came_back_line(now, german) == (
        "Der Interessent ist zurück: neues Gespräch begonnen am 2026-11-24 13:05 UTC"
    )
    assert came_back_line(now) == (
        "The prospect came back: new conversation started 2026-11-24 13:05 UTC"
    )


async def test_the_erased_card_says_so_in_the_team_language(
    slack: FakeSlack, tmp_path: Path, prompts: PromptSet
) -> None:
    settings = app_settings(slack, tmp_path)
    erasure = SlackErasure(build_client(settings), catalogue_words(prompts, "fr"))
    await erasure._erase("C0SALES", "1764000000.000100")
    [update] = slack.calls_to("chat.update")
    assert update.params["text"] == (
        "Ce lead a été effacé à la demande du prospect (RGPD) : rien n'est conservé à son sujet."
    )
