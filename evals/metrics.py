"""Metrics of a run: field and segment accuracy, confusion tables, handoff precision/recall,
turns, usage, cost."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from statistics import fmean
from typing import Any, get_args

from pydantic import BaseModel, ConfigDict, Field, computed_field

from agent.models import AuthorityLevel, Disqualifier, NeedFit
from evals.pricing import Price, price_for
from evals.results import FIELD_KEYS, REPLY_KEYS, CaseResult, RunResult

ERROR_LABEL = "(error)"
"""The observed column of a case that ended in an error (nothing was observed)."""
NONE_LABEL = "(none)"
"""An absent value: expected absent (``key: null``) or not found in the conversation."""

FIELD_CONFUSIONS: dict[str, tuple[str, ...]] = {
    "authority_level": get_args(AuthorityLevel),
    "need_fit": get_args(NeedFit),
    "disqualifier": get_args(Disqualifier),
}
"""The lead-profile keys with a confusion table, and the values each can take."""


def ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def p90(values: Sequence[int | float]) -> float | None:
    """The 90th percentile by the nearest-rank method (a value that occurred), or None."""
    if not values:
        return None
    ordered = sorted(values)
    return float(ordered[math.ceil(0.9 * len(ordered)) - 1])


class Tally(BaseModel):
    """Correct out of checked, for one key."""

    model_config = ConfigDict(frozen=True)

    key: str
    correct: int = 0
    total: int = 0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def accuracy(self) -> float | None:
        return ratio(self.correct, self.total)


class HandoffScore(BaseModel):
    model_config = ConfigDict(frozen=True)

    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0
    true_negative: int = 0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def precision(self) -> float | None:
        return ratio(self.true_positive, self.true_positive + self.false_positive)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def recall(self) -> float | None:
        return ratio(self.true_positive, self.true_positive + self.false_negative)


class Confusion(BaseModel):
    """Expected value of ``key`` (rows) against the value the conversation ended with
    (columns), over the cases whose ``expect`` gives the key.

    ``labels`` are the rows; ``columns`` are the same labels first (so the diagonal is where
    expected and observed agree), then any other observed value, such as ``(error)``.
    """

    model_config = ConfigDict(frozen=True)

    key: str = "segment"
    labels: list[str]
    columns: list[str]
    counts: list[list[int]]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def total(self) -> int:
        return sum(map(sum, self.counts))


class Metrics(BaseModel):
    model_config = ConfigDict(frozen=True)

    cases: int
    passed: int
    errors: int
    field_accuracy: float | None
    fields: list[Tally]
    segment: Tally
    confusion: Confusion
    """The segment confusion matrix."""
    field_confusions: list[Confusion]
    """Confusion tables of authority, need fit and disqualifier, for the keys cases give."""
    handoff: HandoffScore
    within_max_turns: Tally
    reply_checks: Tally
    """Checks of what the agent said (``replies``, ``never_repeats``), apart from the fields."""
    replies_in_language: Tally = Field(
        default_factory=lambda: Tally(key="replies_in_language", correct=0, total=0)
    )
    """Agent replies (after the greeting) in the language of a case that names one."""
    qualified: int
    turns_mean: float | None
    turns_p90: float | None
    turns_histogram: dict[int, int]
    model_calls_per_conversation: float
    input_tokens_per_conversation: float
    output_tokens_per_conversation: float
    input_tokens: int
    output_tokens: int
    cost_usd: float | None
    cost_per_conversation_usd: float | None
    failing: list[str]


def tally(cases: Sequence[CaseResult], key: str) -> Tally:
    checks = [check for case in cases for check in case.checks if check.key == key]
    return Tally(key=key, correct=sum(check.ok for check in checks), total=len(checks))


def _reply_tally(cases: Sequence[CaseResult]) -> Tally:
    checks = [check for case in cases for check in case.checks if check.key in REPLY_KEYS]
    return Tally(key="replies", correct=sum(c.ok for c in checks), total=len(checks))


def _language_tally(cases: Sequence[CaseResult]) -> Tally:
    found = [
        (case.language, language)
        for case in cases
        if case.language is not None
        for language in case.reply_languages
    ]
    right = sum(1 for wanted, language in found if language in (None, wanted))
    return Tally(key="replies_in_language", correct=right, total=len(found))


def label(value: Any) -> str:
    """A value as a confusion-table label; an absent value is ``(none)``."""
    return NONE_LABEL if value is None else str(value)


def confusion(
    cases: Sequence[CaseResult], labels: Sequence[str], key: str = "segment"
) -> Confusion:
    """Expected against observed ``key`` over the cases whose ``expect`` gives it.

    ``labels`` are the rows and first columns, in order, whether they occur or not; other
    values that occur are added after them, sorted. A case that ended in an error counts in
    the ``(error)`` column. For ``segment``, a case that expects ``null`` is not counted (a
    conversation always ends in a segment), as before.
    """
    pairs = [
        (
            label(getattr(case.expect, key)),
            label(getattr(case.observed, key)) if case.observed else ERROR_LABEL,
        )
        for case in cases
        if key in case.expect.model_fields_set
        and not (key == "segment" and case.expect.segment is None)
    ]
    rows = list(labels)
    rows += sorted({expected for expected, _ in pairs} - set(rows))
    columns = rows + sorted({got for _, got in pairs} - set(rows))
    counts = Counter(pairs)
    return Confusion(
        key=key,
        labels=rows,
        columns=columns,
        counts=[[counts[(row, column)] for column in columns] for row in rows],
    )


def field_confusions(cases: Sequence[CaseResult]) -> list[Confusion]:
    """The confusion tables of ``FIELD_CONFUSIONS`` that some case gives an expectation for."""
    tables = [
        confusion(cases, [*values, NONE_LABEL], key) for key, values in FIELD_CONFUSIONS.items()
    ]
    return [table for table in tables if table.total]


def handoff_score(cases: Sequence[CaseResult]) -> HandoffScore:
    outcomes: Counter[tuple[bool, bool]] = Counter(
        (bool(case.expect.handoff), bool(case.observed and case.observed.handoff))
        for case in cases
        if "handoff" in case.expect.model_fields_set
    )
    return HandoffScore(
        true_positive=outcomes[(True, True)],
        false_positive=outcomes[(False, True)],
        false_negative=outcomes[(True, False)],
        true_negative=outcomes[(False, False)],
    )


def compute_metrics(run: RunResult, price: Price | None = None) -> Metrics:
    """Every metric of ``run``; the price defaults to the table entry for the run's model."""
    cases = run.cases
    count = len(cases)
    fields = [tally(cases, key) for key in FIELD_KEYS]
    correct = sum(field.correct for field in fields)
    checked = sum(field.total for field in fields)
    turns = [case.turns_to_qualify for case in cases if case.turns_to_qualify is not None]
    input_tokens = sum(case.input_tokens for case in cases)
    output_tokens = sum(case.output_tokens for case in cases)
    price = price or price_for(run.info.model)
    cost = price.cost(input_tokens, output_tokens) if price is not None else None
    return Metrics(
        cases=count,
        passed=sum(case.passed for case in cases),
        errors=sum(case.error is not None for case in cases),
        field_accuracy=ratio(correct, checked),
        fields=[field for field in fields if field.total],
        segment=tally(cases, "segment"),
        confusion=confusion(cases, run.info.segments),
        field_confusions=field_confusions(cases),
        handoff=handoff_score(cases),
        within_max_turns=tally(cases, "max_turns"),
        reply_checks=_reply_tally(cases),
        replies_in_language=_language_tally(cases),
        qualified=len(turns),
        turns_mean=fmean(turns) if turns else None,
        turns_p90=p90(turns),
        turns_histogram=dict(sorted(Counter(turns).items())),
        model_calls_per_conversation=_mean([case.model_calls for case in cases]),
        input_tokens_per_conversation=_mean([case.input_tokens for case in cases]),
        output_tokens_per_conversation=_mean([case.output_tokens for case in cases]),
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        cost_usd=cost,
        cost_per_conversation_usd=cost / count if cost is not None and count else None,
        failing=[case.id for case in cases if not case.passed],
    )


def _mean(values: Sequence[int]) -> float:
    return fmean(values) if values else 0.0
