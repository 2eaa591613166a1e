"""What an eval run produces: per-case outcomes and the checks against expectations.

Tolerances: budget and company size within ±10% of the expected value, timeline within
±1 month, email and company name case-insensitive; every other key must match exactly.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field, field_serializer

from agent.models import LeadProfile
from evals.cases import Expect

RELATIVE_TOLERANCE = 0.10
MONTHS_TOLERANCE = 1

FIELD_KEYS: tuple[str, ...] = (
    "budget_annual_usd",
    "budget_status",
    "authority_level",
    "need_fit",
    "timeline_months",
    "industry",
    "company_size",
    "company_name",
    "email",
    "disqualifier",
    "requested_human",
)
"""The expectation keys that read the lead profile; field accuracy is measured over these."""


class Observed(BaseModel):
    """What a conversation ended with, in the terms of the ``expect`` keys."""

    model_config = ConfigDict(frozen=True)

    budget_annual_usd: float | None = None
    budget_status: str | None = None
    authority_level: str | None = None
    need_fit: str | None = None
    timeline_months: int | None = None
    industry: str | None = None
    company_size: int | None = None
    company_name: str | None = None
    email: str | None = None
    disqualifier: str | None = None
    requested_human: bool = False
    segment: str | None = None
    handoff: bool = False

    @classmethod
    def from_profile(cls, profile: LeadProfile, *, segment: str, handoff: bool) -> Observed:
        budget = profile.budget.value if profile.budget else None
        return cls(
            budget_annual_usd=budget.annual_usd if budget else None,
            budget_status=budget.status if budget else None,
            authority_level=profile.authority.value.level if profile.authority else None,
            need_fit=profile.need.value.fit if profile.need else None,
            timeline_months=profile.timeline.value.months if profile.timeline else None,
            industry=profile.industry.value if profile.industry else None,
            company_size=profile.company_size.value if profile.company_size else None,
            company_name=profile.company_name.value if profile.company_name else None,
            email=profile.email.value if profile.email else None,
            disqualifier=profile.disqualifier.value if profile.disqualifier else None,
            requested_human=bool(profile.requested_human and profile.requested_human.value),
            segment=segment,
            handoff=handoff,
        )


class Check(BaseModel):
    """One expectation key checked against what the conversation produced."""

    model_config = ConfigDict(frozen=True)

    key: str
    expected: Any
    got: Any
    ok: bool


def within(expected: float | None, got: float | None, relative: float) -> bool:
    if expected is None or got is None:
        return expected is None and got is None
    return abs(got - expected) <= relative * abs(expected) + 1e-9


def matches(key: str, expected: Any, got: Any) -> bool:
    """Whether ``got`` satisfies the expectation ``expected`` for ``key``."""
    if key in ("budget_annual_usd", "company_size"):
        return within(expected, got, RELATIVE_TOLERANCE)
    if key == "timeline_months":
        if expected is None or got is None:
            return expected is None and got is None
        return bool(abs(got - expected) <= MONTHS_TOLERANCE)
    if key == "email" and expected is not None and got is not None:
        return str(expected).strip().lower() == str(got).strip().lower()
    if key == "company_name" and expected is not None and got is not None:
        # "Kindred Candle Co." and "Kindred Candle Co" at the end of a sentence are one name.
        return _name(expected) == _name(got)
    if key in ("requested_human", "handoff"):
        return bool(expected) == bool(got)
    return bool(expected == got)


def _name(value: object) -> str:
    return str(value).strip().rstrip(".").strip().lower()


REPLY_KEYS = ("replies", "never_repeats", "reply_language")
"""Checks of what the agent said, counted apart from the facts it recorded."""


def check_case(
    expect: Expect,
    observed: Observed | None,
    turns_to_qualify: int | None,
    replies: Sequence[str] = (),
    *,
    language: str | None = None,
    reply_languages: Sequence[str | None] = (),
) -> list[Check]:
    """One check per key the case's ``expect`` gives; all fail when nothing was observed.

    ``replies`` are the agent's messages after the greeting, for the reply checks. A case
    held in a ``language`` also checks that every reply was in it (``reply_languages``:
    each reply's detected language, None for a reply that tells none)."""
    checks: list[Check] = []
    if language is not None:
        checks.append(_language_check(language, replies, reply_languages))
    for key in expect.given():
        expected = getattr(expect, key)
        if key == "max_turns":
            ok = turns_to_qualify is not None and turns_to_qualify <= expected
            checks.append(Check(key=key, expected=expected, got=turns_to_qualify, ok=ok))
            continue
        if key in REPLY_KEYS:
            checks.append(_reply_check(key, expect, replies))
            continue
        got = getattr(observed, key) if observed is not None else None
        ok = observed is not None and matches(key, expected, got)
        checks.append(Check(key=key, expected=expected, got=got, ok=ok))
    return checks


def _language_check(
    language: str, replies: Sequence[str], reply_languages: Sequence[str | None]
) -> Check:
    wrong = [
        f"{found}: {text[:80]!r}"
        for text, found in zip(replies, reply_languages, strict=False)
        if found not in (None, language)
    ]
    return Check(
        key="reply_language", expected=language, got=wrong[0] if wrong else "ok", ok=not wrong
    )


def _reply_check(key: str, expect: Expect, replies: Sequence[str]) -> Check:
    if key == "never_repeats":
        repeated = [b for a, b in itertools.pairwise(replies) if a.strip() == b.strip()]
        wanted = bool(expect.never_repeats)
        got = repeated[0] if repeated else True
        return Check(key=key, expected=wanted, got=got, ok=(not repeated) == wanted)
    rules = expect.replies
    said = " ".join(replies).lower()
    missing = [p for p in (rules.must_include if rules else ()) if p.lower() not in said]
    present = [p for p in (rules.must_not_include if rules else ()) if p.lower() in said]
    problems = [f"missing {p!r}" for p in missing] + [f"said {p!r}" for p in present]
    expected = rules.model_dump(mode="json") if rules else None
    return Check(key=key, expected=expected, got="; ".join(problems) or "ok", ok=not problems)


class Turn(BaseModel):
    """One message of a case's conversation."""

    model_config = ConfigDict(frozen=True)

    role: Literal["agent", "prospect"]
    text: str
    asking: str | None = None
    handoff: str | None = None


class CaseResult(BaseModel):
    """The outcome of one case: what was observed, the checks, the transcript and usage."""

    id: str
    kind: str
    description: str = ""
    source: str = ""
    expect: Expect
    observed: Observed | None = None
    score: int | None = None
    prospect_messages: int = 0
    """Every message the prospect sent, including those after the lead qualified."""
    turns_to_qualify: int | None = None
    """Prospect messages until the agent had what it needs: no more questions, or a handoff
    due, whichever came first; None if neither happened."""
    model_calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    transcript: list[Turn] = Field(default_factory=list)
    error: str | None = None
    language: str | None = None
    """The language the case's conversation is held in, when the case names one."""
    reply_languages: list[str | None] = Field(default_factory=list)
    """The detected language of each agent reply after the greeting (None: it tells none)."""

    @property
    def replies(self) -> list[str]:
        """The agent's messages after the greeting."""
        return [turn.text for turn in self.transcript[1:] if turn.role == "agent"]

    @field_serializer("expect")
    def _only_given(self, expect: Expect) -> dict[str, Any]:
        return expect.model_dump(mode="json", exclude_unset=True)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def checks(self) -> list[Check]:
        return check_case(
            self.expect,
            self.observed,
            self.turns_to_qualify,
            self.replies,
            language=self.language,
            reply_languages=self.reply_languages,
        )

    @computed_field  # type: ignore[prop-decorator]
    @property
    def passed(self) -> bool:
        return self.error is None and all(check.ok for check in self.checks)


class RunInfo(BaseModel):
    """What ran: enough to compare results over time."""

    label: str = ""
    prompt_version: str
    playbook_version: str
    model: str
    today: date
    simulator: str = "lookup"
    concurrency: int = 1
    segments: list[str] = Field(default_factory=list)
    started_at: datetime
    seconds: float = 0.0
    case_files: list[str] = Field(default_factory=list)


class RunResult(BaseModel):
    info: RunInfo
    cases: list[CaseResult]
