"""The conversation state the engine shows the model each turn.

It is rendered into the system prompt as a JSON block between ``<state>`` tags: an LLM reads
it as part of its instructions and the offline model parses it, so both models see exactly
the same input.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict

from agent.knowledge import QuestionPassages
from agent.models import FieldName

_BLOCK = re.compile(r"<state>\s*(?P<json>\{.*?\})\s*</state>", re.S)
_PASSAGES = re.compile(r"<passages>\s*(?P<json>\{.*?\})\s*</passages>", re.S)


class PickedReply(BaseModel):
    """A quick reply the prospect picked: its value is already in ``known``."""

    model_config = ConfigDict(frozen=True)

    field: FieldName
    label: str


class TurnContext(BaseModel):
    model_config = ConfigDict(frozen=True)

    today: date
    asking: FieldName | None = None
    known: dict[str, Any] = {}
    missing: list[FieldName] = []
    handed_off: bool = False
    quick_reply: PickedReply | None = None
    language: str = "en"
    """The language the conversation is held in: replies are written in it."""


def render_state(context: TurnContext) -> str:
    payload = context.model_dump(
        mode="json", exclude={"quick_reply"} if context.quick_reply is None else None
    )
    return "<state>\n" + json.dumps(payload, ensure_ascii=False, sort_keys=True) + "\n</state>"


def read_state(text: str) -> TurnContext | None:
    """The state block in a system prompt, or None when there is none or it is broken."""
    match = _BLOCK.search(text)
    if match is None:
        return None
    try:
        return TurnContext.model_validate_json(match["json"])
    except ValueError:
        return None


class KnowledgeContext(BaseModel):
    """The passages found for each question in the prospect's latest message."""

    model_config = ConfigDict(frozen=True)

    questions: tuple[QuestionPassages, ...] = ()


def render_passages(questions: tuple[QuestionPassages, ...]) -> str:
    """The ``<passages>`` block of the system prompt; empty when nothing was asked.

    Angle brackets inside documents are escaped, so no document text can close the block
    or pose as another one.
    """
    if not questions:
        return ""
    payload = KnowledgeContext(questions=questions).model_dump(mode="json")
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e")
    return "<passages>\n" + text + "\n</passages>"


def read_passages(text: str) -> KnowledgeContext | None:
    """The passages block in a system prompt, or None when there is none or it is broken."""
    match = _PASSAGES.search(text)
    if match is None:
        return None
    try:
        return KnowledgeContext.model_validate_json(match["json"])
    except ValueError:
        return None
