"""Re-score stored leads with the current playbook, and apply score decay for a date.

Deterministic: the same leads, playbook and date give the same scores. Decay counts whole
days from the prospect's last message to the date; a lead that moves segment gets a
``lead.segment_changed`` event (with ``lead.updated``), written with the new score.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from agent.errors import ConversationChanged
from agent.events import LeadEvent, Subscriptions, rescore_events
from agent.leads import merge_profiles
from agent.models import LeadProfile
from agent.playbook import Playbook
from agent.scoring import IDLE_DAYS, score
from agent.segments import segment
from agent.store import Conversation, LeadFilter, Store


@dataclass(frozen=True, slots=True)
class ScoreChange:
    conversation_id: str
    old_score: int
    new_score: int
    old_segment: str
    new_segment: str
    decay: int = 0
    """Points the decay steps took off (0 or negative)."""
    idle_days: int | None = None
    follow_up: str | None = None
    """The new follow-up (e.g. "nurture:roi"), when the segment moved."""


@dataclass
class RescoreReport:
    checked: int = 0
    on: date | None = None
    changes: list[ScoreChange] = field(default_factory=list)
    events: int = 0
    busy: list[str] = field(default_factory=list)
    """Leads left as they were because turns kept writing them all the while."""

    @property
    def moved(self) -> list[ScoreChange]:
        return [c for c in self.changes if c.old_segment != c.new_segment]


async def rescore_all(
    store: Store,
    playbook: Playbook,
    *,
    write: bool = True,
    page: int = 500,
    on: date | None = None,
    subscriptions: Subscriptions | None = None,
    now: datetime | None = None,
) -> RescoreReport:
    """Score every stored conversation again (with decay as of ``on``, if the playbook has
    decay steps and a date is given); write the ones that changed, with their events,
    unless ``write`` is False."""
    report = RescoreReport(on=on)
    subscriptions = subscriptions or Subscriptions()
    now = now or datetime.now(UTC)
    offset = 0
    while True:
        batch = await store.list_conversations(limit=page, offset=offset, where=_OLDEST_FIRST)
        if not batch:
            return report
        offset += len(batch)
        for conversation in batch:
            report.checked += 1
            await _rescore_one(store, playbook, conversation, report, on, write, subscriptions, now)


async def _rescore_one(
    store: Store,
    playbook: Playbook,
    conversation: Conversation,
    report: RescoreReport,
    on: date | None,
    write: bool,
    subscriptions: Subscriptions,
    now: datetime,
) -> None:
    """Rescore one conversation; when a turn wrote it meanwhile (or is writing it), read it
    again and start over, so what the prospect just said is never written over."""
    for _ in range(_ATTEMPTS):
        profile = await _lead_profile(store, conversation)
        change, updated, events = _rescored(playbook, conversation, profile, on, now)
        if updated is None:
            return
        if not write:
            _note(report, change, ())
            return
        try:
            await store.save_turn(updated, None, None, subscriptions.route(events))
        except ConversationChanged:
            await asyncio.sleep(0.02)
            fresh = await store.get_conversation(conversation.id)
            if fresh is None:
                return  # erased meanwhile
            conversation = fresh
            continue
        _note(report, change, events)
        return
    report.busy.append(conversation.id)


async def _lead_profile(store: Store, conversation: Conversation) -> LeadProfile:
    """The profile of the lead ``conversation`` stands for: its own facts merged with those
    of the other conversations of its email (leads linked by an upgrade are merged here)."""
    email = conversation.profile.email
    if email is None:
        return conversation.profile
    found = await store.lead_profiles(email.value, exclude=conversation.id)
    return conversation.profile if found is None else merge_profiles(conversation.profile, found[1])


# Pages in the order conversations started, which turns running meanwhile do not change.
_OLDEST_FIRST = LeadFilter(order_by="created_at", descending=False)
_ATTEMPTS = 200
"""Attempts at writing one lead's new score while turns keep writing it (20 ms apart)."""


def _note(report: RescoreReport, change: ScoreChange | None, events: Sequence[LeadEvent]) -> None:
    if change is not None:
        report.changes.append(change)
    report.events += len(events)


def _rescored(
    playbook: Playbook,
    conversation: Conversation,
    profile: LeadProfile,
    on: date | None,
    now: datetime,
) -> tuple[ScoreChange | None, Conversation | None, list[LeadEvent]]:
    """The score change, the conversation to write with the lead's ``profile`` (None when
    nothing changed) and its events."""
    decays = on is not None and bool(playbook.scoring.decay)
    idle = conversation.idle_days(on) if decays and on is not None else None
    breakdown = score(profile, playbook, idle_days=idle)
    seg = segment(profile, breakdown, playbook)
    scored_on = on if decays else None
    if (
        breakdown.total == conversation.score
        and seg.name == conversation.segment
        and scored_on == conversation.scored_on
        and profile == conversation.profile
    ):
        return None, None, []
    decay = sum(item.points for item in breakdown.items if item.fact == IDLE_DAYS)
    follow = seg.follow_up
    change = None
    if breakdown.total != conversation.score or seg.name != conversation.segment:
        change = ScoreChange(
            conversation.id,
            conversation.score,
            breakdown.total,
            conversation.segment,
            seg.name,
            decay=decay,
            idle_days=idle,
            follow_up=follow.action + (f":{follow.list}" if follow.list else ""),
        )
    updated = conversation.model_copy(
        update={
            "profile": profile,
            "score": breakdown.total,
            "segment": seg.name,
            "follow_up": follow.as_dict(),
            "playbook_version": playbook.version,
            "scored_on": scored_on,
            "updated_at": max(now, conversation.updated_at),
        }
    )
    events = rescore_events(
        conversation, updated, breakdown, seg, now=now, cause="decay" if decay else "rescore"
    )
    return change, updated, events
