"""The lead profile: every qualifying fact with the message it came from.

A fact keeps its evidence (message id, quoted span, time). A later statement replaces an
earlier one and the replaced value moves to ``history``, so nothing said is ever lost.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

FieldName = Literal["budget", "authority", "need", "timeline", "company", "contact"]
FIELD_NAMES: tuple[FieldName, ...] = (
    "budget",
    "authority",
    "need",
    "timeline",
    "company",
    "contact",
)

BudgetStatus = Literal["known", "no_budget", "unknown", "refused"]
BudgetPeriod = Literal["one_time", "weekly", "monthly", "quarterly", "semiannual", "annual"]
PERIODS_PER_YEAR: dict[str, float] = {
    "one_time": 1,
    "weekly": 52,
    "monthly": 12,
    "quarterly": 4,
    "semiannual": 2,
    "annual": 1,
}
"""How many times a budget of each period is spent in a year (one-time counts once)."""
AuthorityLevel = Literal["decision_maker", "influencer", "user", "unknown"]
NeedFit = Literal["strong", "partial", "none", "unknown"]
Industry = Literal["saas", "ecommerce", "agency", "fintech", "healthcare", "other"]
Disqualifier = Literal["student", "job_seeker", "competitor", "vendor", "spam"]

INDUSTRIES: tuple[Industry, ...] = ("saas", "ecommerce", "agency", "fintech", "healthcare", "other")
DISQUALIFIERS: tuple[Disqualifier, ...] = ("student", "job_seeker", "competitor", "vendor", "spam")

T = TypeVar("T")


class Evidence(BaseModel):
    """Where a value came from: the prospect message and the words in it."""

    model_config = ConfigDict(frozen=True)

    message_id: str
    quote: str
    at: datetime


class Fact(BaseModel, Generic[T]):
    """One extracted value and its evidence."""

    model_config = ConfigDict(frozen=True)

    value: T
    evidence: Evidence


class Budget(BaseModel):
    model_config = ConfigDict(frozen=True)

    status: BudgetStatus
    amount_min: float | None = None
    amount_max: float | None = None
    currency: str | None = None
    period: BudgetPeriod | None = None
    annual_usd: float | None = None


class Authority(BaseModel):
    model_config = ConfigDict(frozen=True)

    role: str | None = None
    level: AuthorityLevel = "unknown"
    settled: bool = True
    """False when the level is only inferred ("my manager asked me to look into tools"): the
    role question is still asked, and the answer replaces it."""


class Need(BaseModel):
    model_config = ConfigDict(frozen=True)

    use_cases: tuple[str, ...] = ()
    fit: NeedFit = "unknown"


class Timeline(BaseModel):
    model_config = ConfigDict(frozen=True)

    text: str
    months: int | None = None


class Superseded(BaseModel):
    """A value that a later statement replaced."""

    model_config = ConfigDict(frozen=True)

    field: str
    value: Any
    evidence: Evidence
    replaced_by: str


class LeadProfile(BaseModel):
    """Everything learned about one prospect. Serialisable to JSON and back."""

    model_config = ConfigDict(frozen=True)

    budget: Fact[Budget] | None = None
    authority: Fact[Authority] | None = None
    need: Fact[Need] | None = None
    timeline: Fact[Timeline] | None = None
    company_name: Fact[str] | None = None
    company_size: Fact[int] | None = None
    industry: Fact[Industry] | None = None
    contact_name: Fact[str] | None = None
    email: Fact[str] | None = None
    disqualifier: Fact[Disqualifier] | None = None
    requested_human: Fact[bool] | None = None
    signals: Fact[tuple[str, ...]] | None = None
    """Intent signals from the prospect's questions ("pricing"), merged across turns."""
    open_questions: tuple[Fact[str], ...] = Field(default=())
    """Questions the knowledge base could not answer, for the rep to follow up."""
    history: tuple[Superseded, ...] = Field(default=())

    def is_known(self, field: FieldName) -> bool:
        """Whether a question about ``field`` has been answered (refusals count as answers)."""
        if field == "budget":
            return self.budget is not None
        if field == "authority":
            return self.authority is not None
        if field == "need":
            return self.need is not None and (
                self.need.value.fit != "unknown" or bool(self.need.value.use_cases)
            )
        if field == "timeline":
            return self.timeline is not None
        if field == "company":
            return self.company_size is not None and self.industry is not None
        return self.email is not None

    def missing(self) -> list[FieldName]:
        return [name for name in FIELD_NAMES if not self.is_known(name)]


FACT_LABELS: tuple[tuple[str, str], ...] = (
    ("budget", "Budget"),
    ("authority", "Authority"),
    ("need", "Need"),
    ("timeline", "Timeline"),
    ("company_name", "Company"),
    ("company_size", "Employees"),
    ("industry", "Industry"),
    ("contact_name", "Contact"),
    ("email", "Email"),
    ("disqualifier", "Disqualifier"),
    ("requested_human", "Asked for a person"),
    ("signals", "Signals"),
)
"""The profile's facts in reading order, with the label people see."""
