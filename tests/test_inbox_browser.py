"""The inbox in a real browser (Debian's Chromium through Playwright) against real
``qualify serve`` processes: a rep signed in to the dashboard sees a new lead arrive,
claims the chat and talks with a prospect in the widget (a second tab) live, then hands
the chat back to the assistant. Once with the rep's pages from one server process and the
prospect's widget from another on the same database, and once with both tabs on one
``qualify serve --workers 2`` (on SQLite and PostgreSQL), where the kernel picks the worker
for each request and each event stream: everything live is read from the database.

Run with ``pytest -p no:playwright`` if the pytest-playwright plugin is installed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import CHROMIUM, TIMEOUT_MS, Widget, screenshot
from tests.servers import QualifyProcess

playwright_api = pytest.importorskip("playwright.async_api")
expect = playwright_api.expect

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason=f"Chromium not installed at {CHROMIUM}"
)

ADMIN_KEY = "inbox-browser-admin-key-0123456789-0123456789"
HOT_LEAD = (
    "We need to understand churn and fix our checkout funnel",
    "About $60k a year",
    "I'm the VP of Product and I own the budget",
    "Next quarter",
)


def server_settings(data_dir: Path, database_url: str | None = None) -> dict[str, str]:
    settings = {
        "QUALIFY_DATA_DIR": str(data_dir),
        "QUALIFY_ADMIN_API_KEY": ADMIN_KEY,
        "QUALIFY_SECRET_KEY": "inbox-browser-secret-key-0123456789abcdef",
        "QUALIFY_KNOWLEDGE": "false",
    }
    if database_url is not None:
        settings["QUALIFY_DATABASE_URL"] = database_url
    return settings


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[tuple[QualifyProcess, QualifyProcess]]:
    """Two server processes on one database (the first one migrates it)."""
    settings = server_settings(tmp_path)
    with QualifyProcess(settings) as first, QualifyProcess(settings) as second:
        yield first, second


@pytest.fixture
def two_workers(database_url: str, tmp_path: Path) -> Iterator[QualifyProcess]:
    """One ``qualify serve --workers 2`` on SQLite or PostgreSQL."""
    with QualifyProcess(server_settings(tmp_path, database_url), workers=2) as server:
        yield server


async def page_in_new_context(browser: Any) -> tuple[Any, list[str]]:
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: errors.append(message.text) if message.type == "error" else None,
    )
    return page, errors


async def test_a_rep_takes_over_a_live_chat_from_the_inbox(
    servers: tuple[QualifyProcess, QualifyProcess], browser: Any
) -> None:
    dashboard, site = servers
    await take_over_a_live_chat(dashboard.url, site.url, browser)


async def test_a_rep_takes_over_a_live_chat_on_a_server_with_two_workers(
    two_workers: QualifyProcess, browser: Any
) -> None:
    await take_over_a_live_chat(two_workers.url, two_workers.url, browser)


async def take_over_a_live_chat(dashboard: str, site: str, browser: Any) -> None:
    """The rep's tab on ``dashboard`` and the prospect's widget on ``site``."""
    rep, rep_errors = await page_in_new_context(browser)
    await rep.goto(dashboard + "/admin/inbox")
    await rep.fill("input[name=key]", ADMIN_KEY)
    await rep.click("button[type=submit]")
    await rep.wait_for_url(dashboard + "/admin/inbox")
    await rep.fill("input[name=name]", "Alex")
    await rep.get_by_role("button", name="Save").click()
    await expect(rep.locator("#rep-name")).to_have_text("Alex")

    prospect, prospect_errors = await page_in_new_context(browser)
    await prospect.goto(site + "/")
    widget = Widget(prospect)
    await widget.open()
    for text in HOT_LEAD:
        await widget.send(text)

    # The new lead appears in the open inbox without a reload, with the prospect online.
    row = rep.locator("#inbox-rows tr[data-lead]")
    await expect(row).to_have_count(1)
    await expect(row.locator(".online")).to_have_text("online now")
    await row.locator("a").click()
    await rep.get_by_role("button", name="Claim and join the chat").click()
    await expect(rep.locator("#claimed")).to_have_text(
        "Alex has this chat: the assistant is quiet."
    )
    await expect(widget.messages("system").last).to_have_text("Alex joined the chat")

    await rep.fill("textarea[name=text]", "Hi, I'm Alex from the sales team.")
    await rep.get_by_role("button", name="Send").click()
    said = widget.messages("rep")
    await expect(said).to_have_count(1)
    await expect(said.locator(".name")).to_have_text("Alex")
    await expect(said.locator(".text")).to_have_text("Hi, I'm Alex from the sales team.")

    # The prospect's answer reaches the rep's open page live; the assistant stays quiet.
    answers = await widget.messages("assistant").count()
    await widget.input.fill("Great, when can we talk?")
    await widget.input.press("Enter")
    await expect(rep.locator("#transcript .msg-prospect .text").last).to_have_text(
        "Great, when can we talk?"
    )
    await widget.idle()
    assert await widget.messages("assistant").count() == answers
    await screenshot(rep, "inbox-live-chat")

    await rep.get_by_role("button", name="Release to the assistant").click()
    await expect(rep.locator("#claimed")).to_have_text("The assistant is answering.")
    await expect(widget.messages("system").last).to_have_text(
        "Alex handed the chat back to the assistant."
    )
    await widget.send("Is there a free trial?")
    assert await widget.messages("assistant").count() > answers
    assert rep_errors == []
    assert prospect_errors == []
