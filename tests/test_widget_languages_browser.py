"""The widget in the prospect's language, in a real browser (Debian's Chromium through
Playwright) against the real web server: a German page gets a German widget and a German
conversation to a handoff, a prospect switching from English to Spanish is followed, and
``data-lang`` wins over the browser's language."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.browser import (
    CHROMIUM,
    TIMEOUT_MS,
    LiveServer,
    StaticSite,
    Widget,
    free_port,
    offline_settings,
    screenshot,
)

playwright_api = pytest.importorskip("playwright.async_api")
expect = playwright_api.expect

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason=f"Chromium not installed at {CHROMIUM}"
)

from agent.config import Settings  # noqa: E402
from channels.web.app import create_app  # noqa: E402
from tests.test_widget_browser import HOT_LEAD, Page, new_page  # noqa: E402


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return offline_settings(tmp_path)


def page_html(widget_url: str, lang: str, attributes: str = "") -> str:
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        "<title>Acme</title></head><body><h1>Acme</h1>"
        f'<script src="{widget_url}" {attributes} async></script></body></html>'
    )


@asynccontextmanager
async def site(
    settings: Settings, browser: Any, lang: str, locale: str, attributes: str = ""
) -> AsyncIterator[tuple[Widget, Page]]:
    """A page in ``lang`` embedding the widget, opened in a browser set to ``locale``."""
    port = free_port()
    with StaticSite(page_html(f"http://127.0.0.1:{port}/widget.js", lang, attributes)) as web:
        live = LiveServer(
            create_app(settings.model_copy(update={"allowed_origins": [web.url]})), port
        )
        live.start()
        tab = await new_page(browser, locale=locale)
        try:
            await tab.page.goto(web.url + "/")
            yield Widget(tab.page), tab
            assert tab.errors == [], f"uncaught errors in the page: {tab.errors}"
        finally:
            await tab.page.context.close()
            live.stop()


ROOT = ".qw"
"""The widget's root element in its shadow root: it carries the ``lang``."""


async def test_a_german_page_gets_a_german_widget_and_conversation_to_a_handoff(
    settings: Settings, browser: Any
) -> None:
    # The browser's language is one the chat does not serve, so the page's lang decides.
    async with site(settings, browser, "de", "ja-JP") as (widget, tab):
        await expect(widget.launcher).to_have_attribute("aria-label", "Mit Beacon chatten")
        await widget.open()
        await expect(widget.host.locator(ROOT)).to_have_attribute("lang", "de")
        await expect(widget.input).to_have_attribute("placeholder", "Ihre Nachricht …")
        await expect(widget.send_button).to_have_attribute("aria-label", "Senden")
        await expect(widget.human_button).to_have_text("Mit einem Menschen sprechen")
        await expect(widget.host.locator(".privacy")).to_contain_text("Wir speichern")
        greeting = widget.texts("assistant").first
        await expect(greeting).to_contain_text("Hallo! Ich bin der Assistent von Beacon")
        # Times are written as German writes them.
        title = await widget.messages("assistant").first.get_attribute("title")
        assert title is not None and "." in title.split(",")[0], title

        await widget.send(
            "Wir müssen verstehen, warum unsere Kunden abspringen, und unseren Checkout verbessern"
        )
        await expect(widget.texts("assistant").last).not_to_contain_text("We ")
        replies = await widget.messages("assistant").count()
        await widget.human_button.click()
        await expect(widget.messages("assistant")).to_have_count(replies + 1, timeout=TIMEOUT_MS)
        await widget.idle()
        await expect(widget.texts("prospect").last).to_have_text(
            "Ich möchte gern mit einem Menschen sprechen."
        )
        # Asked what about, the prospect says it, in German, until the handoff is made.
        for _ in range(3):
            if await widget.handoff.is_visible():
                break
            await widget.send("Über die Abwanderung unserer Kunden und den Checkout")
        await expect(widget.handoff).to_be_visible()
        await expect(widget.handoff).to_contain_text("An unser Team übergeben")
        await expect(widget.handoff).to_contain_text("innerhalb eines Werktags per E-Mail")
        await expect(widget.host.locator(ROOT)).to_have_attribute("lang", "de")
        await screenshot(tab.page, "widget-german-handoff")


async def test_a_prospect_switching_to_spanish_gets_spanish_from_the_next_reply(
    settings: Settings, browser: Any
) -> None:
    async with site(settings, browser, "en", "en-US") as (widget, tab):
        await widget.open()
        await expect(widget.host.locator(ROOT)).to_have_attribute("lang", "en")
        await expect(widget.input).to_have_attribute("placeholder", "Type your message...")
        await widget.send(HOT_LEAD[0])
        await expect(widget.human_button).to_have_text("Talk to a person")
        await widget.send("Necesitamos entender por qué nuestros clientes abandonan el carrito")
        await expect(widget.host.locator(ROOT)).to_have_attribute("lang", "es")
        await expect(widget.input).to_have_attribute("placeholder", "Escriba su mensaje...")
        await expect(widget.human_button).to_have_text("Hablar con una persona")
        await expect(widget.send_button).to_have_attribute("aria-label", "Enviar")
        await expect(widget.launcher).to_have_attribute("aria-label", "Chatear con Beacon")
        # The reply to the Spanish message is in Spanish (it asks the next question with ¿).
        await expect(widget.texts("assistant").last).to_contain_text("¿")
        await expect(widget.texts("assistant").nth(1)).not_to_contain_text("¿")
        await screenshot(tab.page, "widget-switched-to-spanish")


async def test_data_lang_forces_french_whatever_the_browser_says(
    settings: Settings, browser: Any
) -> None:
    async with site(settings, browser, "es", "de-DE", 'data-lang="fr"') as (widget, _):
        await expect(widget.launcher).to_have_attribute("aria-label", "Discuter avec Beacon")
        await widget.open()
        await expect(widget.host.locator(ROOT)).to_have_attribute("lang", "fr")
        await expect(widget.texts("assistant").first).to_contain_text("Bonjour")
        await expect(widget.human_button).to_have_text("Parler à une personne")
        await expect(widget.input).to_have_attribute("placeholder", "Écrivez votre message...")
        # Forced: a message in another language does not move it.
        await widget.send("We need to understand churn and fix our checkout funnel")
        await expect(widget.host.locator(ROOT)).to_have_attribute("lang", "fr")
        await expect(widget.human_button).to_have_text("Parler à une personne")
