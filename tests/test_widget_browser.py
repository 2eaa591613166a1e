"""The chat widget in a real browser (Debian's Chromium through Playwright) against the real
web server on 127.0.0.1: qualification to a hot lead, resume after reload, XSS, hostile host
CSS, an unreachable server, quick replies, keyboard use, the mobile layout and rep messages.

Screenshots go to out/screenshots/. Run with ``pytest -p no:playwright`` if the
pytest-playwright plugin is installed.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import re
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.browser import (
    CHROMIUM,
    TIMEOUT_MS,
    WIDGET_JS,
    LiveServer,
    StaticSite,
    Widget,
    free_port,
    offline_settings,
    screenshot,
)

playwright_api = pytest.importorskip("playwright.async_api")
async_playwright = playwright_api.async_playwright
expect = playwright_api.expect

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason=f"Chromium not installed at {CHROMIUM}"
)

from agent.config import Settings  # noqa: E402
from agent.sql_store import SQLStore  # noqa: E402
from agent.store import Message  # noqa: E402
from channels.web.app import create_app  # noqa: E402
from knowledge.ingest import ingest_shipped  # noqa: E402
from tests.openai_server import FakeOpenAIServer  # noqa: E402
from tests.servers import QualifyProcess  # noqa: E402

HOT_LEAD = (
    "We need to understand churn and fix our checkout funnel",
    "About $60k a year",
    "I'm the VP of Product and I own the budget",
    "Next quarter",
)
HUMAN_TEXT = "I'd like to talk to a person."


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return offline_settings(tmp_path)


@pytest.fixture
def server(settings: Settings) -> Iterator[LiveServer]:
    live = LiveServer(create_app(settings), free_port())
    live.start()
    yield live
    live.stop()


class Page:
    """A browser tab, with what it reported: uncaught errors and dialogs."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("dialog", self._dialog)

    async def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        await dialog.dismiss()


async def new_page(browser: Any, **context_options: Any) -> Page:
    context = await browser.new_context(
        **({"viewport": {"width": 1280, "height": 800}} | context_options)
    )
    context.set_default_timeout(TIMEOUT_MS)
    return Page(await context.new_page())


@pytest.fixture
async def tab(browser: Any) -> AsyncIterator[Page]:
    tab = await new_page(browser)
    yield tab
    assert tab.errors == [], f"uncaught errors in the page: {tab.errors}"
    assert tab.dialogs == [], f"dialogs opened: {tab.dialogs}"


async def open_widget(tab: Page, url: str) -> Widget:
    await tab.page.goto(url)
    widget = Widget(tab.page)
    await widget.open()
    return widget


async def token_of(page: Any) -> str:
    token: str = await page.evaluate(
        "() => Object.entries(localStorage).find(([k]) => k.startsWith('qualify:token:'))[1]"
    )
    return token


# --- the tests ---------------------------------------------------------------------------


def test_widget_file_is_small_and_ascii() -> None:
    data = WIDGET_JS.read_bytes()
    assert len(data) < 50_900, f"widget.js is {len(data)} bytes"
    assert len(gzip.compress(data)) < 14_800, "widget.js is over its gzip budget"
    assert data.isascii(), "widget.js must decode the same under any page charset"
    assert b"innerHTML" not in data and b"insertAdjacentHTML" not in data


async def test_hot_lead_gets_handoff_confirmation(server: LiveServer, tab: Page) -> None:
    widget = await open_widget(tab, server.url + "/")
    assert await widget.input.evaluate("el => el.getRootNode().activeElement === el")
    for text in HOT_LEAD:
        await widget.send(text)

    await expect(widget.handoff).to_be_visible()
    # No Slack is connected here: nobody will answer in the chat, so the widget says email.
    await expect(widget.handoff).to_contain_text("Passed to our team")
    await expect(widget.handoff).to_contain_text("by email within one business day")
    await expect(widget.handoff).not_to_contain_text("reply here")
    await expect(widget.human_button).to_be_hidden()
    transcript = await widget.transcript()
    assert [text for role, text in transcript if role == "prospect"] == list(HOT_LEAD)
    assert transcript[0][0] == "assistant"
    # The message log is the live region: screen readers announce the newest bot message.
    last_reply = transcript[-1][1]
    await expect(widget.live.locator(".text").last).to_have_text(last_reply)
    await screenshot(tab.page, "widget-hot-lead-handoff")


async def test_conversation_resumes_after_reload(server: LiveServer, tab: Page) -> None:
    widget = await open_widget(tab, server.url + "/")
    for text in HOT_LEAD:
        await widget.send(text)
    before = await widget.transcript()
    token = await token_of(tab.page)

    await tab.page.reload()
    widget = Widget(tab.page)
    # The panel was open, so it opens again, and the history comes back from the server.
    await expect(widget.panel).to_be_visible()
    await expect(widget.messages()).to_have_count(len(before))
    assert await widget.transcript() == before
    assert await token_of(tab.page) == token
    await expect(widget.handoff).to_be_visible()
    await screenshot(tab.page, "widget-resumed-after-reload")

    # And the conversation goes on in the same thread.
    await widget.send("My email is vp@northwind.io")
    assert len(await widget.transcript()) == len(before) + 2


async def test_markup_in_messages_renders_as_text(server: LiveServer, tab: Page) -> None:
    payloads = ["<img src=x onerror=alert(1)>", "<script>window.__pwned=1</script>"]
    widget = await open_widget(tab, server.url + "/")
    for text in payloads:
        await widget.send(text)

    sent = [text for role, text in await widget.transcript() if role == "prospect"]
    assert sent == payloads
    for text in payloads:
        await expect(widget.host.locator(".log .prospect .text", has_text=text)).to_be_visible()
    assert await widget.host.locator(".log img, .log script").count() == 0
    assert await tab.page.evaluate("() => window.__pwned") is None
    assert tab.dialogs == []
    await screenshot(tab.page, "widget-xss-as-text")


WIDGET_STYLES = {
    ".launcher": ("width", "height", "background-color", "border-radius", "display"),
    ".panel": ("width", "height", "font-size", "background-color", "display"),
    ".title": ("font-size", "font-family", "color", "letter-spacing", "text-transform"),
    ".log .assistant .text": (
        "font-size",
        "font-family",
        "color",
        "line-height",
        "letter-spacing",
        "word-spacing",
        "text-transform",
        "text-shadow",
        "padding-top",
        "margin-top",
        "border-top-width",
        "background-color",
    ),
    "textarea.input": ("font-size", "padding-top", "border-top-width", "height", "box-sizing"),
    "button.send": ("width", "height", "background-color", "border-top-width", "padding-top"),
    "button.human": ("font-size", "padding-top", "color", "text-transform"),
    ".privacy": ("font-size", "color", "padding-top", "background-color"),
}


async def widget_styles(widget: Widget) -> dict[str, dict[str, str]]:
    return {sel: await widget.style(sel, *props) for sel, props in WIDGET_STYLES.items()}


async def test_hostile_page_css_does_not_reach_the_widget(
    server: LiveServer, browser: Any, tab: Page
) -> None:
    widget = await open_widget(tab, server.url + "/")
    normal = await widget_styles(widget)
    assert normal[".log .assistant .text"]["font-size"] == "14px"

    tab = await new_page(browser)
    widget = await open_widget(tab, server.url + "/?hostile=1")
    # The hostile rules really apply to the host page...
    heading = await tab.page.locator("h1").evaluate(
        "el => [getComputedStyle(el).fontSize, getComputedStyle(el).color]"
    )
    assert heading == ["30px", "rgb(255, 0, 0)"]
    # ...and change nothing inside the widget.
    hostile = await widget_styles(widget)
    assert hostile == normal
    await expect(widget.launcher).to_be_visible()
    await screenshot(tab.page, "widget-hostile-css")
    assert tab.errors == [] and tab.dialogs == []


async def test_unreachable_server_keeps_the_message_for_retry(
    server: LiveServer, settings: Settings, tab: Page
) -> None:
    widget = await open_widget(tab, server.url + "/")
    text = "We need to understand churn and fix our checkout funnel"

    server.stop()
    await widget.input.fill(text)
    await widget.input.press("Enter")
    await expect(widget.alert).to_be_visible()
    await expect(widget.alert).to_contain_text("Can't reach the server")
    await widget.idle()
    await expect(widget.input).to_have_value(text)
    await expect(widget.messages("prospect")).to_have_count(0)
    await screenshot(tab.page, "widget-server-unreachable")

    server.start(create_app(settings))
    await widget.alert_button.click()
    await expect(widget.messages("assistant")).to_have_count(2)
    await widget.idle()
    await expect(widget.texts("prospect")).to_have_text([text])
    await expect(widget.input).to_have_value("")
    await expect(widget.alert).to_be_hidden()
    await screenshot(tab.page, "widget-server-back")


async def test_too_long_message_is_refused_and_kept(server: LiveServer, tab: Page) -> None:
    widget = await open_widget(tab, server.url + "/")
    text = "x" * 4001
    await widget.input.fill(text)
    await widget.input.press("Enter")
    await expect(widget.alert).to_contain_text("too long")
    await widget.idle()
    await expect(widget.input).to_have_value(text)
    await expect(widget.messages("prospect")).to_have_count(0)


def sent_messages(page: Any) -> list[dict[str, Any]]:
    """The bodies of the messages the page POSTs, as they are sent."""
    bodies: list[dict[str, Any]] = []

    def record(request: Any) -> None:
        if request.method == "POST" and request.url.endswith("/messages"):
            bodies.append(json.loads(request.post_data or "{}"))

    page.on("request", record)
    return bodies


async def lead_of(server: LiveServer, page: Any) -> dict[str, Any]:
    """The lead of the page's conversation, from the admin API."""
    token = await token_of(page)
    headers = {"Authorization": "Bearer browser-test-admin-key-0123456789"}
    async with httpx.AsyncClient(base_url=server.url) as client:
        history = (await client.get(f"/api/conversations/{token}")).json()
        detail = await client.get(f"/api/admin/leads/{history['conversation_id']}", headers=headers)
    lead: dict[str, Any] = detail.json()
    return lead


async def test_quick_replies_and_talk_to_a_person(server: LiveServer, tab: Page) -> None:
    widget = await open_widget(tab, server.url + "/")
    sent = sent_messages(tab.page)
    await expect(widget.human_button).to_be_visible()
    await widget.send(HOT_LEAD[0])

    # The budget question has natural options: one chip per range.
    await expect(widget.chips).to_have_count(4)
    labels = await widget.chips.all_text_contents()
    assert "Under $12k/year" in labels
    await screenshot(tab.page, "widget-quick-replies")
    choice = labels[1]
    replies = await widget.messages("assistant").count()
    await widget.chips.nth(1).click()
    await expect(widget.messages("assistant")).to_have_count(replies + 1)
    await widget.idle()
    await expect(widget.texts("prospect").last).to_have_text(choice)
    await expect(widget.chips).to_have_count(0)  # the role question has no options
    # The chip went as its label plus which chip it is, and the lead has the chip's value.
    assert sent[-1]["text"] == choice
    assert sent[-1]["quick_reply"] == {"field": "budget", "index": 1}
    assert "quick_reply" not in sent[0]
    budget = (await lead_of(server, tab.page))["profile"]["budget"]["value"]
    assert (budget["amount_min"], budget["amount_max"], budget["annual_usd"]) == (
        12000,
        50000,
        31000,
    )

    await widget.human_button.click()
    await expect(widget.handoff).to_be_visible()
    await widget.idle()
    await expect(widget.texts("prospect").last).to_have_text(HUMAN_TEXT)
    await expect(widget.human_button).to_be_hidden()
    await screenshot(tab.page, "widget-talk-to-a-person")


async def test_a_chip_the_server_refuses_goes_into_the_box(server: LiveServer, tab: Page) -> None:
    page = tab.page
    widget = await open_widget(tab, server.url + "/")
    await widget.send(HOT_LEAD[0])
    await expect(widget.chips).to_have_count(4)

    # The request's chip is changed on the way to one the playbook does not have: the
    # server's message is shown and the label waits in the box, to be sent as text.
    async def other_chip(route: Any) -> None:
        body = json.loads(route.request.post_data or "{}")
        body["quick_reply"]["index"] = 7
        await route.continue_(post_data=json.dumps(body))

    await page.route("**/messages", other_chip)
    await widget.chips.nth(0).click()
    await expect(widget.alert).to_contain_text("has no quick reply 7")
    await widget.idle()
    await expect(widget.input).to_have_value("Under $12k/year")
    await expect(widget.messages("prospect")).to_have_count(1)
    await page.unroute("**/messages", other_chip)

    # Sent as typed text, the label still counts as the chip.
    await widget.send_button.click()
    await expect(widget.texts("prospect").last).to_have_text("Under $12k/year")
    await widget.idle()
    budget = (await lead_of(server, page))["profile"]["budget"]["value"]
    assert budget["annual_usd"] == 6000


async def test_an_unsent_chip_stays_on_offer(
    server: LiveServer, settings: Settings, tab: Page
) -> None:
    widget = await open_widget(tab, server.url + "/")
    await widget.send(HOT_LEAD[0])
    await expect(widget.chips).to_have_count(4)

    server.stop()
    await widget.chips.nth(3).click()
    await expect(widget.alert).to_contain_text("Can't reach the server")
    await widget.idle()
    await expect(widget.chips).to_have_count(4)
    await expect(widget.input).to_have_value("")
    await expect(widget.messages("prospect")).to_have_count(1)

    server.start(create_app(settings))
    replies = await widget.messages("assistant").count()
    await widget.alert_button.click()
    await expect(widget.messages("assistant")).to_have_count(replies + 1)
    await widget.idle()
    await expect(widget.texts("prospect").last).to_have_text("No budget yet")
    lead = await lead_of(server, tab.page)
    budget = lead["profile"]["budget"]
    assert budget["value"]["status"] == "no_budget"
    assert budget["evidence"]["quote"] == "No budget yet"
    pressed = [m for m in lead["transcript"] if m["role"] == "prospect"][-1]
    assert pressed["meta"] == {"quick_reply": {"field": "budget", "index": 3}}  # sent as the chip


async def focused_in_widget(page: Any) -> str | None:
    name: str | None = await page.evaluate(
        """() => {
            const host = document.querySelector('qualify-widget');
            if (document.activeElement !== host) return null;
            const el = host.shadowRoot.activeElement;
            return el ? el.className : null;
        }"""
    )
    return name


async def test_keyboard_navigation(server: LiveServer, tab: Page) -> None:
    page = tab.page
    await page.goto(server.url + "/")
    widget = Widget(page)
    await expect(widget.launcher).to_be_visible()
    await expect(widget.host.locator(".teaser")).to_contain_text("Questions about Beacon")
    await screenshot(page, "landing-page")
    for _ in range(50):
        await page.keyboard.press("Tab")
        if await focused_in_widget(page) == "launcher":
            break
    else:
        pytest.fail("Tab never reached the chat launcher")
    outline = await widget.style(".launcher", "outline-style", "outline-width")
    assert outline["outline-style"] == "solid" and outline["outline-width"] != "0px"

    await page.keyboard.press("Enter")
    await expect(widget.panel).to_be_visible()
    await expect(widget.launcher).to_have_attribute("aria-expanded", "true")
    assert await focused_in_widget(page) == "input"
    await expect(widget.messages("assistant")).to_have_count(1)

    await page.keyboard.type("Hello")
    await page.keyboard.press("Shift+Enter")
    await page.keyboard.type("there")
    await expect(widget.input).to_have_value("Hello\nthere")
    await expect(widget.messages("prospect")).to_have_count(0)

    await page.keyboard.press("Escape")
    await expect(widget.panel).to_be_hidden()
    assert await focused_in_widget(page) == "launcher"
    await expect(widget.launcher).to_have_attribute("aria-expanded", "false")

    await page.keyboard.press("Enter")
    await expect(widget.panel).to_be_visible()
    assert await focused_in_widget(page) == "input"
    await page.keyboard.press("Enter")
    await expect(widget.texts("prospect")).to_have_text(["Hello\nthere"])
    await expect(widget.messages("assistant")).to_have_count(2)
    await screenshot(page, "widget-keyboard")


async def test_mobile_layout_fills_the_screen(server: LiveServer, browser: Any) -> None:
    tab = await new_page(
        browser, viewport={"width": 375, "height": 667}, is_mobile=True, has_touch=True
    )
    widget = await open_widget(tab, server.url + "/")
    box = await widget.panel.bounding_box()
    assert box == {"x": 0, "y": 0, "width": 375, "height": 667}
    await expect(widget.launcher).to_be_hidden()
    assert (await widget.style("textarea.input", "font-size"))["font-size"] == "16px"
    await widget.send(HOT_LEAD[0])
    await screenshot(tab.page, "widget-mobile")

    await widget.host.locator("button.close").click()
    await expect(widget.panel).to_be_hidden()
    await expect(widget.launcher).to_be_visible()
    assert tab.errors == []


async def test_rep_message_shows_the_reps_name(
    server: LiveServer, settings: Settings, tab: Page
) -> None:
    widget = await open_widget(tab, server.url + "/")
    await widget.send(HOT_LEAD[0])
    token = await token_of(tab.page)
    async with httpx.AsyncClient(base_url=server.url) as client:
        history = (await client.get(f"/api/conversations/{token}")).json()
    conversation_id = history["conversation_id"]

    store = SQLStore(settings.resolved_database_url())
    await store.init()
    now = datetime.now(UTC)
    rep_text = "Hi, I'm Dana from Beacon's sales team. <b>Happy</b> to help!"
    try:
        await store.add_message(
            Message(
                conversation_id=conversation_id,
                role="system",
                text="Dana joined the chat",
                created_at=now,
            )
        )
        await store.add_message(
            Message(
                conversation_id=conversation_id,
                role="rep",
                author="Dana",
                text=rep_text,
                created_at=now,
            )
        )
    finally:
        await store.close()

    await tab.page.reload()
    widget = Widget(tab.page)
    await expect(widget.panel).to_be_visible()
    rep = widget.messages("rep")
    await expect(rep).to_have_count(1)
    await expect(rep.locator(".name")).to_have_text("Dana")
    await expect(rep.locator(".text")).to_have_text(rep_text)
    await expect(widget.messages("system")).to_have_text(["Dana joined the chat"])
    assert await widget.host.locator(".log b").count() == 0

    rep_style = await widget.style(".log .rep .text", "background-color")
    bot_style = await widget.style(".log .assistant .text", "background-color")
    assert rep_style != bot_style
    await screenshot(tab.page, "widget-rep-message")


MESSAGES_ROUTE = "**/api/conversations/*/messages"


async def test_typing_indicator_then_streamed_reply(server: LiveServer, tab: Page) -> None:
    page = tab.page
    widget = await open_widget(tab, server.url + "/")
    await widget.log.evaluate(
        """log => {
            window.__frames = [];
            new MutationObserver(() => {
                const bubble = log.querySelector('.assistant.streaming .text');
                window.__frames.push({
                    typing: !!log.querySelector('.typing'),
                    streaming: bubble ? bubble.textContent : null,
                });
            }).observe(log, { childList: true, subtree: true, characterData: true });
        }"""
    )
    # Hold the request so the wait for the reply can be seen.
    release = asyncio.Event()

    async def hold(route: Any) -> None:
        await release.wait()
        await route.continue_()

    await page.route(MESSAGES_ROUTE, hold)
    await widget.input.fill(HOT_LEAD[0])
    await widget.input.press("Enter")
    await expect(widget.host.locator(".log .typing")).to_be_visible()
    await expect(widget.host.locator(".log .prospect.pending")).to_have_count(1)
    await expect(widget.send_button).to_be_disabled()
    await screenshot(page, "widget-typing")

    release.set()
    await expect(widget.messages("assistant")).to_have_count(2)
    await widget.idle()
    await expect(widget.host.locator(".log .typing")).to_have_count(0)
    await expect(widget.host.locator(".log .pending, .log .streaming")).to_have_count(0)
    final = (await widget.transcript())[-1][1]
    frames: list[dict[str, Any]] = await page.evaluate("() => window.__frames")
    streamed = [f["streaming"] for f in frames if f["streaming"] and not f["typing"]]
    assert streamed, "the reply was never shown while it streamed"
    assert all(final.startswith(text) for text in streamed)
    await expect(widget.live.locator(".text").last).to_have_text(final)


async def test_failed_reply_keeps_the_message(server: LiveServer, tab: Page) -> None:
    page = tab.page
    widget = await open_widget(tab, server.url + "/")
    sorry = "Sorry, something went wrong on our side. Please try again."

    async def fail_before_storing(route: Any) -> None:
        body = f'event: error\ndata: {{"error": "turn_failed", "message": "{sorry}"}}\n\n'
        await route.fulfill(status=200, content_type="text/event-stream", body=body)

    await page.route(MESSAGES_ROUTE, fail_before_storing)
    await widget.input.fill(HOT_LEAD[0])
    await widget.input.press("Enter")
    await expect(widget.alert).to_contain_text(sorry)
    await widget.idle()
    await expect(widget.input).to_have_value(HOT_LEAD[0])
    await expect(widget.messages("prospect")).to_have_count(0)

    async def fail_after_storing(route: Any) -> None:
        body = (
            'event: stored\ndata: {"id": "stored-1", "client_id": null}\n\n'
            f'event: error\ndata: {{"error": "turn_failed", "message": "{sorry}"}}\n\n'
        )
        await route.fulfill(status=200, content_type="text/event-stream", body=body)

    await page.unroute(MESSAGES_ROUTE)
    await page.route(MESSAGES_ROUTE, fail_after_storing)
    await widget.send_button.click()
    await expect(widget.alert).to_contain_text(sorry)
    await widget.idle()
    # Stored, so it stays in the transcript, and "Try again" asks for the reply again.
    await expect(widget.texts("prospect")).to_have_text([HOT_LEAD[0]])
    await expect(widget.input).to_have_value("")
    await expect(widget.alert_button).to_have_text("Try again")
    await screenshot(page, "widget-reply-failed")

    await page.unroute(MESSAGES_ROUTE)
    await widget.alert_button.click()
    await expect(widget.messages("assistant")).to_have_count(2)
    await widget.idle()
    await expect(widget.alert).to_be_hidden()
    await expect(widget.chips).to_have_count(4)


async def test_rate_limit_keeps_the_message(settings: Settings, tab: Page) -> None:
    limited = settings.model_copy(update={"rate_limit_conversation": "1/minute"})
    live = LiveServer(create_app(limited), free_port())
    live.start()
    try:
        widget = await open_widget(tab, live.url + "/")
        await widget.send(HOT_LEAD[0])
        await widget.input.fill(HOT_LEAD[1])
        await widget.input.press("Enter")
        await expect(widget.alert).to_contain_text("very quickly")
        await expect(widget.alert).to_contain_text(re.compile(r"send again in \d+ s\."))
        await widget.idle()
        await expect(widget.input).to_have_value(HOT_LEAD[1])
        await expect(widget.texts("prospect")).to_have_text([HOT_LEAD[0]])
    finally:
        live.stop()


async def test_forged_token_starts_a_new_conversation(server: LiveServer, tab: Page) -> None:
    page = tab.page
    widget = await open_widget(tab, server.url + "/")
    await widget.send(HOT_LEAD[0])
    token = await token_of(page)
    forged = token[:-6] + ("000000" if not token.endswith("000000") else "111111")
    await page.evaluate(
        """forged => {
            const key = Object.keys(localStorage).find(k => k.startsWith('qualify:token:'));
            localStorage.setItem(key, forged);
        }""",
        forged,
    )
    await page.reload()
    widget = Widget(page)
    await expect(widget.panel).to_be_visible()
    await expect(widget.messages("assistant")).to_have_count(1)
    await expect(widget.messages("prospect")).to_have_count(0)
    fresh = await token_of(page)
    assert fresh not in (token, forged)
    async with httpx.AsyncClient(base_url=server.url) as client:
        assert (await client.get(f"/api/conversations/{fresh}")).status_code == 200


async def test_history_unreachable_after_reload_then_retry(server: LiveServer, tab: Page) -> None:
    page = tab.page
    widget = await open_widget(tab, server.url + "/")
    await widget.send(HOT_LEAD[0])
    before = await widget.transcript()
    token = await token_of(page)

    history = f"**/api/conversations/{token}"
    await page.route(history, lambda route: route.abort("connectionrefused"))
    await page.reload()
    widget = Widget(page)
    await expect(widget.panel).to_be_visible()
    await expect(widget.alert).to_contain_text("Can't reach the server")
    await expect(widget.messages()).to_have_count(0)
    await screenshot(page, "widget-history-unreachable")

    await page.unroute(history)
    await widget.alert_button.click()
    await expect(widget.messages()).to_have_count(len(before))
    assert await widget.transcript() == before
    assert await token_of(page) == token
    await expect(widget.alert).to_be_hidden()


def sse_message(message_id: str, role: str, text: str, author: str | None = None) -> str:
    data = {
        "id": message_id,
        "role": role,
        "author": author,
        "text": text,
        "created_at": datetime.now(UTC).isoformat(),
    }
    return f"event: message\ndata: {json.dumps(data)}\n\n"


async def test_live_rep_messages_from_the_event_stream(server: LiveServer, tab: Page) -> None:
    page = tab.page
    streams = [
        sse_message("sys-1", "system", "Dana joined the chat")
        + sse_message("rep-1", "rep", "Hi, I'm Dana. How can I help?", "Dana"),
        # A reconnect: the first message again (shown once) and a new one.
        sse_message("rep-1", "rep", "Hi, I'm Dana. How can I help?", "Dana")
        + sse_message("rep-2", "rep", "Are you free for a call this week?", "Dana"),
    ]

    async def events(route: Any) -> None:
        if streams:
            await route.fulfill(status=200, content_type="text/event-stream", body=streams.pop(0))
        else:
            await route.fulfill(status=404, content_type="application/json", body="{}")

    await page.route("**/api/conversations/*/events", events)
    widget = await open_widget(tab, server.url + "/")
    await expect(widget.texts("rep")).to_have_text(["Hi, I'm Dana. How can I help?"])
    await expect(widget.messages("system")).to_have_text(["Dana joined the chat"])
    # Announced with the rep's name: both are in the message log, the live region.
    await expect(widget.live.locator(".rep")).to_contain_text("Dana")
    await expect(widget.live.locator(".rep")).to_contain_text("Hi, I'm Dana. How can I help?")

    await page.keyboard.press("Escape")
    await expect(widget.panel).to_be_hidden()
    # The stream reconnects and brings a new message while the panel is closed.
    await expect(widget.host.locator(".launcher .badge")).to_be_visible()
    await expect(widget.launcher).to_have_attribute("aria-label", re.compile("new message"))
    await widget.launcher.click()
    await expect(widget.host.locator(".launcher .badge")).to_be_hidden()
    await expect(widget.texts("rep")).to_have_text(
        ["Hi, I'm Dana. How can I help?", "Are you free for a call this week?"]
    )
    await expect(widget.host.locator(".log .rep .name")).to_have_text(["Dana", "Dana"])
    await screenshot(page, "widget-live-rep-messages")


async def test_embedded_on_another_site_with_data_attributes(settings: Settings, tab: Page) -> None:
    port = free_port()
    widget_url = f"http://127.0.0.1:{port}/widget.js"
    html = (
        '<!doctype html><html><head><meta charset="utf-8"><title>Acme Shop</title></head>'
        "<body><h1>Acme Shop</h1>"
        f'<script src="{widget_url}" data-title="Acme Shop" data-color="#0f766e"'
        ' data-position="left" async></script></body></html>'
    )
    page = tab.page
    with StaticSite(html) as site:
        embedding = settings.model_copy(
            update={"allowed_origins": [site.url], "widget_greeting": "Server greeting"}
        )
        live = LiveServer(create_app(embedding), port)
        live.start()
        try:
            await page.goto(site.url + "/")
            widget = Widget(page)
            # Attributes win over the server's settings; what they leave out comes from it.
            await expect(widget.host.locator(".teaser")).to_contain_text("Server greeting")
            box = await widget.launcher.bounding_box()
            assert box is not None and box["x"] < 100
            await widget.open()
            await expect(widget.host.locator(".title")).to_have_text("Acme Shop")
            header = await widget.style(".head", "background-color")
            assert header["background-color"] == "rgb(15, 118, 110)"
            privacy = widget.host.locator(".privacy a")
            await expect(privacy).to_have_attribute("href", f"{live.url}/privacy")
            # The API calls are cross-origin, allowed by the server's CORS settings.
            await widget.send(HOT_LEAD[0])
            await expect(widget.chips).to_have_count(4)
            stored = await page.evaluate("() => Object.keys(localStorage)")
            assert f"qualify:token:{live.url}" in stored
            await screenshot(page, "widget-embedded-cross-origin")
        finally:
            live.stop()


async def test_a_student_asking_for_a_person_gets_an_honest_answer_and_a_link(
    server: LiveServer, tab: Page
) -> None:
    widget = await open_widget(tab, server.url + "/")
    await widget.send("Hi, I'm a student writing my thesis on analytics tools")
    await widget.send("can I talk to someone?")
    replies = widget.texts("assistant")
    last = replies.last
    await expect(last).to_contain_text("can't pass this on")
    link = last.locator("a")
    await expect(link).to_have_attribute("href", "https://beacon.example.com/docs")
    await expect(link).to_have_attribute("target", "_blank")
    await expect(widget.handoff).to_be_hidden()
    transcript = " ".join(text for role, text in await widget.transcript() if role == "assistant")
    assert "will follow up" not in transcript and "join this chat" not in transcript
    await screenshot(tab.page, "widget-student-asks-for-a-person")


async def test_a_pricing_question_gets_the_plan_prices_and_a_clickable_source(
    settings: Settings, tab: Page
) -> None:
    ingest_shipped(settings)  # what `qualify serve` does on a first start
    live = LiveServer(create_app(settings), free_port())
    live.start()
    try:
        widget = await open_widget(tab, live.url + "/")
        await widget.send("How much does Beacon cost?")
        # The answer with its source, then the next question in a bubble of its own.
        bubbles = widget.texts("assistant")
        await expect(bubbles).to_have_count(3)  # the greeting, the answer, the question
        answer, question = bubbles.nth(1), bubbles.nth(2)
        for price in ("$12,000", "$48,000", "$100,000"):
            await expect(answer).to_contain_text(price)
        link = answer.locator("a")
        await expect(link).to_have_attribute("href", "https://beacon.example.com/docs/pricing")
        await expect(link).to_have_attribute("target", "_blank")
        await expect(link).to_have_text("https://beacon.example.com/docs/pricing")
        await expect(question).to_have_text(re.compile(r"^[^$]*\?$"))
        await expect(question.locator("a")).to_have_count(0)
        await screenshot(tab.page, "widget-pricing-answer-with-source")
        # The history shows the same two bubbles after a reload.
        said = [await bubbles.nth(index).text_content() for index in (1, 2)]
        await tab.page.reload()
        widget = Widget(tab.page)
        await expect(widget.panel).to_be_visible()
        await expect(widget.texts("assistant")).to_have_count(3)
        again = widget.texts("assistant")
        assert [await again.nth(index).text_content() for index in (1, 2)] == said
    finally:
        live.stop()


async def test_an_out_of_scope_need_is_named_honestly(server: LiveServer, tab: Page) -> None:
    widget = await open_widget(tab, server.url + "/")
    await widget.send("We want to schedule Instagram and TikTok posts for our bakery chain")
    reply = widget.texts("assistant").last
    await expect(reply).to_contain_text("Beacon doesn't do social-media management")
    await expect(reply).to_contain_text("product analytics")
    text = await reply.text_content() or ""
    assert "your industry" not in text and "looking for help with social" not in text
    lead = await lead_of(server, tab.page)
    assert lead["profile"]["need"]["value"]["fit"] == "none"
    await screenshot(tab.page, "widget-out-of-scope-need")


async def test_try_again_after_the_server_died_mid_reply_stores_the_message_once(
    tab: Page, openai_server: FakeOpenAIServer, tmp_path: Path
) -> None:
    """The server is SIGKILLed while the model is writing the reply; once it is back, the
    widget's "Try again" sends the same message (the same ``client_id``): it is stored once
    and answered once."""
    admin_key = "browser-test-admin-key-0123456789-0123456789"
    openai_server.delay(20)  # the first reply is still being written when the server dies
    server = QualifyProcess(
        {
            "QUALIFY_DATA_DIR": str(tmp_path),
            "QUALIFY_MODEL": "openai:gpt-4o-mini",
            "QUALIFY_OPENAI_API_KEY": "sk-test",
            "QUALIFY_OPENAI_BASE_URL": openai_server.base_url,
            "QUALIFY_OPENAI_MAX_RETRIES": "0",
            "QUALIFY_ADMIN_API_KEY": admin_key,
            "QUALIFY_SECRET_KEY": "browser-test-secret-key-0123456789abcdef",
            "QUALIFY_TURN_LEASE_SECONDS": "2",
            "QUALIFY_KNOWLEDGE": "false",
        }
    ).start()
    try:
        widget = await open_widget(tab, server.url + "/")
        await widget.input.fill(HOT_LEAD[0])
        await widget.input.press("Enter")
        await expect(widget.messages("prospect")).to_have_count(1)
        await expect(widget.host.locator(".log .pending")).to_have_count(0)  # stored
        for _ in range(1500):  # the slow reply is being written: the model was asked
            if openai_server.pending == 0:
                break
            await asyncio.sleep(0.02)
        assert openai_server.pending == 0
        server.kill()
        await expect(widget.alert_button).to_have_text("Try again")

        server.start()
        openai_server.set_default_text("Thanks! Who signs off on a purchase like this?")
        await widget.alert_button.click()
        await expect(widget.texts("assistant")).to_contain_text(["Who signs off"])
        await widget.idle()
        await expect(widget.texts("prospect")).to_have_text([HOT_LEAD[0]])

        async with httpx.AsyncClient(base_url=server.url) as client:
            token = await token_of(tab.page)
            history = (await client.get(f"/api/conversations/{token}")).json()
        roles = [(m["role"], m["text"]) for m in history["messages"]]
        assert [text for role, text in roles if role == "prospect"] == [HOT_LEAD[0]]
        assert [role for role, _ in roles][-2:] == ["prospect", "assistant"]
        assert sum(role == "assistant" for role, _ in roles) == 2  # the greeting and one reply
    finally:
        server.stop()


async def test_the_widget_sends_where_the_chat_started_and_the_page_it_moves_to(
    settings: Settings, browser: Any
) -> None:
    port = free_port()
    html = (
        '<!doctype html><html><head><meta charset="utf-8"><title>Acme</title></head><body>'
        f'<script src="http://127.0.0.1:{port}/widget.js" async></script></body></html>'
    )
    tab = await new_page(browser, timezone_id="Asia/Tokyo")
    page = tab.page
    admin = {"Authorization": "Bearer browser-test-admin-key-0123456789"}
    with StaticSite(html) as site:
        live = LiveServer(
            create_app(settings.model_copy(update={"allowed_origins": [site.url]})), port
        )
        live.start()
        try:
            async with httpx.AsyncClient(base_url=live.url, timeout=30, headers=admin) as api:

                async def newest_lead() -> dict[str, Any]:
                    leads = (await api.get("/api/admin/leads")).json()["leads"]
                    newest = max(leads, key=lambda lead: lead["created_at"])
                    detail: dict[str, Any] = (
                        await api.get(f"/api/admin/leads/{newest['id']}")
                    ).json()
                    return detail

                sent: list[dict[str, Any]] = []
                page.on(
                    "request",
                    lambda r: (
                        sent.append(json.loads(r.post_data or "{}"))
                        if r.method == "POST" and r.url.endswith("/api/conversations")
                        else None
                    ),
                )
                started = site.url + "/pricing?utm_source=newsletter&utm_campaign=spring&x=1"
                await page.goto(started, referer="http://search.example/results?q=acme")
                widget = Widget(page)
                await widget.open()
                await widget.send(HOT_LEAD[0])
                first = await newest_lead()
                context = first["context"]
                assert context["page_url"] == started
                assert context["referrer"].startswith("http://search.example/")
                assert context["utm"] == {"utm_source": "newsletter", "utm_campaign": "spring"}
                assert context["time_zone"] == "Asia/Tokyo"
                assert context["returning"] is False
                assert context["current_page"] is None
                assert "First visit" in first["context_lines"]
                # Only these go to the server (the visitor id stays in the browser).
                assert list(sent[0]) == ["context", "language"]
                assert set(sent[0]["language"]) == {"forced", "browser", "page"}
                assert set(sent[0]["context"]) == {
                    "page_url",
                    "referrer",
                    "utm",
                    "time_zone",
                    "returning",
                }

                # Another page of the site: the chat goes on, and the lead says where.
                await page.goto(site.url + "/docs/setup")
                await expect(Widget(page).texts("prospect")).to_have_text([HOT_LEAD[0]])
                moved = None
                for _ in range(500):
                    moved = (await newest_lead())["context"]
                    if moved["current_page"]:
                        break
                    await asyncio.sleep(0.02)
                assert moved is not None and moved["current_page"] == site.url + "/docs/setup"
                assert moved["page_url"] == started
                assert (await newest_lead())["lead"]["id"] == first["lead"]["id"]

                # Back after a long while, with a new chat: a returning visitor.
                await page.evaluate(
                    """() => {
                      for (const key of Object.keys(localStorage)) {
                        if (key.endsWith(":visitor")) {
                          const [id, back] = localStorage.getItem(key).split(" ");
                          localStorage.setItem(key, [id, back, Date.now() - 36e5].join(" "));
                        } else localStorage.removeItem(key);
                      }
                      sessionStorage.clear();
                    }"""
                )
                await page.goto(site.url + "/")
                again = Widget(page)
                await again.open()
                await again.send(HOT_LEAD[0])
                second = await newest_lead()
                assert second["lead"]["id"] != first["lead"]["id"]
                assert second["context"]["returning"] is True
                assert second["context"]["referrer"] is None
                assert "Returning visitor" in second["context_lines"]
        finally:
            live.stop()
    assert tab.errors == []
