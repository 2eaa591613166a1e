"""Eval results for people: rich tables in the terminal, JSON and an HTML page on disk."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, NamedTuple

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from rich.console import Group, RenderableType
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from evals import charts
from evals.compare import Comparison, Delta
from evals.metrics import Confusion, Metrics, Tally, compute_metrics
from evals.results import CaseResult, RunInfo, RunResult

TEMPLATES = Path(__file__).with_name("templates")


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def num(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def usd(value: float | None) -> str:
    return "unknown price" if value is None else f"${value:,.4f}"


def describe(info: RunInfo) -> str:
    label = f"{info.label}: " if info.label else ""
    return (
        f"{label}model {info.model} · prompts {info.prompt_version} · playbook "
        f"{info.playbook_version} · today {info.today} · simulator {info.simulator}"
    )


# --- terminal ------------------------------------------------------------------------


def run_summary(run: RunResult, metrics: Metrics) -> RenderableType:
    """The metrics of one run as rich tables (failing cases are separate)."""
    fields = Table(title="Field accuracy", title_justify="left")
    fields.add_column("field")
    fields.add_column("correct", justify="right")
    fields.add_column("accuracy", justify="right")
    for field in metrics.fields:
        fields.add_row(field.key, f"{field.correct}/{field.total}", pct(field.accuracy))
    checked = sum(field.total for field in metrics.fields)
    correct = sum(field.correct for field in metrics.fields)
    fields.add_row("all fields", f"{correct}/{checked}", pct(metrics.field_accuracy), style="bold")

    matrix = confusion_table(
        f"Segments: {pct(metrics.segment.accuracy)} "
        f"({metrics.segment.correct}/{metrics.segment.total}); rows expected, columns got",
        metrics.confusion,
    )
    accuracy = {field.key: field for field in metrics.fields}
    tables = [
        confusion_table(
            f"{table.key}: {_tally_note(accuracy.get(table.key))}; rows expected, columns got",
            table,
        )
        for table in metrics.field_confusions
    ]

    hand = metrics.handoff
    summary = Table(title="Run", title_justify="left", show_header=False)
    summary.add_column("metric")
    summary.add_column("value")
    summary.add_row("cases passed", f"{metrics.passed}/{metrics.cases}")
    summary.add_row(
        "handoff precision / recall",
        f"{pct(hand.precision)} / {pct(hand.recall)}  "
        f"(tp {hand.true_positive}, fp {hand.false_positive}, fn {hand.false_negative})",
    )
    summary.add_row(
        "within max turns",
        f"{pct(metrics.within_max_turns.accuracy)} "
        f"({metrics.within_max_turns.correct}/{metrics.within_max_turns.total})",
    )
    replies = metrics.reply_checks
    summary.add_row("reply checks", f"{pct(replies.accuracy)} ({replies.correct}/{replies.total})")
    spoken = metrics.replies_in_language
    if spoken.total:
        summary.add_row(
            "replies in the case's language",
            f"{pct(spoken.accuracy)} ({spoken.correct}/{spoken.total})",
        )
    summary.add_row(
        "turns to qualify",
        f"mean {num(metrics.turns_mean)}, p90 {num(metrics.turns_p90, 0)} "
        f"({metrics.qualified}/{metrics.cases} qualified)",
    )
    summary.add_row("model calls / conversation", num(metrics.model_calls_per_conversation))
    summary.add_row(
        "tokens / conversation",
        f"{num(metrics.input_tokens_per_conversation, 0)} in, "
        f"{num(metrics.output_tokens_per_conversation, 0)} out",
    )
    summary.add_row(
        "estimated cost",
        f"{usd(metrics.cost_usd)} total, {usd(metrics.cost_per_conversation_usd)} / conversation",
    )
    summary.add_row("run time", f"{run.info.seconds:.2f} s")
    header = Text(describe(run.info), style="dim")
    return Group(header, fields, matrix, *tables, summary)


def _tally_note(tally: Tally | None) -> str:
    if tally is None:
        return "not checked"
    return f"{pct(tally.accuracy)} ({tally.correct}/{tally.total})"


def confusion_table(title: str, confusion: Confusion) -> Table:
    """A confusion matrix as a rich table: the diagonal (expected = got) in bold, zeros as ·."""
    table = Table(title=title, title_justify="left")
    table.add_column("expected \\ got")
    for column in confusion.columns:
        table.add_column(escape(column), justify="right")
    for row_index, (label, row) in enumerate(zip(confusion.labels, confusion.counts, strict=True)):
        cells = [
            f"[bold]{count}[/]" if col == row_index and count else str(count or "·")
            for col, count in enumerate(row)
        ]
        table.add_row(escape(label), *cells)
    return table


def failing_case(case: CaseResult) -> RenderableType:
    """One failing case: expected against got for every check, then the transcript."""
    checks = Table(show_edge=False, box=None, padding=(0, 2))
    checks.add_column("")
    checks.add_column("key")
    checks.add_column("expected")
    checks.add_column("got")
    for check in case.checks:
        mark = "[green]✓[/]" if check.ok else "[red]✗[/]"
        checks.add_row(mark, check.key, escape(repr(check.expected)), escape(repr(check.got)))
    parts: list[RenderableType] = []
    if case.description:
        parts.append(Text(case.description, style="italic"))
    if case.error:
        parts.append(Text(f"error: {case.error}", style="red"))
    parts.append(checks)
    for turn in case.transcript:
        who = "[cyan]prospect[/]" if turn.role == "prospect" else "[green]agent[/]"
        note = f" [dim](asking {turn.asking})[/]" if turn.asking else ""
        note += f" [magenta](handoff: {turn.handoff})[/]" if turn.handoff else ""
        parts.append(Text.from_markup(f"{who}: {escape(turn.text)}{note}"))
    title = f"[bold red]FAIL[/] {case.id} [dim]({case.kind}, {escape(case.source)})[/]"
    return Panel(Group(*parts), title=title, title_align="left")


def delta_value(row: Delta, value: float | None) -> str:
    """One side of a comparison row, formatted for its kind."""
    if row.kind == "ratio":
        return pct(value)
    if row.kind == "usd":
        return usd(value)
    return num(value, 0 if row.kind == "count" else 1)


def delta_change(row: Delta) -> str:
    """B minus A, formatted for its kind: points for ratios, a signed number otherwise."""
    delta = row.delta
    if delta is None:
        return "—"
    if row.better is None:
        return "·"
    if row.kind == "ratio":
        return f"{delta * 100:+.1f} pt"
    if row.kind == "usd":
        return f"{'+' if delta > 0 else '−'}{usd(abs(delta))}"
    return f"{delta:+,.{0 if row.kind == 'count' else 2}f}"


def comparison_summary(result: Comparison) -> RenderableType:
    table = Table(title=f"Comparison of {result.kind}: B − A", title_justify="left")
    table.add_column("metric")
    table.add_column(f"A {escape(result.a.info.label)}", justify="right")
    table.add_column(f"B {escape(result.b.info.label)}", justify="right")
    table.add_column("Δ", justify="right")
    for row in result.deltas:
        change = delta_change(row)
        if row.better is not None:
            change = f"[{'green' if row.better else 'red'}]{change}[/]"
        name = f"  {row.metric}" if row.field else row.metric
        table.add_row(name, delta_value(row, row.a), delta_value(row, row.b), change)
    flips = Table(title=f"Flipped cases: {len(result.flips)}", title_justify="left")
    flips.add_column("case")
    flips.add_column("A")
    flips.add_column("B")
    flips.add_column("failed checks (A → B)")
    for flip in result.flips:
        flips.add_row(
            flip.id,
            "[green]pass[/]" if flip.a_passed else "[red]fail[/]",
            "[green]pass[/]" if flip.b_passed else "[red]fail[/]",
            f"{', '.join(flip.a_failed) or '—'} → {', '.join(flip.b_failed) or '—'}",
        )
    header = Text(f"A = {describe(result.a.info)}\nB = {describe(result.b.info)}", style="dim")
    return Group(header, table, flips)


# --- files ---------------------------------------------------------------------------


def _html_run(title: str, run: RunResult, metrics: Metrics) -> dict[str, Any]:
    bars = [(f.key, f.accuracy, f"{f.correct}/{f.total}") for f in metrics.fields]
    bars.append(
        ("segment", metrics.segment.accuracy, f"{metrics.segment.correct}/{metrics.segment.total}")
    )
    accuracy = {field.key: field for field in metrics.fields}
    return {
        "title": title,
        "info": run.info,
        "describe": describe(run.info),
        "metrics": metrics,
        "confusions": [
            _html_confusion(f"Segment: {_tally_note(metrics.segment)}", metrics.confusion),
            *(
                _html_confusion(f"{table.key}: {_tally_note(accuracy.get(table.key))}", table)
                for table in metrics.field_confusions
            ),
        ],
        "failing": [case for case in run.cases if not case.passed],
        "field_chart": charts.accuracy_bars(bars),
        "confusion_chart": charts.heat_map(
            metrics.confusion.labels, metrics.confusion.columns, metrics.confusion.counts
        ),
        "turns_chart": charts.histogram(metrics.turns_histogram, metrics.cases - metrics.qualified),
    }


class HtmlCell(NamedTuple):
    value: int
    shade: str
    """A background colour by the cell's share of its row; empty for zero."""
    diagonal: bool


def _html_confusion(title: str, confusion: Confusion) -> dict[str, Any]:
    """A confusion table for the HTML template: a title, the columns and shaded rows."""
    rows: list[tuple[str, list[HtmlCell]]] = []
    for index, (label, counts) in enumerate(zip(confusion.labels, confusion.counts, strict=True)):
        total = sum(counts) or 1
        cells = [
            HtmlCell(
                value=count,
                shade=f"rgba(59,111,216,{0.08 + 0.6 * count / total:.3f})" if count else "",
                diagonal=column == index,
            )
            for column, count in enumerate(counts)
        ]
        rows.append((label, cells))
    return {"title": title, "key": confusion.key, "columns": confusion.columns, "rows": rows}


def render_html(result: RunResult | Comparison) -> str:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        pct=pct, num=num, usd=usd, delta_value=delta_value, delta_change=delta_change
    )
    if isinstance(result, Comparison):
        runs = [
            _html_run(f"A: {result.a.info.label}", result.a, result.a_metrics),
            _html_run(f"B: {result.b.info.label}", result.b, result.b_metrics),
        ]
        comparison: Comparison | None = result
    else:
        runs = [_html_run("Results", result, compute_metrics(result))]
        comparison = None
    return env.get_template("report.html.j2").render(runs=runs, comparison=comparison)


def report_json(result: RunResult | Comparison) -> dict[str, Any]:
    if isinstance(result, Comparison):
        return result.model_dump(mode="json")
    return {
        "info": result.info.model_dump(mode="json"),
        "metrics": compute_metrics(result).model_dump(mode="json"),
        "cases": [case.model_dump(mode="json") for case in result.cases],
    }


def write_report(folder: Path, result: RunResult | Comparison) -> list[Path]:
    """Write ``report.json`` and ``report.html`` into ``folder``; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    json_path, html_path = folder / "report.json", folder / "report.html"
    json_path.write_text(
        json.dumps(report_json(result), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    html_path.write_text(render_html(result), encoding="utf-8")
    return [json_path, html_path]
