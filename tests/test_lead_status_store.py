"""Lead status, owner and notes in the SQL store, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import delete, select

from agent.events import LeadEvent
from agent.sql_store import SQLStore, conversations, lead_notes
from agent.store import LeadChange, LeadNote
from tests.test_store import START, conversation


def status_event(conversation_id: str, status: str) -> LeadEvent:
    return LeadEvent(
        type="lead.status_changed",
        conversation_id=conversation_id,
        created_at=START,
        lead={"id": conversation_id},
        data={"status": status},
    )


async def test_status_owner_and_the_event_written_with_the_change(store: SQLStore) -> None:
    lead = conversation()
    await store.create_conversation(lead)
    state = await store.lead_state(lead.id)
    assert state is not None and state.status == "new" and state.owner is None

    change = LeadChange(status="contacted", owner="ana", actor="dashboard", at=START)
    state = await store.update_lead(lead.id, change, status_event(lead.id, "contacted"))
    assert state is not None
    assert (state.status, state.owner, state.status_changed_by) == ("contacted", "ana", "dashboard")
    assert state.status_changed_at == START

    later = START + timedelta(hours=1)
    lost = LeadChange(status="lost", reason="Chose a competitor", actor="admin-api", at=later)
    state = await store.update_lead(lead.id, lost, status_event(lead.id, "lost"))
    assert state is not None
    assert (state.status, state.reason, state.owner) == ("lost", "Chose a competitor", "ana")

    # The same status again changes nothing and writes no event; an owner change alone
    # writes none either.
    await store.update_lead(lead.id, lost, status_event(lead.id, "lost"))
    await store.update_lead(lead.id, LeadChange(clear_owner=True, actor="x", at=later))
    events = await store.lead_events(lead.id)
    assert [(e.type, e.data["old_status"], e.data["status"]) for e in events] == [
        ("lead.status_changed", "new", "contacted"),
        ("lead.status_changed", "contacted", "lost"),
    ]
    assert events[0].data["owner"] == "ana"
    assert (await store.lead_state(lead.id)) == state.model_copy(update={"owner": None})

    assert await store.update_lead("no-such-lead", change) is None
    assert await store.lead_state("no-such-lead") is None


async def test_two_writers_changing_different_fields_lose_nothing(store: SQLStore) -> None:
    lead = conversation()
    await store.create_conversation(lead)
    await asyncio.gather(
        store.update_lead(lead.id, LeadChange(status="meeting", actor="a", at=START)),
        store.update_lead(lead.id, LeadChange(owner="bo", actor="b", at=START)),
    )
    state = await store.lead_state(lead.id)
    assert state is not None and (state.status, state.owner) == ("meeting", "bo")


async def test_notes_are_kept_in_order_and_erased_with_the_lead(store: SQLStore) -> None:
    lead, other = conversation(), conversation()
    for item in (lead, other):
        await store.create_conversation(item)
    first = LeadNote(
        conversation_id=lead.id, author="ana", text="Called, voicemail", created_at=START
    )
    second = LeadNote(
        conversation_id=lead.id,
        author="bo",
        text="Demo booked",
        created_at=START + timedelta(minutes=5),
    )
    assert await store.add_note(second)
    assert await store.add_note(first)
    assert (
        await store.add_note(first.model_copy(update={"id": "x", "conversation_id": "nope"}))
        is False
    )
    assert [n.text for n in await store.lead_notes(lead.id)] == ["Called, voicemail", "Demo booked"]
    with pytest.raises(ValueError):
        LeadNote(conversation_id=lead.id, author="ana", text="x" * 5001, created_at=START)

    assert await store.erase_conversation(lead.id)
    assert await store.lead_notes(lead.id) == []

    # The foreign key itself cascades too.
    await store.add_note(first.model_copy(update={"id": "y", "conversation_id": other.id}))
    async with store.engine.begin() as conn:
        await conn.execute(delete(conversations).where(conversations.c.id == other.id))
    async with store.engine.connect() as conn:
        assert (await conn.execute(select(lead_notes))).all() == []
