""" "Email me this transcript" in the widget, in a real browser (Debian's Chromium through
Playwright) against the real web server and a real SMTP server on 127.0.0.1: sent by
keyboard only with the address the prospect gave prefilled, a refusal that keeps what was
typed (on a phone-sized screen, with axe run on the open form), an address the widget
refuses before sending, and no control at all when the server has no mail server.

Run with ``pytest -p no:playwright`` if the pytest-playwright plugin is installed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import (
    CHROMIUM,
    LiveServer,
    Widget,
    free_port,
    offline_settings,
    screenshot,
)
from tests.smtp_server import SmtpServer, smtp_server  # noqa: F401

playwright_api = pytest.importorskip("playwright.async_api")
expect = playwright_api.expect

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason=f"Chromium not installed at {CHROMIUM}"
)

from agent.config import Settings  # noqa: E402
from channels.web.app import create_app  # noqa: E402
from tests.test_widget_a11y import (  # noqa: E402
    DESKTOP,
    MOBILE,
    axe,
    focus_state,
    serious,
    tab_at,
    tab_to,
    widget_violations,
)

SENT = "Sent to dana@northwind.io. It may take a few minutes to arrive."
REFUSED = (
    "The transcript wasn't sent: the mail server refused that address. Check it and try again."
)


def settings_for(tmp_path: Path, smtp: SmtpServer | None) -> Settings:
    mail = {"smtp_url": smtp.url, "mail_from": "Beacon <chat@beacon.example>"} if smtp else {}
    return offline_settings(tmp_path, **mail)


@pytest.fixture
def server(tmp_path: Path, smtp_server: SmtpServer) -> Iterator[LiveServer]:  # noqa: F811
    live = LiveServer(create_app(settings_for(tmp_path, smtp_server)), free_port())
    live.start()
    yield live
    live.stop()


class Mail:
    """The widget's transcript controls."""

    def __init__(self, widget: Widget) -> None:
        self.button = widget.host.locator("button.mail")
        self.form = widget.host.locator("form.mailer")
        self.input = widget.host.locator("input.addr")
        self.send = widget.host.locator("button.send-mail")
        self.note = widget.host.locator(".note")


async def opened(browser: Any, url: str, viewport: dict[str, int]) -> tuple[Any, Widget]:
    tab = await tab_at(browser, viewport)
    async with tab.page.expect_response("**/api/widget-config?*"):
        await tab.page.goto(url + "/")
    widget = Widget(tab.page)
    await widget.open()
    return tab, widget


async def test_sent_by_keyboard_with_the_given_address_prefilled(
    server: LiveServer,
    browser: Any,
    smtp_server: SmtpServer,  # noqa: F811
) -> None:
    tab, widget = await opened(browser, server.url, DESKTOP)
    page, mail = tab.page, Mail(widget)
    await widget.send("We need to understand churn and fix our checkout funnel")
    await widget.send("My email is dana@northwind.io")

    button = await tab_to(page, "mail", shift=True)
    assert button["visible"] and button["ring"], button
    assert button["label"] == "Email me this transcript"
    await page.keyboard.press("Enter")
    await expect(mail.form).to_be_visible()
    await expect(mail.input).to_be_focused()
    await expect(mail.input).to_have_value("dana@northwind.io")
    await expect(mail.input).to_have_accessible_name("Your email address")
    state = await focus_state(page)
    assert state["visible"] and state["ring"], state
    # Escape closes the form (not the chat) and gives focus back to the control.
    await page.keyboard.press("Escape")
    await expect(mail.form).to_be_hidden()
    await expect(widget.panel).to_be_visible()
    await expect(mail.button).to_be_focused()
    await page.keyboard.press("Enter")
    await expect(mail.input).to_be_focused()
    await expect(mail.input).to_have_value("dana@northwind.io")
    await page.keyboard.press("Enter")

    await expect(mail.note).to_have_text(SENT)
    await expect(mail.note).to_have_attribute("role", "status")
    await expect(mail.form).to_be_hidden()
    await expect(mail.button).to_be_focused()
    [received] = smtp_server.wait_for(1)
    assert received.recipients == ["dana@northwind.io"]
    text = received.part("plain")
    for said in ("We need to understand churn", "My email is dana@northwind.io"):
        assert said in text
    for _role, shown in await widget.transcript():
        assert shown in text
    await screenshot(page, "widget-transcript-email-sent")
    assert tab.errors == []


async def test_a_refusal_keeps_the_address_on_a_phone(
    server: LiveServer,
    browser: Any,
    smtp_server: SmtpServer,  # noqa: F811
) -> None:
    tab, widget = await opened(browser, server.url, MOBILE)
    page, mail = tab.page, Mail(widget)
    await widget.send("We need to understand churn and fix our checkout funnel")
    await mail.button.tap()
    await expect(mail.input).to_be_focused()
    await expect(mail.input).to_have_value("")

    # Not an address: said at once, nothing is sent.
    await mail.input.fill("dana at northwind")
    await mail.send.tap()
    await expect(mail.note).to_have_text(
        "Please enter a valid email address, like name@example.com."
    )
    await expect(mail.input).to_have_attribute("aria-invalid", "true")
    assert smtp_server.handler.data_commands == 0

    smtp_server.answer("550 5.1.1 No such user")
    await mail.input.fill("dana@northwind.io")
    await mail.input.press("Enter")
    await expect(mail.note).to_have_text(REFUSED)
    await expect(mail.input).to_have_value("dana@northwind.io")
    await expect(mail.input).to_be_focused()
    await expect(mail.form).to_be_visible()
    assert smtp_server.received == []
    await screenshot(page, "widget-transcript-email-refused-mobile")

    # The open form on a phone: no serious problems, none at all in the widget.
    results = await axe(page)
    assert serious(results) == []
    assert widget_violations(results) == []

    # The same address again once the server takes it.
    await mail.send.tap()
    await expect(mail.note).to_have_text(SENT)
    assert [m.recipients for m in smtp_server.wait_for(1)] == [["dana@northwind.io"]]
    assert tab.errors == []


async def test_no_control_without_a_mail_server(tmp_path: Path, browser: Any) -> None:
    live = LiveServer(create_app(settings_for(tmp_path, None)), free_port())
    live.start()
    try:
        tab, widget = await opened(browser, live.url, DESKTOP)
        await widget.send("We need to understand churn and fix our checkout funnel")
        await expect(widget.human_button).to_be_visible()
        assert await widget.host.locator("button.mail").count() == 1
        await expect(widget.host.locator("button.mail")).to_be_hidden()
        await expect(widget.host.locator("form.mailer")).to_be_hidden()
        assert tab.errors == []
    finally:
        live.stop()
