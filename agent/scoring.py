"""The deterministic scorer: profile + playbook in, score with a full breakdown out.

A pure function: no I/O, no clock, no model. Every point in the total comes from one
playbook rule, and the breakdown says which rule, which fact it read and the prospect's
words behind it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

from agent.facts import FACT_READERS
from agent.models import Evidence, LeadProfile
from agent.playbook import Playbook

Reader = Callable[[LeadProfile], tuple[Any, Evidence | None]]


class ScoreItem(NamedTuple):
    """One rule that fired: its points and the evidence behind them.

    A named tuple rather than a frozen dataclass: as immutable, and made several times
    faster, which the scorer's speed target needs (a profile fires four or five rules).
    """

    rule: str
    label: str
    fact: str
    value: Any
    points: int
    quote: str | None = None
    message_id: str | None = None


class ScoreBreakdown(NamedTuple):
    """The total and every rule that fired, in playbook order (a named tuple, like its items)."""

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


_Fired = tuple[int, str, str, str, int]
"""A rule as scoring needs it: its place in the playbook, id, label, fact and points."""

_MEMO = 4096
"""Values remembered per fact (amounts, months and sizes vary; enough for any playbook)."""


@dataclass(frozen=True, slots=True)
class _FactRules:
    """The rules that read one fact, and which of them each value seen so far fires.

    A rule's outcome depends only on the fact's value, so the scorer tests each value once
    and then looks it up: the fact is read once per profile and no rule is tested twice.
    """

    reader: Reader
    rules: tuple[tuple[_Fired, Callable[[Any], bool]], ...]
    known: dict[Any, tuple[_Fired, ...]]

    def firing(self, value: Any) -> tuple[_Fired, ...]:
        """The rules whose condition holds for ``value``, in playbook order."""
        key = (type(value), value)  # True and 1 are equal, yet not the same fact value
        try:
            return self.known[key]
        except KeyError:
            fired = tuple(rule for rule, holds in self.rules if holds(value))
            if len(self.known) < _MEMO:
                self.known[key] = fired
            return fired
        except TypeError:  # a list (use cases, signals) is tested every time
            return tuple(rule for rule, holds in self.rules if holds(value))


@dataclass(frozen=True, slots=True)
class _Rules:
    """A playbook's scoring rules grouped by fact. ``in_order``: reading the groups in turn
    gives the rules in playbook order (each fact's rules are together), so nothing to sort."""

    groups: tuple[_FactRules, ...]
    in_order: bool


_compiled: dict[int, tuple[Playbook, _Rules]] = {}


def _compile(playbook: Playbook) -> _Rules:
    """The playbook's rules grouped by the fact they read (kept for the playbook's lifetime)."""
    cached = _compiled.get(id(playbook))
    if cached is not None and cached[0] is playbook:
        return cached[1]
    groups: dict[str, list[tuple[_Fired, Callable[[Any], bool]]]] = {}
    for order, rule in enumerate(playbook.scoring.rules):
        fired = (order, rule.id, rule.label, rule.fact, rule.points)
        groups.setdefault(rule.fact, []).append((fired, rule.when.predicate()))
    orders = [fired[0] for rules in groups.values() for fired, _ in rules]
    compiled = _Rules(
        tuple(_FactRules(FACT_READERS[fact], tuple(rules), {}) for fact, rules in groups.items()),
        in_order=orders == sorted(orders),
    )
    _compiled[id(playbook)] = (playbook, compiled)
    return compiled


def _first(pair: tuple[int, ScoreItem]) -> int:
    return pair[0]


IDLE_DAYS = "idle_days"
"""The fact decay steps read: whole days since the prospect's last message."""


def score(
    profile: LeadProfile, playbook: Playbook, *, idle_days: int | None = None
) -> ScoreBreakdown:
    """Sum the points of every playbook rule whose condition holds for the profile.

    With ``idle_days`` (days since the prospect last wrote, on the date being scored),
    every decay step that many days reach applies too, after the rules.
    """
    rules = _compile(playbook)
    orders: list[int] = []
    items: list[ScoreItem] = []
    total = 0
    for group in rules.groups:
        value, evidence = group.reader(profile)
        if value is None:
            continue
        quote = evidence.quote if evidence is not None else None
        message_id = evidence.message_id if evidence is not None else None
        try:
            firing = group.known[type(value), value]
        except (KeyError, TypeError):  # a value not seen yet, or a list
            firing = group.firing(value)
        for order, rule_id, label, fact, points in firing:
            total += points
            orders.append(order)
            items.append(ScoreItem(rule_id, label, fact, value, points, quote, message_id))
    if not rules.in_order:
        items = [item for _, item in sorted(zip(orders, items, strict=True), key=_first)]
    if idle_days is not None:
        for step in playbook.scoring.decay:
            if idle_days >= step.after_days:
                total += step.points
                items.append(ScoreItem(step.id, step.label, IDLE_DAYS, idle_days, step.points))
    return ScoreBreakdown(total, tuple(items))
