"""Lead events: which ones a change makes, written to the outbox with the change itself."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from agent.engine import Engine
from agent.events import LeadEvent, Subscriptions
from agent.sql_store import SQLStore
from agent.store import HandoffRecord
from tests.conftest import EngineFactory
from tests.test_store import conversation as make_conversation

HOT_LEAD = [
    "We need to understand churn and fix our checkout funnel",
    "About $60k a year",
    "I'm the VP of Product and I own the budget",
    "Next quarter",
    "We're an ecommerce company with about 300 people",
    "jane@shopco.example",
]


async def engine_with(make_engine: EngineFactory, **wanted: list[str]) -> Engine:
    return await make_engine(subscriptions=Subscriptions(wanted))


async def test_a_qualification_writes_its_events_in_order(
    make_engine: EngineFactory, store: SQLStore
) -> None:
    engine = await engine_with(make_engine, crm=["*"])
    conversation, _ = await engine.start(channel="web")
    for text in HOT_LEAD:
        await engine.turn(conversation.id, text)
    await engine.turn(conversation.id, "thanks")  # nothing changes: no event

    events = await store.lead_events(conversation.id)
    assert [event.type for event in events] == [
        "lead.created",
        "lead.updated",
        "lead.segment_changed",
        "lead.updated",
        "lead.segment_changed",
        "lead.handoff",
        "lead.updated",
        "lead.updated",
        "lead.updated",
    ]
    moves = [event.data for event in events if event.type == "lead.segment_changed"]
    assert moves == [
        {"old_segment": "cold", "new_segment": "warm", "cause": "turn"},
        {"old_segment": "warm", "new_segment": "hot", "cause": "turn"},
    ]
    handoff = next(event for event in events if event.type == "lead.handoff")
    assert handoff.data == {"reason": "hot_lead", "channel": "#sales"}
    assert handoff.lead["follow_up"] == {
        "action": "sales_handoff",
        "list": None,
        "reason": "segment hot",
    }
    # Each event has a time of its own, in the order written, and the lead's version.
    times = [event.created_at for event in events]
    assert times == sorted(times) and len(set(times)) == len(times)
    sequences = [event.sequence for event in events]
    assert sequences == sorted(sequences) and len(set(sequences)) == len(sequences)
    stored = await store.get_conversation(conversation.id)
    assert stored is not None
    assert events[-1].lead["version"] == stored.version - 1  # "thanks" wrote no event
    assert [e.lead["version"] for e in events] == sorted(e.lead["version"] for e in events)
    last = events[-1].lead
    assert last["score"] == 95  # next quarter ends in 4 months: +10
    assert last["contact"]["email"] == "jane@shopco.example"
    assert last["budget"]["annual_usd"] == 60000
    assert last["budget"]["quote"]
    assert last["authority"]["level"] == "decision_maker"
    assert last["summary"].startswith("A company (e-commerce, ~300 people): VP of Product")
    assert sum(item["points"] for item in last["score_breakdown"]) == last["score"]
    # Every event has one pending delivery to the subscribed destination.
    deliveries = await store.list_deliveries(conversation_id=conversation.id)
    assert len(deliveries) == len(events)
    assert {d.destination for d in deliveries} == {"crm"}
    assert {d.status for d in deliveries} == {"pending"}


async def test_events_go_only_to_destinations_that_want_them(
    make_engine: EngineFactory, store: SQLStore
) -> None:
    engine = await engine_with(
        make_engine, moves=["lead.segment_changed"], everything=["lead.*"], nothing=[]
    )
    conversation, _ = await engine.start()
    for text in HOT_LEAD[:3]:
        await engine.turn(conversation.id, text)
    deliveries = await store.list_deliveries(conversation_id=conversation.id)
    by_destination: dict[str, list[str]] = {}
    for delivery in reversed(deliveries):
        by_destination.setdefault(delivery.destination, []).append(delivery.event_type)
    assert by_destination["moves"] == ["lead.segment_changed", "lead.segment_changed"]
    assert len(by_destination["everything"]) == len(await store.lead_events(conversation.id))
    assert "nothing" not in by_destination


async def test_without_subscribers_events_are_kept_as_the_leads_history(
    make_engine: EngineFactory, store: SQLStore
) -> None:
    engine = await make_engine()
    conversation, _ = await engine.start()
    await engine.turn(conversation.id, HOT_LEAD[0])
    assert [e.type for e in await store.lead_events(conversation.id)] == ["lead.created"]
    assert await store.count_deliveries() == {"pending": 0, "delivered": 0, "dead": 0}


async def test_a_turn_that_cannot_commit_writes_no_event(store: SQLStore) -> None:
    """Events are in the turn's transaction: when it fails, the conversation is unchanged
    and no event or delivery is left behind."""
    started = make_conversation()
    await store.create_conversation(started)
    now = datetime(2026, 11, 24, 10, tzinfo=UTC)
    good = LeadEvent(
        type="lead.created",
        conversation_id=started.id,
        created_at=now,
        lead={"id": started.id},
        destinations=("crm",),
    )
    bad = good.model_copy(update={"id": "x" * 65})  # longer than its column: refused
    changed = started.model_copy(update={"score": 99})
    with pytest.raises(ValueError, match=r"lead_events\.id"):
        await store.save_turn(changed, None, None, [good, bad])
    assert await store.get_conversation(started.id) == started
    assert await store.lead_events(started.id) == []
    assert await store.list_deliveries() == []


async def test_erasing_a_lead_leaves_only_the_erased_event(
    make_engine: EngineFactory, store: SQLStore
) -> None:
    engine = await engine_with(make_engine, crm=["*"])
    conversation, _ = await engine.start()
    for text in HOT_LEAD:
        await engine.turn(conversation.id, text)
    assert await engine.erase(conversation.id)

    events = await store.lead_events(conversation.id)
    assert [event.type for event in events] == ["lead.erased"]
    assert events[0].lead == {"id": conversation.id}
    deliveries = await store.list_deliveries(conversation_id=conversation.id)
    assert [(d.event_type, d.status) for d in deliveries] == [("lead.erased", "pending")]
    assert not await engine.erase(conversation.id)  # gone: nothing more is written
    assert len(await store.lead_events(conversation.id)) == 1


async def test_the_claim_that_lands_writes_lead_claimed(
    make_engine: EngineFactory, store: SQLStore
) -> None:
    engine = await engine_with(make_engine, crm=["lead.claimed"])
    conversation, _ = await engine.start()
    for text in HOT_LEAD[:3]:
        await engine.turn(conversation.id, text)
    assert (await store.get_handoff(conversation.id)) is not None

    won, _ = await engine.claim(conversation.id, "U_ALICE")
    lost, handoff = await engine.claim(conversation.id, "U_BOB")
    assert won and not lost
    assert handoff is not None and handoff.claimed_by == "U_ALICE"
    claimed = [e for e in await store.lead_events(conversation.id) if e.type == "lead.claimed"]
    assert len(claimed) == 1
    assert claimed[0].data == {"claimed_by": "U_ALICE"}
    assert claimed[0].lead["segment"] == "hot"
    deliveries = await store.list_deliveries(conversation_id=conversation.id)
    assert [d.event_type for d in deliveries] == ["lead.claimed"]


async def test_a_lead_without_a_handoff_cannot_be_claimed(
    make_engine: EngineFactory, store: SQLStore
) -> None:
    engine = await engine_with(make_engine, crm=["*"])
    conversation, _ = await engine.start()
    await engine.turn(conversation.id, HOT_LEAD[0])
    won, handoff = await engine.claim(conversation.id, "U_ALICE")
    assert not won and handoff is None
    assert "lead.claimed" not in [e.type for e in await store.lead_events(conversation.id)]


async def test_handoff_and_its_event_commit_together(store: SQLStore) -> None:
    """save_turn writes handoff and events in one transaction (checked on both backends)."""
    started = make_conversation()
    await store.create_conversation(started)
    now = datetime(2026, 11, 24, 10, tzinfo=UTC)
    handoff = HandoffRecord(
        conversation_id=started.id,
        reason="hot_lead",
        channel="#sales",
        created_at=now,
        updated_at=now,
        next_attempt_at=now,
    )
    event = LeadEvent(
        type="lead.handoff",
        conversation_id=started.id,
        created_at=now,
        lead={"id": started.id},
        data={"reason": "hot_lead"},
        destinations=("a", "b"),
    )
    await store.save_turn(started, None, handoff, [event])
    assert await store.get_handoff(started.id) is not None
    assert [e.id for e in await store.lead_events(started.id)] == [event.id]
    assert sorted(d.destination for d in await store.list_deliveries()) == ["a", "b"]


async def test_with_lead_events_off_nothing_is_recorded(
    make_engine: EngineFactory, store: SQLStore
) -> None:
    engine = await make_engine(events=False)
    conversation, _ = await engine.start()
    for text in HOT_LEAD[:3]:
        await engine.turn(conversation.id, text)
    assert await engine.claim(conversation.id, "U_ALICE") == (
        True,
        await store.get_handoff(conversation.id),
    )
    assert await store.lead_events(conversation.id) == []
    assert await engine.erase(conversation.id)
    assert await store.count_events() == 0
