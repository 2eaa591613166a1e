"""Inline SVG charts for the HTML report: plain markup, no scripts, no external resources."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from markupsafe import Markup

FONT = 'font-family="system-ui, sans-serif" font-size="12"'
BAR = "#3b6fd8"
MISS = "#c9ced6"


def _svg(width: int, height: int, label: str, body: list[str]) -> Markup:
    return Markup(
        f'<svg class="chart" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(label)}">'
        f"<title>{escape(label)}</title>{''.join(body)}</svg>"
    )


def _text(x: float, y: float, text: str, anchor: str = "start", extra: str = "") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" {FONT} {extra}>{escape(text)}</text>'
    )


def accuracy_bars(rows: Sequence[tuple[str, float | None, str]]) -> Markup:
    """Horizontal bars, one per (label, accuracy 0..1, annotation such as "9/10")."""
    label_width, bar_width, row_height = 150, 320, 24
    height = row_height * len(rows) + 10
    body: list[str] = []
    for index, (label, value, note) in enumerate(rows):
        y = 5 + index * row_height
        share = value or 0.0
        body.append(_text(label_width - 8, y + 16, label, "end"))
        body.append(
            f'<rect x="{label_width}" y="{y + 4}" width="{bar_width}" height="16" fill="{MISS}"/>'
        )
        body.append(
            f'<rect x="{label_width}" y="{y + 4}" width="{bar_width * share:.1f}" height="16" '
            f'fill="{BAR}"/>'
        )
        shown = "—" if value is None else f"{value:.0%}"
        body.append(_text(label_width + bar_width + 8, y + 16, f"{shown} ({note})"))
    return _svg(label_width + bar_width + 110, height, "Field accuracy", body)


def heat_map(
    rows: Sequence[str], columns: Sequence[str], counts: Sequence[Sequence[int]]
) -> Markup:
    """A confusion matrix: expected in rows, got in columns, shade by share of the row."""
    cell, left, top = 64, 110, 46
    width, height = left + cell * len(columns) + 10, top + cell * len(rows) + 10
    body = [
        _text(left + cell * len(columns) / 2, 14, "got", "middle", 'font-weight="bold"'),
        _text(8, top - 8, "expected", "start", 'font-weight="bold"'),
    ]
    for col, name in enumerate(columns):
        body.append(_text(left + col * cell + cell / 2, top - 8, name, "middle"))
    for row, name in enumerate(rows):
        total = sum(counts[row]) or 1
        y = top + row * cell
        body.append(_text(left - 8, y + cell / 2 + 4, name, "end"))
        for col, count in enumerate(counts[row]):
            x = left + col * cell
            share = count / total
            fill = f"rgba(59,111,216,{0.08 + 0.92 * share:.3f})" if count else "#f4f5f7"
            stroke = ' stroke="#1d3f8a" stroke-width="2"' if row == col else ' stroke="#fff"'
            body.append(
                f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" fill="{fill}"{stroke}/>'
            )
            colour = 'fill="#fff"' if share > 0.55 else 'fill="#222"'
            body.append(_text(x + cell / 2, y + cell / 2 + 4, str(count), "middle", colour))
    return _svg(width, height, "Segment confusion matrix", body)


def histogram(counts: Mapping[int, int], not_qualified: int = 0) -> Markup:
    """Turns to qualify: one bar per number of prospect messages, plus "not qualified"."""
    low, high = (min(counts), max(counts)) if counts else (1, 0)
    bins = [(str(turns), counts.get(turns, 0)) for turns in range(low, high + 1)]
    if not_qualified:
        bins.append(("n/q", not_qualified))
    bar, gap, left, top, plot = 34, 10, 36, 16, 160
    width = left + max(len(bins), 1) * (bar + gap) + 10
    height = top + plot + 40
    peak = max((count for _, count in bins), default=0) or 1
    body = [
        f'<line x1="{left}" y1="{top + plot}" x2="{width - 5}" y2="{top + plot}" stroke="#888"/>'
    ]
    for index, (label, count) in enumerate(bins):
        x = left + index * (bar + gap)
        tall = plot * count / peak
        fill = MISS if label == "n/q" else BAR
        body.append(
            f'<rect x="{x}" y="{top + plot - tall:.1f}" width="{bar}" height="{tall:.1f}" '
            f'fill="{fill}"/>'
        )
        body.append(_text(x + bar / 2, top + plot - tall - 4, str(count), "middle"))
        body.append(_text(x + bar / 2, top + plot + 16, label, "middle"))
    body.append(_text(left, height - 6, "prospect messages until qualified", "start"))
    return _svg(max(width, 260), height, "Turns to qualify", body)
