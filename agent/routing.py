"""Routing and handoff: which sales channel a lead goes to, and when a human takes over."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from agent.models import LeadProfile
from agent.playbook import Playbook

if TYPE_CHECKING:
    from agent.segments import Segment

HandoffReason = Literal["hot_lead", "requested_human"]


def route(
    segment_name: str, size_tier: str | None, industry: str | None, playbook: Playbook
) -> str:
    """The first routing rule whose conditions all hold, else the default channel."""
    for rule in playbook.routing.routes:
        when = rule.when
        if when.segment is not None and when.segment != segment_name:
            continue
        if when.size_tier is not None and when.size_tier != size_tier:
            continue
        if when.industry is not None and when.industry != industry:
            continue
        return rule.channel
    return playbook.routing.default_channel


def handoff_reason(
    profile: LeadProfile, segment: Segment, playbook: Playbook, *, waited: bool = False
) -> HandoffReason | None:
    """Why this lead should go to a person now, or None. Disqualified leads never go.

    A request for a person goes to sales once the prospect has said anything about
    themselves or what they want, or after one message more (``waited``): "can I talk to
    someone?" from a stranger is first asked what it is about, so a job seeker or a vendor
    asking for "someone" is not sent to sales as a lead.
    """
    if profile.disqualifier is not None:
        return None
    if segment.name in playbook.handoff.segments:
        return "hot_lead"
    if requested_person(profile, playbook) and (waited or says_who(profile)):
        return "requested_human"
    return None


def requested_person(profile: LeadProfile, playbook: Playbook) -> bool:
    """The prospect asked for a person and the playbook hands such requests over."""
    asked = profile.requested_human is not None and profile.requested_human.value
    return playbook.handoff.on_request and asked


def says_who(profile: LeadProfile) -> bool:
    """Whether the prospect has said anything about themselves or what they want."""
    facts = (
        profile.company_name,
        profile.company_size,
        profile.industry,
        profile.authority,
        profile.budget,
        profile.timeline,
        profile.email,
    )
    return profile.is_known("need") or any(fact is not None for fact in facts)
