"""The playbook: one business's qualification, as data.

Loaded from YAML and validated here; every problem is reported with the file, the path of
the offending field (``scoring.rules[3].when``) and what is wrong.
"""

from __future__ import annotations

import hashlib
import operator
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from agent.errors import PlaybookError
from agent.event_types import event_pattern_ok
from agent.exemplars import NONE as EXEMPLAR_NONE
from agent.exemplars import Exemplars
from agent.facts import FACT_NAMES
from agent.models import DISQUALIFIERS, FIELD_NAMES, INDUSTRIES, Disqualifier, FieldName


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


class Question(_Strict):
    field: FieldName
    priority: int
    wordings: tuple[str, ...] = Field(min_length=2)
    quick_replies: tuple[str, ...] = ()


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


class Playbook(_Strict):
    name: str
    company: CompanyInfo
    fx: dict[str, float]
    need: NeedScope
    questions: tuple[Question, ...]
    scoring: Scoring
    disqualifiers: tuple[DisqualifierDef, ...] = ()
    competitors: tuple[str, ...] = ()
    exemplars: Exemplars = Field(default_factory=Exemplars)
    size_tiers: tuple[SizeTier, ...] = ()
    handoff: HandoffPolicy = HandoffPolicy()
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
