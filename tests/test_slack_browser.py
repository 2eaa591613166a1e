"""End to end in a real browser: a widget conversation reaches hot, the handoff lands in
the (fake) Slack, a rep claims it, the rep's thread reply appears in the widget and the
prospect's answer appears in the thread. Our real slack-bolt app and slack-sdk client;
only Slack's Web API is a local fake."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.browser import CHROMIUM, LiveServer, free_port, screenshot

playwright_api = pytest.importorskip("playwright.async_api")
expect = playwright_api.expect
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason=f"Chromium not installed at {CHROMIUM}"
)

from agent.config import Settings  # noqa: E402
from channels.slack.blocks import CLAIM  # noqa: E402
from channels.web.app import create_app  # noqa: E402
from tests.slack_server import FakeSlack, running_fake_slack  # noqa: E402
from tests.test_slack_app import (  # noqa: E402
    REP,
    SECRET,
    Handoff,
    button,
    event,
    interact,
    thread_reply,
)
from tests.test_widget_browser import HOT_LEAD, new_page, open_widget, token_of  # noqa: E402

ADMIN_KEY = "browser-test-admin-key-0123456789"


@pytest.fixture(name="slack")
def fake_slack() -> Iterator[FakeSlack]:
    with running_fake_slack() as fake:
        fake.users[REP] = {"display_name": "Alex", "real_name": "Alex Rivera"}
        yield fake


@pytest.fixture
def server(slack: FakeSlack, tmp_path: Path) -> Iterator[LiveServer]:
    settings = Settings(
        _env_file=None,
        data_dir=tmp_path,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'qualify.db'}",
        model="offline",
        secret_key="browser-test-secret",
        admin_api_key=ADMIN_KEY,
        slack_bot_token="xoxb-browser",
        slack_signing_secret=SECRET,
        slack_api_url=slack.api_url,
        slack_rep_user_ids=[REP],
    )
    live = LiveServer(create_app(settings), free_port())
    live.start()
    yield live
    live.stop()


async def test_widget_lead_handed_to_slack_claimed_and_answered_live(
    server: LiveServer, slack: FakeSlack, browser: Any
) -> None:
    tab = await new_page(browser)
    page = tab.page
    widget = await open_widget(tab, server.url + "/")
    for text in HOT_LEAD[:3]:
        await widget.send(text)
    await expect(widget.handoff).to_be_visible()
    # Slack is connected and reaches us back: a rep can answer here, and the widget says so.
    await expect(widget.handoff).to_contain_text("connected with our team")
    await expect(widget.handoff).to_contain_text("will reply here")
    await expect(widget.handoff.locator("a.book")).to_have_attribute(
        "href", "https://cal.com/beacon/demo"
    )

    [posted] = await slack.wait_for("chat.postMessage")
    blocks = posted.params["blocks"]
    assert blocks[0]["text"]["text"] == "Hot lead"
    lead = blocks[-1]["elements"][0]["value"]
    async with httpx.AsyncClient(
        base_url=server.url, timeout=30, headers={"Authorization": f"Bearer {ADMIN_KEY}"}
    ) as client:
        for _ in range(500):
            handoff = (await client.get(f"/api/admin/leads/{lead}")).json()["handoff"]
            if handoff["status"] == "posted":
                break
            await asyncio.sleep(0.02)
        message = Handoff(
            await token_of(page), lead, handoff["posted_channel"], handoff["posted_ts"], blocks
        )

        assistant_replies = await widget.messages("assistant").count()
        await interact(client, button(message, REP, CLAIM))
        await expect(widget.messages("system")).to_have_text(["Alex joined the chat"])
        reply = thread_reply(message, REP, "Hi, I'm Alex. Free on Tuesday?", "1764000500.000001")
        await event(client, reply, "EvBrowser1")
        await expect(widget.texts("rep")).to_have_text(["Hi, I'm Alex. Free on Tuesday?"])
        await expect(widget.host.locator(".log .rep .name")).to_have_text(["Alex"])

        # Slack mrkdwn reads as text: a clickable link, "&", and a name for a mention.
        slack.users["U0SAM0002"] = {"display_name": "Sam"}
        markup = (
            "\U0001f4c5 Here's my calendar: <https://cal.com/alex?a=1&amp;b=2|book a slot> "
            "&amp; pricing <javascript:alert(1)|here>, ping <@U0SAM0002> *soon*"
        )
        await event(client, thread_reply(message, REP, markup, "1764000500.000002"), "EvBrowser2")
        shown = widget.texts("rep").nth(1)
        await expect(shown).to_have_text(
            "\U0001f4c5 Here's my calendar: book a slot & pricing here, ping @Sam soon"
        )
        link = shown.locator("a")
        await expect(link).to_have_count(1)
        await expect(link).to_have_text("book a slot")
        await expect(link).to_have_attribute("href", "https://cal.com/alex?a=1&b=2")
        await expect(link).to_have_attribute("target", "_blank")
        await expect(link).to_have_attribute("rel", "noopener noreferrer nofollow")

        # The bot stays quiet: the widget shows a receipt, and the thread gets the message.
        await widget.input.fill("Tuesday works for me")
        await widget.input.press("Enter")
        await expect(widget.messages("system")).to_have_text(
            ["Alex joined the chat", "Sent to our team."]
        )
        await widget.idle()
        await expect(widget.messages("assistant")).to_have_count(assistant_replies)
        relayed = []
        for _ in range(500):
            relayed = [
                call.params
                for call in slack.calls_to("chat.postMessage")
                if call.params.get("text") == "*Prospect:* Tuesday works for me"
            ]
            if relayed:
                break
            await asyncio.sleep(0.02)
        assert [r["thread_ts"] for r in relayed] == [message.ts]
    await screenshot(page, "widget-slack-takeover")
    assert tab.errors == []
