"""Nurture routing: what happens next for a lead, from its segment and tags.

A pure function of the segment, the tags and the playbook's ``follow_ups``: the first rule
whose segment and tags all match decides. Hot leads typically go to a sales handoff, others
to a nurture list an email tool acts on, and disqualified leads to no follow-up, with the
reason. Without ``follow_ups`` in the playbook, handoff segments go to sales, disqualified
leads nowhere, and every other segment to a nurture list named after it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from agent.playbook import FollowUpAction, FollowUpRule, Playbook

DISQUALIFIED = "disqualified"


@dataclass(frozen=True, slots=True)
class FollowUp:
    """The follow-up chosen for a lead and why."""

    action: FollowUpAction
    list: str | None
    reason: str

    @property
    def label(self) -> str:
        if self.action == "sales_handoff":
            return "Sales handoff"
        if self.action == "nurture":
            return f"Nurture: {self.list}"
        return "No follow-up"

    def as_dict(self) -> dict[str, str | None]:
        return {"action": self.action, "list": self.list, "reason": self.reason}


def _describe(rule: FollowUpRule) -> str:
    parts = [f"segment {rule.when.segment}" if rule.when.segment else "any segment"]
    parts += list(rule.when.tags)
    return " + ".join(parts)


def follow_up(
    segment: str,
    tags: Sequence[str],
    playbook: Playbook,
    *,
    disqualified_reason: str | None = None,
) -> FollowUp:
    """The follow-up for a lead in ``segment`` carrying ``tags``."""
    for rule in playbook.follow_ups:
        if rule.when.segment is not None and rule.when.segment != segment:
            continue
        if any(tag not in tags for tag in rule.when.tags):
            continue
        reason = rule.note or _describe(rule)
        if rule.action == "none" and disqualified_reason:
            reason = f"{reason}: {disqualified_reason}" if rule.note else disqualified_reason
        return FollowUp(rule.action, rule.list, reason)
    if segment == DISQUALIFIED:
        return FollowUp("none", None, disqualified_reason or "disqualified")
    if segment in playbook.handoff.segments:
        return FollowUp("sales_handoff", None, f"segment {segment}")
    return FollowUp("nurture", segment, f"segment {segment}")
