"""The built-in chat model: deterministic, offline, behind the same interface as an LLM.

It reads the conversation the way an LLM would — the ``<state>`` block of the system
prompt and the prospect's latest message — and answers with one ``update_lead`` tool
call holding what the message states (see :mod:`agent.offline`) and a short
acknowledgement from ``prompts/<version>/offline.yaml``. When the system prompt carries a
``<passages>`` block, the reply starts with an extractive, cited answer to each question
(see :mod:`agent.offline.answers`). The same input always gives the
same output, and nothing leaves the process.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
from collections.abc import Callable, Sequence
from datetime import date
from functools import cached_property
from typing import Any

from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import (
    AIMessage,
    BaseMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)
from langchain_core.messages.ai import UsageMetadata
from langchain_core.messages.tool import tool_call
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.runnables import Runnable, RunnableConfig
from langchain_core.tools import BaseTool
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import ConfigDict

from agent.context import KnowledgeContext, TurnContext, read_passages, read_state
from agent.exemplars import ClassifierCache
from agent.normalize import timeline_months
from agent.offline import extract
from agent.offline.answers import Answerer
from agent.offline.company import said_industry
from agent.offline.reply import CATALOGUE, Acknowledger
from agent.playbook import Playbook
from agent.prompts import PromptSet
from agent.tools import TOOL_NAME


class OfflineChatModel(BaseChatModel):
    """Rule-based stand-in for an LLM that calls ``update_lead``."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    playbook: Playbook
    prompts: PromptSet
    classifiers: ClassifierCache | None = None
    """Decides authority, industry and disqualifiers from the playbook's examples."""

    @property
    def _llm_type(self) -> str:
        return "offline"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"playbook": self.playbook.version, "prompts": self.prompts.version}

    def _acknowledger(self, language: str) -> Acknowledger:
        found = self._acknowledgers.get(language)
        if found is None:
            found = self._acknowledgers[language] = Acknowledger(
                self.prompts, self.playbook, language
            )
        return found

    def _answerer(self, language: str) -> Answerer:
        found = self._answerers.get(language)
        if found is None:
            links = self.playbook.links.model_dump()
            found = self._answerers[language] = Answerer(self.prompts, links, language)
        return found

    @cached_property
    def _acknowledgers(self) -> dict[str, Acknowledger]:
        return {}

    @cached_property
    def _answerers(self) -> dict[str, Answerer]:
        return {}

    def bind_tools(
        self,
        tools: Sequence[dict[str, Any] | type | Callable[..., Any] | BaseTool],
        *,
        tool_choice: str | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, AIMessage]:
        """Accept tools like any chat model; the offline model only ever calls ``update_lead``."""
        formatted = [convert_to_openai_tool(tool) for tool in tools]
        if tool_choice is not None:
            kwargs["tool_choice"] = tool_choice
        return self.bind(tools=formatted, **kwargs)

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=self.respond(messages))])

    async def _agenerate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        # Embedding the prospect's words is CPU work: keep it off the event loop.
        message = await asyncio.to_thread(self.respond, messages)
        return ChatResult(generations=[ChatGeneration(message=message)])

    async def ainvoke(
        self,
        input: LanguageModelInput,
        config: RunnableConfig | None = None,
        *,
        stop: list[str] | None = None,
        **kwargs: Any,
    ) -> AIMessage:
        """The answer without langchain's run bookkeeping, which costs more than a rule
        model's whole turn; with callbacks (tracing) the call goes the usual way."""
        if config is not None and config.get("callbacks"):
            return await super().ainvoke(input, config, stop=stop, **kwargs)
        messages = self._convert_input(input).to_messages()
        return await asyncio.to_thread(self.respond, messages)

    def respond(self, messages: Sequence[BaseMessage]) -> AIMessage:
        """The model's answer to ``messages``."""
        if not messages or isinstance(messages[-1], ToolMessage):
            # A tool result means the engine rejected some arguments; there is nothing
            # better to offer, so answer without a new call.
            return self._message("", [], messages)
        state = _state(messages)
        text = next((m.text for m in reversed(messages) if isinstance(m, HumanMessage)), "")
        today = state.today if state is not None else date.today()
        language = self.playbook.serves(state.language if state is not None else None)
        args = extract(
            text,
            asking=state.asking if state is not None else None,
            playbook=self.playbook,
            today=today,
            classifiers=self.classifiers,
            language=language,
        )
        _restate_known_budget(args, state)
        _nothing_bought_by_sellers(args, state)
        if state is not None:
            _keep_known_industry(args, state, _earlier_words(messages))
            _keep_known_name(args, state)
            _keep_known_user(args, state, text)
        picked = state.quick_reply if state is not None else None
        if picked is not None:
            args.pop(picked.field, None)  # the engine has recorded the chip's value
        timeline = args.get("timeline")
        months = _months(str(timeline["text"]), today) if timeline is not None else None
        no_timeline = timeline is not None and months is None and _said_none(timeline, today)
        said = _new_to_us(args, state, months)
        content = self._acknowledger(language).reply(said, no_timeline=no_timeline, months=months)
        if picked is not None:
            chip = self.prompts.render_string(
                str(self.prompts.catalogue(CATALOGUE, language)["quick_reply"]),
                label=picked.label,
            )
            content = " ".join(part for part in (chip, content) if part)
        # What was noted, then the answer: the answer with its source ends the message, and
        # the engine's next question follows as a message of its own.
        answer = self._answerer(language).reply(_passages(messages))
        content = " ".join(part for part in (content, answer) if part)
        calls = [tool_call(name=TOOL_NAME, args=args, id=_call_id(text, args))] if args else []
        return self._message(content, calls, messages)

    def _message(
        self, content: str, calls: list[Any], messages: Sequence[BaseMessage]
    ) -> AIMessage:
        words_in = sum(len(m.text.split()) for m in messages)
        words_out = len(content.split()) + sum(
            len(json.dumps(call["args"]).split()) for call in calls
        )
        usage = UsageMetadata(
            input_tokens=words_in, output_tokens=words_out, total_tokens=words_in + words_out
        )
        return AIMessage(
            content=content,
            tool_calls=calls,
            usage_metadata=usage,
            response_metadata={"model_name": "offline"},
        )


_CORRECTING = re.compile(r"\b(?:actually|correction|sorry|i mean|not (?:a|an)|rather)\b", re.I)


# Who sells to us, competes with us or spams: their prices and dates later in the
# conversation ("Unsere Preise: 0,14 € pro Wort", "wir könnten nächste Woche starten") are no
# budget or timeline of a buyer.
_SELLERS = frozenset({"vendor", "spam", "competitor"})


def _nothing_bought_by_sellers(args: dict[str, Any], state: TurnContext | None) -> None:
    """No budget or timeline from a prospect already known to sell, compete or spam."""
    known = state.known.get("disqualifier") if state is not None else None
    if known in _SELLERS and "disqualifier" not in args:
        args.pop("budget", None)
        args.pop("timeline", None)


def _restate_known_budget(args: dict[str, Any], state: TurnContext | None) -> None:
    """ "That's per quarter, not per year" restates the amount already known in another
    period (or currency); with no amount known there is nothing to restate."""
    budget = args.get("budget")
    if budget is None or budget.get("status") != "known" or "amount_min" in budget:
        return
    known = state.known.get("budget") if state is not None else None
    if not isinstance(known, dict) or known.get("status") != "known":
        del args["budget"]
        return
    amounts = {
        k: known[k] for k in ("amount_min", "amount_max", "currency", "period") if k in known
    }
    args["budget"] = {**amounts, **budget}


def _keep_known_name(args: dict[str, Any], state: TurnContext) -> None:
    """A company name that is the start of the one already known ("Ridgeway" after
    "Ridgeway Telematics") is the same company said short: the full name stays."""
    company = args.get("company")
    known = state.known.get("company_name")
    if company is None or not company.get("name") or not isinstance(known, str):
        return
    said, full = str(company["name"]).casefold().split(), known.casefold().split()
    if len(said) < len(full) and full[: len(said)] == said:
        del company["name"]
        if set(company) <= {"quote"}:
            del args["company"]


# What they do in the decision: "I'll build the business case", "I'm pushing for it".
_OWN_PART = re.compile(
    r"\b(?:i(?:'ll|'m| will| am|'d| would)?|(?:asked|told|wants) me to) (?:\w+ )?(?:build|"
    r"building|write|writing|make|making|lead|leading|run|running|present|presenting|recommend|"
    r"pitch|push|pushing|champion|evaluat\w*|shortlist\w*|compar\w*|put|putting|drive|"
    r"driving)\b|\b(?:actually|correction)\b"
)


def _keep_known_user(args: dict[str, Any], state: TurnContext, text: str) -> None:
    """A prospect who said they would only use the tool is still a user when a later answer
    says only that someone else decides ("whenever she decides"): a user's decision is
    someone else's too. What they say of themselves ("I'll run the evaluation") counts."""
    authority = args.get("authority")
    known = state.known.get("authority")
    if authority is None or not isinstance(known, dict) or state.asking == "authority":
        return
    if known.get("level") != "user" or authority.get("level") != "influencer":
        return
    if authority.get("role") or _OWN_PART.search(text.lower().replace("’", "'")):
        return
    del args["authority"]


def _keep_known_industry(args: dict[str, Any], state: TurnContext, earlier: list[str]) -> None:
    """An industry the prospect named ("we make inventory software") stays unless they name
    another or correct it: "2,000 landscaping firms pay us" does not turn a SaaS company into
    something else. One that was only inferred gives way to a new description of the
    company (its size or name beside it, or the answer to the company question)."""
    company = args.get("company")
    known = state.known.get("industry")
    if company is None or company.get("industry") is None or known is None:
        return
    quote = str(company.get("quote", ""))
    if said_industry(quote) is not None or _CORRECTING.search(quote):
        return
    described = (
        company.get("size") is not None or bool(company.get("name")) or state.asking == "company"
    )
    named = any(said_industry(text) == known for text in earlier)
    if described and not named:
        return  # "We're a logistics company with about 1,200 employees"
    kept = {key: value for key, value in company.items() if key != "industry"}
    if set(kept) - {"quote"}:
        args["company"] = kept
    else:
        del args["company"]


def _new_to_us(
    args: dict[str, Any], state: TurnContext | None, months: int | None
) -> dict[str, Any]:
    """The facts worth acknowledging: a timeline the lead already has ("just curious" said
    again) is recorded but not acknowledged again, so no reply repeats the last one."""
    known = state.known.get("timeline") if state is not None else None
    if "timeline" in args and isinstance(known, dict) and known.get("months") == months:
        return {name: value for name, value in args.items() if name != "timeline"}
    return args


def _earlier_words(messages: Sequence[BaseMessage]) -> list[str]:
    """What the prospect said before their latest message."""
    said = [str(m.text) for m in messages if isinstance(m, HumanMessage)]
    return said[:-1]


def _state(messages: Sequence[BaseMessage]) -> TurnContext | None:
    system = next((m for m in messages if isinstance(m, SystemMessage)), None)
    return read_state(system.text) if system is not None else None


def _passages(messages: Sequence[BaseMessage]) -> KnowledgeContext | None:
    system = next((m for m in messages if isinstance(m, SystemMessage)), None)
    return read_passages(system.text) if system is not None else None


def _months(text: str, today: date) -> int | None:
    """The timeline in months as the engine will record it; None for "no timeline" or a
    time it cannot read."""
    try:
        return timeline_months(text, today)
    except ValueError:
        return None


def _said_none(timeline: dict[str, Any], today: date) -> bool:
    """ "No rush", "just exploring": a statement that there is no timeline."""
    try:
        return timeline_months(str(timeline["text"]), today) is None
    except ValueError:
        return False


def _call_id(text: str, args: dict[str, Any]) -> str:
    payload = json.dumps({"text": text, "args": args}, sort_keys=True, ensure_ascii=False)
    return "call_" + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]
