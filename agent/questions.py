"""The next-question policy.

Asks the highest-priority field still missing; never asks a known field again; asks a
dodged field once more, with the other wording, only after every unasked field has had its
turn; stops when the lead is disqualified or everything is known. Once a handoff is due
the only question left is how to reach the prospect.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from agent.models import FieldName, LeadProfile
from agent.playbook import Playbook

MAX_ASKS = 2


@dataclass(frozen=True, slots=True)
class NextQuestion:
    field: FieldName
    text: str
    attempt: int
    quick_replies: tuple[str, ...] = ()


def next_question(
    profile: LeadProfile,
    asked: Mapping[str, int],
    playbook: Playbook,
    *,
    handed_off: bool = False,
) -> NextQuestion | None:
    """The question to ask next, or None when there is nothing left to ask."""
    if profile.disqualifier is not None:
        return None
    candidates = []
    for question in playbook.questions_by_priority():
        if handed_off and question.field != "contact":
            continue
        count = asked.get(question.field, 0)
        if count >= MAX_ASKS or profile.is_known(question.field):
            continue
        candidates.append((count, -question.priority, question))
    if not candidates:
        return None
    count, _, question = min(candidates, key=lambda item: (item[0], item[1]))
    return NextQuestion(
        field=question.field,
        text=question.wordings[count % len(question.wordings)],
        attempt=count + 1,
        quick_replies=question.quick_replies,
    )
