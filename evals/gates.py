"""Eval gates: the case sets CI runs, each with its date and thresholds, in one YAML file.

``qualify eval --gates evals/gates.yaml`` runs every gate in one command. Worker processes
(``--jobs``) each load the models once and take the next set when they finish one, so a
long list of sets costs one start-up per worker instead of one per set. A set below any of
its thresholds fails the command; the others still run, so one run shows every regression.
"""

from __future__ import annotations

import asyncio
import io
import time
from collections.abc import Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from multiprocessing import get_context
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from rich.console import Console

from agent.config import Settings
from evals.cases import load_cases
from evals.metrics import Metrics, compute_metrics
from evals.report import failing_case, pct
from evals.results import FIELD_KEYS, CaseResult
from evals.run import Target, run_cases

MEASURES = (*FIELD_KEYS, "handoff_precision", "handoff_recall", "replies_in_language")
"""What ``min`` may name besides field and segment accuracy."""

Share = Annotated[float, Field(ge=0.0, le=1.0)]


class GateFileError(ValueError):
    """A gates file that cannot be used; the message says where and why."""


class Gate(BaseModel):
    """One case set (a file or a folder) and the figures it must reach."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    path: Path
    """Relative to the folder the command runs in (the checkout in CI)."""
    today: date
    """The conversation date the set's relative timelines were written for."""
    min_field_accuracy: Share | None = None
    min_segment_accuracy: Share | None = None
    min: dict[str, Share] = Field(default_factory=dict)
    """A field's accuracy, ``handoff_precision``, ``handoff_recall`` or
    ``replies_in_language``, by name."""
    optional: bool = False
    """A set kept outside the checkout: skipped, with a note, when it is not there."""

    @field_validator("min")
    @classmethod
    def _known_measures(cls, value: dict[str, float]) -> dict[str, float]:
        unknown = sorted(set(value) - set(MEASURES))
        if unknown:
            raise ValueError(f"unknown {', '.join(unknown)}; use {', '.join(MEASURES)}")
        return value


class GateOutcome(BaseModel):
    """What one gate measured, ready to print in the parent process."""

    gate: Gate
    cases: int = 0
    passed: int = 0
    field_accuracy: float | None = None
    segment_accuracy: float | None = None
    replies_in_language: float | None = None
    below: list[str] = Field(default_factory=list)
    failing: str = ""
    """The failing cases, rendered, when the gate is below a threshold."""
    missing: bool = False
    seconds: float = 0.0

    @property
    def met(self) -> bool:
        return not self.below

    def line(self) -> str:
        """One line for the run's log."""
        if self.missing:
            return f"SKIP {self.gate.path}: not found (an optional set)"
        head = "PASS" if self.met else "FAIL"
        figures = (
            f"{self.passed}/{self.cases} cases, field {pct(self.field_accuracy)}, "
            f"segment {pct(self.segment_accuracy)}"
        )
        if self.replies_in_language is not None:
            figures += f", replies in language {pct(self.replies_in_language)}"
        text = f"{head} {self.gate.path} ({self.gate.today}): {figures} in {self.seconds:.0f} s"
        return text if self.met else f"{text}; below: {'; '.join(self.below)}"


def load_gates(path: Path) -> list[Gate]:
    """The gates a YAML file lists; ``GateFileError`` for a file that cannot be used."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise GateFileError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except yaml.YAMLError as exc:
        raise GateFileError(f"{path} is not valid YAML: {exc}") from exc
    if not isinstance(raw, list) or not raw:
        raise GateFileError(f"{path}: expected a list of gates (path, today, thresholds)")
    gates = []
    for number, item in enumerate(raw, start=1):
        try:
            gates.append(Gate.model_validate(item))
        except ValidationError as exc:
            raise GateFileError(f"{path}, gate {number}: {_first_error(exc)}") from exc
    seen = [(gate.path, gate.today) for gate in gates]
    doubled = sorted({str(p) for p, t in seen if seen.count((p, t)) > 1})
    if doubled:
        raise GateFileError(f"{path}: listed twice: {', '.join(doubled)}")
    return gates


def shortfalls(
    metrics: Metrics,
    min_field: float | None,
    min_segment: float | None,
    minimums: Mapping[str, float],
) -> list[str]:
    """Each threshold the metrics are below, said with the measured figure."""
    below = []
    for key, bound in minimums.items():
        measured = measured_share(metrics, key)
        if measured is not None and measured < bound:
            below.append(f"{key} {pct(measured)} < {bound:.1%}")
    if min_field is not None and (metrics.field_accuracy or 0.0) < min_field:
        below.append(f"field accuracy {pct(metrics.field_accuracy)} < {min_field:.1%}")
    if min_segment is not None and (metrics.segment.accuracy or 0.0) < min_segment:
        below.append(f"segment accuracy {pct(metrics.segment.accuracy)} < {min_segment:.1%}")
    return below


def measured_share(metrics: Metrics, key: str) -> float | None:
    """The figure ``min`` names by ``key`` (None when the cases give nothing to measure)."""
    if key == "handoff_precision":
        return metrics.handoff.precision
    if key == "handoff_recall":
        return metrics.handoff.recall
    if key == "replies_in_language":
        return metrics.replies_in_language.accuracy
    return next((field.accuracy for field in metrics.fields if field.key == key), None)


def run_gates(
    gates: list[Gate], settings: Settings, *, jobs: int = 1, concurrency: int = 4
) -> Iterator[GateOutcome]:
    """Every gate's outcome, in the file's order, as soon as it and those before it are in.

    Missing paths of sets that are not optional, and case files that cannot be used, are
    reported before anything runs."""
    missing = [str(g.path) for g in gates if not g.optional and not g.path.exists()]
    if missing:
        raise GateFileError(f"no such case set: {', '.join(missing)}")
    for gate in gates:
        if gate.path.exists():
            load_cases([gate.path])  # a case file that cannot be used fails before any run
    if jobs <= 1:
        for gate in gates:
            yield run_gate(gate, settings, concurrency)
        return
    # Fresh interpreters: the parent's threads and open files do not cross a fork.
    with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn")) as pool:
        futures = [pool.submit(run_gate, gate, settings, concurrency) for gate in gates]
        try:
            for future in futures:
                yield future.result()
        finally:
            # An error (or a reader that stops) leaves no set queued behind it.
            pool.shutdown(wait=True, cancel_futures=True)


def run_gate(gate: Gate, settings: Settings, concurrency: int = 4) -> GateOutcome:
    """Run one gate's cases with the offline or configured model and check its thresholds."""
    if not gate.path.exists():
        return GateOutcome(gate=gate, missing=True)
    clock = time.perf_counter()
    cases = load_cases([gate.path])
    target = _target(settings)
    files = sorted({case.source for case in cases})
    result = asyncio.run(
        run_cases(cases, target, today=gate.today, concurrency=concurrency, case_files=files)
    )
    metrics = compute_metrics(result)
    below = shortfalls(metrics, gate.min_field_accuracy, gate.min_segment_accuracy, gate.min)
    failing = [case for case in result.cases if not case.passed] if below else []
    return GateOutcome(
        gate=gate,
        cases=metrics.cases,
        passed=metrics.passed,
        field_accuracy=metrics.field_accuracy,
        segment_accuracy=metrics.segment.accuracy,
        replies_in_language=metrics.replies_in_language.accuracy,
        below=below,
        failing=_rendered(failing),
        seconds=time.perf_counter() - clock,
    )


_TARGETS: dict[str, Target] = {}


def _target(settings: Settings) -> Target:
    """The playbook and prompts, loaded once per worker process."""
    key = settings.model_dump_json()
    if key not in _TARGETS:
        _TARGETS[key] = Target.from_settings(settings)
    return _TARGETS[key]


def _rendered(failing: list[CaseResult]) -> str:
    if not failing:
        return ""
    text = io.StringIO()
    out = Console(file=text, width=120, no_color=True, highlight=False)
    for case in failing:
        out.print(failing_case(case))
    return text.getvalue()


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"])
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"{where}: {message}" if where else message
