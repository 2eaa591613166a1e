"""A scripted chat model: the stand-in for an LLM in engine tests.

It returns the AIMessages (tool calls) a test scripts, in order, and records every prompt
it was given. A script item may also be an exception to raise, or a function of the prompt.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.runnables import Runnable
from pydantic import Field

ScriptItem = AIMessage | Exception | Callable[[list[BaseMessage]], AIMessage]


class ScriptedChatModel(BaseChatModel):
    script: list[Any] = Field(default_factory=list)
    prompts: list[list[BaseMessage]] = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> Runnable[Any, BaseMessage]:
        return self

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        self.prompts.append(list(messages))
        item = self.script.pop(0) if self.script else AIMessage(content="")
        if isinstance(item, Exception):
            raise item
        if callable(item) and not isinstance(item, AIMessage):
            item = item(messages)
        return ChatResult(generations=[ChatGeneration(message=item)])


def update_lead(content: str = "", call_id: str = "call_1", **groups: Any) -> AIMessage:
    """An AIMessage calling update_lead with the given groups."""
    return AIMessage(
        content=content,
        tool_calls=[{"name": "update_lead", "args": groups, "id": call_id, "type": "tool_call"}],
    )
