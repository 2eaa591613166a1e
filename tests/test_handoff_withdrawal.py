"""A handoff that stops being right is withdrawn before a rep acts on it: the lead turned
out to be a competitor, or corrected the fact that made it hot. Claimed handoffs stand; a
lead that turns hot again is handed off again. Offline model, both database backends."""

from __future__ import annotations

from datetime import date

from agent.engine import Engine
from agent.events import Subscriptions
from agent.sql_store import SQLStore
from tests.conftest import EngineFactory

TODAY = date(2026, 11, 22)
HOT = [
    "I'm head of growth at Shiftwise, a 250-person SaaS company. We want retention and churn "
    "analysis plus in-app event tracking.",
    "Our CEO approves purchases like this, I'd be the one making the recommendation.",
    "Budget-wise we're looking at roughly 30k a year.",
    "We'd want this in place in 2 months.",
]
LATER = (
    "Sorry, correction on timing: procurement can't start before our new fiscal year, so "
    "realistically it's about 9 months from now, not 2."
)
SOONER = "Update: our CEO pulled it forward, we need it live within 2 months after all."


async def hot_lead(engine: Engine) -> str:
    conversation, _ = await engine.start(channel="web", today=TODAY)
    results = [await engine.turn(conversation.id, text) for text in HOT]
    assert results[-1].segment.name == "hot"
    assert results[-1].handoff is not None and results[-1].handoff.reason == "hot_lead"
    return conversation.id


async def test_a_timeline_correction_that_cools_the_lead_withdraws_its_handoff(
    make_engine: EngineFactory, store: SQLStore
) -> None:
    engine = await make_engine(subscriptions=Subscriptions({"crm": ["*"]}))
    lead = await hot_lead(engine)

    cooled = await engine.turn(lead, LATER)
    assert cooled.segment.name == "warm"
    stored = await engine.get(lead)
    assert stored.handoff_at is None and stored.handoff_reason is None
    record = await store.get_handoff(lead)
    assert record is not None and record.status == "withdrawn"
    # Nothing promises a person any more.
    for promise in ("our team", "passed this", "will email you", "join this chat"):
        assert promise not in cooled.reply
    events = await store.lead_events(lead)
    withdrawn = [event for event in events if event.type == "lead.handoff_withdrawn"]
    assert [event.data for event in withdrawn] == [
        {"reason": "no_longer_hot", "handoff_reason": "hot_lead"}
    ]
    assert withdrawn[0].lead["handoff"] is None and withdrawn[0].lead["segment"] == "warm"
    # A rep clicking the card's Claim now is turned away.
    won, handoff = await engine.claim(lead, "U0REP")
    assert not won and handoff is not None and handoff.status == "withdrawn"

    # Hot again: the same handoff is due again, pending for the notifier.
    again = await engine.turn(lead, SOONER)
    assert again.segment.name == "hot"
    assert again.handoff is not None and again.handoff.reason == "hot_lead"
    record = await store.get_handoff(lead)
    assert record is not None and record.status == "pending" and record.attempts == 0
    assert (await engine.get(lead)).handoff_reason == "hot_lead"
    assert [h.conversation_id for h in await store.due_handoffs(again.handoff.at)] == [lead]


async def test_a_competitor_found_out_after_the_handoff_is_withdrawn(
    make_engine: EngineFactory, store: SQLStore
) -> None:
    engine = await make_engine()
    lead = await hot_lead(engine)
    found_out = await engine.turn(
        lead,
        "Full disclosure: I actually work at a company building a competing product analytics "
        "tool, we mostly wanted to see your pricing and onboarding.",
    )
    assert found_out.segment.name == "disqualified"
    assert (await engine.get(lead)).handoff_at is None
    record = await store.get_handoff(lead)
    assert record is not None and record.status == "withdrawn"
    assert not (await engine.claim(lead, "U0REP"))[0]


async def test_a_claimed_handoff_stands(make_engine: EngineFactory, store: SQLStore) -> None:
    engine = await make_engine()
    lead = await hot_lead(engine)
    won, _ = await engine.claim(lead, "U0REP")
    assert won
    # The rep hands the chat back to the bot (a claim alone makes the bot stay quiet).
    assert await store.set_takeover(lead, False, (await engine.get(lead)).updated_at)
    cooled = await engine.turn(lead, LATER)
    assert cooled.segment.name == "warm"
    stored = await engine.get(lead)
    assert stored.handoff_at is not None and stored.handoff_reason == "hot_lead"
    record = await store.get_handoff(lead)
    assert record is not None and record.status != "withdrawn" and record.claimed_by == "U0REP"


async def test_a_claim_landing_while_the_turn_runs_keeps_the_handoff(
    make_engine: EngineFactory, store: SQLStore
) -> None:
    """The turn read an unclaimed handoff, a rep claims it before the turn is saved: the
    claim wins and the conversation keeps its handoff."""
    engine = await make_engine()
    lead = await hot_lead(engine)
    before = await engine.get(lead)
    assert (await engine.claim(lead, "U0REP"))[0]
    cooled = before.model_copy(update={"handoff_at": None, "handoff_reason": None})
    await store.save_turn(cooled, None, withdraw=True)
    stored = await engine.get(lead)
    assert stored.handoff_at == before.handoff_at and stored.handoff_reason == "hot_lead"
    record = await store.get_handoff(lead)
    assert record is not None and record.status != "withdrawn" and record.claimed_by == "U0REP"
