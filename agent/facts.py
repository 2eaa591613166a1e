"""The flat view of a lead profile that playbook rules read.

Rules name a fact (``budget.annual_usd``); this module is the one place that says how each
fact is read from the profile and which evidence backs it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from agent.models import Evidence, Fact, LeadProfile


def _get(fact: Fact[Any] | None, read: Callable[[Any], Any]) -> tuple[Any, Evidence | None]:
    if fact is None:
        return None, None
    return read(fact.value), fact.evidence


FACT_READERS: dict[str, Callable[[LeadProfile], tuple[Any, Evidence | None]]] = {
    "budget.annual_usd": lambda p: _get(p.budget, lambda v: v.annual_usd),
    "budget.status": lambda p: _get(p.budget, lambda v: v.status),
    "budget.period": lambda p: _get(p.budget, lambda v: v.period),
    "authority.level": lambda p: _get(p.authority, lambda v: v.level),
    "authority.role": lambda p: _get(p.authority, lambda v: v.role),
    "need.fit": lambda p: _get(p.need, lambda v: v.fit),
    "need.use_cases": lambda p: _get(p.need, lambda v: list(v.use_cases)),
    "timeline.months": lambda p: _get(p.timeline, lambda v: v.months),
    "timeline.known": lambda p: _get(p.timeline, lambda v: True),
    "company.size": lambda p: _get(p.company_size, lambda v: v),
    "company.industry": lambda p: _get(p.industry, lambda v: v),
    "company.name": lambda p: _get(p.company_name, lambda v: v),
    "contact.email": lambda p: _get(p.email, lambda v: v),
    "disqualifier": lambda p: _get(p.disqualifier, lambda v: v),
    "requested_human": lambda p: _get(p.requested_human, lambda v: v),
    "signals": lambda p: _get(p.signals, lambda v: list(v)),
}

FACT_NAMES: frozenset[str] = frozenset(FACT_READERS)


def read_fact(profile: LeadProfile, name: str) -> tuple[Any, Evidence | None]:
    """The value of fact ``name`` (None when unknown) and the evidence behind it."""
    return FACT_READERS[name](profile)
