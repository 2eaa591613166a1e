"""The tool the model calls to record what the prospect said.

One ``update_lead`` tool with an optional group per field, rather than one tool per field:
a single message often carries several facts ("I'm the CTO, 300 people, need it next
quarter") and one call records them all in the same model response, which keeps the
one-model-call-per-turn budget. Each group is validated on its own, so a bad budget does
not lose a good timeline.

The schema has no score, segment or priority: the model can only report what the prospect
said. Scoring is done by :mod:`agent.scoring` from these facts.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from agent.models import AuthorityLevel, BudgetStatus, Disqualifier, Industry, NeedFit

TOOL_NAME = "update_lead"


class _Group(BaseModel):
    model_config = ConfigDict(extra="forbid")

    quote: str = Field(
        default="",
        description="The prospect's exact words this came from, copied from their message.",
    )


class BudgetUpdate(_Group):
    status: BudgetStatus = Field(
        default="known",
        description=(
            "known: an amount was given; no_budget: there is no budget; unknown: they do not "
            "know yet; refused: they would rather not say."
        ),
    )
    amount_min: float | str | None = Field(
        default=None,
        description=(
            "Lowest amount as a number or as said (e.g. 20000, '20k', 'fifty thousand'). "
            "'under 12k' is 0 to 12000; 'over', 'at least', 'up to' or 'max 50k' is 50000."
        ),
    )
    amount_max: float | str | None = Field(
        default=None,
        description="Highest amount of a range ('between 20 and 40k' -> 40000); omit otherwise.",
    )
    currency: str | None = Field(
        default=None, description="ISO 4217 code (USD, EUR, GBP, CAD, AUD, INR). Default USD."
    )
    period: str | None = Field(
        default=None,
        description=(
            "one_time, weekly, monthly, quarterly, semiannual or annual. Default annual. "
            "'30k a year' is a period, not a timeline."
        ),
    )


class AuthorityUpdate(_Group):
    role: str | None = Field(default=None, description="Their job title or role, as said.")
    level: AuthorityLevel = Field(
        description=(
            "decision_maker: owns the budget or makes the call; influencer: recommends or "
            "evaluates but someone else signs off; user: would use the product; unknown."
        )
    )
    settled: bool = Field(
        default=True,
        description=(
            "false when the level is only inferred, not said: 'my manager asked me to look "
            "into tools' (someone else decides, but do they recommend or only use it?). The "
            "role question is then still asked."
        ),
    )


class NeedUpdate(_Group):
    use_cases: list[str] = Field(
        default_factory=list, description="Short phrases for each problem or use case they named."
    )
    fit: NeedFit = Field(
        description=(
            "strong: all of it is in the product's scope; partial: some in scope, some not; "
            "none: only out-of-scope needs; unknown."
        )
    )
    dropped: list[str] = Field(
        default_factory=list,
        description=(
            "Use cases they named earlier and now take back ('forget the social posting part, "
            "we have a tool for that'), in the words recorded before; they are removed."
        ),
    )


class TimelineUpdate(_Group):
    text: str = Field(
        description=(
            "When they want to buy or start, in their words ('next quarter'). Never a past time "
            "or the period of an amount."
        )
    )
    months: int | None = Field(
        default=None,
        description="Whole months from today, only if certain; otherwise computed from text.",
    )


class CompanyUpdate(_Group):
    name: str | None = None
    size: int | str | None = Field(
        default=None, description="Number of employees, as a number or as said ('about 40')."
    )
    industry: Industry | None = None


class ContactUpdate(_Group):
    name: str | None = None
    email: str | None = None


class DisqualifierUpdate(_Group):
    kind: Disqualifier = Field(
        description=(
            "student: school or thesis project; job_seeker: looking for a job; competitor: "
            "works for a company making a similar product, named or not; vendor: selling "
            "something to us (developers, leads, agency services, candidates); spam: gibberish."
        )
    )


class HumanRequest(_Group):
    requested: bool = Field(
        default=True,
        description="True when they explicitly ask for a person, sales or a demo call.",
    )


class UpdateLead(BaseModel):
    """Record facts the prospect stated in their latest message. Leave out anything not said."""

    model_config = ConfigDict(extra="forbid", title=TOOL_NAME)

    budget: BudgetUpdate | None = None
    authority: AuthorityUpdate | None = None
    need: NeedUpdate | None = None
    timeline: TimelineUpdate | None = None
    company: CompanyUpdate | None = None
    contact: ContactUpdate | None = None
    disqualifier: DisqualifierUpdate | None = None
    human: HumanRequest | None = None


GROUP_MODELS: dict[str, type[_Group]] = {
    "budget": BudgetUpdate,
    "authority": AuthorityUpdate,
    "need": NeedUpdate,
    "timeline": TimelineUpdate,
    "company": CompanyUpdate,
    "contact": ContactUpdate,
    "disqualifier": DisqualifierUpdate,
    "human": HumanRequest,
}
