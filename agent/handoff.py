"""What the sales team gets when a lead is handed over: a pure function of the lead.

:func:`build_payload` turns a conversation (profile, score breakdown, segment, transcript)
into a :class:`HandoffPayload`: the BANT fields with the prospect's own words, the score and
why, segment and tags, contact details, what the prospect asked about and a link to the
lead in the dashboard. Channels (Slack) only lay it out.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from agent.intents import find_questions, signal_keywords
from agent.lead_context import context_lines
from agent.models import LeadProfile
from agent.playbook import Playbook
from agent.scoring import ScoreBreakdown
from agent.segments import Segment
from agent.store import Conversation, HandoffRecord, Message
from agent.team_words import TeamWords, english

MAX_QUESTIONS = 5


@dataclass(frozen=True, slots=True)
class Field:
    """One thing we know about the lead, with the prospect's words behind it."""

    label: str
    value: str
    quote: str | None = None


@dataclass(frozen=True, slots=True)
class HandoffPayload:
    conversation_id: str
    reason: str
    channel: str
    summary: str
    score: int
    breakdown: tuple[str, ...]
    segment: str
    tags: tuple[str, ...]
    bant: tuple[Field, ...]
    contact: tuple[Field, ...]
    asked: tuple[str, ...]
    dashboard_url: str | None = None
    assignee: str | None = None
    """The rep this lead is assigned to (round robin or reassigned), as a Slack user id."""
    version: int = 0
    """The lead's version the payload shows."""
    message_key: int = 0
    """The key of the newest message when the payload was made."""
    claimed_by: str | None = None
    takeover: bool = False
    verdict: str | None = None
    """A rep's verdict ("not a fit: too small") and who gave it, as ``verdict_by``."""
    verdict_by: str | None = None
    withdrawn: bool = False
    last_wrote_at: datetime | None = None
    last_seen_at: datetime | None = None
    online: bool = False
    """The prospect's widget sent a heartbeat within the last minute."""
    context: tuple[str, ...] = ()
    """Where the chat started and the prospect's local time, as short lines."""
    words: TeamWords = dataclasses.field(default_factory=english)
    """The texts reps read, in the team's language: the card's labels and buttons."""

    @property
    def title(self) -> str:
        company = self.words.text("labels.company_name")
        who = next((f.value for f in self.contact if f.label == company), None)
        label = self.words.reason(self.reason)
        return self.words.text("card.title", reason=label, company=who) if who else label

    def text(self) -> str:
        """The message as plain text (notifications and clients without blocks)."""
        words = self.words
        lines = [
            words.text(
                "card.plain_score", title=self.title, score=self.score, segment=self.segment
            ),
            self.summary,
        ]
        if self.verdict:
            lines.append(words.text("card.plain_not_a_fit", verdict=self.verdict))
        elif self.claimed_by:
            lines.append(words.text("card.plain_claimed"))
        lines += [f"{f.label}: {f.value}" for f in (*self.bant, *self.contact)]
        if self.dashboard_url:
            lines.append(self.dashboard_url)
        return "\n".join(lines)


def money(amount: float, words: TeamWords | None = None) -> str:
    """A whole amount of US dollars as the team writes it (``$60,000``, ``60.000 $``)."""
    return (words or english()).money(amount)


def bant_fields(profile: LeadProfile, words: TeamWords | None = None) -> tuple[Field, ...]:
    """Budget, authority, need and timeline: known value and quote, or "unknown"; in the
    team's ``words`` (English by default)."""
    words = words or english()
    fields: list[Field] = []
    unknown = words.text("card.unknown")
    label = words.text("labels.budget")
    budget = profile.budget
    if budget is None:
        fields.append(Field(label, unknown))
    else:
        value = budget.value
        if value.status == "known" and value.annual_usd is not None:
            shown = words.text("card.budget_yearly", amount=words.money(value.annual_usd))
        else:
            shown = words.word("card.budget_status", value.status)
        fields.append(Field(label, shown, budget.evidence.quote))
    label = words.text("labels.authority")
    authority = profile.authority
    if authority is None:
        fields.append(Field(label, unknown))
    else:
        level = words.word("card.levels", authority.value.level)
        role = authority.value.role
        shown = words.text("card.role_level", role=role, level=level) if role else level
        fields.append(Field(label, shown, authority.evidence.quote))
    label = words.text("labels.need")
    need = profile.need
    if need is None:
        fields.append(Field(label, unknown))
    else:
        uses = ", ".join(words.need(use) for use in need.value.use_cases)
        fit = words.word("card.fits", need.value.fit)
        shown = words.text("card.need", uses=uses or words.text("card.no_use_cases"), fit=fit)
        fields.append(Field(label, shown, need.evidence.quote))
    label = words.text("labels.timeline")
    timeline = profile.timeline
    if timeline is None:
        fields.append(Field(label, unknown))
    else:
        when = timeline.value
        shown = words.text("card.timeline", text=when.text, months=when.months)
        fields.append(Field(label, shown, timeline.evidence.quote))
    return tuple(fields)


def contact_fields(profile: LeadProfile, words: TeamWords | None = None) -> tuple[Field, ...]:
    """Who they are, as far as they said: only known values."""
    words = words or english()
    fields: list[Field] = []
    if profile.contact_name is not None:
        fields.append(
            Field(
                words.text("labels.name"),
                profile.contact_name.value,
                profile.contact_name.evidence.quote,
            )
        )
    if profile.email is not None:
        fields.append(
            Field(words.text("labels.email"), profile.email.value, profile.email.evidence.quote)
        )
    if profile.company_name is not None:
        fields.append(
            Field(
                words.text("labels.company_name"),
                profile.company_name.value,
                profile.company_name.evidence.quote,
            )
        )
    if profile.company_size is not None:
        fields.append(
            Field(
                words.text("labels.company_size"),
                str(profile.company_size.value),
                profile.company_size.evidence.quote,
            )
        )
    if profile.industry is not None:
        shown = words.industry(profile.industry.value)
        fields.append(Field(words.text("labels.industry"), shown, profile.industry.evidence.quote))
    return tuple(fields)


def questions_asked(
    messages: Iterable[Message],
    profile: LeadProfile,
    playbook: Playbook,
    language: str | None = None,
) -> tuple[str, ...]:
    """What the prospect asked about: their questions (in the conversation's ``language``),
    then unanswered ones, each once."""
    keywords = signal_keywords(playbook.signals)
    found: list[str] = []
    for message in messages:
        if message.role == "prospect":
            found.extend(find_questions(message.text, keywords, language or playbook.language))
    found.extend(fact.value for fact in profile.open_questions)
    seen: set[str] = set()
    unique = []
    for question in found:
        key = question.casefold()
        if key not in seen:
            seen.add(key)
            unique.append(question)
    return tuple(unique[:MAX_QUESTIONS])


ONLINE_WITHIN = timedelta(seconds=60)
"""A prospect whose widget sent a heartbeat this recently is shown as online."""


def tag_words(tag: str, words: TeamWords | None = None) -> str:
    """A segment tag as words: ``industry:saas`` → "SaaS industry", ``interest:pricing``
    → "interested in pricing", ``vip`` → "vip"."""
    words = words or english()
    key, _, value = tag.partition(":")
    if not value:
        return key.replace("_", " ")
    shown = words.industry(value) if key == "industry" else value.replace("_", " ")
    templates = words.texts.get("card", {}).get("tags", {})
    if key in templates:
        return words.text(f"card.tags.{key}", value=shown)
    return f"{key.replace('_', ' ')}: {shown}"


def industry_words(industry: str, words: TeamWords | None = None) -> str:
    """An industry code as people write it: ``saas`` → "SaaS"."""
    return (words or english()).industry(industry)


def quoted_once(fields: Sequence[Field], seen: set[str]) -> tuple[Field, ...]:
    """The fields with each quote shown only the first time (one message can give the
    email and the company; the card quotes it once)."""
    kept = []
    for field in fields:
        if field.quote is not None and field.quote in seen:
            field = Field(field.label, field.value)
        elif field.quote is not None:
            seen.add(field.quote)
        kept.append(field)
    return tuple(kept)


def _verdict(handoff: HandoffRecord | None) -> str | None:
    feedback = handoff.feedback if handoff is not None else None
    if not feedback:
        return None
    return feedback.removeprefix("not a fit:").strip() or feedback


def build_payload(
    conversation: Conversation,
    messages: Sequence[Message],
    breakdown: ScoreBreakdown,
    segment: Segment,
    playbook: Playbook,
    *,
    reason: str,
    channel: str,
    summary: str,
    dashboard_url: str | None = None,
    handoff: HandoffRecord | None = None,
    now: datetime | None = None,
    last_seen_at: datetime | None = None,
    context: Sequence[str] = (),
    words: TeamWords | None = None,
) -> HandoffPayload:
    """The card for a lead; with ``handoff``, also who has it and what reps said. Labels
    and values are in the team's ``words`` (English by default); quotes stay as said."""
    words = words or english()
    profile = conversation.profile
    tags = list(segment.tags)
    if profile.signals is not None:
        tags += [f"interest:{name}" for name in profile.signals.value]
    seen: set[str] = set()
    bant = quoted_once(bant_fields(profile, words), seen)
    contact = quoted_once(contact_fields(profile, words), seen)
    online = now is not None and last_seen_at is not None and now - last_seen_at <= ONLINE_WITHIN
    return HandoffPayload(
        conversation_id=conversation.id,
        reason=reason,
        channel=channel,
        summary=summary,
        score=breakdown.total,
        breakdown=tuple(breakdown.explain()),
        segment=words.segment(segment.name),
        tags=tuple(dict.fromkeys(tag_words(tag, words) for tag in tags)),
        bant=bant,
        contact=contact,
        asked=questions_asked(messages, profile, playbook, conversation.language),
        dashboard_url=dashboard_url,
        assignee=handoff.assigned_to if handoff is not None else None,
        version=conversation.version,
        claimed_by=handoff.claimed_by if handoff is not None else None,
        takeover=handoff.takeover if handoff is not None else False,
        verdict=_verdict(handoff),
        verdict_by=handoff.feedback_by if handoff is not None else None,
        withdrawn=handoff is not None and handoff.status == "withdrawn",
        last_wrote_at=conversation.last_message_at,
        last_seen_at=last_seen_at,
        online=online,
        context=_language_first(
            conversation,
            playbook,
            tuple(context)
            or (tuple(context_lines(conversation.context, now, words)) if now is not None else ()),
            words,
        ),
        words=words,
    )


def _language_first(
    conversation: Conversation, playbook: Playbook, lines: tuple[str, ...], words: TeamWords
) -> tuple[str, ...]:
    """The card's context lines, led by the conversation's language when reps read
    another one."""
    line = words.conversation_line(conversation.language, playbook.reps_language)
    return lines if line is None else (line, *lines)
