"""What the agent says after a turn: a pure function of the turn's outcome.

Every promise follows what will happen. A person "joins this chat" only when a rep can
answer in it (a rep channel is connected); otherwise the team writes by email within the
playbook's response time, and the prospect is told so only once an email is known. A
disqualified prospect gets a kind ending with a useful link and no follow-up promise, and
a later request for a person gets an honest answer. A reply never repeats the previous one
word for word. The wordings are in the prompt folder's ``messages.yaml``.

A product answer and what comes next (the handoff, the next question) are two messages:
the prospect reads the answer with its source, then the question, each in its own bubble.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from agent.models import LeadProfile
from agent.playbook import Playbook
from agent.prompts import PromptSet
from agent.questions import NextQuestion
from agent.routing import HandoffReason

Say = Callable[..., str]


@dataclass(frozen=True, slots=True)
class TurnOutcome:
    """What a turn ended with, as far as the reply is concerned."""

    profile: LeadProfile
    """The lead after this turn."""
    answer: str
    """The model's own words: an acknowledgement or a product answer."""
    question: NextQuestion | None
    handoff: HandoffReason | None
    """Why a handoff became due in this turn, if one did."""
    handed_off: bool
    """A handoff was already due before this turn."""
    was_disqualified: bool
    """The lead was already disqualified before this turn."""
    asked_for_person: bool
    """The prospect asked for a person in this turn."""
    previous: str | None
    """The agent's previous reply."""
    answered_question: bool = False
    """``answer`` answers a question about the product (not just an acknowledgement)."""
    language: str | None = None
    """The conversation's language: the fixed messages are said in it."""


@dataclass(frozen=True, slots=True)
class Reply:
    """What the agent says, as the messages the prospect sees one after the other."""

    parts: tuple[str, ...]

    @property
    def text(self) -> str:
        """The whole reply as one text (transcripts, Slack cards, evals)."""
        return " ".join(self.parts)


def compose(
    outcome: TurnOutcome, prompts: PromptSet, playbook: Playbook, *, reps_live: bool
) -> Reply:
    """The reply for ``outcome``; ``reps_live`` says whether a rep can answer in the chat."""
    say = _sayer(prompts, playbook, outcome.language)
    if outcome.profile.disqualifier is not None:
        parts = _disqualified(outcome, say, playbook)
    else:
        parts = _qualifying(outcome, say, reps_live=reps_live)
    text = " ".join(parts)
    fresh = _fresh(text, outcome.previous, say)
    if fresh != text:
        return Reply((fresh,))
    return Reply(_messages(parts, split=outcome.answered_question and bool(outcome.answer)))


def _messages(parts: list[str], *, split: bool) -> tuple[str, ...]:
    """The reply's parts as messages: a product answer (the first part) on its own and the
    rest together; everything in one message otherwise."""
    if split and len(parts) > 1:
        return (parts[0], " ".join(parts[1:]))
    return (" ".join(parts),)


def _sayer(prompts: PromptSet, playbook: Playbook, language: str | None) -> Say:
    links = playbook.links
    spoken = playbook.serves(language)

    def say(key: str, **variables: Any) -> str:
        return prompts.message(
            key,
            language=spoken,
            company=playbook.company.name,
            response_time=playbook.response_time(spoken),
            docs=links.docs,
            careers=links.careers,
            contact=links.contact,
            **variables,
        )

    return say


def _disqualified(outcome: TurnOutcome, say: Say, playbook: Playbook) -> list[str]:
    disqualifier = outcome.profile.disqualifier
    assert disqualifier is not None
    kind = disqualifier.value
    if not outcome.was_disqualified:
        return [say(f"disqualified_{kind}")]
    parts = [outcome.answer] if outcome.answer else []
    if outcome.asked_for_person:
        parts.append(say("disqualified_no_person", link=_link_for(kind, playbook)))
    elif not parts:
        parts.append(say("disqualified_after"))
    return parts


def _link_for(kind: str, playbook: Playbook) -> str | None:
    links = playbook.links
    return {"student": links.docs, "job_seeker": links.careers, "vendor": links.contact}.get(kind)


def _qualifying(outcome: TurnOutcome, say: Say, *, reps_live: bool) -> list[str]:
    parts = [outcome.answer] if outcome.answer else []
    if outcome.handoff is not None:
        parts.append(say("handoff_hot" if outcome.handoff == "hot_lead" else "handoff_requested"))
        parts.append(say(_reach(outcome.profile, reps_live=reps_live)))
    if outcome.question is not None:
        parts.append(outcome.question.text)
    elif outcome.handoff is None:
        parts.append(say(_after(outcome, reps_live=reps_live)))
    return parts


def _reach(profile: LeadProfile, *, reps_live: bool) -> str:
    """How a person will get to the prospect, as promised with the handoff."""
    if reps_live:
        return "reach_live"
    return "reach_email" if profile.email is not None else "reach_email_unknown"


def _after(outcome: TurnOutcome, *, reps_live: bool) -> str:
    """The closing line when nothing is left to ask."""
    if not outcome.handed_off:
        return "complete"
    if reps_live:
        return "handed_off_live"
    return "handed_off_email" if outcome.profile.email is not None else "handed_off_no_email"


def _fresh(text: str, previous: str | None, say: Say) -> str:
    """``text``, or another line when it would repeat the previous reply word for word."""
    if previous is None or text.strip() != previous.strip():
        return text
    others = (say("still_here"), say("complete"))
    return next(other for other in others if other.strip() != previous.strip())
