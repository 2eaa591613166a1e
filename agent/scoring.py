"""The deterministic scorer: profile + playbook in, score with a full breakdown out.

A pure function: no I/O, no clock, no model. Every point in the total comes from one
playbook rule, and the breakdown says which rule, which fact it read and the prospect's
words behind it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from agent.facts import FACT_READERS
from agent.models import Evidence, LeadProfile
from agent.playbook import Playbook, ScoreRule

Reader = Callable[[LeadProfile], tuple[Any, Evidence | None]]


@dataclass(frozen=True, slots=True)
class ScoreItem:
    """One rule that fired: its points and the evidence behind them."""

    rule: str
    label: str
    fact: str
    value: Any
    points: int
    quote: str | None = None
    message_id: str | None = None


@dataclass(frozen=True, slots=True)
class ScoreBreakdown:
    total: int
    items: tuple[ScoreItem, ...] = ()

    def explain(self) -> list[str]:
        """One line per rule that fired, for humans."""
        lines = []
        for item in self.items:
            sign = "+" if item.points >= 0 else ""
            source = f' ("{item.quote}")' if item.quote else ""
            lines.append(f"{sign}{item.points} {item.label}{source}")
        return lines


_Compiled = list[tuple[str, Reader, list[tuple[int, ScoreRule, Callable[[Any], bool]]]]]
_compiled: dict[int, tuple[Playbook, _Compiled]] = {}


def _compile(playbook: Playbook) -> _Compiled:
    """Rules grouped by the fact they read, so each fact is read once per profile."""
    cached = _compiled.get(id(playbook))
    if cached is not None and cached[0] is playbook:
        return cached[1]
    groups: dict[str, list[tuple[int, ScoreRule, Callable[[Any], bool]]]] = {}
    for order, rule in enumerate(playbook.scoring.rules):
        groups.setdefault(rule.fact, []).append((order, rule, rule.when.predicate()))
    compiled = [(fact, FACT_READERS[fact], rules) for fact, rules in groups.items()]
    _compiled[id(playbook)] = (playbook, compiled)
    return compiled


IDLE_DAYS = "idle_days"
"""The fact decay steps read: whole days since the prospect's last message."""


def score(
    profile: LeadProfile, playbook: Playbook, *, idle_days: int | None = None
) -> ScoreBreakdown:
    """Sum the points of every playbook rule whose condition holds for the profile.

    With ``idle_days`` (days since the prospect last wrote, on the date being scored),
    every decay step that many days reach applies too, after the rules.
    """
    fired: list[tuple[int, ScoreItem]] = []
    total = 0
    for fact, reader, rules in _compile(playbook):
        value, evidence = reader(profile)
        if value is None:
            continue
        for order, rule, holds in rules:
            if not holds(value):
                continue
            total += rule.points
            quote = evidence.quote if evidence is not None else None
            message_id = evidence.message_id if evidence is not None else None
            item = ScoreItem(rule.id, rule.label, fact, value, rule.points, quote, message_id)
            fired.append((order, item))
    fired.sort(key=lambda pair: pair[0])
    items = [item for _, item in fired]
    if idle_days is not None:
        for step in playbook.scoring.decay:
            if idle_days >= step.after_days:
                total += step.points
                items.append(ScoreItem(step.id, step.label, IDLE_DAYS, idle_days, step.points))
    return ScoreBreakdown(total, tuple(items))
