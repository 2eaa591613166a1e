"""The real ChatOpenAI client, as built by ``build_chat_model``, against a local OpenAI server.

Nothing of ours is faked: only the OpenAI service, at its HTTP boundary (tests/openai_server.py).
Retries are kept fast with server-directed delays (``retry-after-ms``) and short timeouts.
"""

from __future__ import annotations

import json
from typing import Any

import openai
import pytest
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    BaseMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)
from langchain_core.utils.function_calling import convert_to_openai_tool

from agent.config import Settings
from agent.errors import ConfigError
from agent.llm import build_chat_model
from agent.playbook import Playbook
from agent.prompts import PromptSet
from agent.tools import TOOL_NAME, UpdateLead
from tests.openai_server import FakeOpenAIServer

MODEL = "gpt-4o-mini"
PROMPT: list[BaseMessage] = [
    SystemMessage("You qualify leads. <state>{}</state>"),
    HumanMessage("I'm the CTO, we have 50k a year for this."),
]
ARGS: dict[str, Any] = {
    "budget": {"amount_min": 50000, "currency": "USD", "period": "annual", "quote": "50k a year"},
    "authority": {"role": "CTO", "level": "decision_maker", "quote": "I'm the CTO"},
}


def make_settings(server: FakeOpenAIServer | None, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "model": f"openai:{MODEL}",
        "openai_base_url": server.base_url if server else None,
        "openai_api_key": "test-key",
        "openai_max_retries": 2,
        "openai_timeout": 5.0,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)


@pytest.fixture
def build(openai_server: FakeOpenAIServer, playbook: Playbook, prompts: PromptSet) -> Any:
    """``build(**settings)`` -> the ChatOpenAI model pointed at the fake server."""

    def _build(**overrides: Any) -> BaseChatModel:
        return build_chat_model(make_settings(openai_server, **overrides), playbook, prompts)

    return _build


# --- a tool call, non-streaming ----------------------------------------------------------------


async def test_tool_call_arguments_become_tool_calls(
    openai_server: FakeOpenAIServer, build: Any
) -> None:
    call_id = openai_server.reply_tool_call(TOOL_NAME, ARGS, "Thanks, noted!", usage=(321, 45))
    model = build().bind_tools([UpdateLead])

    result = await model.ainvoke(PROMPT)

    assert isinstance(result, AIMessage)
    assert result.content == "Thanks, noted!"
    assert result.tool_calls == [
        {"name": TOOL_NAME, "args": ARGS, "id": call_id, "type": "tool_call"}
    ]
    assert result.invalid_tool_calls == []
    assert result.usage_metadata is not None
    assert result.usage_metadata["input_tokens"] == 321
    assert result.usage_metadata["output_tokens"] == 45
    assert result.usage_metadata["total_tokens"] == 366
    assert result.response_metadata["finish_reason"] == "tool_calls"
    assert result.response_metadata["model_name"] == MODEL
    assert result.response_metadata["id"] == "chatcmpl-fake0001"
    assert openai_server.calls == 1


def test_sync_invoke_uses_the_same_wire_format(openai_server: FakeOpenAIServer, build: Any) -> None:
    openai_server.reply_tool_call(TOOL_NAME, {"company": {"size": 300}})

    result = build().bind_tools([UpdateLead]).invoke(PROMPT)

    assert isinstance(result, AIMessage)
    assert result.content == ""
    assert [call["args"] for call in result.tool_calls] == [{"company": {"size": 300}}]
    assert openai_server.calls == 1


async def test_request_carries_the_update_lead_schema_and_the_messages(
    openai_server: FakeOpenAIServer, build: Any
) -> None:
    openai_server.reply_text("Sure.")
    history: list[BaseMessage] = [
        *PROMPT,
        AIMessage(
            "",
            tool_calls=[
                {"name": TOOL_NAME, "args": {"human": {}}, "id": "call_a", "type": "tool_call"}
            ],
        ),
        ToolMessage("human: recorded", tool_call_id="call_a"),
    ]

    await build().bind_tools([UpdateLead]).ainvoke(history)

    body = openai_server.last_request.json
    assert body["model"] == MODEL
    assert body["temperature"] == 0.0
    assert not body.get("stream")
    assert body["tools"] == [convert_to_openai_tool(UpdateLead)]
    function = body["tools"][0]["function"]
    assert function["name"] == "update_lead"
    assert set(function["parameters"]["properties"]) == set(UpdateLead.model_fields)
    assert function["parameters"]["additionalProperties"] is False
    assert "score" not in json.dumps(function["parameters"]["properties"]).lower().split('"')
    assert "tool_choice" not in body  # the engine lets the model decide
    roles = [message["role"] for message in body["messages"]]
    assert roles == ["system", "user", "assistant", "tool"]
    assert body["messages"][0]["content"] == PROMPT[0].content
    assert body["messages"][1]["content"] == PROMPT[1].content
    assistant = body["messages"][2]
    assert assistant["tool_calls"] == [
        {
            "id": "call_a",
            "type": "function",
            "function": {"name": TOOL_NAME, "arguments": json.dumps({"human": {}})},
        }
    ]
    assert body["messages"][3] == {
        "role": "tool",
        "content": "human: recorded",
        "tool_call_id": "call_a",
    }


async def test_forced_tool_choice_names_update_lead(
    openai_server: FakeOpenAIServer, build: Any
) -> None:
    openai_server.reply_tool_call(TOOL_NAME, {"human": {"requested": True}})

    await build().bind_tools([UpdateLead], tool_choice=TOOL_NAME).ainvoke(PROMPT)

    assert openai_server.last_request.json["tool_choice"] == {
        "type": "function",
        "function": {"name": TOOL_NAME},
    }


async def test_api_key_is_sent_as_bearer_token(openai_server: FakeOpenAIServer, build: Any) -> None:
    openai_server.reply_text("hi")

    await build(openai_api_key="sk-test-123").ainvoke(PROMPT)

    request = openai_server.last_request
    assert request.headers["authorization"] == "Bearer sk-test-123"
    assert request.headers["content-type"] == "application/json"
    assert request.path == "/v1/chat/completions"


async def test_local_server_without_key_gets_a_placeholder_key(
    openai_server: FakeOpenAIServer, build: Any
) -> None:
    openai_server.reply_text("hi")

    result = await build(openai_api_key=None).ainvoke(PROMPT)

    assert result.content == "hi"
    assert openai_server.last_request.headers["authorization"] == "Bearer not-needed"


# --- streaming ---------------------------------------------------------------------------------


async def _stream(model: Any, prompt: list[BaseMessage]) -> tuple[AIMessageChunk, int]:
    full: AIMessageChunk | None = None
    count = 0
    async for chunk in model.astream(prompt):
        assert isinstance(chunk, AIMessageChunk)
        full = chunk if full is None else full + chunk
        count += 1
    assert full is not None
    return full, count


async def test_streaming_reassembles_content_and_tool_call(
    openai_server: FakeOpenAIServer, build: Any
) -> None:
    call_id = openai_server.reply_tool_call(
        TOOL_NAME, ARGS, "Great, thanks for the details.", usage=(200, 20)
    )
    model = build().bind_tools([UpdateLead])

    pieces: list[str] = []
    full: AIMessageChunk | None = None
    async for chunk in model.astream(PROMPT):
        assert isinstance(chunk, AIMessageChunk)
        pieces += [c["args"] or "" for c in chunk.tool_call_chunks if c.get("args")]
        full = chunk if full is None else full + chunk

    assert full is not None
    assert len(pieces) > 3  # the arguments really arrived in pieces
    assert full.content == "Great, thanks for the details."
    assert full.tool_calls == [
        {"name": TOOL_NAME, "args": ARGS, "id": call_id, "type": "tool_call"}
    ]
    assert full.invalid_tool_calls == []
    assert full.usage_metadata is not None
    assert full.usage_metadata["input_tokens"] == 200
    assert full.usage_metadata["output_tokens"] == 20
    assert full.response_metadata["finish_reason"] == "tool_calls"
    body = openai_server.last_request.json
    assert body["stream"] is True
    assert body["stream_options"] == {"include_usage": True}


async def test_streaming_keeps_parallel_tool_calls_apart(
    openai_server: FakeOpenAIServer, build: Any
) -> None:
    ids = openai_server.reply_tool_calls(
        [(TOOL_NAME, {"budget": {"amount_min": "20k"}}), (TOOL_NAME, {"timeline": {"text": "Q3"}})]
    )

    full, _ = await _stream(build().bind_tools([UpdateLead]), PROMPT)

    assert [(call["id"], call["args"]) for call in full.tool_calls] == [
        (ids[0], {"budget": {"amount_min": "20k"}}),
        (ids[1], {"timeline": {"text": "Q3"}}),
    ]


async def test_streaming_plain_text(openai_server: FakeOpenAIServer, build: Any) -> None:
    openai_server.reply_text("Happy to help with that.")

    full, count = await _stream(build(), PROMPT)

    assert full.content == "Happy to help with that."
    assert full.tool_calls == []
    assert count > 4
    assert full.response_metadata["finish_reason"] == "stop"


# --- malformed arguments -----------------------------------------------------------------------


async def test_malformed_arguments_land_in_invalid_tool_calls(
    openai_server: FakeOpenAIServer, build: Any
) -> None:
    call_id = openai_server.reply_raw_arguments(TOOL_NAME, '{"budget": ', "Noted.")

    result = await build().bind_tools([UpdateLead]).ainvoke(PROMPT)

    assert isinstance(result, AIMessage)
    assert result.content == "Noted."
    assert result.tool_calls == []
    assert len(result.invalid_tool_calls) == 1
    invalid = result.invalid_tool_calls[0]
    assert invalid["name"] == TOOL_NAME
    assert invalid["id"] == call_id
    assert invalid["args"] == '{"budget": '
    assert invalid["error"]


async def test_malformed_streamed_arguments_land_in_invalid_tool_calls(
    openai_server: FakeOpenAIServer, build: Any
) -> None:
    openai_server.reply_raw_arguments(TOOL_NAME, '{"budget": {"amount_min": 5}}}')

    full, _ = await _stream(build().bind_tools([UpdateLead]), PROMPT)

    assert full.tool_calls == []
    assert [call["name"] for call in full.invalid_tool_calls] == [TOOL_NAME]
    assert full.invalid_tool_calls[0]["args"] == '{"budget": {"amount_min": 5}}}'


async def test_truncated_streamed_arguments_are_completed_not_rejected(
    openai_server: FakeOpenAIServer, build: Any
) -> None:
    # Unlike invoke(), streaming parses arguments as *partial* JSON: a cut-off object is
    # closed and accepted. Whoever streams must not rely on invalid_tool_calls for truncation.
    openai_server.reply_raw_arguments(TOOL_NAME, '{"budget": {"amount_min": 5')
    openai_server.reply_raw_arguments(TOOL_NAME, '{"budget": ')

    first, _ = await _stream(build().bind_tools([UpdateLead]), PROMPT)
    second, _ = await _stream(build().bind_tools([UpdateLead]), PROMPT)

    assert [call["args"] for call in first.tool_calls] == [{"budget": {"amount_min": 5}}]
    assert [call["args"] for call in second.tool_calls] == [{}]
    assert first.invalid_tool_calls == second.invalid_tool_calls == []


# --- errors and retries ------------------------------------------------------------------------


async def test_429_with_retry_after_zero_is_retried(
    openai_server: FakeOpenAIServer, build: Any
) -> None:
    openai_server.fail(status=429, retry_after=0)
    openai_server.reply_text("after the rate limit")

    result = await build().ainvoke(PROMPT)

    assert result.content == "after the rate limit"
    assert openai_server.calls == 2
    first, second = openai_server.chat_requests
    assert first.json == second.json  # the retry resends the same request


async def test_500_twice_then_success(openai_server: FakeOpenAIServer, build: Any) -> None:
    openai_server.fail(status=500, times=2, retry_after_ms=1)
    openai_server.reply_tool_call(TOOL_NAME, ARGS)

    result = await build().bind_tools([UpdateLead]).ainvoke(PROMPT)

    assert isinstance(result, AIMessage)
    assert [call["args"] for call in result.tool_calls] == [ARGS]
    assert openai_server.calls == 3
    retry_counts = [r.headers.get("x-stainless-retry-count") for r in openai_server.requests]
    assert retry_counts == ["0", "1", "2"]


async def test_persistent_500_raises_after_max_retries(
    openai_server: FakeOpenAIServer, build: Any
) -> None:
    openai_server.fail(status=500, times=3, retry_after_ms=1, message="the model is on fire")

    with pytest.raises(openai.InternalServerError, match="the model is on fire") as caught:
        await build(openai_max_retries=2).ainvoke(PROMPT)

    assert caught.value.status_code == 500
    assert openai_server.calls == 3
    assert openai_server.pending == 0


async def test_no_retries_when_max_retries_is_zero(
    openai_server: FakeOpenAIServer, build: Any
) -> None:
    openai_server.fail(status=503, retry_after_ms=1)

    with pytest.raises(openai.InternalServerError):
        await build(openai_max_retries=0).ainvoke(PROMPT)

    assert openai_server.calls == 1


async def test_a_rejected_key_is_not_retried(openai_server: FakeOpenAIServer, build: Any) -> None:
    openai_server.fail(status=401, message="Incorrect API key provided")

    with pytest.raises(openai.AuthenticationError, match="Incorrect API key"):
        await build().ainvoke(PROMPT)

    assert openai_server.calls == 1


async def test_slow_response_beyond_timeout_raises_after_retries(
    openai_server: FakeOpenAIServer, build: Any
) -> None:
    openai_server.delay(5.0, times=2)

    with pytest.raises(openai.APITimeoutError):
        await build(openai_timeout=0.2, openai_max_retries=1).ainvoke(PROMPT)

    assert openai_server.calls == 2


async def test_a_timed_out_attempt_is_retried(openai_server: FakeOpenAIServer, build: Any) -> None:
    openai_server.delay(5.0)
    openai_server.reply_text("second time lucky")

    result = await build(openai_timeout=0.2, openai_max_retries=1).ainvoke(PROMPT)

    assert result.content == "second time lucky"
    assert openai_server.calls == 2


async def test_an_unscripted_call_is_a_clear_error_and_not_retried(
    openai_server: FakeOpenAIServer, build: Any
) -> None:
    openai_server.strict = False  # this test makes the unscripted call on purpose
    openai_server.reply_text("the only scripted reply")
    model = build()

    await model.ainvoke(PROMPT)
    with pytest.raises(openai.InternalServerError, match="script exhausted; call #2"):
        await model.ainvoke(PROMPT)

    assert openai_server.calls == 2
    assert openai_server.unscripted_calls == 1


# --- configuration errors ----------------------------------------------------------------------


def test_openai_without_a_model_name_is_a_config_error(
    playbook: Playbook, prompts: PromptSet
) -> None:
    with pytest.raises(ConfigError, match="names no OpenAI model"):
        build_chat_model(make_settings(None, model="openai:"), playbook, prompts)


def test_unknown_provider_is_a_config_error(playbook: Playbook, prompts: PromptSet) -> None:
    with pytest.raises(ConfigError, match="unknown model 'anthropic:claude'"):
        build_chat_model(make_settings(None, model="anthropic:claude"), playbook, prompts)


def test_openai_without_key_or_base_url_is_a_config_error(
    playbook: Playbook, prompts: PromptSet
) -> None:
    settings = make_settings(None, openai_api_key=None, openai_base_url=None)

    with pytest.raises(ConfigError, match="needs OPENAI_API_KEY"):
        build_chat_model(settings, playbook, prompts)
