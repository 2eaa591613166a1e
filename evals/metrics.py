"""Metrics of a run: field and segment accuracy, handoff precision/recall, turns, usage, cost."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from statistics import fmean

from pydantic import BaseModel, ConfigDict, computed_field

from evals.pricing import Price, price_for
from evals.results import FIELD_KEYS, CaseResult, RunResult

ERROR_LABEL = "(error)"


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
    """Expected segment (rows) against the segment the conversation ended in (columns)."""

    model_config = ConfigDict(frozen=True)

    labels: list[str]
    columns: list[str]
    counts: list[list[int]]


class Metrics(BaseModel):
    model_config = ConfigDict(frozen=True)

    cases: int
    passed: int
    errors: int
    field_accuracy: float | None
    fields: list[Tally]
    segment: Tally
    confusion: Confusion
    handoff: HandoffScore
    within_max_turns: Tally
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


def confusion(cases: Sequence[CaseResult], segments: Sequence[str]) -> Confusion:
    pairs = [
        (str(case.expect.segment), case.observed.segment if case.observed else ERROR_LABEL)
        for case in cases
        if "segment" in case.expect.model_fields_set and case.expect.segment is not None
    ]
    labels = list(segments)
    labels += sorted({expected for expected, _ in pairs} - set(labels))
    columns = labels + sorted({str(got) for _, got in pairs} - set(labels))
    counts = Counter(pairs)
    return Confusion(
        labels=labels,
        columns=columns,
        counts=[[counts[(row, column)] for column in columns] for row in labels],
    )


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
        handoff=handoff_score(cases),
        within_max_turns=tally(cases, "max_turns"),
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
