"""The flat view of a lead profile that playbook rules read.

Rules name a fact (``budget.annual_usd``); this module is the one place that says how each
fact is read from the profile and which evidence backs it.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import Any

from agent.models import Evidence, Fact, LeadProfile

Reader = Callable[[LeadProfile], tuple[Any, Evidence | None]]


def _reader(fact: str, read: Callable[[Any], Any] | None = None) -> Reader:
    """Read profile fact ``fact``, then ``read`` of its value (the value itself without)."""
    get_fact = attrgetter(fact)

    def value_of(profile: LeadProfile) -> tuple[Any, Evidence | None]:
        found: Fact[Any] | None = get_fact(profile)
        if found is None:
            return None, None
        return (found.value if read is None else read(found.value)), found.evidence

    return value_of


FACT_READERS: dict[str, Reader] = {
    "budget.annual_usd": _reader("budget", attrgetter("annual_usd")),
    "budget.status": _reader("budget", attrgetter("status")),
    "budget.period": _reader("budget", attrgetter("period")),
    "authority.level": _reader("authority", attrgetter("level")),
    "authority.role": _reader("authority", attrgetter("role")),
    "need.fit": _reader("need", attrgetter("fit")),
    "need.use_cases": _reader("need", lambda need: list(need.use_cases)),
    "timeline.months": _reader("timeline", attrgetter("months")),
    "timeline.known": _reader("timeline", lambda _: True),
    "company.size": _reader("company_size"),
    "company.industry": _reader("industry"),
    "company.name": _reader("company_name"),
    "contact.email": _reader("email"),
    "disqualifier": _reader("disqualifier"),
    "requested_human": _reader("requested_human"),
    "signals": _reader("signals", list),
}

FACT_NAMES: frozenset[str] = frozenset(FACT_READERS)


def read_fact(profile: LeadProfile, name: str) -> tuple[Any, Evidence | None]:
    """The value of fact ``name`` (None when unknown) and the evidence behind it."""
    return FACT_READERS[name](profile)
