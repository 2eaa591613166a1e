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

from agent.models import FieldName

_BLOCK = re.compile(r"<state>\s*(?P<json>\{.*?\})\s*</state>", re.S)


class TurnContext(BaseModel):
    model_config = ConfigDict(frozen=True)

    today: date
    asking: FieldName | None = None
    known: dict[str, Any] = {}
    missing: list[FieldName] = []
    handed_off: bool = False


def render_state(context: TurnContext) -> str:
    payload = context.model_dump(mode="json")
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
