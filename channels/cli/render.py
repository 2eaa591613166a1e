"""Rich renderings of a lead for the terminal."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from agent.models import FACT_LABELS, LeadProfile
from agent.scoring import ScoreBreakdown
from agent.segments import Segment
from knowledge.ingest import DEFAULT_DOCS, IngestResult


def _value(value: Any) -> str:
    if hasattr(value, "model_dump"):
        data = value.model_dump(exclude_none=True, exclude_defaults=False)
        return ", ".join(f"{key}={item}" for key, item in data.items() if item not in ((), []))
    return str(value)


def render_score(breakdown: ScoreBreakdown, seg: Segment) -> Table:
    table = Table(title=f"Score {breakdown.total} → {seg.name}", title_justify="left")
    table.add_column("points", justify="right")
    table.add_column("rule")
    table.add_column("evidence", style="dim")
    for item in breakdown.items:
        style = "green" if item.points > 0 else "red"
        table.add_row(Text(f"{item.points:+d}", style=style), item.label, item.quote or "")
    extra = [f"band {seg.band}", f"channel {seg.channel}", *seg.tags]
    if seg.disqualified_reason:
        extra.append(f"disqualified: {seg.disqualified_reason}")
    table.caption = " · ".join(extra)
    return table


def render_state(profile: LeadProfile, breakdown: ScoreBreakdown, seg: Segment) -> Group:
    facts = Table(title="Lead profile", title_justify="left")
    facts.add_column("field")
    facts.add_column("value")
    facts.add_column("quote", style="dim")
    for name, label in FACT_LABELS:
        fact = getattr(profile, name)
        if fact is not None:
            value = ", ".join(fact.value) if isinstance(fact.value, tuple) else _value(fact.value)
            facts.add_row(label, value, fact.evidence.quote)
    for question in profile.open_questions:
        facts.add_row("Open question", question.value, question.evidence.quote)
    return Group(facts, render_score(breakdown, seg))


def shipped_documents_note(result: IngestResult | None) -> str | None:
    """What to tell the user after the shipped documents were indexed on a first start."""
    if result is None:
        return None
    return (
        f"Knowledge base: indexed {result.documents} documents ({result.chunks} chunks) from "
        f"{DEFAULT_DOCS}; `qualify ingest PATH` indexes your own."
    )
