"""Leads made of several conversations: who a contact is (the normalised email) and the
lead's profile as the merge of its conversations' facts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from agent.models import Fact, LeadProfile, Superseded

MERGED_FIELDS: tuple[str, ...] = (
    "budget",
    "authority",
    "need",
    "timeline",
    "company_name",
    "company_size",
    "industry",
    "contact_name",
    "email",
    "disqualifier",
    "requested_human",
)
"""The lead profile's facts: the newest statement of each, in whichever conversation, is
the lead's, and the model is told each one known so far."""


def email_key(email: str | None) -> str | None:
    """The email as a contact is known by: trimmed and lowercased; None when empty."""
    if email is None or not email.strip():
        return None
    return email.strip().lower()


def merge_profiles(own: LeadProfile, others: Sequence[LeadProfile]) -> LeadProfile:
    """The lead's profile from its conversations' profiles: per fact the newest statement
    wins (by when it was said; ``own`` wins a tie), the values it replaced go to
    ``history`` with their quotes, and signals, open questions and history are joined."""
    if not others:
        return own
    profiles = (own, *others)
    update: dict[str, Any] = {}
    replaced: list[Superseded] = []
    for name in MERGED_FIELDS:
        facts = [fact for fact in (getattr(p, name) for p in profiles) if fact is not None]
        if not facts:
            continue
        winner = max(facts, key=lambda fact: fact.evidence.at)  # the first of the newest
        update[name] = winner
        replaced.extend(
            Superseded(
                field=name,
                value=_plain(fact.value),
                evidence=fact.evidence,
                replaced_by=winner.evidence.message_id,
            )
            for fact in facts
            if fact.value != winner.value
        )
    update["signals"] = _joined_signals(profiles)
    update["open_questions"] = _unique(
        [q for p in profiles for q in p.open_questions], key=lambda q: q.value
    )
    update["history"] = _unique(
        [*(item for p in profiles for item in p.history), *replaced],
        key=lambda item: (item.field, item.evidence.message_id, item.replaced_by),
    )
    return own.model_copy(update=update)


def _plain(value: Any) -> Any:
    dump = getattr(value, "model_dump", None)
    return dump(mode="json") if dump is not None else value


def _joined_signals(profiles: Sequence[LeadProfile]) -> Fact[tuple[str, ...]] | None:
    facts = [p.signals for p in profiles if p.signals is not None]
    if not facts:
        return None
    newest = max(facts, key=lambda fact: fact.evidence.at)
    values: list[str] = []
    for fact in facts:
        values.extend(v for v in fact.value if v not in values)
    return Fact[tuple[str, ...]](value=tuple(values), evidence=newest.evidence)


def _unique(items: list[Any], *, key: Any) -> tuple[Any, ...]:
    seen: set[Any] = set()
    out = []
    for item in items:
        mark = key(item)
        if mark not in seen:
            seen.add(mark)
            out.append(item)
    return tuple(out)
