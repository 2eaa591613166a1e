"""The playbook: one business's qualification, as data.

Loaded from YAML and validated here; every problem is reported with the file, the path of
the offending field (``scoring.rules[3].when``) and what is wrong.
"""

from __future__ import annotations

import hashlib
import operator
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from agent.errors import InvalidQuickReply, PlaybookError
from agent.event_types import event_pattern_ok
from agent.exemplars import NONE as EXEMPLAR_NONE
from agent.exemplars import Exemplars
from agent.facts import FACT_NAMES
from agent.models import (
    DISQUALIFIERS,
    FIELD_NAMES,
    INDUSTRIES,
    BudgetPeriod,
    Disqualifier,
    FieldName,
)
from agent.tools import BudgetUpdate, TimelineUpdate
from agent.translations import QuestionTexts, Translation, language_problem, missing_texts


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Plan(_Strict):
    name: str
    price_usd_per_year: float | None = None
    note: str | None = None


class CompanyInfo(_Strict):
    name: str
    description: str
    plans: tuple[Plan, ...] = ()


class ScopeItem(_Strict):
    name: str
    keywords: tuple[str, ...] = Field(min_length=1)
    examples: tuple[str, ...] = ()
    """Sentences a prospect with this need might say; with the keywords, they are the
    examples the offline model matches needs said in other words against."""


class NeedScope(_Strict):
    in_scope: tuple[ScopeItem, ...] = Field(min_length=1)
    out_of_scope: tuple[ScopeItem, ...] = ()


class SignalDef(_Strict):
    """An intent signal: a topic a prospect's questions show interest in ("pricing").

    Questions that use one of the keywords (whole words, any case) add the signal to the
    lead, where scoring rules read it as the fact ``signals``.
    """

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    keywords: tuple[str, ...] = Field(min_length=1)


def _known_keys(data: Any, kind: str, keys: tuple[str, ...]) -> Any:
    """A chip's value takes only ``keys``; no quote or text: the label is what was said."""
    if isinstance(data, dict):
        for key in data:
            if key in ("quote", "text"):
                raise ValueError(
                    f"{key!r} is not part of a quick reply's value: the label is the "
                    "prospect's words"
                )
            if key not in keys:
                raise ValueError(f"unknown key {key!r}; a {kind} value takes {', '.join(keys)}")
    return data


class BudgetChoice(BudgetUpdate):
    """What a budget quick reply means: the ``update_lead`` budget group, with numbers.

    ``{amount_min: 0, amount_max: 12000}`` is a range (it scores at its midpoint), a lone
    ``amount_min`` one amount, and ``status`` other than known takes no amount.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    quote: str = Field(default="", exclude=True)
    amount_min: float | None = Field(default=None, ge=0)
    amount_max: float | None = Field(default=None, ge=0)
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    period: BudgetPeriod = "annual"

    @model_validator(mode="before")
    @classmethod
    def _keys(cls, data: Any) -> Any:
        keys = ("status", "amount_min", "amount_max", "currency", "period")
        return _known_keys(data, "budget", keys)

    @model_validator(mode="after")
    def _amounts_fit_the_status(self) -> BudgetChoice:
        given = self.amount_min is not None or self.amount_max is not None
        if self.status == "known" and not given:
            raise ValueError("a known budget needs amount_min, amount_max or both")
        if self.status != "known" and given:
            raise ValueError(f"a budget with status {self.status} takes no amount")
        low, high = self.amount_min, self.amount_max
        if low is not None and high is not None and high < low:
            raise ValueError(f"amount_max ({high:g}) is below amount_min ({low:g})")
        return self


class TimelineChoice(TimelineUpdate):
    """What a timeline quick reply means: whole months from today, or ``months: null`` for
    no timeline ("Just exploring"). The timeline's text is the label."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    quote: str = Field(default="", exclude=True)
    text: str = Field(default="", exclude=True)
    months: int | None = Field(ge=0, le=240)

    @model_validator(mode="before")
    @classmethod
    def _months_given(cls, data: Any) -> Any:
        data = _known_keys(data, "timeline", ("months",))
        if isinstance(data, dict) and "months" not in data:
            raise ValueError("needs months: a whole number of months, or null for no timeline")
        return data


ChoiceValue = BudgetChoice | TimelineChoice


def chip_key(text: str) -> str:
    """The form labels are compared in: NFC, case-folded, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


class QuickReply(_Strict):
    """A button under a question. Without a value it only sends its label as text; with
    one, picking it records exactly that value as the answer."""

    label: str = Field(min_length=1, max_length=200)
    value: ChoiceValue | None = None

    @field_validator("label")
    @classmethod
    def _label_has_words(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("a quick reply's label cannot be blank")
        return value.strip()

    def matches(self, text: str) -> bool:
        """Whether ``text`` is this chip's label (any case, any spacing)."""
        return chip_key(text) == chip_key(self.label)


class _BudgetQuickReply(QuickReply):
    value: BudgetChoice | None = None


class _TimelineQuickReply(QuickReply):
    value: TimelineChoice | None = None


class _LabelOnly(QuickReply):
    value: None = None

    @field_validator("value", mode="before")
    @classmethod
    def _no_value(cls, value: Any) -> Any:
        if value is not None:
            raise ValueError(
                "only budget and timeline quick replies can carry a value; "
                "give this one a label only"
            )
        return value


_QUICK_REPLY_LISTS: dict[str, TypeAdapter[Any]] = {
    "budget": TypeAdapter(tuple[_BudgetQuickReply, ...]),
    "timeline": TypeAdapter(tuple[_TimelineQuickReply, ...]),
}
_LABELS_ONLY: TypeAdapter[Any] = TypeAdapter(tuple[_LabelOnly, ...])


class Question(_Strict):
    field: FieldName
    priority: int
    wordings: tuple[str, ...] = Field(min_length=2)
    quick_replies: tuple[QuickReply, ...] = ()

    @field_validator("quick_replies", mode="before")
    @classmethod
    def _chips(cls, value: Any, info: ValidationInfo) -> Any:
        """Plain strings are labels; values are checked against the question's field."""
        if not isinstance(value, list | tuple):
            return value
        items = [{"label": item} if isinstance(item, str) else item for item in value]
        field = info.data.get("field")
        if field is None:
            return items  # the field itself is wrong: that is the error to report
        chips: tuple[QuickReply, ...] = _QUICK_REPLY_LISTS.get(
            str(field), _LABELS_ONLY
        ).validate_python(items)
        seen: dict[str, int] = {}
        for index, chip in enumerate(chips):
            first = seen.setdefault(chip_key(chip.label), index)
            if first != index:
                raise _error(
                    (index, "label"),
                    f"label {chip.label!r} is already quick reply [{first}] of this question",
                    chip.label,
                )
        return tuple(QuickReply(label=chip.label, value=chip.value) for chip in chips)

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(chip.label for chip in self.quick_replies)


def _error(loc: tuple[int | str, ...], message: str, value: Any) -> ValidationError:
    """A validation error at ``loc`` (relative to the field being validated)."""
    return ValidationError.from_exception_data(
        "Playbook",
        [InitErrorDetails(type=PydanticCustomError("value_error", message), loc=loc, input=value)],
    )


@dataclass(frozen=True, slots=True)
class QuickReplyRef:
    """Which chip a prospect picked: the question's field and the chip's position."""

    field: str
    index: int


@dataclass(frozen=True, slots=True)
class Choice:
    """A picked chip, resolved against the playbook."""

    field: FieldName
    index: int
    chip: QuickReply

    @property
    def ref(self) -> QuickReplyRef:
        return QuickReplyRef(self.field, self.index)


Scalar = str | int | float | bool


class Condition(_Strict):
    """A test on one fact. Every operator given must hold; an unknown fact never matches."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    eq: Scalar | None = None
    ne: Scalar | None = None
    in_: tuple[Scalar, ...] | None = Field(default=None, alias="in")
    not_in: tuple[Scalar, ...] | None = None
    gt: float | None = None
    gte: float | None = None
    lt: float | None = None
    lte: float | None = None
    contains: Scalar | None = None
    _checks: tuple[Callable[[Any], bool], ...] = PrivateAttr(default=())

    @model_validator(mode="after")
    def _has_an_operator(self) -> Condition:
        if all(getattr(self, name) is None for name in type(self).model_fields):
            raise ValueError("needs at least one of eq, ne, in, not_in, gt, gte, lt, lte, contains")
        return self

    def model_post_init(self, context: Any, /) -> None:
        checks: list[Callable[[Any], bool]] = []
        if self.eq is not None:
            checks.append(partial(operator.eq, self.eq))
        if self.ne is not None:
            checks.append(partial(operator.ne, self.ne))
        if self.in_ is not None:
            checks.append(frozenset(self.in_).__contains__)
        if self.not_in is not None:
            excluded = frozenset(self.not_in)
            checks.append(lambda value: value not in excluded)
        if self.contains is not None:
            item = self.contains
            checks.append(
                lambda value: isinstance(value, list | tuple | set | frozenset) and item in value
            )
        bounds = [
            (operator.gt, self.gt),
            (operator.ge, self.gte),
            (operator.lt, self.lt),
            (operator.le, self.lte),
        ]
        for compare, bound in bounds:
            if bound is not None:
                checks.append(partial(_numeric, compare, bound))
        self._checks = tuple(checks)

    def predicate(self) -> Callable[[Any], bool]:
        """A fast test equivalent to :meth:`holds`, for scoring many profiles."""
        operators = {name for name in type(self).model_fields if getattr(self, name) is not None}
        if operators == {"eq"}:
            return partial(operator.eq, self.eq)
        if operators <= _BOUNDS:
            return _within(self.gt, self.gte, self.lt, self.lte)
        checks = self._checks
        if len(checks) == 1:
            (only,) = checks
            return lambda value: value is not None and only(value)
        return lambda value: value is not None and all(check(value) for check in checks)

    def holds(self, value: Any) -> bool:
        """Whether ``value`` passes every operator; None (an unknown fact) never does."""
        return value is not None and all(check(value) for check in self._checks)


def _numeric(compare: Callable[[Any, Any], bool], bound: float, value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return compare(value, bound)


_BOUNDS = frozenset({"gt", "gte", "lt", "lte"})
_NUMBERS = (int, float)


def _within(
    gt: float | None, gte: float | None, lt: float | None, lte: float | None
) -> Callable[[Any], bool]:
    """A number test for bounds only, as one small closure: the scorer's hottest path."""
    given = ((gt, operator.gt), (gte, operator.ge), (lt, operator.lt), (lte, operator.le))
    tests = [(bound, compare) for bound, compare in given if bound is not None]
    if len(tests) == 1:
        ((only, holds),) = tests
        return lambda value: type(value) in _NUMBERS and holds(value, only)
    if len(tests) == 2:
        (first, holds_first), (second, holds_second) = tests
        return lambda value: (
            type(value) in _NUMBERS and holds_first(value, first) and holds_second(value, second)
        )
    return lambda value: (
        type(value) in _NUMBERS and all(holds(value, bound) for bound, holds in tests)
    )


class ScoreRule(_Strict):
    id: str
    label: str
    fact: str
    when: Condition
    points: int

    @field_validator("fact")
    @classmethod
    def _known_fact(cls, value: str) -> str:
        if value not in FACT_NAMES:
            raise ValueError(
                f"unknown fact {value!r}; known facts: {', '.join(sorted(FACT_NAMES))}"
            )
        return value


class Band(_Strict):
    name: str
    min_score: int | None = None


class DecayStep(_Strict):
    """Points a lead loses once the prospect has been silent for ``after_days`` days.

    Every step reached applies (-15 after 30 days and -15 after 60 is -30 at day 60).
    Decay is applied by ``qualify rescore`` for a given date; a new message resets it.
    """

    id: str
    label: str
    after_days: int = Field(ge=1)
    points: int = Field(le=0)


class Scoring(_Strict):
    rules: tuple[ScoreRule, ...]
    bands: tuple[Band, ...] = Field(min_length=1)
    decay: tuple[DecayStep, ...] = ()

    @model_validator(mode="after")
    def _check(self) -> Scoring:
        seen: set[str] = set()
        for rule_id in [rule.id for rule in self.rules] + [step.id for step in self.decay]:
            if rule_id in seen:
                raise ValueError(f"rule id {rule_id!r} is used twice")
            seen.add(rule_id)
        floors = [band.min_score for band in self.bands[:-1]]
        if any(floor is None for floor in floors):
            raise ValueError("every band but the last needs min_score")
        if self.bands[-1].min_score is not None:
            raise ValueError("the last band is the catch-all and takes no min_score")
        if floors != sorted(floors, reverse=True) or len(set(floors)) != len(floors):  # type: ignore[type-var]
            raise ValueError("bands must be listed from the highest min_score down")
        return self


class DisqualifierDef(_Strict):
    kind: Disqualifier
    label: str


class SizeTier(_Strict):
    name: str
    min_employees: int | None = None
    max_employees: int | None = None

    def contains(self, size: int) -> bool:
        low = self.min_employees if self.min_employees is not None else float("-inf")
        high = self.max_employees if self.max_employees is not None else float("inf")
        return low <= size <= high


class HandoffPolicy(_Strict):
    segments: tuple[str, ...] = ("hot",)
    on_request: bool = True
    response_time: str = Field(
        default="within one business day",
        min_length=1,
        description="When the team writes back by email, as the prospect is told it.",
    )


class Links(_Strict):
    """Where the agent points people it cannot help in the chat."""

    docs: str | None = Field(default=None, pattern=r"^https?://\S+$")
    careers: str | None = Field(default=None, pattern=r"^https?://\S+$")
    contact: str | None = Field(default=None, pattern=r"^https?://\S+$")


class RouteWhen(_Strict):
    segment: str | None = None
    size_tier: str | None = None
    industry: str | None = None


class RouteRule(_Strict):
    when: RouteWhen
    channel: str


class Routing(_Strict):
    default_channel: str
    routes: tuple[RouteRule, ...] = ()


FollowUpAction = Literal["sales_handoff", "nurture", "none"]


class FollowUpWhen(_Strict):
    """Which leads a follow-up rule is for: its segment, and tags they all carry."""

    segment: str | None = None
    tags: tuple[str, ...] = ()


class FollowUpRule(_Strict):
    """What happens next for the leads it matches: a sales handoff, a nurture list (for an
    email tool to act on), or nothing (said why)."""

    when: FollowUpWhen
    action: FollowUpAction
    list: str | None = Field(default=None, min_length=1, max_length=100)
    note: str | None = None

    @model_validator(mode="after")
    def _list_for_nurture(self) -> FollowUpRule:
        if self.action == "nurture" and self.list is None:
            raise ValueError("a nurture follow-up names its list")
        if self.action != "nurture" and self.list is not None:
            raise ValueError(f"only nurture follow-ups take a list, not {self.action}")
        return self


class WebhookEndpoint(_Strict):
    """A receiver of lead events. Its signing secret comes from the environment variable
    ``secret_env``, never from the playbook file."""

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")
    url: str = Field(pattern=r"^https?://\S+$")
    events: tuple[str, ...] = ("*",)
    secret_env: str | None = Field(default=None, pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    previous_secret_env: str | None = Field(default=None, pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    """While the secret rotates: the variable holding the old one (both sign requests)."""


_TYPED_CHOICES: dict[tuple[int, ...], tuple[tuple[Any, ...], dict[str, tuple[Choice, ...]]]] = {}
"""Playbook.typed_choice's index, by the identity of the parts it is built from (kept
alive with it, so an id is never another object's)."""


class Playbook(_Strict):
    name: str
    languages: tuple[str, ...] = Field(default=("en",), min_length=1)
    """The languages prospects are served in; the first is the one the playbook is
    written in, each other one has its texts in ``translations``."""
    team_language: str | None = None
    """The language the team reads leads in (the Slack card, the dashboard); the
    playbook's own language when not given."""
    translate_quotes: bool = True
    """With a model configured, a handoff summary's quotes in another language than the
    team's are followed by their translation."""
    company: CompanyInfo
    fx: dict[str, float]
    need: NeedScope
    questions: tuple[Question, ...]
    translations: dict[str, Translation] = Field(default_factory=dict)
    scoring: Scoring
    disqualifiers: tuple[DisqualifierDef, ...] = ()
    competitors: tuple[str, ...] = ()
    exemplars: Exemplars = Field(default_factory=Exemplars)
    size_tiers: tuple[SizeTier, ...] = ()
    handoff: HandoffPolicy = HandoffPolicy()
    links: Links = Links()
    routing: Routing
    signals: tuple[SignalDef, ...] = ()
    follow_ups: tuple[FollowUpRule, ...] = ()
    webhooks: tuple[WebhookEndpoint, ...] = ()
    booking_url: str | None = Field(
        default=None,
        description="A link where hot leads book a call (Calendly, Cal.com or any URL).",
        pattern=r"^https?://\S+$",
    )
    digest: str = Field(default="", exclude=True)
    source: str = Field(default="", exclude=True)

    @field_validator("fx")
    @classmethod
    def _fx(cls, value: dict[str, float]) -> dict[str, float]:
        out: dict[str, float] = {}
        for code, rate in value.items():
            if len(code) != 3 or not code.isalpha():
                raise ValueError(f"{code!r} is not a three-letter currency code")
            if rate <= 0:
                raise ValueError(f"rate for {code} must be positive, got {rate}")
            out[code.upper()] = rate
        if "USD" not in out:
            out["USD"] = 1.0
        return out

    @field_validator("languages")
    @classmethod
    def _languages(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for index, code in enumerate(value):
            problem = language_problem(code)
            if problem is not None:
                raise _error((index,), problem, code)
            if code in value[:index]:
                raise _error((index,), f"{code} is listed twice", code)
        return value

    @field_validator("team_language")
    @classmethod
    def _team_language(cls, value: str | None) -> str | None:
        problem = None if value is None else language_problem(value)
        if problem is not None:
            raise ValueError(problem)
        return value

    @field_validator("translations")
    @classmethod
    def _translations(
        cls, value: dict[str, Translation], info: ValidationInfo
    ) -> dict[str, Translation]:
        languages: tuple[str, ...] | None = info.data.get("languages")
        questions: tuple[Question, ...] | None = info.data.get("questions")
        need: NeedScope | None = info.data.get("need")
        if languages is None or questions is None or need is None:
            return value  # the error to report is in languages, questions or need
        names = [item.name for item in (*need.in_scope, *need.out_of_scope)]
        gaps = missing_texts(languages, value, questions, names)
        if gaps:
            raise ValidationError.from_exception_data(
                "Playbook",
                [
                    InitErrorDetails(
                        type=PydanticCustomError("value_error", problem), loc=loc, input=None
                    )
                    for loc, problem in gaps
                ],
            )
        return value

    @field_validator("questions")
    @classmethod
    def _chip_currencies(
        cls, value: tuple[Question, ...], info: ValidationInfo
    ) -> tuple[Question, ...]:
        fx: dict[str, float] | None = info.data.get("fx")
        if fx is None:
            return value
        for number, question in enumerate(value):
            for index, chip in enumerate(question.quick_replies):
                if isinstance(chip.value, BudgetChoice) and chip.value.currency not in fx:
                    raise _error(
                        (number, "quick_replies", index, "value", "currency"),
                        f"no fx rate for {chip.value.currency}; the fx table has "
                        + ", ".join(sorted(fx)),
                        chip.value.currency,
                    )
        return value

    @model_validator(mode="after")
    def _check(self) -> Playbook:
        fields = [question.field for question in self.questions]
        duplicated = {name for name in fields if fields.count(name) > 1}
        if duplicated:
            raise ValueError(f"questions: field(s) asked twice: {', '.join(sorted(duplicated))}")
        missing = [name for name in FIELD_NAMES if name not in fields]
        if missing:
            raise ValueError(f"questions: no question for field(s): {', '.join(missing)}")
        bands = {band.name for band in self.scoring.bands}
        for segment in self.handoff.segments:
            if segment not in bands:
                raise ValueError(f"handoff.segments names {segment!r}, which is not a band")
        tiers = {tier.name for tier in self.size_tiers}
        for rule in self.routing.routes:
            if rule.when.size_tier is not None and rule.when.size_tier not in tiers:
                raise ValueError(
                    f"routing names size tier {rule.when.size_tier!r}, not in size_tiers"
                )
        names = [signal.name for signal in self.signals]
        twice = {name for name in names if names.count(name) > 1}
        if twice:
            raise ValueError(f"signals: name(s) listed twice: {', '.join(sorted(twice))}")
        for scored in self.scoring.rules:
            wanted = scored.when.contains
            if scored.fact == "signals" and wanted is not None and wanted not in names:
                raise ValueError(
                    f"scoring rule {scored.id!r} reads signal {wanted!r}, which is not in signals"
                )
        self._check_follow_ups(bands)
        hooks = [hook.name for hook in self.webhooks]
        twice = {name for name in hooks if hooks.count(name) > 1}
        if twice:
            raise ValueError(f"webhooks: name(s) listed twice: {', '.join(sorted(twice))}")
        for hook in self.webhooks:
            for name in hook.events:
                if not event_pattern_ok(name):
                    raise ValueError(f"webhook {hook.name!r}: unknown event {name!r}")
        kinds = {item.kind for item in self.disqualifiers}
        if kinds and kinds != set(DISQUALIFIERS):
            absent = sorted(set(DISQUALIFIERS) - kinds)
            raise ValueError(f"disqualifiers: missing {', '.join(absent)}")
        self._check_exemplars()
        return self

    def _check_exemplars(self) -> None:
        """Example sentences are labelled with values their field has (or ``none``)."""
        allowed: dict[str, set[str]] = {
            "authority": {"decision_maker", "influencer", "user"},
            "budget_status": {"no_budget", "refused", "unknown"},
            "disqualifier": {item.kind for item in self.disqualifiers} or set(DISQUALIFIERS),
            "industry": set(INDUSTRIES),
        }
        for field, values in allowed.items():
            section = getattr(self.exemplars, field)
            if section is None:
                continue
            for label in section.examples:
                if label != EXEMPLAR_NONE and label not in values:
                    raise ValueError(
                        f"exemplars.{field}.examples: {label!r} is not a value of {field}; "
                        f"use one of {', '.join(sorted(values | {EXEMPLAR_NONE}))}"
                    )

    def _check_follow_ups(self, bands: set[str]) -> None:
        """With follow-ups, every segment (each band, and disqualified) must lead somewhere."""
        if not self.follow_ups:
            return
        segments = {*bands, "disqualified"}
        for rule in self.follow_ups:
            if rule.when.segment is not None and rule.when.segment not in segments:
                raise ValueError(
                    f"follow_ups names segment {rule.when.segment!r}; segments are "
                    + ", ".join(sorted(segments))
                )
        for name in sorted(segments):
            if not any(
                rule.when.segment in (None, name) and not rule.when.tags for rule in self.follow_ups
            ):
                raise ValueError(
                    f"follow_ups: segment {name!r} has no follow-up for leads without tags; "
                    f"add a rule with when: {{segment: {name}}}"
                )

    @property
    def version(self) -> str:
        return f"{self.name}@{self.digest[:12]}"

    def questions_by_priority(self) -> list[Question]:
        return sorted(self.questions, key=lambda question: -question.priority)

    def question(self, field: FieldName) -> Question:
        return next(question for question in self.questions if question.field == field)

    @property
    def language(self) -> str:
        """The language the playbook is written in (its first)."""
        return self.languages[0]

    @property
    def reps_language(self) -> str:
        """The language the team reads leads in."""
        return self.team_language or self.language

    def serves(self, language: str | None) -> str:
        """``language`` when prospects are served in it, else the playbook's own."""
        return language if language in self.languages else self.language

    def wordings(self, field: FieldName, language: str | None = None) -> tuple[str, ...]:
        """The question's wordings in ``language`` (the playbook's own if not served)."""
        translated = self._texts(field, language)
        return translated.wordings if translated else self.question(field).wordings

    def labels(self, field: FieldName, language: str | None = None) -> tuple[str, ...]:
        """The question's quick-reply labels in ``language``, in playbook order."""
        translated = self._texts(field, language)
        return translated.quick_replies if translated else self.question(field).labels

    def response_time(self, language: str | None = None) -> str:
        """When the team writes back by email, in ``language``."""
        translation = self.translations.get(self.serves(language))
        if translation is not None and translation.response_time:
            return translation.response_time
        return self.handoff.response_time

    def need_name(self, name: str, language: str | None = None) -> str:
        """A need's name (from ``need``) as a prospect in ``language`` reads it."""
        translation = self.translations.get(self.serves(language))
        if translation is None:
            return name
        return translation.needs.get(name, name)

    def _texts(self, field: FieldName, language: str | None) -> QuestionTexts | None:
        translation = self.translations.get(self.serves(language))
        return translation.questions.get(field) if translation is not None else None

    def _chip_labels(self, field: FieldName, index: int) -> list[str]:
        """Chip ``index`` of the ``field`` question's label in every language."""
        return [self.labels(field, code)[index] for code in self.languages]

    def choice(self, ref: QuickReplyRef, text: str | None = None) -> Choice:
        """The chip ``ref`` names, checked against the playbook and, when given, against
        the message ``text`` (which must be the chip's label); InvalidQuickReply if not."""
        question = next((q for q in self.questions if q.field == ref.field), None)
        if question is None:
            fields = ", ".join(q.field for q in self.questions if q.quick_replies)
            raise InvalidQuickReply(
                f"no question asks about {ref.field!r}; quick replies belong to: {fields}"
            )
        count = len(question.quick_replies)
        if count == 0:
            raise InvalidQuickReply(f"the {ref.field} question has no quick replies")
        if not 0 <= ref.index < count:
            raise InvalidQuickReply(
                f"the {ref.field} question has no quick reply {ref.index}; "
                f"it has {count} (0 to {count - 1})"
            )
        chip = question.quick_replies[ref.index]
        labels = self._chip_labels(question.field, ref.index)
        if text is not None and chip_key(text) not in {chip_key(label) for label in labels}:
            raise InvalidQuickReply(
                f"quick reply {ref.field} {ref.index} is {chip.label!r}, "
                f"but the message says {text[:100]!r}"
            )
        return Choice(field=question.field, index=ref.index, chip=chip)

    def _typed_choices(self) -> dict[str, tuple[Choice, ...]]:
        """The chips with a value by the key of each of their labels, in playbook order;
        built once for the playbook's questions and translations."""
        basis = (self.questions, self.translations, self.languages)
        key = tuple(id(part) for part in basis)
        cached = _TYPED_CHOICES.get(key)
        if cached is not None and all(a is b for a, b in zip(cached[0], basis, strict=True)):
            return cached[1]
        found: dict[str, list[Choice]] = {}
        for question in self.questions:
            for index, chip in enumerate(question.quick_replies):
                if chip.value is None:
                    continue
                labels = {chip_key(label) for label in self._chip_labels(question.field, index)}
                for label in labels:
                    found.setdefault(label, []).append(Choice(question.field, index, chip))
        built = {label: tuple(choices) for label, choices in found.items()}
        if len(_TYPED_CHOICES) >= 64:
            _TYPED_CHOICES.pop(next(iter(_TYPED_CHOICES)), None)
        _TYPED_CHOICES[key] = (basis, built)
        return built

    def typed_choice(self, text: str, asking: FieldName | None = None) -> Choice | None:
        """The chip with a value whose label ``text`` is (any case): a prospect who types
        "no budget yet" picked that chip. The question being asked wins; otherwise only a
        label no other question shares counts."""
        found = self._typed_choices().get(chip_key(text), ())
        asked = [choice for choice in found if choice.field == asking]
        if asked:
            return asked[0]
        return found[0] if len(found) == 1 else None

    def disqualifier_label(self, kind: Disqualifier) -> str:
        for item in self.disqualifiers:
            if item.kind == kind:
                return item.label
        return kind.replace("_", " ")


def _path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def parse_playbook(text: str, source: str = "<playbook>") -> Playbook:
    """Parse and validate playbook YAML; raise PlaybookError naming every problem."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise PlaybookError(source, [(where, f"not valid YAML: {problem}")]) from exc
    if not isinstance(data, dict):
        raise PlaybookError(source, [("", "must be a mapping of playbook sections")])
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    try:
        return Playbook.model_validate({**data, "digest": digest, "source": source})
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            message = error["msg"].removeprefix("Value error, ")
            problems.append((_path(error["loc"]), message))
        raise PlaybookError(source, problems) from exc


def load_playbook(path: Path | str) -> Playbook:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PlaybookError(path, [("", f"cannot read file: {exc.strerror or exc}")]) from exc
    except UnicodeDecodeError as exc:
        raise PlaybookError(path, [("", "not UTF-8 text")]) from exc
    return parse_playbook(text, str(path))
