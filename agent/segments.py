"""The segmenter: which band a lead falls in, its tags, where it is routed and what follows.

Pure function of the profile, its score and the playbook. A disqualifier overrides the band.
"""

from __future__ import annotations

from dataclasses import dataclass

from agent.followups import DISQUALIFIED, FollowUp, follow_up
from agent.models import LeadProfile
from agent.playbook import Playbook
from agent.routing import route
from agent.scoring import ScoreBreakdown

__all__ = ["DISQUALIFIED", "Segment", "band_for", "segment", "size_tier_for"]


@dataclass(frozen=True, slots=True)
class Segment:
    """Where a lead stands: its segment (a band, or disqualified), tags, sales channel and
    follow-up."""

    name: str
    band: str
    channel: str
    follow_up: FollowUp
    disqualified_reason: str | None = None
    industry: str | None = None
    size_tier: str | None = None
    tags: tuple[str, ...] = ()


def band_for(total: int, playbook: Playbook) -> str:
    for band in playbook.scoring.bands:
        if band.min_score is None or total >= band.min_score:
            return band.name
    return playbook.scoring.bands[-1].name


def size_tier_for(size: int | None, playbook: Playbook) -> str | None:
    if size is None:
        return None
    for tier in playbook.size_tiers:
        if tier.contains(size):
            return tier.name
    return None


def segment(profile: LeadProfile, breakdown: ScoreBreakdown, playbook: Playbook) -> Segment:
    band = band_for(breakdown.total, playbook)
    industry = profile.industry.value if profile.industry is not None else None
    tier = size_tier_for(profile.company_size.value if profile.company_size else None, playbook)
    reason = None
    name = band
    if profile.disqualifier is not None:
        name = DISQUALIFIED
        reason = playbook.disqualifier_label(profile.disqualifier.value)
    tags = tuple(
        tag
        for tag in (
            f"industry:{industry}" if industry else None,
            f"size:{tier}" if tier else None,
            f"disqualifier:{profile.disqualifier.value}" if profile.disqualifier else None,
        )
        if tag is not None
    )
    return Segment(
        name=name,
        band=band,
        disqualified_reason=reason,
        industry=industry,
        size_tier=tier,
        tags=tags,
        channel=route(name, tier, industry, playbook),
        follow_up=follow_up(name, tags, playbook, disqualified_reason=reason),
    )
