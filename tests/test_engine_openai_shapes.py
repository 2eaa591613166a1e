"""Hard shapes of what prospects say, through the real ChatOpenAI client and the engine.

The local OpenAI server answers with the tool calls a model makes for a budget range and a
timeline correction; the engine, store, validation and scorer are the real ones.
"""

from __future__ import annotations

from typing import Any

from agent.config import Settings
from agent.llm import build_chat_model
from agent.playbook import Playbook
from agent.prompts import PromptSet
from agent.tools import TOOL_NAME
from tests.conftest import TODAY, EngineFactory
from tests.openai_server import FakeOpenAIServer


def openai_settings(server: FakeOpenAIServer) -> Settings:
    return Settings(
        _env_file=None,
        model="openai:gpt-4o-mini",
        openai_base_url=server.base_url,
        openai_api_key="test-key",
        openai_max_retries=1,
        openai_timeout=5.0,
    )


async def make_openai_engine(
    make_engine: EngineFactory, server: FakeOpenAIServer, playbook: Playbook, prompts: PromptSet
) -> Any:
    settings = openai_settings(server)
    return await make_engine(
        build_chat_model(settings, playbook, prompts), model_name=settings.model
    )


async def test_a_budget_range_is_scored_at_its_midpoint(
    make_engine: EngineFactory,
    openai_server: FakeOpenAIServer,
    playbook: Playbook,
    prompts: PromptSet,
) -> None:
    budget = {
        "status": "known",
        "amount_min": 0,
        "amount_max": "12k",
        "currency": "USD",
        "period": "annual",
        "quote": "under 12k a year",
    }
    openai_server.reply_tool_call(TOOL_NAME, {"budget": budget}, "Thanks!")
    engine = await make_openai_engine(make_engine, openai_server, playbook, prompts)
    conversation, _ = await engine.start(today=TODAY)

    result = await engine.turn(conversation.id, "We'd keep it under 12k a year")

    stored = result.profile.budget
    assert stored is not None
    assert (stored.value.amount_min, stored.value.amount_max) == (0, 12_000)
    assert stored.value.annual_usd == 6_000
    points = {item.rule: item.points for item in result.score.items}
    assert points.get("budget_under_12k") == 5
    assert "budget_12k_to_50k" not in points


async def test_a_timeline_correction_replaces_the_old_value(
    make_engine: EngineFactory,
    openai_server: FakeOpenAIServer,
    playbook: Playbook,
    prompts: PromptSet,
) -> None:
    first = {"timeline": {"text": "in about five months", "quote": "in about five months"}}
    second = {
        "timeline": {
            "text": "9 months for go-live",
            "months": 9,
            "quote": "make that 9 months for go-live, not five",
        }
    }
    openai_server.reply_tool_call(TOOL_NAME, first, "Noted.")
    openai_server.reply_tool_call(TOOL_NAME, second, "Thanks for correcting that.")
    engine = await make_openai_engine(make_engine, openai_server, playbook, prompts)
    conversation, _ = await engine.start(today=TODAY)

    await engine.turn(conversation.id, "We'd like it live in about five months")
    result = await engine.turn(conversation.id, "Actually make that 9 months for go-live, not five")

    timeline = result.profile.timeline
    assert timeline is not None and timeline.value.months == 9
    assert timeline.evidence.quote == "make that 9 months for go-live, not five"
    replaced = [item for item in result.profile.history if item.field == "timeline"]
    assert len(replaced) == 1 and replaced[0].value["months"] == 5
    points = {item.rule: item.points for item in result.score.items}
    assert points.get("timeline_7_to_12_months") == 5


async def test_the_prompt_and_the_tool_teach_the_hard_shapes(
    make_engine: EngineFactory,
    openai_server: FakeOpenAIServer,
    playbook: Playbook,
    prompts: PromptSet,
) -> None:
    openai_server.reply_text("Hello!")
    engine = await make_openai_engine(make_engine, openai_server, playbook, prompts)
    conversation, _ = await engine.start(today=TODAY)
    await engine.turn(conversation.id, "hi")

    request = openai_server.chat_requests[0]
    system = request.messages[0]["content"]
    for shape in (
        "whatever was asked last",
        '"under 12k"',
        "never a timeline",
        "A window counts to its end",
        'even without saying "competitor"',
        "recruiters offering candidates",
        "a contract of several years is spread over them",
        "what they pay their current tool",
        '"leo at rankharbor dot com"',
        "is not the prospect's company",
    ):
        assert shape in system, shape
    tool = request.json["tools"][0]["function"]["parameters"]
    budget = tool["properties"]["budget"]["anyOf"][0]["properties"]
    assert "'under 12k' is 0 to 12000" in budget["amount_min"]["description"]
