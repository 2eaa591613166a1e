"""The lead events there are, and how a subscription names the ones it wants."""

from __future__ import annotations

from typing import Literal, get_args

EventType = Literal[
    "lead.created",
    "lead.updated",
    "lead.segment_changed",
    "lead.handoff",
    "lead.handoff_withdrawn",
    "lead.claimed",
    "lead.status_changed",
    "lead.erased",
    "lead.merged",
]
EVENT_TYPES: tuple[EventType, ...] = get_args(EventType)


def event_pattern_ok(pattern: str) -> bool:
    """Whether a subscription entry is an event type, ``lead.*`` or ``*``."""
    return pattern in ("*", "lead.*") or pattern in EVENT_TYPES


def matches(patterns: tuple[str, ...] | list[str], event_type: str) -> bool:
    """Whether an event type is among the subscribed ones."""
    return any(p in ("*", "lead.*") or p == event_type for p in patterns)
