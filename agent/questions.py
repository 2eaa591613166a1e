"""The next-question policy.

Asks the highest-priority field still missing; never asks a known field again; asks a
dodged field (one the answer did not settle, or a budget the prospect was unsure of or
would not give yet) once more, with the other wording, only after every unasked field has
had its turn; stops when the lead is disqualified or everything is known. Once a handoff is due
the first question is how to reach the prospect; the remaining ones follow, so the rep who
picks the lead up knows as much as possible (a rep who joins the chat stops the questions).
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
    """The labels of the question's quick replies, in playbook order."""


def next_question(
    profile: LeadProfile,
    asked: Mapping[str, int],
    playbook: Playbook,
    *,
    handed_off: bool = False,
    language: str | None = None,
) -> NextQuestion | None:
    """The question to ask next, in ``language`` (the playbook's own when it does not
    serve that language), or None when there is nothing left to ask."""
    if profile.disqualifier is not None:
        return None
    candidates = []
    for question in playbook.questions_by_priority():
        count = asked.get(question.field, 0)
        if count >= MAX_ASKS or _answered(profile, question.field):
            continue
        later = handed_off and question.field != "contact"
        candidates.append((later, count, -question.priority, question))
    if not candidates:
        return None
    _, count, _, question = min(candidates, key=lambda item: item[:3])
    wordings = playbook.wordings(question.field, language)
    return NextQuestion(
        field=question.field,
        text=wordings[(count + _skipped(profile, question.field)) % len(wordings)],
        attempt=count + 1,
        quick_replies=playbook.labels(question.field, language),
    )


def _skipped(profile: LeadProfile, field: FieldName) -> int:
    """How many of ``field``'s wordings to pass over: the role question's first wording
    asks for the role, so a prospect who gave their title ("I'm head of growth") is asked
    the second, who signs off."""
    if field == "authority" and profile.authority is not None and profile.authority.value.role:
        return 1
    return 0


def _answered(profile: LeadProfile, field: FieldName) -> bool:
    """Whether ``field`` needs no more asking. A budget the prospect was unsure of or would
    not give yet is asked once more at the end, in the other wording ("a ballpark is
    fine"), like any dodged question; a second "rather not say" ends it. An authority level
    only inferred ("my manager asked me to look into tools") is asked about too."""
    if field == "budget" and profile.budget is not None:
        return profile.budget.value.status not in ("unknown", "refused")
    if field == "authority" and profile.authority is not None:
        return profile.authority.value.settled
    return profile.is_known(field)


ABOUT_KEY = "human+about"
"""Marks, in a conversation's asked counts, that a request for a person was answered by
asking what it is about (see :func:`agent.routing.handoff_reason`)."""


def about_question(question: NextQuestion | None, text: str) -> NextQuestion:
    """The reply to "can I talk to someone?" from a prospect we know nothing about: what
    is it about? It stands in for the need question, so the answer is read as the need."""
    attempt = question.attempt if question is not None and question.field == "need" else 1
    return NextQuestion(field="need", text=text, attempt=attempt)
