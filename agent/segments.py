"""The segmenter: which band a lead falls in, its tags, where it is routed and what follows.

Pure function of the profile, its score and the playbook. A disqualifier overrides the band.
"""

from __future__ import annotations

from dataclasses import dataclass

from agent.followups import DISQUALIFIED, FollowUp, follow_up
from agent.models import Disqualifier, LeadProfile
from agent.playbook import Playbook
from agent.routing import route
from agent.scoring import ScoreBreakdown

_Key = tuple[str, str | None, str | None, Disqualifier | None]
"""What a lead's segment depends on besides the playbook: band, industry, size tier and
disqualifier."""

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
    disqualifier = profile.disqualifier.value if profile.disqualifier is not None else None
    return _placed(playbook, (band, industry, tier, disqualifier))


_MEMO = 4096
"""Placements remembered per playbook: bands x industries x size tiers x disqualifiers."""
_placements: dict[int, tuple[Playbook, dict[_Key, Segment]]] = {}


def _placed(playbook: Playbook, key: _Key) -> Segment:
    """The segment for these facts, worked out once per playbook and combination."""
    cached = _placements.get(id(playbook))
    if cached is None or cached[0] is not playbook:
        cached = _placements[id(playbook)] = (playbook, {})
    known = cached[1]
    found = known.get(key)
    if found is None:
        found = _place(playbook, key)
        if len(known) < _MEMO:
            known[key] = found
    return found


def _place(playbook: Playbook, key: _Key) -> Segment:
    band, industry, tier, disqualifier = key
    reason = None
    name = band
    if disqualifier is not None:
        name = DISQUALIFIED
        reason = playbook.disqualifier_label(disqualifier)
    tags = tuple(
        tag
        for tag in (
            f"industry:{industry}" if industry else None,
            f"size:{tier}" if tier else None,
            f"disqualifier:{disqualifier}" if disqualifier else None,
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
