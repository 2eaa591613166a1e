"""Lead events: what happened to a lead, as data for webhooks and CRMs.

Events are built here by pure functions and written to the outbox in the same transaction
as the change that caused them (see :mod:`agent.outbox` for delivery). Each carries a
snapshot of the lead as it is after the change, so a receiver needs nothing else:
score and breakdown, segment, tags, follow-up, BANT with the prospect's words, contact
details and a short summary. ``lead.erased`` carries only the lead's id.

The JSON body every receiver gets (``schema_version`` changes only when a field is removed
or changes meaning; fields may be added)::

    {"schema_version": 1, "id": "...", "type": "lead.segment_changed",
     "created_at": "2026-11-24T10:00:00+00:00", "lead": {...}, "data": {...}}
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from agent.event_types import EVENT_TYPES, EventType, matches
from agent.models import (
    Authority,
    Budget,
    Evidence,
    Fact,
    Industry,
    LeadProfile,
    Need,
    Timeline,
)
from agent.playbook import Playbook
from agent.scoring import ScoreBreakdown, score
from agent.segments import Segment, segment
from agent.store import Conversation, new_id
from agent.summary import template_summary

__all__ = ["EVENT_TYPES", "SCHEMA_VERSION", "EventType", "LeadEvent", "Subscriptions"]

SCHEMA_VERSION = 1


class LeadEvent(BaseModel):
    """One event about one lead. ``destinations`` are the receivers it is to be delivered to
    (set from the subscriptions when it is written; not part of the body)."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(default_factory=new_id)
    type: EventType
    conversation_id: str
    created_at: datetime
    lead: dict[str, Any]
    data: dict[str, Any] = Field(default_factory=dict)
    destinations: tuple[str, ...] = Field(default=(), exclude=True)
    sequence: int | None = Field(default=None, exclude=True)
    """The event's place among its lead's events (higher is later), once stored."""
    superseded: bool = Field(default=False, exclude=True)
    """A later event of the lead already reached this destination (a retried dead letter):
    its snapshot of the lead is out of date."""

    def body(self) -> dict[str, Any]:
        """The JSON document receivers get."""
        return {
            "schema_version": SCHEMA_VERSION,
            "id": self.id,
            "type": self.type,
            "created_at": self.created_at.isoformat(),
            "sequence": self.sequence,
            "superseded": self.superseded,
            "lead": self.lead,
            "data": self.data,
        }


class Subscriptions:
    """Which destinations want which event types."""

    def __init__(self, wanted: Mapping[str, Iterable[str]] | None = None) -> None:
        self._wanted = {name: tuple(patterns) for name, patterns in (wanted or {}).items()}
        self._by_type: dict[str, tuple[str, ...]] = {
            kind: tuple(name for name, patterns in self._wanted.items() if matches(patterns, kind))
            for kind in EVENT_TYPES
        }

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._wanted)

    def destinations_for(self, event_type: str) -> tuple[str, ...]:
        return self._by_type.get(event_type, ())

    def route(self, events: Iterable[LeadEvent]) -> list[LeadEvent]:
        """The events with their destinations set."""
        routed = []
        for event in events:
            names = self._by_type.get(event.type, ())
            routed.append(event.model_copy(update={"destinations": names}) if names else event)
        return routed


def _fact(fact: Any) -> dict[str, Any] | None:
    if fact is None:
        return None
    value = fact.value
    out: dict[str, Any] = (
        value.model_dump(mode="json") if isinstance(value, BaseModel) else {"value": value}
    )
    out["quote"] = fact.evidence.quote
    return out


def _value(fact: Any) -> Any:
    return None if fact is None else fact.value


def lead_snapshot(
    conversation: Conversation, breakdown: ScoreBreakdown, segment: Segment
) -> dict[str, Any]:
    """The lead as receivers see it, after a change."""
    profile: LeadProfile = conversation.profile
    handoff = (
        {"reason": conversation.handoff_reason, "at": conversation.handoff_at.isoformat()}
        if conversation.handoff_at is not None
        else None
    )
    return {
        "id": conversation.lead,
        "conversation_id": conversation.id,
        "channel": conversation.channel,
        "created_at": conversation.created_at.isoformat(),
        "updated_at": conversation.updated_at.isoformat(),
        "last_message_at": (
            conversation.last_message_at.isoformat() if conversation.last_message_at else None
        ),
        "score": breakdown.total,
        "score_breakdown": [
            {"rule": item.rule, "label": item.label, "points": item.points}
            for item in breakdown.items
        ],
        "segment": segment.name,
        "band": segment.band,
        "tags": list(segment.tags),
        "sales_channel": segment.channel,
        "follow_up": segment.follow_up.as_dict(),
        "budget": _fact(profile.budget),
        "authority": _fact(profile.authority),
        "need": _fact(profile.need),
        "timeline": _fact(profile.timeline),
        "contact": {
            "name": _value(profile.contact_name),
            "email": _value(profile.email),
            "company": _value(profile.company_name),
            "company_size": _value(profile.company_size),
            "industry": _value(profile.industry),
        },
        "disqualifier": (
            {"kind": profile.disqualifier.value, "reason": segment.disqualified_reason}
            if profile.disqualifier is not None
            else None
        ),
        "signals": list(profile.signals.value) if profile.signals is not None else [],
        "open_questions": [fact.value for fact in profile.open_questions],
        "handoff": handoff,
        "summary": template_summary(profile, conversation.handoff_reason),
        "context": context_payload(conversation),
        "prompt_version": conversation.prompt_version,
        "playbook_version": conversation.playbook_version,
        "version": conversation.version,
    }


def context_payload(conversation: Conversation) -> dict[str, Any] | None:
    """Where the chat started, as in the lead snapshot (None when the channel sent none)."""
    context = conversation.context
    return None if context is None else context.model_dump(mode="json")


def turn_events(
    before: Conversation,
    after: Conversation,
    breakdown: ScoreBreakdown,
    segment: Segment,
    *,
    handoff: tuple[str, str] | None,
    now: datetime,
    withdrawn: str | None = None,
) -> list[LeadEvent]:
    """The events of one prospect turn: ``lead.created`` on the first message, else
    ``lead.updated`` when the lead changed; ``lead.segment_changed`` when it moved,
    ``lead.handoff`` when it became due for a person (``handoff`` = reason, channel) and
    ``lead.handoff_withdrawn`` when its handoff was withdrawn (``withdrawn`` = why)."""
    first = before.prospect_messages == 0
    moved = not first and before.segment != after.segment
    changed = first or moved or before.score != after.score or before.profile != after.profile
    if not changed and handoff is None and withdrawn is None:
        return []
    lead = lead_snapshot(after, breakdown, segment)
    events: list[LeadEvent] = []
    if first:
        events.append(_event("lead.created", after, lead, now))
    elif changed:
        events.append(_event("lead.updated", after, lead, now, cause="turn"))
    if moved:
        events.append(_moved(before.segment, after, lead, now, "turn"))
    if handoff is not None:
        reason, channel = handoff
        events.append(_event("lead.handoff", after, lead, now, reason=reason, channel=channel))
    if withdrawn is not None:
        events.append(
            _event(
                "lead.handoff_withdrawn",
                after,
                lead,
                now,
                reason=withdrawn,
                handoff_reason=before.handoff_reason,
            )
        )
    return _one_by_one(events)


def rescore_events(
    before: Conversation,
    after: Conversation,
    breakdown: ScoreBreakdown,
    segment: Segment,
    *,
    now: datetime,
    cause: str,
) -> list[LeadEvent]:
    """``lead.updated`` when a rescore changed the score, plus ``lead.segment_changed``
    when the lead moved (``cause``: "rescore" or "decay")."""
    if before.score == after.score and before.segment == after.segment:
        return []
    lead = lead_snapshot(after, breakdown, segment)
    events = [_event("lead.updated", after, lead, now, cause=cause)]
    if before.segment != after.segment:
        events.append(_moved(before.segment, after, lead, now, cause))
    return _one_by_one(events)


def _one_by_one(events: list[LeadEvent]) -> list[LeadEvent]:
    """Events of one change, each with a time of its own in the order they happened (a
    microsecond apart)."""
    return [
        event.model_copy(update={"created_at": event.created_at + timedelta(microseconds=n)})
        for n, event in enumerate(events)
    ]


def claimed_event(
    conversation: Conversation,
    breakdown: ScoreBreakdown,
    segment: Segment,
    *,
    user: str,
    now: datetime,
) -> LeadEvent:
    lead = lead_snapshot(conversation, breakdown, segment)
    return _event("lead.claimed", conversation, lead, now, claimed_by=user)


def status_changed_event(
    conversation: Conversation,
    breakdown: ScoreBreakdown,
    segment: Segment,
    *,
    status: str,
    reason: str | None,
    changed_by: str,
    now: datetime,
) -> LeadEvent:
    """Sales moved the lead (new, contacted, meeting, won, lost): ``data.status``,
    ``data.reason`` (why it was won or lost), ``data.changed_by``; the store adds
    ``data.old_status`` and ``data.owner`` as they are when it records the change."""
    lead = lead_snapshot(conversation, breakdown, segment)
    return _event(
        "lead.status_changed",
        conversation,
        lead,
        now,
        status=status,
        reason=reason,
        changed_by=changed_by,
    )


def merged_event(
    conversation: Conversation, breakdown: ScoreBreakdown, segment: Segment, *, now: datetime
) -> LeadEvent:
    """The conversation joined an earlier lead of the same email: the store sends this only
    when it did, with ``data.absorbed_id`` (the id the conversation's lead had, which
    receivers should fold into ``data.lead_id``) and the merged lead as it is now."""
    lead = lead_snapshot(conversation, breakdown, segment)
    return _event("lead.merged", conversation, lead, now)


def erased_event(
    conversation_id: str, *, now: datetime, slack: tuple[str, str] | None = None
) -> LeadEvent:
    """Only the id: the lead's data is gone, and receivers should erase their copy too.
    ``slack`` is where the lead's handoff was posted (channel, message ts), to be redacted."""
    data = {"slack_channel": slack[0], "slack_ts": slack[1]} if slack else {}
    return LeadEvent(
        type="lead.erased",
        conversation_id=conversation_id,
        created_at=now,
        lead={"id": conversation_id},
        data=data,
    )


def _moved(
    old: str, conversation: Conversation, lead: dict[str, Any], now: datetime, cause: str
) -> LeadEvent:
    return _event(
        "lead.segment_changed",
        conversation,
        lead,
        now,
        old_segment=old,
        new_segment=conversation.segment,
        cause=cause,
    )


def _event(
    kind: EventType, conversation: Conversation, lead: dict[str, Any], now: datetime, **data: Any
) -> LeadEvent:
    return LeadEvent(
        type=kind, conversation_id=conversation.id, created_at=now, lead=lead, data=data
    )


def sample_event(playbook: Playbook, event_type: EventType, *, now: datetime) -> LeadEvent:
    """A realistic event about a made-up lead, for trying a receiver (``qualify webhooks
    test``). Its ``data`` says it is a test."""
    said = Evidence(message_id="sample", quote="(sample)", at=now)
    profile = LeadProfile(
        budget=Fact[Budget](
            value=Budget(status="known", amount_min=60000, currency="USD", annual_usd=60000),
            evidence=said.model_copy(update={"quote": "About $60k a year"}),
        ),
        authority=Fact[Authority](
            value=Authority(role="VP of Product", level="decision_maker"),
            evidence=said.model_copy(update={"quote": "I'm the VP of Product"}),
        ),
        need=Fact[Need](
            value=Need(use_cases=("funnel and conversion analysis",), fit="strong"),
            evidence=said.model_copy(update={"quote": "fix our checkout funnel"}),
        ),
        timeline=Fact[Timeline](
            value=Timeline(text="next quarter", months=3),
            evidence=said.model_copy(update={"quote": "Next quarter"}),
        ),
        company_name=Fact[str](value="Example Co", evidence=said),
        company_size=Fact[int](value=300, evidence=said),
        industry=Fact[Industry](value="saas", evidence=said),
        contact_name=Fact[str](value="Jane Doe", evidence=said),
        email=Fact[str](value="jane@example.com", evidence=said),
    )
    conversation = Conversation(
        id="sample-lead",
        channel="web",
        created_at=now,
        updated_at=now,
        last_message_at=now,
        today=now.date(),
        profile=profile,
    )
    breakdown = score(profile, playbook)
    seg = segment(profile, breakdown, playbook)
    conversation = conversation.model_copy(update={"score": breakdown.total, "segment": seg.name})
    if event_type == "lead.erased":
        return erased_event(conversation.id, now=now).model_copy(update={"data": {"test": True}})
    data: dict[str, Any] = {
        "lead.updated": {"cause": "turn"},
        "lead.segment_changed": {"old_segment": "warm", "new_segment": seg.name, "cause": "turn"},
        "lead.handoff": {"reason": "hot_lead", "channel": seg.channel},
        "lead.handoff_withdrawn": {"reason": "no_longer_hot", "handoff_reason": "hot_lead"},
        "lead.claimed": {"claimed_by": "U0SAMPLE"},
        "lead.merged": {"absorbed_id": "sample-absorbed", "lead_id": conversation.id},
        "lead.status_changed": {
            "status": "won",
            "old_status": "meeting",
            "reason": "Signed the annual plan",
            "owner": "jane.rep",
            "changed_by": "admin-api",
        },
    }.get(event_type, {})
    lead = lead_snapshot(conversation, breakdown, seg)
    return _event(event_type, conversation, lead, now, **data, test=True)
