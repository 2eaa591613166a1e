"""Whole engine turns with the real ChatOpenAI client against the local OpenAI server.

The engine, the store, the prompts and the offline fallback are the real ones; only the
OpenAI service is replaced, at its HTTP boundary (tests/openai_server.py).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from langchain_core.language_models import BaseChatModel

from agent.config import Settings
from agent.context import read_state
from agent.engine import Engine
from agent.llm import build_chat_model, build_offline_model
from agent.playbook import Playbook, QuickReplyRef
from agent.prompts import PromptSet
from agent.runtime import build_engine
from agent.sql_store import SQLStore
from agent.tools import TOOL_NAME
from tests.conftest import TODAY, EngineFactory
from tests.openai_server import FakeOpenAIServer

MODEL_SPEC = "openai:gpt-4o-mini"
BUDGET_AND_ROLE: dict[str, Any] = {
    "budget": {"amount_min": "60k", "currency": "USD", "quote": "60k a year"},
    "authority": {"role": "CTO", "level": "decision_maker", "quote": "I'm the CTO"},
}
OpenAIEngineFactory = Callable[..., Awaitable[Engine]]


def openai_settings(server: FakeOpenAIServer, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "model": MODEL_SPEC,
        "openai_base_url": server.base_url,
        "openai_api_key": "test-key",
        "openai_max_retries": 1,
        "openai_timeout": 5.0,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)


@pytest.fixture
def openai_engine(
    make_engine: EngineFactory,
    openai_server: FakeOpenAIServer,
    playbook: Playbook,
    prompts: PromptSet,
) -> OpenAIEngineFactory:
    """``await openai_engine(fallback=True, **settings)``: an engine on ChatOpenAI."""

    async def make(*, fallback: bool = True, **overrides: Any) -> Engine:
        settings = openai_settings(openai_server, **overrides)
        model: BaseChatModel = build_chat_model(settings, playbook, prompts)
        return await make_engine(
            model,
            model_name=settings.model,
            fallback_model=build_offline_model(playbook, prompts) if fallback else None,
        )

    return make


async def test_scripted_tool_call_updates_the_profile_and_the_reply(
    openai_server: FakeOpenAIServer, openai_engine: OpenAIEngineFactory
) -> None:
    openai_server.reply_tool_call(TOOL_NAME, BUDGET_AND_ROLE, "Great, thanks!", usage=(812, 37))
    engine = await openai_engine()
    conversation, _ = await engine.start(today=TODAY)

    result = await engine.turn(conversation.id, "I'm the CTO and we have 60k a year")

    assert openai_server.calls == 1
    assert not result.fallback
    assert result.model == MODEL_SPEC
    assert result.model_calls == 1
    assert result.profile.budget is not None
    assert result.profile.budget.value.annual_usd == 60_000
    assert result.profile.budget.evidence.quote == "60k a year"
    assert result.profile.authority is not None
    assert result.profile.authority.value.level == "decision_maker"
    assert result.reply.startswith("Great, thanks!")
    stored = await engine.get(conversation.id)
    assert (stored.input_tokens, stored.output_tokens) == (812, 37)  # from the response's usage
    transcript = await engine.transcript(conversation.id)
    assert [m.role for m in transcript] == ["assistant", "prospect", "assistant"]
    assert transcript[-1].text == result.reply
    assert transcript[-1].model == MODEL_SPEC


async def test_request_carries_the_system_prompt_with_the_state_block(
    openai_server: FakeOpenAIServer, openai_engine: OpenAIEngineFactory
) -> None:
    openai_server.reply_tool_call(TOOL_NAME, BUDGET_AND_ROLE, "Thanks!")
    openai_server.reply_text("Understood.")
    engine = await openai_engine()
    conversation, greeting = await engine.start(today=TODAY)

    first = await engine.turn(conversation.id, "I'm the CTO and we have 60k a year")
    await engine.turn(conversation.id, "we are 40 people")

    request = openai_server.chat_requests[1]
    assert request.json["model"] == "gpt-4o-mini"
    assert request.tool_names == [TOOL_NAME]
    system = request.messages[0]
    assert system["role"] == "system"
    assert "<state>" in system["content"] and "</state>" in system["content"]
    state = read_state(system["content"])
    assert state is not None
    assert state.today == TODAY
    assert state.asking == first.asking
    assert set(state.known) >= {"budget", "authority"}
    assert "budget" not in state.missing
    assert [(m["role"], m["content"]) for m in request.messages[1:]] == [
        ("assistant", greeting.text),
        ("user", "I'm the CTO and we have 60k a year"),
        ("assistant", first.reply),
        ("user", "we are 40 people"),
    ]


async def test_malformed_tool_json_goes_back_once_as_a_tool_error(
    openai_server: FakeOpenAIServer, openai_engine: OpenAIEngineFactory
) -> None:
    openai_server.reply_raw_arguments(TOOL_NAME, '{"budget": {"amount_min": ', call_id="call_bad")
    openai_server.reply_tool_call(TOOL_NAME, BUDGET_AND_ROLE, "Got it, thanks.")
    engine = await openai_engine()
    conversation, _ = await engine.start(today=TODAY)

    result = await engine.turn(conversation.id, "I'm the CTO and we have 60k a year")

    assert openai_server.calls == 2
    assert result.model_calls == 2
    assert not result.fallback
    retry = openai_server.chat_requests[1]
    assistant, tool = retry.messages[-2:]
    assert assistant["role"] == "assistant"
    assert assistant["tool_calls"] == [
        {
            "id": "call_bad",
            "type": "function",
            "function": {"name": TOOL_NAME, "arguments": '{"budget": {"amount_min": '},
        }
    ]
    assert tool["role"] == "tool"
    assert tool["tool_call_id"] == "call_bad"
    assert TOOL_NAME in tool["content"]
    assert "not valid JSON" in tool["content"]
    assert retry.messages[:-2] == openai_server.chat_requests[0].messages
    assert result.profile.budget is not None
    assert result.profile.budget.value.annual_usd == 60_000
    assert result.reply.startswith("Got it, thanks.")
    assert any(TOOL_NAME in problem for problem in result.problems)


async def test_unreadable_arguments_twice_fall_back_to_the_offline_extractor(
    openai_server: FakeOpenAIServer, openai_engine: OpenAIEngineFactory
) -> None:
    openai_server.reply_raw_arguments(TOOL_NAME, '{"budget": ')
    openai_server.reply_raw_arguments(TOOL_NAME, "budget=50k")
    engine = await openai_engine()
    conversation, _ = await engine.start(today=TODAY)

    result = await engine.turn(conversation.id, "about 50k a year")

    assert openai_server.calls == 2  # one retry with the tool error, never a third call
    assert result.model_calls == 2
    assert result.fallback
    assert result.profile.budget is not None
    assert result.profile.budget.value.annual_usd == 50_000
    transcript = await engine.transcript(conversation.id)
    assert [m.text for m in transcript[1:]] == ["about 50k a year", result.reply]


async def test_a_rate_limit_is_retried_inside_one_model_call(
    openai_server: FakeOpenAIServer, openai_engine: OpenAIEngineFactory
) -> None:
    openai_server.fail(status=429, retry_after_ms=1)
    openai_server.reply_tool_call(TOOL_NAME, BUDGET_AND_ROLE, "Thanks!")
    engine = await openai_engine()
    conversation, _ = await engine.start(today=TODAY)

    result = await engine.turn(conversation.id, "I'm the CTO and we have 60k a year")

    assert openai_server.calls == 2  # two HTTP attempts ...
    assert result.model_calls == 1  # ... are one model call to the engine
    assert not result.fallback
    assert result.profile.budget is not None


async def test_server_errors_beyond_retries_fall_back_to_the_offline_model(
    openai_server: FakeOpenAIServer, openai_engine: OpenAIEngineFactory
) -> None:
    openai_server.fail(status=500, times=2, retry_after_ms=1)
    engine = await openai_engine(openai_max_retries=1)
    conversation, _ = await engine.start(today=TODAY)

    result = await engine.turn(conversation.id, "we need funnel analytics, about 50k a year")

    assert openai_server.calls == 2  # the first try and max_retries=1 retry
    assert result.fallback
    assert result.model == "offline (fallback)"
    assert result.model_calls == 1
    assert result.reply
    assert result.profile.budget is not None  # read by the offline extractor instead
    assert result.profile.budget.value.annual_usd == 50_000
    transcript = await engine.transcript(conversation.id)
    assert [m.role for m in transcript] == ["assistant", "prospect", "assistant"]
    assert transcript[1].text == "we need funnel analytics, about 50k a year"
    assert transcript[2].text == result.reply
    assert transcript[2].model == "offline (fallback)"


async def test_timeouts_beyond_retries_fall_back_to_the_offline_model(
    openai_server: FakeOpenAIServer, openai_engine: OpenAIEngineFactory
) -> None:
    openai_server.delay(5.0, times=2)
    engine = await openai_engine(openai_timeout=0.2, openai_max_retries=1)
    conversation, _ = await engine.start(today=TODAY)

    result = await engine.turn(conversation.id, "we need funnel analytics")

    assert openai_server.calls == 2
    assert result.fallback
    assert result.model == "offline (fallback)"
    assert result.reply
    assert result.profile.need is not None
    assert result.profile.need.value.fit == "strong"
    transcript = await engine.transcript(conversation.id)
    assert transcript[1].text == "we need funnel analytics"
    assert transcript[2].text == result.reply


async def test_without_a_fallback_model_the_prospect_still_gets_a_reply(
    openai_server: FakeOpenAIServer,
    openai_engine: OpenAIEngineFactory,
    prompts: PromptSet,
) -> None:
    openai_server.fail(status=503, times=2, retry_after_ms=1)
    engine = await openai_engine(fallback=False)
    conversation, _ = await engine.start(today=TODAY)

    result = await engine.turn(conversation.id, "hello there")

    assert result.fallback
    assert result.reply.startswith(prompts.message("model_unavailable"))
    transcript = await engine.transcript(conversation.id)
    assert [m.text for m in transcript[1:]] == ["hello there", result.reply]


async def test_the_model_answering_after_a_failed_turn_works_again(
    openai_server: FakeOpenAIServer, openai_engine: OpenAIEngineFactory
) -> None:
    openai_server.fail(status=500, times=2, retry_after_ms=1)
    openai_server.reply_tool_call(TOOL_NAME, BUDGET_AND_ROLE, "Thanks!")
    engine = await openai_engine()
    conversation, _ = await engine.start(today=TODAY)

    failed = await engine.turn(conversation.id, "hello")
    recovered = await engine.turn(conversation.id, "I'm the CTO and we have 60k a year")

    assert failed.fallback
    assert not recovered.fallback
    assert recovered.model == MODEL_SPEC
    assert recovered.profile.budget is not None
    # The failed turn's exchange is in the history the model sees next.
    assert [m["content"] for m in openai_server.chat_requests[-1].messages[-3:]] == [
        "hello",
        failed.reply,
        "I'm the CTO and we have 60k a year",
    ]


async def test_runtime_wiring_falls_back_to_the_offline_model(
    openai_server: FakeOpenAIServer,
    store: SQLStore,
    playbook: Playbook,
    prompts: PromptSet,
) -> None:
    openai_server.fail(status=502, times=3, retry_after_ms=1)
    settings = openai_settings(openai_server, openai_max_retries=2)
    engine = build_engine(settings, store=store, playbook=playbook, prompts=prompts)
    conversation, _ = await engine.start(today=TODAY)

    result = await engine.turn(conversation.id, "we need funnel analytics")

    assert openai_server.calls == 3
    assert result.fallback
    assert result.model == "offline (fallback)"
    assert result.reply


async def test_a_pressed_chip_wins_over_the_models_reading_of_its_label(
    openai_server: FakeOpenAIServer, openai_engine: OpenAIEngineFactory
) -> None:
    # The model reads "Under $12k/year" as 12,000 (and a role nobody gave): the chip's value,
    # 0..12,000 a year, is what counts; the model's other facts still apply.
    misread = {
        "budget": {"amount_min": 12000, "quote": "Under $12k/year"},
        "authority": {"level": "user", "quote": "Under $12k/year"},
    }
    openai_server.reply_tool_call(TOOL_NAME, misread, "Thanks, noted.")
    engine = await openai_engine()
    conversation, _ = await engine.start(today=TODAY)

    result = await engine.turn(
        conversation.id, "Under $12k/year", quick_reply=QuickReplyRef("budget", 0)
    )

    assert result.model_calls == 1 and not result.fallback
    assert result.profile.budget is not None
    budget = result.profile.budget.value
    assert (budget.amount_min, budget.amount_max, budget.annual_usd) == (0, 12000, 6000)
    assert result.profile.budget.evidence.quote == "Under $12k/year"
    assert [item.rule for item in result.score.items] == ["budget_under_12k", "user"]
    assert result.profile.history == ()  # the model's 12,000 was never recorded
    state = read_state(openai_server.chat_requests[0].messages[0]["content"])
    assert state is not None and state.quick_reply is not None
    assert (state.quick_reply.field, state.quick_reply.label) == ("budget", "Under $12k/year")
    assert state.known["budget"]["annual_usd"] == 6000
