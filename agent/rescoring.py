"""Re-score stored leads with the current playbook."""

from __future__ import annotations

from dataclasses import dataclass, field

from agent.playbook import Playbook
from agent.scoring import score
from agent.segments import segment
from agent.store import Store


@dataclass(frozen=True, slots=True)
class ScoreChange:
    conversation_id: str
    old_score: int
    new_score: int
    old_segment: str
    new_segment: str


@dataclass
class RescoreReport:
    checked: int = 0
    changes: list[ScoreChange] = field(default_factory=list)


async def rescore_all(
    store: Store, playbook: Playbook, *, write: bool = True, page: int = 500
) -> RescoreReport:
    """Score every stored conversation again; write the ones that changed unless told not to."""
    report = RescoreReport()
    offset = 0
    while True:
        batch = await store.list_conversations(limit=page, offset=offset)
        if not batch:
            return report
        offset += len(batch)
        for conversation in batch:
            report.checked += 1
            breakdown = score(conversation.profile, playbook)
            seg = segment(conversation.profile, breakdown, playbook)
            if breakdown.total == conversation.score and seg.name == conversation.segment:
                continue
            report.changes.append(
                ScoreChange(
                    conversation.id,
                    conversation.score,
                    breakdown.total,
                    conversation.segment,
                    seg.name,
                )
            )
            if write:
                updated = conversation.model_copy(
                    update={
                        "score": breakdown.total,
                        "segment": seg.name,
                        "playbook_version": playbook.version,
                    }
                )
                await store.save_turn(updated, None)
