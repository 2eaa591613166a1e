"""``qualify eval``: run prompt evals, compare versions, write reports, gate CI.

Exit codes: 0 when the run meets the thresholds, 1 when it is below one of them, 2 when the
cases, paths or options cannot be used.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from agent.config import Settings
from agent.errors import ConfigError, QualifyError
from agent.llm import build_chat_model, split_model_name
from agent.prompts import PromptSet
from agent.resources import default_prompts_path
from evals.cases import CaseFileError, load_cases
from evals.compare import Comparison, compare, compare_targets
from evals.gates import MEASURES, GateFileError, load_gates, run_gates, shortfalls
from evals.metrics import Metrics, compute_metrics
from evals.report import comparison_summary, failing_case, pct, run_summary, write_report
from evals.results import CaseResult, RunResult
from evals.retrieval import RetrievalSetError, retrieval_command
from evals.run import ProgressCallback, Target, run_cases
from evals.simulator import SIMULATOR_PROMPT, LLMSimulator, LookupSimulator, Simulator

console = Console()
errors = Console(stderr=True)

USAGE_ERROR = 2
BELOW_THRESHOLD = 1


class SimulatorKind(StrEnum):
    lookup = "lookup"
    llm = "llm"


def _fail(message: str, code: int = USAGE_ERROR) -> NoReturn:
    errors.print(f"[bold red]error:[/] {message}", markup=True, highlight=False)
    raise typer.Exit(code)


def eval_command(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Case files (YAML) or folders of them; with --retrieval, retrieval case files "
            "(default: evals/retrieval).",
            show_default=False,
        ),
    ] = None,
    prompts: Annotated[
        Path | None, typer.Option("--prompts", help="Prompt folder, e.g. prompts/v1.")
    ] = None,
    playbook: Annotated[Path | None, typer.Option("--playbook", help="Playbook YAML file.")] = None,
    model: Annotated[
        str | None, typer.Option("--model", help="'offline' or 'openai:<model>'.")
    ] = None,
    concurrency: Annotated[
        int, typer.Option("--concurrency", min=1, max=64, help="Cases run at the same time.")
    ] = 4,
    today: Annotated[
        str | None,
        typer.Option("--today", help="Conversation date (YYYY-MM-DD); default: today."),
    ] = None,
    compare_with: Annotated[
        tuple[str, str] | None,
        typer.Option(
            "--compare",
            metavar="A B",
            help="Run two prompt folders, two playbooks or two models on the same cases.",
        ),
    ] = None,
    report: Annotated[
        Path | None, typer.Option("--report", help="Write report.json and report.html here.")
    ] = None,
    min_field_accuracy: Annotated[
        float | None,
        typer.Option("--min-field-accuracy", min=0.0, max=1.0, help="Exit 1 below this."),
    ] = None,
    min_segment_accuracy: Annotated[
        float | None,
        typer.Option("--min-segment-accuracy", min=0.0, max=1.0, help="Exit 1 below this."),
    ] = None,
    minimums: Annotated[
        list[str] | None,
        typer.Option(
            "--min",
            help=(
                "KEY=VALUE, repeatable: exit 1 when a field's accuracy (e.g. disqualifier, "
                "timeline_months), handoff_precision / handoff_recall or "
                "replies_in_language (agent replies in the case's language) is below VALUE."
            ),
        ),
    ] = None,
    simulator: Annotated[
        SimulatorKind,
        typer.Option("--simulator", help="Who plays personas: field lookup or a chat model."),
    ] = SimulatorKind.lookup,
    retrieval: Annotated[
        bool,
        typer.Option("--retrieval", help="Evaluate knowledge-base retrieval: recall@3 and MRR."),
    ] = False,
    gates: Annotated[
        Path | None,
        typer.Option(
            "--gates",
            help="Run every case set a gates file lists (e.g. evals/gates.yaml), each with "
            "its date and thresholds; exit 1 when any is below one.",
        ),
    ] = None,
    jobs: Annotated[
        int,
        typer.Option("--jobs", min=1, max=64, help="With --gates: worker processes."),
    ] = 1,
) -> None:
    """Run eval cases through the agent and score the results (with --compare: B is gated)."""
    settings = _settings(playbook=playbook, prompts=prompts, model=model)
    if gates is not None:
        if paths or compare_with or report or retrieval or today:
            _fail("--gates takes no case paths, --today, --compare, --report or --retrieval")
        if min_field_accuracy is not None or min_segment_accuracy is not None or minimums:
            _fail("with --gates, thresholds come from the gates file")
        _run_gates(gates, settings, jobs=jobs, concurrency=concurrency)
        return
    if retrieval:
        try:
            met = retrieval_command(
                paths or [], min_score=settings.knowledge_min_score, console=console
            )
        except RetrievalSetError as exc:
            _fail(str(exc))
        if not met:
            raise typer.Exit(BELOW_THRESHOLD)
        return
    if not paths:
        _fail("give case files (YAML) or folders of them")
    run_date = _parse_date(today)
    wanted = _minimums(minimums or [])
    try:
        cases = load_cases(paths)
        split_model_name(settings.model)
        if compare_with is not None:
            kind, side_a, side_b = compare_targets(settings, *compare_with)
            targets = [side_a, side_b]
        else:
            targets = [Target.from_settings(settings)]
        persona = _simulator(simulator, settings, targets)
    except (CaseFileError, QualifyError) as exc:
        _fail(str(exc))
    files = sorted({case.source for case in cases})

    with _progress(len(cases) * len(targets)) as advance:
        try:
            if compare_with is not None:
                result: RunResult | Comparison = asyncio.run(
                    compare(
                        cases,
                        kind,
                        targets[0],
                        targets[1],
                        today=run_date,
                        concurrency=concurrency,
                        simulator=persona,
                        progress=advance,
                        case_files=files,
                    )
                )
            else:
                result = asyncio.run(
                    run_cases(
                        cases,
                        targets[0],
                        today=run_date,
                        concurrency=concurrency,
                        simulator=persona,
                        progress=advance(""),
                        case_files=files,
                    )
                )
        except (CaseFileError, QualifyError) as exc:
            _fail(str(exc))

    gated = _show(result)
    if report is not None:
        try:
            written = write_report(report, result)
        except OSError as exc:
            _fail(f"cannot write the report to {report}: {exc.strerror or exc}")
        console.print("report: " + ", ".join(str(path) for path in written), highlight=False)
    _gate(gated, min_field_accuracy, min_segment_accuracy, wanted)


def _run_gates(path: Path, settings: Settings, *, jobs: int, concurrency: int) -> None:
    """Every gate of the file, one line each as it is in; exit 1 when any is below."""
    try:
        listed = load_gates(path)
        outcomes = []
        for outcome in run_gates(listed, settings, jobs=jobs, concurrency=concurrency):
            console.print(outcome.line(), highlight=False, soft_wrap=True)
            if outcome.failing:
                console.print(outcome.failing, highlight=False, markup=False, end="")
            outcomes.append(outcome)
    except (GateFileError, CaseFileError, QualifyError) as exc:
        _fail(str(exc))
    below = [str(outcome.gate.path) for outcome in outcomes if not outcome.met]
    ran = sum(not outcome.missing for outcome in outcomes)
    console.print(f"{ran - len(below)}/{ran} gates met", highlight=False)
    if below:
        _fail("below threshold: " + ", ".join(below), BELOW_THRESHOLD)


def _minimums(given: list[str]) -> dict[str, float]:
    """``--min KEY=VALUE`` options as a mapping; a clear error for a bad one."""
    keys = MEASURES
    found: dict[str, float] = {}
    for item in given:
        key, sep, value = item.partition("=")
        try:
            bound = float(value)
        except ValueError:
            bound = -1.0
        if not sep or key not in keys or not 0.0 <= bound <= 1.0:
            _fail(
                f"--min {item!r}: use KEY=VALUE with VALUE from 0 to 1 "
                f"and KEY one of {', '.join(keys)}"
            )
        found[key] = bound
    return found


def _show(result: RunResult | Comparison) -> Metrics:
    """Print the results; return the metrics the thresholds apply to."""
    if isinstance(result, Comparison):
        console.print(run_summary(result.a, result.a_metrics))
        console.print(run_summary(result.b, result.b_metrics))
        console.print(comparison_summary(result))
        failing: list[CaseResult] = [case for case in result.b.cases if not case.passed]
        metrics = result.b_metrics
    else:
        metrics = compute_metrics(result)
        console.print(run_summary(result, metrics))
        failing = [case for case in result.cases if not case.passed]
    for case in failing:
        console.print(failing_case(case))
    console.print(
        f"{metrics.passed}/{metrics.cases} cases passed; field accuracy "
        f"{pct(metrics.field_accuracy)}, segment accuracy {pct(metrics.segment.accuracy)}",
        highlight=False,
    )
    return metrics


def _gate(
    metrics: Metrics,
    min_field: float | None,
    min_segment: float | None,
    minimums: dict[str, float],
) -> None:
    below = shortfalls(metrics, min_field, min_segment, minimums)
    if below:
        _fail("below threshold: " + "; ".join(below), BELOW_THRESHOLD)


def _simulator(kind: SimulatorKind, settings: Settings, targets: list[Target]) -> Simulator:
    if kind is SimulatorKind.lookup:
        return LookupSimulator()
    real = [t for t in targets if split_model_name(t.settings.model)[0] != "offline"]
    if not real:
        raise ConfigError("--simulator llm needs a real model, e.g. --model openai:gpt-4o-mini")
    target = real[0]
    prompts = target.prompts
    if not (prompts.folder / SIMULATOR_PROMPT).is_file():
        prompts = PromptSet(default_prompts_path())
    model = build_chat_model(target.settings, target.playbook, prompts)
    return LLMSimulator(model, prompts, company=target.playbook.company.name)


class _progress:
    """A rich progress bar on stderr; ``advance(label)`` is a per-run progress callback."""

    def __init__(self, total: int) -> None:
        self.bar = Progress(
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=errors,
            transient=True,
        )
        self.task = self.bar.add_task("eval", total=total)

    def __enter__(self) -> Callable[[str], ProgressCallback]:
        self.bar.start()
        return self.advance

    def __exit__(self, *exc_info: object) -> None:
        self.bar.stop()

    def advance(self, label: str) -> ProgressCallback:
        def done(case: CaseResult) -> None:
            mark = "" if case.passed else " (failed)"
            self.bar.update(self.task, advance=1, description=f"{label} {case.id}{mark}".strip())

        return done


def _settings(**overrides: object) -> Settings:
    values = {key: value for key, value in overrides.items() if value is not None}
    try:
        return Settings(**values)  # type: ignore[arg-type]
    except ValidationError as exc:
        _fail(f"invalid settings: {exc}")


def _parse_date(value: str | None) -> date:
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        _fail(f"--today must be a date like 2026-11-24, got {value!r}")
