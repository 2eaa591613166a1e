"""One contact, many conversations: leads are de-duplicated by email (trimmed, any case) in
the store, on SQLite and PostgreSQL. A returning visitor's conversation joins their lead,
the lead's facts are merged, one handoff covers the contact, and erasing erases it all."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from alembic import command
from sqlalchemy import func, insert, select

from agent.engine import Engine
from agent.events import Subscriptions
from agent.leads import email_key, merge_profiles
from agent.migrations import alembic_config
from agent.models import Evidence, Fact, LeadProfile
from agent.playbook import Playbook
from agent.rescoring import rescore_all
from agent.scoring import score
from agent.sql_store import SQLStore, contacts, conversations
from agent.store import (
    Conversation,
    HandoffRecord,
    LeadChange,
    LeadFilter,
    Message,
    TurnLease,
)
from tests.builders import make_profile
from tests.conftest import TODAY, EngineFactory

EMAIL_FIRST = "You can reach me at Jane.Doe@Shiftwise.io"
HOT = [
    "We need to understand churn and fix our checkout funnel",
    "About $60k a year",
    "I'm the VP of Product and I own the budget",
]
COMING_BACK = "Hi again, it's jane.doe@shiftwise.io"
START = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


async def first_visit(engine: Engine) -> str:
    """A hot lead that gave its email first; its handoff is due."""
    conversation, _ = await engine.start(channel="web")
    await engine.turn(conversation.id, EMAIL_FIRST)
    results = [await engine.turn(conversation.id, text) for text in HOT]
    assert results[-1].segment.name == "hot" and results[-1].handoff is not None
    return conversation.id


# The pure parts


def test_an_email_is_known_trimmed_and_in_any_case() -> None:
    assert email_key("  Jane.Doe@Shiftwise.IO ") == "jane.doe@shiftwise.io"
    assert email_key("   ") is None and email_key(None) is None


def test_merged_facts_take_the_newest_statement_and_keep_the_older_one() -> None:
    early = Evidence(message_id="a1", quote="30k", at=START)
    late = Evidence(message_id="b1", quote="60k", at=START + timedelta(days=3))
    old = make_profile(annual_usd=30000, level="decision_maker", email="jane@x.io")
    old = old.model_copy(update={"budget": old.budget.model_copy(update={"evidence": early})})  # type: ignore[union-attr]
    new = make_profile(annual_usd=60000, months=2)
    new = new.model_copy(update={"budget": new.budget.model_copy(update={"evidence": late})})  # type: ignore[union-attr]

    merged = merge_profiles(new, [old])
    assert merged.budget is not None and merged.budget.value.annual_usd == 60000
    assert merged.budget.evidence.quote == "60k"
    assert merged.authority == old.authority and merged.email == old.email
    assert merged.timeline == new.timeline
    (replaced,) = merged.history
    assert (replaced.field, replaced.evidence.quote, replaced.replaced_by) == (
        "budget",
        "30k",
        "b1",
    )
    # Merging again changes nothing.
    assert merge_profiles(merged, [old]) == merged
    # The older conversation's statement loses even when it is the one being saved.
    assert merge_profiles(old, [new]).budget == merged.budget


# Through the engine, on both databases


async def test_a_returning_visitor_joins_their_lead_and_is_not_asked_again(
    make_engine: EngineFactory, store: SQLStore
) -> None:
    engine = await make_engine(subscriptions=Subscriptions({"crm": ["*"]}))
    first = await first_visit(engine)
    change = LeadChange(status="contacted", owner="ana", actor="dashboard", at=START)
    assert await engine.update_lead(first, change) is not None

    second, _ = await engine.start(channel="web")
    back = await engine.turn(second.id, COMING_BACK)
    # The lead's facts from the first visit are the new conversation's: still hot, and the
    # agent does not ask for what the lead already told.
    assert back.segment.name == "hot"
    assert back.asking not in ("budget", "authority", "need", "contact")
    assert back.profile.budget is not None and back.profile.budget.value.annual_usd == 60000
    stored = await engine.get(second.id)
    assert stored.lead_id == first and stored.lead == first
    assert (await engine.get(first)).lead_id == first

    # One lead in the list (the conversation the prospect wrote in last), two conversations.
    leads = await store.list_conversations(where=LeadFilter(started=True))
    assert [c.id for c in leads] == [second.id]
    assert await store.count_conversations(LeadFilter(started=True)) == 1
    assert await store.conversation_counts([first]) == {first: 2}
    assert [c.id for c in await store.lead_conversations(second.id)] == [first, second.id]
    assert (await store.lead_current(first)).id == second.id  # type: ignore[union-attr]
    # The lead's status and owner went on with it; a search finds it by what either
    # conversation said.
    state = await store.lead_state(second.id)
    assert state is not None and (state.status, state.owner) == ("contacted", "ana")
    for text in ("checkout funnel", "hi again"):
        found = await store.list_conversations(where=LeadFilter(q=text))
        assert [c.id for c in found] == [second.id], text
        page, total = await store.lead_page(where=LeadFilter(q=text))
        assert ([c.id for c in page], total) == ([second.id], 1), text
        assert await store.lead_page(offset=1, where=LeadFilter(q=text)) == ([], 1)
    assert await store.lead_page(where=LeadFilter(q="nobody said this")) == ([], 0)
    # Charts: the funnel's first step counts both conversations, the rest count the lead.
    stats = await store.lead_stats(TODAY)
    assert dict(stats.funnel)["Conversations"] == 2
    assert dict(stats.funnel)["Qualified"] == 1 and dict(stats.funnel)["Handed off"] == 1
    assert sum(count for _, count in stats.scores) == 1
    assert sum(sum(weeks) for weeks in stats.per_week.values()) == 1

    # One handoff for the contact, now on the conversation the prospect is in.
    assert await store.get_handoff(first) is None
    handoff = await store.get_handoff(second.id)
    assert handoff is not None and handoff.status == "pending"
    assert len(await store.due_handoffs(datetime(2100, 1, 1, tzinfo=UTC))) == 1

    events = await store.lead_events(first)
    kinds = [event.type for event in events]
    assert kinds.count("lead.handoff") == 1
    (merged,) = [event for event in events if event.type == "lead.merged"]
    assert merged.data == {"absorbed_id": second.id, "lead_id": first}
    # Every event names the lead by the one stable id, whichever conversation it came from.
    assert {event.lead["id"] for event in events} == {first}
    assert {event.lead["conversation_id"] for event in events} == {first, second.id}
    # and their deliveries are ordered as the lead's.
    assert {event.conversation_id for event in events} == {first}


async def test_a_second_conversation_that_turns_hot_later_is_covered_by_the_first_handoff(
    make_engine: EngineFactory, store: SQLStore
) -> None:
    engine = await make_engine()
    first = await first_visit(engine)
    won, _ = await engine.claim(first, "U0REP")
    assert won
    claimed = await store.get_handoff(first)
    assert claimed is not None and claimed.takeover  # the rep talks to the prospect

    second, _ = await engine.start(channel="web")
    await engine.turn(second.id, "Hello, quick question about pricing")
    assert await store.get_handoff(second.id) is None  # not known yet: a lead of its own
    await engine.turn(second.id, COMING_BACK)
    handoff = await store.get_handoff(second.id)
    # The claimed handoff goes on in the conversation the prospect is in now, and so does
    # the rep's takeover: the bot stays quiet there.
    assert handoff is not None and handoff.claimed_by == "U0REP" and handoff.takeover
    assert await store.get_handoff(first) is None
    assert (await engine.get(second.id)).handoff_at is not None
    quiet = await engine.turn(second.id, "Are you still there?")
    assert quiet.relayed_to == "U0REP" and quiet.reply == ""


async def test_a_withdrawn_handoff_does_not_cover_a_returning_hot_lead(
    make_engine: EngineFactory, store: SQLStore
) -> None:
    engine = await make_engine()
    first = await first_visit(engine)
    await engine.turn(first, "Actually we have no budget for this at all, sorry.")
    withdrawn = await store.get_handoff(first)
    assert withdrawn is not None and withdrawn.status == "withdrawn"

    second, _ = await engine.start(channel="web")
    await engine.turn(second.id, COMING_BACK)
    for text in HOT:
        await engine.turn(second.id, text)
    handoff = await store.get_handoff(second.id)
    assert handoff is not None and handoff.status == "pending"
    assert handoff.id != withdrawn.id


async def test_erasing_a_lead_erases_all_its_conversations_and_its_contact(
    make_engine: EngineFactory, store: SQLStore
) -> None:
    engine = await make_engine(subscriptions=Subscriptions({"crm": ["*"]}))
    first = await first_visit(engine)
    second, _ = await engine.start(channel="web")
    await engine.turn(second.id, COMING_BACK)

    assert await engine.erase(first)
    assert await store.get_conversation(first) is None
    assert await store.get_conversation(second.id) is None
    assert await store.messages(second.id) == []
    assert await store.get_handoff(second.id) is None
    assert await store.lead_profiles("jane.doe@shiftwise.io", exclude="") is None
    async with store.engine.connect() as conn:
        assert (await conn.execute(select(func.count()).select_from(contacts))).scalar_one() == 0
    (erased,) = await store.lead_events(first)
    assert erased.type == "lead.erased" and erased.lead == {"id": first}
    assert [entry.subject for entry in await store.audit_log()] == [first]


# Concurrency: two workers, one new email


def hot_profile(email: str, at: datetime) -> LeadProfile:
    profile = make_profile(annual_usd=60000, level="decision_maker", fit="strong", months=2)
    said = Evidence(message_id="m-" + email, quote=email, at=at)
    return profile.model_copy(update={"email": Fact[str](value=email, evidence=said)})


async def test_two_workers_saving_one_new_email_at_once_make_one_contact_and_one_handoff(
    database_url: str, store: SQLStore
) -> None:
    workers = [SQLStore(database_url) for _ in range(2)]
    try:
        for round_ in range(5):
            emails = [f"race{round_}@example.com", f"  RACE{round_}@Example.com "]
            started = []
            for _ in emails:
                conversation = Conversation(created_at=START, updated_at=START, today=TODAY)
                await store.create_conversation(conversation)
                started.append(conversation)

            async def save(worker: SQLStore, conversation: Conversation, email: str) -> Any:
                lease = TurnLease(owner=conversation.id, now=START, until=START + timedelta(days=1))
                found, _, _ = await worker.open_turn(
                    _prospect(conversation.id, email), last=10, lease=lease
                )
                assert found is not None
                at = START + timedelta(minutes=1)
                hot = found.model_copy(
                    update={
                        "profile": hot_profile(email, at),
                        "segment": "hot",
                        "score": 80,
                        "handoff_at": at,
                        "handoff_reason": "hot_lead",
                    }
                )
                handoff = HandoffRecord(
                    conversation_id=conversation.id,
                    reason="hot_lead",
                    channel="#sales",
                    created_at=at,
                    updated_at=at,
                    next_attempt_at=at,
                )
                return await worker.save_turn(hot, None, handoff, lease=lease)

            saved = await asyncio.gather(
                *(
                    save(worker, conversation, email)
                    for worker, conversation, email in zip(workers, started, emails, strict=True)
                )
            )
            lead_ids = {conversation.lead_id for conversation in saved}
            assert len(lead_ids) == 1 and lead_ids <= {c.id for c in started}
            async with store.engine.connect() as conn:
                rows = (
                    await conn.execute(
                        select(contacts.c.id).where(contacts.c.email == f"race{round_}@example.com")
                    )
                ).all()
            assert [row.id for row in rows] == list(lead_ids)
            handoffs = [await store.get_handoff(c.id) for c in started]
            assert len([h for h in handoffs if h is not None]) == 1, round_
            listed = await store.list_conversations(where=LeadFilter(q=f"race{round_}@"))
            assert len(listed) == 1
    finally:
        for worker in workers:
            await worker.close()


def _prospect(conversation_id: str, text: str) -> Message:
    return Message(conversation_id=conversation_id, role="prospect", text=text, created_at=START)


# The migration links what was there before


async def _stored_before_contacts(store: SQLStore, made: list[Conversation]) -> None:
    """Conversations written as a store before migration 0015 wrote them."""
    async with store.engine.begin() as conn:
        for one in made:
            await conn.execute(
                insert(conversations),
                {
                    "id": one.id,
                    "channel": one.channel,
                    "created_at": one.created_at,
                    "updated_at": one.updated_at,
                    "score": one.score,
                    "segment": one.segment,
                    "state": one.model_dump(mode="json"),
                    "version": 0,
                },
            )


async def test_rescoring_merges_the_facts_of_leads_the_upgrade_linked(
    database_url: str, playbook: Playbook
) -> None:
    store = SQLStore(database_url)
    try:
        await store.upgrade("0014")
        first = make_profile(email="sam@example.com", annual_usd=60000, level="decision_maker")
        later = make_profile(email="Sam@Example.com", fit="strong", months=2)
        made = [
            Conversation(
                id=f"conv{n}",
                created_at=START + timedelta(days=n),
                updated_at=START + timedelta(days=n),
                today=TODAY,
                profile=profile,
                score=score(profile, playbook).total,
            )
            for n, profile in enumerate([first, later])
        ]
        await _stored_before_contacts(store, made)
        await store.init()
        before = await store.lead_current("conv0")
        assert before is not None and before.id == "conv1" and before.profile.budget is None

        report = await rescore_all(store, playbook, now=START + timedelta(days=3))

        after = await store.lead_current("conv0")
        assert after is not None and after.id == "conv1"
        assert after.profile.budget is not None and after.profile.authority is not None
        assert after.profile.need is not None and after.profile.timeline is not None
        assert (after.score, after.segment) == (100, "hot")
        assert [(c.conversation_id, c.new_segment) for c in report.changes] == [("conv1", "hot")]
        again = await rescore_all(store, playbook, now=START + timedelta(days=4))
        assert again.changes == [] and (await store.lead_current("conv0")) == after
    finally:
        await store.close()


async def test_the_migration_links_existing_conversations_that_share_an_email(
    database_url: str,
) -> None:
    store = SQLStore(database_url)
    try:
        await store.upgrade("0014")
        rows = []
        for n, email in enumerate(["Sam@Example.com", "other@example.com", " sam@example.com"]):
            profile = make_profile(email=email, annual_usd=1000 * (n + 1))
            made = Conversation(
                id=f"conv{n}",
                created_at=START + timedelta(days=n),
                updated_at=START + timedelta(days=n),
                today=TODAY,
                profile=profile,
            )
            rows.append(made)
        lone = Conversation(id="conv3", created_at=START, updated_at=START, today=TODAY)
        await _stored_before_contacts(store, [*rows, lone])
        await store.init()
        async with store.engine.connect() as conn:
            linked = dict(
                (await conn.execute(select(conversations.c.id, conversations.c.contact_id))).all()
            )
            found = (await conn.execute(select(contacts.c.email, contacts.c.id))).all()
        assert linked == {"conv0": "conv0", "conv1": "conv1", "conv2": "conv0", "conv3": None}
        assert sorted(found) == [("other@example.com", "conv1"), ("sam@example.com", "conv0")]
        # The earliest conversation's lead survives; the newest stands for it in the list.
        assert (await store.get_conversation("conv2")).lead_id == "conv0"  # type: ignore[union-attr]
        listed = {c.id for c in await store.list_conversations()}
        assert listed == {"conv1", "conv2", "conv3"}
        assert [c.id for c in await store.lead_conversations("conv2")] == ["conv0", "conv2"]
        # Down and up again: the same links.
        async with store.engine.begin() as conn:
            await conn.run_sync(lambda c: command.downgrade(alembic_config(c), "0014"))
        await store.init()
        assert {c.id for c in await store.list_conversations()} == listed
        assert [c.id for c in await store.lead_conversations("conv0")] == ["conv0", "conv2"]
    finally:
        await store.close()
