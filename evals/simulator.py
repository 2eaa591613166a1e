"""Simulated prospects: who writes the persona's next message.

``lookup`` answers with the persona's answer for the field the agent is asking about.
``llm`` lets a chat model role-play the persona from the same answers, so the wording
varies the way real prospects' does; the prompt is ``simulator.md`` in a prompt folder.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage

from agent.models import FieldName
from agent.prompts import PromptSet
from evals.cases import PersonaCase
from evals.results import Turn

SIMULATOR_PROMPT = "simulator.md"


class Simulator(Protocol):
    name: str

    async def reply(
        self,
        case: PersonaCase,
        asking: FieldName | None,
        times_asked: int,
        transcript: Sequence[Turn],
    ) -> str:
        """The persona's next message, after the agent's last message in ``transcript``."""


class LookupSimulator:
    """Answers by field: the persona's answer for what the agent is asking about."""

    name = "lookup"

    async def reply(
        self,
        case: PersonaCase,
        asking: FieldName | None,
        times_asked: int,
        transcript: Sequence[Turn],
    ) -> str:
        return case.answer(asking, times_asked)


class LLMSimulator:
    """A chat model role-playing the persona; falls back to the lookup answer if it is mute."""

    name = "llm"

    def __init__(self, model: BaseChatModel, prompts: PromptSet, company: str) -> None:
        self.model = model
        self.prompts = prompts
        self.company = company

    def messages(self, case: PersonaCase, transcript: Sequence[Turn]) -> list[BaseMessage]:
        """The model's view: the persona brief, then the chat with the roles swapped."""
        answers = {
            field: [answer] if isinstance(answer, str) else list(answer)
            for field, answer in case.answers.items()
        }
        system = self.prompts.render(
            SIMULATOR_PROMPT,
            company=self.company,
            description=case.description,
            opening=case.opening,
            answers=answers,
            fallback=case.fallback,
        )
        messages: list[BaseMessage] = [SystemMessage(system)]
        for turn in transcript:
            if turn.role == "agent":
                messages.append(HumanMessage(turn.text))
            else:
                messages.append(AIMessage(turn.text))
        return messages

    async def reply(
        self,
        case: PersonaCase,
        asking: FieldName | None,
        times_asked: int,
        transcript: Sequence[Turn],
    ) -> str:
        response = await self.model.ainvoke(self.messages(case, transcript))
        text = str(response.text).strip()
        return text or case.answer(asking, times_asked)
