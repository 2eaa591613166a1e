"""The dashboard in headless Chromium over real HTTP with a lead of two conversations (one
email): one row in the list, both conversations on the lead's page, each under a heading
saying when and where it started, and the second conversation's address leads there."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from agent.lead_context import LeadContext
from agent.models import Evidence, Fact, LeadProfile
from agent.sql_store import SQLStore
from agent.store import Conversation, Message, TurnLease
from tests.servers import ThreadedServer
from tests.test_dashboard_pages import NOW, server, signed_in, texts

__all__ = ["server"]  # the fixture, used by name

FIRST_WORDS = "We want to fix our checkout funnel, I'm at Acme"
SECOND_WORDS = "Back again: sam@acme.example, can we talk pricing?"


async def chat(store: SQLStore, text: str, email: str, *, minutes: int, page: str) -> Conversation:
    """A web conversation started ``minutes`` before NOW on ``page`` in which the prospect
    wrote ``text`` and gave ``email``, saved as a turn is."""
    at = NOW - timedelta(minutes=minutes)
    context = LeadContext.model_validate({"page_url": page})
    conversation = Conversation(
        channel="web", created_at=at, updated_at=at, today=at.date(), context=context
    )
    await store.create_conversation(conversation)
    lease = TurnLease(owner=conversation.id, now=at, until=at + timedelta(days=3650))
    said = Message(conversation_id=conversation.id, role="prospect", text=text, created_at=at)
    found, _, _ = await store.open_turn(said, last=10, lease=lease)
    assert found is not None
    evidence = Evidence(message_id=said.id, quote=email, at=at)
    profile = LeadProfile(email=Fact[str](value=email, evidence=evidence))
    updated = found.model_copy(
        update={
            "profile": profile,
            "prospect_messages": 1,
            "last_message_at": at,
            "score": 40,
            "segment": "warm",
        }
    )
    return await store.save_turn(updated, None, lease=lease)


async def test_a_lead_of_two_conversations_is_one_row_and_one_page(
    tmp_path: Path, server: ThreadedServer, browser: Any
) -> None:
    store = SQLStore(f"sqlite+aiosqlite:///{tmp_path / 'qualify.db'}")
    try:
        await store.init()
        first = await chat(
            store, FIRST_WORDS, "Sam@Acme.example", minutes=3000, page="https://acme.example/a"
        )
        second = await chat(
            store, SECOND_WORDS, "sam@acme.example", minutes=10, page="https://acme.example/price"
        )
    finally:
        await store.close()
    assert second.lead_id == first.id

    page = await signed_in(browser, server)
    assert len(await texts(page, "table.leads tbody tr")) == 1
    assert "2 conversations" in (await texts(page, "table.leads tbody td:nth-child(3)"))[0]

    await page.click("table.leads tbody td.num a")
    await page.wait_for_url(f"{server.url}/admin/leads/{first.id}")
    headings = await texts(page, "h3.conversation-start")
    started = first.created_at.strftime("%Y-%m-%d %H:%M")
    assert headings == [
        f"Conversation started {started} UTC on web, page https://acme.example/a",
        f"Conversation started {second.created_at:%Y-%m-%d %H:%M} UTC on web, "
        "page https://acme.example/price",
    ]
    transcripts = await texts(page, "ol.transcript")
    assert len(transcripts) == 2
    assert FIRST_WORDS in transcripts[0] and SECOND_WORDS in transcripts[1]

    # The second conversation's own address shows the lead it joined.
    answer = await page.goto(f"{server.url}/admin/leads/{second.id}")
    assert answer.status == 200
    assert page.url == f"{server.url}/admin/leads/{first.id}"
    assert len(await texts(page, "h3.conversation-start")) == 2
    assert page.console_errors == []
