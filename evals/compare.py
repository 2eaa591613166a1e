"""Compare two prompt versions, playbooks or models on the same cases.

Both sides run the same cases on the same date; the comparison lists the metric deltas
(B minus A) and the cases that flipped between passing and failing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, computed_field

from agent.config import Settings
from agent.errors import ConfigError, QualifyError
from agent.llm import split_model_name
from evals.metrics import Metrics, compute_metrics
from evals.results import CaseResult, RunResult
from evals.run import EvalCase, ProgressCallback, Target, run_cases
from evals.simulator import Simulator

CompareKind = Literal["prompts", "playbook", "model"]


DeltaKind = Literal["ratio", "count", "number", "usd"]


class Delta(BaseModel):
    """One metric on both sides; ``delta`` is B minus A."""

    model_config = ConfigDict(frozen=True)

    metric: str
    a: float | None
    b: float | None
    kind: DeltaKind = "number"
    higher_is_better: bool = True
    field: bool = False
    """A per-field accuracy row, shown under "field accuracy"."""

    @computed_field  # type: ignore[prop-decorator]
    @property
    def delta(self) -> float | None:
        return None if self.a is None or self.b is None else self.b - self.a

    @property
    def better(self) -> bool | None:
        """Whether B improves on A (None when they are equal or not comparable)."""
        if self.delta is None or abs(self.delta) < 1e-12:
            return None
        return (self.delta > 0) == self.higher_is_better


class Flip(BaseModel):
    """A case that passed on one side and failed on the other."""

    model_config = ConfigDict(frozen=True)

    id: str
    a_passed: bool
    b_passed: bool
    a_failed: list[str]
    b_failed: list[str]


class Comparison(BaseModel):
    kind: CompareKind
    a: RunResult
    b: RunResult
    a_metrics: Metrics
    b_metrics: Metrics
    deltas: list[Delta]
    flips: list[Flip]


def compare_kind(a: str, b: str) -> CompareKind:
    """What ``a`` and ``b`` name: two prompt folders, two playbook files or two models."""
    first, second = Path(a), Path(b)
    if first.is_dir() and second.is_dir():
        return "prompts"
    if first.is_file() and second.is_file():
        return "playbook"
    try:
        split_model_name(a)
        split_model_name(b)
    except ConfigError as exc:
        raise ConfigError(
            f"--compare takes two prompt folders, two playbook files or two models "
            f"(offline, openai:<model>); got {a!r} and {b!r}: {exc}"
        ) from exc
    return "model"


def compare_targets(settings: Settings, a: str, b: str) -> tuple[CompareKind, Target, Target]:
    """The two targets to compare; everything but the compared part comes from ``settings``."""
    kind = compare_kind(a, b)

    def side(spec: str) -> Target:
        value: Path | str = spec if kind == "model" else Path(spec)
        try:
            return Target.from_settings(settings.model_copy(update={kind: value}), label=spec)
        except QualifyError as exc:
            raise ConfigError(f"--compare {spec}: {exc}") from exc

    return kind, side(a), side(b)


async def compare(
    cases: Sequence[EvalCase],
    kind: CompareKind,
    a: Target,
    b: Target,
    *,
    today: date,
    concurrency: int = 4,
    simulator: Simulator | None = None,
    progress: Callable[[str], ProgressCallback] | None = None,
    case_files: Sequence[str] = (),
) -> Comparison:
    """Run ``cases`` on both targets, one after the other, and compare the results."""
    runs = []
    for target in (a, b):
        runs.append(
            await run_cases(
                cases,
                target,
                today=today,
                concurrency=concurrency,
                simulator=simulator,
                progress=progress(target.label) if progress is not None else None,
                case_files=case_files,
            )
        )
    return comparison(kind, runs[0], runs[1])


def comparison(kind: CompareKind, a: RunResult, b: RunResult) -> Comparison:
    a_metrics, b_metrics = compute_metrics(a), compute_metrics(b)
    return Comparison(
        kind=kind,
        a=a,
        b=b,
        a_metrics=a_metrics,
        b_metrics=b_metrics,
        deltas=deltas(a_metrics, b_metrics),
        flips=flips(a.cases, b.cases),
    )


def deltas(a: Metrics, b: Metrics) -> list[Delta]:
    rows = [
        Delta(metric="cases passed", a=a.passed, b=b.passed, kind="count"),
        Delta(metric="field accuracy", a=a.field_accuracy, b=b.field_accuracy, kind="ratio"),
    ]
    a_fields = {field.key: field.accuracy for field in a.fields}
    b_fields = {field.key: field.accuracy for field in b.fields}
    for key in dict.fromkeys([*a_fields, *b_fields]):
        rows.append(
            Delta(metric=key, a=a_fields.get(key), b=b_fields.get(key), kind="ratio", field=True)
        )
    fewer = {"higher_is_better": False}
    rows += [
        Delta(metric="segment accuracy", a=a.segment.accuracy, b=b.segment.accuracy, kind="ratio"),
        Delta(
            metric="handoff precision", a=a.handoff.precision, b=b.handoff.precision, kind="ratio"
        ),
        Delta(metric="handoff recall", a=a.handoff.recall, b=b.handoff.recall, kind="ratio"),
        Delta(
            metric="within max turns",
            a=a.within_max_turns.accuracy,
            b=b.within_max_turns.accuracy,
            kind="ratio",
        ),
        Delta(metric="turns to qualify (mean)", a=a.turns_mean, b=b.turns_mean, **fewer),
        Delta(metric="turns to qualify (p90)", a=a.turns_p90, b=b.turns_p90, **fewer),
        Delta(
            metric="model calls / conversation",
            a=a.model_calls_per_conversation,
            b=b.model_calls_per_conversation,
            **fewer,
        ),
        Delta(
            metric="input tokens / conversation",
            a=a.input_tokens_per_conversation,
            b=b.input_tokens_per_conversation,
            **fewer,
        ),
        Delta(
            metric="output tokens / conversation",
            a=a.output_tokens_per_conversation,
            b=b.output_tokens_per_conversation,
            **fewer,
        ),
        Delta(metric="estimated cost", a=a.cost_usd, b=b.cost_usd, kind="usd", **fewer),
    ]
    return rows


def flips(a: Sequence[CaseResult], b: Sequence[CaseResult]) -> list[Flip]:
    """Cases whose pass/fail differs between the two runs, in case order."""
    other = {case.id: case for case in b}
    out = []
    for left in a:
        right = other.get(left.id)
        if right is None or left.passed == right.passed:
            continue
        out.append(
            Flip(
                id=left.id,
                a_passed=left.passed,
                b_passed=right.passed,
                a_failed=_failed(left),
                b_failed=_failed(right),
            )
        )
    return out


def _failed(case: CaseResult) -> list[str]:
    failed = [check.key for check in case.checks if not check.ok]
    return failed + (["error"] if case.error else [])
