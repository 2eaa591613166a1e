"""Handoffs to Slack: stored with the turn, posted once by the dispatcher with our real
slack-sdk client against the local fake Slack Web API (tests/slack_server.py)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from langchain_core.messages import AIMessage

from agent.config import Settings
from agent.engine import Engine
from agent.notify import HandoffDispatcher
from agent.sql_store import SQLStore
from agent.summary import Summarizer, template_summary
from channels.slack.blocks import CLAIM, NOT_A_FIT, OPEN_TRANSCRIPT, REASSIGN
from channels.slack.notifier import SlackNotifier, build_client
from channels.web.app import create_app
from tests.conftest import EngineFactory
from tests.fakes import ScriptedChatModel
from tests.servers import ThreadedServer
from tests.slack_server import FakeSlack, running_fake_slack
from tests.test_web_api import ADMIN, make_settings, parse_events, send, start

HOT = [
    "We need to understand churn and fix our checkout funnel",
    "About $60k a year",
    "I'm the VP of Product and I own the budget",
]
TOKEN = "xoxb-test-token"


@pytest.fixture(name="slack")
def fake_slack() -> Iterator[FakeSlack]:
    with running_fake_slack() as fake:
        yield fake


class Later:
    """The dispatcher's clock: an hour after the engine's, moved on by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


async def hot_lead(engine: Engine) -> str:
    conversation, _ = await engine.start()
    results = [await engine.turn(conversation.id, text) for text in HOT]
    assert [r.handoff is not None for r in results] == [False, False, True]
    return conversation.id


def slack_settings(fake: FakeSlack, tmp_path: Path, **overrides: Any) -> Settings:
    return make_settings(
        tmp_path,
        slack_bot_token=TOKEN,
        slack_api_url=fake.api_url,
        public_url="https://qualify.example.com",
        **overrides,
    )


def dispatcher(
    engine: Engine,
    store: SQLStore,
    fake: FakeSlack,
    tmp_path: Path,
    clock: Later | None = None,
) -> HandoffDispatcher:
    settings = slack_settings(fake, tmp_path)
    return HandoffDispatcher(
        engine,
        store,
        SlackNotifier(build_client(settings)),
        Summarizer(engine.prompts, engine.playbook.company.name),
        dashboard_url=settings.public_url,
        clock=clock or Later(),
    )


# Stored with the turn


async def test_a_hot_lead_stores_one_pending_handoff(
    make_engine: EngineFactory, store: SQLStore
) -> None:
    engine = await make_engine()
    conversation_id = await hot_lead(engine)
    handoff = await store.get_handoff(conversation_id)
    assert handoff is not None
    assert (handoff.status, handoff.reason, handoff.channel) == ("pending", "hot_lead", "#sales")
    assert handoff.attempts == 0 and handoff.posted_ts is None

    later = await engine.turn(conversation_id, "Next quarter")
    assert later.handoff is None
    assert await store.get_handoff(conversation_id) == handoff


async def test_asking_for_a_person_stores_a_handoff_and_small_talk_does_not(
    make_engine: EngineFactory, store: SQLStore
) -> None:
    engine = await make_engine()
    asked, _ = await engine.start()
    await engine.turn(asked.id, "Hello", requested_human=True)
    assert await store.get_handoff(asked.id) is None  # first: what is it about?
    await engine.turn(asked.id, "We need funnel analytics for our shop")
    quiet, _ = await engine.start()
    await engine.turn(quiet.id, "Hello")
    handoff = await store.get_handoff(asked.id)
    assert handoff is not None and handoff.reason == "requested_human"
    assert await store.get_handoff(quiet.id) is None


async def test_erasing_a_lead_erases_its_handoff(
    make_engine: EngineFactory, store: SQLStore
) -> None:
    engine = await make_engine()
    conversation_id = await hot_lead(engine)
    assert await store.erase_conversation(conversation_id)
    assert await store.get_handoff(conversation_id) is None
    assert await store.due_handoffs(Later()()) == []


# The message


async def test_handoff_message_has_summary_bant_quotes_score_and_buttons(
    make_engine: EngineFactory, store: SQLStore, slack: FakeSlack, tmp_path: Path
) -> None:
    engine = await make_engine()
    conversation_id = await hot_lead(engine)
    posting = dispatcher(engine, store, slack, tmp_path)
    assert await posting.run_once() == 1

    [call] = slack.calls_to("chat.postMessage")
    assert call.token == TOKEN
    assert call.params["channel"] == "#sales"
    blocks = call.params["blocks"]
    everything = json.dumps(blocks, ensure_ascii=False)
    summary = blocks[1]["text"]["text"]
    assert summary == (
        "A prospect: VP of Product, $60k/yr, wants retention and churn analysis, funnel and "
        "conversion analysis.\nNot known yet: timing."
    )
    assert '*Budget:* $60,000/year\\n> \\"About $60k a year\\"' in everything
    assert '> \\"I\'m the VP of Product and I own the budget\\"' in everything
    assert "*Score 80* · hot" in everything
    buttons = {element["action_id"]: element for element in blocks[-1]["elements"]}
    assert set(buttons) == {CLAIM, NOT_A_FIT, REASSIGN, OPEN_TRANSCRIPT}
    assert buttons[CLAIM]["value"] == buttons[OPEN_TRANSCRIPT]["value"] == conversation_id
    assert buttons[REASSIGN]["type"] == "users_select"
    assert "Not claimed yet" in everything
    assert "Hot lead" in call.params["text"]

    handoff = await store.get_handoff(conversation_id)
    assert handoff is not None and handoff.status == "posted"
    assert handoff.posted_channel == slack.channel_id("#sales")
    assert handoff.posted_ts == "1764000000.000001"

    assert await posting.run_once() == 0
    assert len(slack.calls_to("chat.postMessage")) == 1


async def test_prospect_text_cannot_inject_slack_markup(
    make_engine: EngineFactory, store: SQLStore, slack: FakeSlack, tmp_path: Path
) -> None:
    engine = await make_engine()
    conversation, _ = await engine.start()
    await engine.turn(conversation.id, "<!channel> how much does Beacon cost per year?")
    await engine.turn(conversation.id, "We need funnel analytics", requested_human=True)
    assert await dispatcher(engine, store, slack, tmp_path).run_once() == 1
    [call] = slack.calls_to("chat.postMessage")
    assert "<!channel>" not in json.dumps(call.params["blocks"])
    assert "channel&gt; how much does Beacon cost per year?" in json.dumps(call.params["blocks"])


def test_template_summary_says_only_what_is_known() -> None:
    from tests.builders import make_profile

    profile = make_profile(annual_usd=50000, level="decision_maker", size=300)
    text = template_summary(profile, "hot_lead")
    assert text == "A company (~300 people): decision maker, $50k/yr.\nNot known yet: need, timing."


async def test_a_configured_model_writes_the_summary_and_a_failing_one_falls_back(
    prompts: Any,
) -> None:
    from tests.builders import make_profile

    profile = make_profile(annual_usd=50000)
    model = ScriptedChatModel(script=[AIMessage("A buyer with budget."), RuntimeError("down")])
    summarizer = Summarizer(prompts, "Beacon", model)
    assert await summarizer.summarize(profile, [], "hot_lead") == "A buyer with budget."
    system = model.prompts[0][0].content
    assert "Beacon" in system and "- Budget: $50,000/year" in system
    # The same facts again (the card is updated as the prospect writes): no new call.
    assert await summarizer.summarize(profile, [], "hot_lead") == "A buyer with budget."
    assert len(model.prompts) == 1
    changed = make_profile(annual_usd=90000)
    assert await summarizer.summarize(changed, [], "hot_lead") == template_summary(
        changed, "hot_lead"
    )
    assert len(model.prompts) == 2


async def test_a_model_writes_the_summary_in_the_teams_language_quotes_in_the_prospects(
    prompts: Any,
) -> None:
    from tests.builders import make_profile

    profile = make_profile(annual_usd=50000)
    model = ScriptedChatModel(script=[AIMessage("One."), AIMessage("Two."), AIMessage("Three.")])
    summarizer = Summarizer(prompts, "Beacon", model, reps_language="en")
    assert await summarizer.summarize(profile, [], "hot_lead", language="de") == "One."
    german = " ".join(str(model.prompts[0][0].content).split())
    assert "Write in English, the language the sales team reads." in german
    assert "The prospect wrote in German: quote their words exactly as they wrote them" in german
    assert "each followed by its English translation in brackets." in german
    # The same facts in another language are another summary.
    assert await summarizer.summarize(profile, [], "hot_lead", language="en") == "Two."
    english = " ".join(str(model.prompts[1][0].content).split())
    assert "Write in English" in english and "The prospect wrote in" not in english

    untranslated = Summarizer(prompts, "Beacon", model, translate_quotes=False)
    assert await untranslated.summarize(profile, [], "hot_lead", language="pt") == "Three."
    portuguese = " ".join(str(model.prompts[2][0].content).split())
    assert "The prospect wrote in Portuguese" in portuguese
    assert "translation" not in portuguese


# Failures and retries


async def test_rate_limits_and_server_errors_are_retried_by_the_client(
    make_engine: EngineFactory, store: SQLStore, slack: FakeSlack, tmp_path: Path
) -> None:
    engine = await make_engine()
    conversation_id = await hot_lead(engine)
    slack.fail("chat.postMessage", status=429, retry_after=0)
    slack.fail("chat.postMessage", status=500)
    assert await dispatcher(engine, store, slack, tmp_path).run_once() == 1
    assert len(slack.calls_to("chat.postMessage")) == 3
    handoff = await store.get_handoff(conversation_id)
    assert handoff is not None and handoff.status == "posted" and handoff.attempts == 1


async def test_a_handoff_that_cannot_be_posted_stays_pending_and_is_retried_later(
    make_engine: EngineFactory, store: SQLStore, slack: FakeSlack, tmp_path: Path
) -> None:
    engine = await make_engine()
    conversation_id = await hot_lead(engine)
    clock = Later()
    posting = dispatcher(engine, store, slack, tmp_path, clock)
    slack.fail("chat.postMessage", error="channel_not_found")
    assert await posting.run_once() == 0
    handoff = await store.get_handoff(conversation_id)
    assert handoff is not None and handoff.status == "pending" and handoff.attempts == 1
    assert handoff.last_error is not None and "channel_not_found" in handoff.last_error

    assert await posting.run_once() == 0  # not due yet
    assert len(slack.calls_to("chat.postMessage")) == 1

    clock.now += timedelta(seconds=6)
    assert await posting.run_once() == 1
    handoff = await store.get_handoff(conversation_id)
    assert handoff is not None and handoff.status == "posted" and handoff.attempts == 2
    assert handoff.last_error is None


async def test_two_workers_post_a_handoff_once(
    make_engine: EngineFactory,
    store: SQLStore,
    database_url: str,
    slack: FakeSlack,
    tmp_path: Path,
) -> None:
    engine = await make_engine()
    ids = [await hot_lead(engine) for _ in range(3)]
    other = SQLStore(database_url)
    try:
        first = dispatcher(engine, store, slack, tmp_path)
        second = dispatcher(engine, other, slack, tmp_path)
        counts = await asyncio.gather(first.run_once(), second.run_once())
    finally:
        await other.close()
    assert sum(counts) == 3
    posted = [call.params["blocks"][-1]["elements"][0]["value"] for call in slack.calls]
    assert sorted(posted) == sorted(ids)


# The server


@pytest.fixture
def slack_server(slack: FakeSlack, tmp_path: Path) -> Iterator[ThreadedServer]:
    with ThreadedServer(create_app(slack_settings(slack, tmp_path))) as running:
        yield running


async def lead_handoff(client: httpx.AsyncClient, lead_id: str) -> dict[str, Any]:
    detail = (await client.get(f"/api/admin/leads/{lead_id}", headers=ADMIN)).json()
    handoff: dict[str, Any] = detail["handoff"]
    return handoff


async def test_the_server_posts_a_widget_lead_to_slack(
    slack_server: ThreadedServer, slack: FakeSlack
) -> None:
    async with httpx.AsyncClient(base_url=slack_server.url, timeout=30) as client:
        token = await start(client)
        replies = [parse_events((await send(client, token, text)).text)[-1][1] for text in HOT]
        assert replies[-1]["handoff"] is True
        [call] = await slack.wait_for("chat.postMessage")
        lead_id = (await client.get("/api/admin/leads", headers=ADMIN)).json()["leads"][0]["id"]
        assert call.params["blocks"][-1]["elements"][0]["value"] == lead_id
        for _ in range(500):
            handoff = await lead_handoff(client, lead_id)
            if handoff["status"] == "posted":
                break
            await asyncio.sleep(0.02)
        assert handoff["status"] == "posted" and handoff["posted_ts"] == "1764000000.000001"


async def test_erasing_a_lead_redacts_its_slack_handoff_and_the_app_s_thread_messages(
    slack_server: ThreadedServer, slack: FakeSlack
) -> None:
    async with httpx.AsyncClient(base_url=slack_server.url, timeout=30) as client:
        token = await start(client)
        for text in HOT:
            await send(client, token, text)
        [card] = await slack.wait_for("chat.postMessage")
        lead_id = (await client.get("/api/admin/leads", headers=ADMIN)).json()["leads"][0]["id"]
        for _ in range(500):
            handoff = await lead_handoff(client, lead_id)
            if handoff["status"] == "posted":
                break
            await asyncio.sleep(0.02)
        channel, ts = handoff["posted_channel"], handoff["posted_ts"]
        # The thread: a message the app relayed from the prospect, and one a rep wrote.
        slack.answer(
            "chat.postMessage", {"channel": channel, "thread_ts": ts, "text": "Prospect: hi"}
        )
        slack.add_user_message(channel, ts, "UREP0001", "Hi Jane, happy to help")
        assert (
            await client.delete(f"/api/admin/leads/{lead_id}", headers=ADMIN)
        ).status_code == 204

        await slack.wait_for("chat.delete")
        for _ in range(500):
            deliveries = (
                await client.get("/api/admin/deliveries?destination=slack", headers=ADMIN)
            ).json()["deliveries"]
            if deliveries and deliveries[0]["status"] == "delivered":
                break
            await asyncio.sleep(0.02)
    left = [m["text"] for (where, _), m in sorted(slack.messages.items()) if where == channel]
    assert left == [
        "This lead was erased at the prospect's request (GDPR): nothing about them is kept.",
        "Hi Jane, happy to help",
    ]
    (update,) = [c for c in slack.calls_to("chat.update") if c.params["ts"] == ts]
    assert "Jane" not in json.dumps(update.params)
    assert deliveries[0]["note"] == (
        "handoff message redacted, 1 of the app's thread messages deleted; "
        "1 written by reps are left for them or an admin to delete"
    )
    assert card.params["channel"] in (channel, "#sales")


async def test_without_slack_settings_handoffs_show_as_pending(tmp_path: Path) -> None:
    with ThreadedServer(create_app(make_settings(tmp_path))) as server:
        async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
            token = await start(client)
            await send(client, token, "We need funnel analytics", intent="human")
            leads = (await client.get("/api/admin/leads", headers=ADMIN)).json()["leads"]
            handoff = await lead_handoff(client, leads[0]["id"])
    assert handoff["status"] == "pending" and handoff["reason"] == "requested_human"
    assert handoff["attempts"] == 0


# The next step offered to hot leads


async def test_hot_leads_are_offered_the_playbook_booking_link(tmp_path: Path) -> None:
    with ThreadedServer(create_app(make_settings(tmp_path))) as server:
        async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
            token = await start(client)
            replies = [parse_events((await send(client, token, t)).text)[-1][1] for t in HOT]
            asked = await start(client)
            person = parse_events(
                (await send(client, asked, "We need funnel analytics", intent="human")).text
            )
    assert [r["booking_url"] for r in replies] == [None, None, "https://cal.com/beacon/demo"]
    assert person[-1][1]["handoff"] is True and person[-1][1]["booking_url"] is None


def test_a_booking_link_must_be_a_web_address(playbook: Any) -> None:
    from pydantic import ValidationError

    data = playbook.model_dump(mode="json")
    data["booking_url"] = "javascript:alert(1)"
    with pytest.raises(ValidationError):
        type(playbook).model_validate(data)
    data["booking_url"] = None
    assert type(playbook).model_validate(data).booking_url is None


# Round robin and the claim reminder


async def test_round_robin_assigns_reps_in_turn(
    make_engine: EngineFactory, store: SQLStore, slack: FakeSlack, tmp_path: Path
) -> None:
    engine = await make_engine()
    for _ in range(3):
        await hot_lead(engine)
    posting = dispatcher(engine, store, slack, tmp_path)
    posting.round_robin = ("UREP1", "UREP2")
    assert await posting.run_once() == 3
    assigned = [
        next(
            element["text"]
            for block in call.params["blocks"]
            if block["type"] == "context"
            for element in block["elements"]
        )
        for call in slack.calls_to("chat.postMessage")
    ]
    assert assigned == [
        "Assigned to <@UREP1>, not claimed yet",
        "Assigned to <@UREP2>, not claimed yet",
        "Assigned to <@UREP1>, not claimed yet",
    ]


async def test_unclaimed_leads_get_one_reminder_in_the_thread(
    make_engine: EngineFactory, store: SQLStore, slack: FakeSlack, tmp_path: Path
) -> None:
    engine = await make_engine()
    waiting = await hot_lead(engine)
    claimed = await hot_lead(engine)
    clock = Later()
    posting = dispatcher(engine, store, slack, tmp_path, clock)
    assert await posting.run_once() == 2
    assert (await store.claim_handoff(claimed, "UREP1", clock()))[0]

    clock.now = datetime(2026, 11, 24, 9, 5, tzinfo=UTC)  # 5 minutes after the handoffs
    assert await posting.remind_unclaimed(timedelta(minutes=10)) == 0
    clock.now = datetime(2026, 11, 24, 9, 20, tzinfo=UTC)
    slack.fail("chat.postMessage", error="not_in_channel")
    assert await posting.remind_unclaimed(timedelta(minutes=10)) == 0  # failed: kept for later
    assert await posting.remind_unclaimed(timedelta(minutes=10)) == 1
    assert await posting.remind_unclaimed(timedelta(minutes=10)) == 0  # once

    handoff = await store.get_handoff(waiting)
    assert handoff is not None
    reminders = [c.params for c in slack.calls_to("chat.postMessage") if "thread_ts" in c.params]
    assert [(r["thread_ts"], r["text"]) for r in reminders] == [
        (handoff.posted_ts, "Nobody has claimed this lead in 10 minutes."),
        (handoff.posted_ts, "Nobody has claimed this lead in 10 minutes."),
    ]


async def test_the_offline_summary_of_every_hot_dataset_lead_names_what_is_known_once(
    make_engine: EngineFactory, store: SQLStore
) -> None:
    from datetime import date

    from agent.summary import short_money
    from evals.cases import load_cases
    from evals.run import run_case
    from evals.simulator import LookupSimulator

    engine = await make_engine()
    cases = [c for c in load_cases(["evals/datasets"]) if c.expect.segment == "hot"]
    assert len(cases) >= 20
    for case in cases:
        await run_case(engine, case, today=date(2026, 11, 24), simulator=LookupSimulator())
    leads = [c for c in await store.list_conversations(limit=500) if c.segment == "hot"]
    assert len(leads) >= 20
    for lead in leads:
        profile = lead.profile
        summary = template_summary(profile, lead.handoff_reason)
        lines = summary.split("\n")
        assert 1 <= len(lines) <= 2 and len(set(lines)) == len(lines), summary
        first = lines[0]
        named = []
        if profile.company_name is not None:
            named.append(profile.company_name.value)
        if profile.authority is not None and profile.authority.value.role:
            named.append(profile.authority.value.role)
        budget = profile.budget
        if budget is not None and budget.value.annual_usd is not None:
            named.append(short_money(budget.value.annual_usd) + "/yr")
        if profile.need is not None:
            named.extend(profile.need.value.use_cases)
        if profile.timeline is not None:
            named.append(profile.timeline.value.text)
        for value in named:
            assert value in first, (value, summary)
        for value in named[:2]:  # the company and the role, said once
            assert summary.count(value) == 1, (value, summary)
        assert "Hot lead" not in summary
