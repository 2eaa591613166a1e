"""Re-score stored leads with the current playbook, and apply score decay for a date.

Deterministic: the same leads, playbook and date give the same scores. Decay counts whole
days from the prospect's last message to the date; a lead that moves segment gets a
``lead.segment_changed`` event (with ``lead.updated``), written with the new score.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from agent.events import Subscriptions, rescore_events
from agent.playbook import Playbook
from agent.scoring import IDLE_DAYS, score
from agent.segments import segment
from agent.store import Store


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
    decays = on is not None and bool(playbook.scoring.decay)
    offset = 0
    while True:
        batch = await store.list_conversations(limit=page, offset=offset)
        if not batch:
            return report
        offset += len(batch)
        for conversation in batch:
            report.checked += 1
            idle = conversation.idle_days(on) if decays and on is not None else None
            breakdown = score(conversation.profile, playbook, idle_days=idle)
            seg = segment(conversation.profile, breakdown, playbook)
            scored_on = on if decays else None
            if (
                breakdown.total == conversation.score
                and seg.name == conversation.segment
                and scored_on == conversation.scored_on
            ):
                continue
            decay = sum(item.points for item in breakdown.items if item.fact == IDLE_DAYS)
            follow = seg.follow_up
            if breakdown.total != conversation.score or seg.name != conversation.segment:
                report.changes.append(
                    ScoreChange(
                        conversation.id,
                        conversation.score,
                        breakdown.total,
                        conversation.segment,
                        seg.name,
                        decay=decay,
                        idle_days=idle,
                        follow_up=follow.action + (f":{follow.list}" if follow.list else ""),
                    )
                )
            if not write:
                continue
            updated = conversation.model_copy(
                update={
                    "score": breakdown.total,
                    "segment": seg.name,
                    "follow_up": follow.as_dict(),
                    "playbook_version": playbook.version,
                    "scored_on": scored_on,
                }
            )
            events = rescore_events(
                conversation,
                updated,
                breakdown,
                seg,
                now=now,
                cause="decay" if decay else "rescore",
            )
            report.events += len(events)
            await store.save_turn(updated, None, None, subscriptions.route(events))
