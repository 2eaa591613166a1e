"""The ``qualify`` command line."""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape

from agent.config import Settings
from agent.errors import QualifyError
from agent.language import LanguagePriors, primary_subtag
from agent.models import LeadProfile
from agent.playbook import QuickReplyRef, load_playbook
from agent.prompts import PromptSet
from agent.rescoring import rescore_all
from agent.resources import default_prompts_path
from agent.runtime import build_engine, configure_logging, open_store
from agent.scoring import score
from agent.segments import segment
from agent.team_words import team_language_gaps
from agent.triggers import build_subscriptions
from channels.cli.db_command import db_app
from channels.cli.eval_command import eval_command
from channels.cli.hubspot_command import hubspot_app
from channels.cli.ingest_command import ingest_command
from channels.cli.render import render_score, render_state, shipped_documents_note
from channels.cli.serve_command import serve_command
from channels.cli.slack_command import slack_command
from channels.cli.webhooks_command import webhooks_app
from knowledge.ingest import ingest_shipped

app = typer.Typer(
    name="qualify",
    help="Conversational lead qualification: chat, score and rescore leads.",
    no_args_is_help=True,
    add_completion=False,
)
playbook_app = typer.Typer(help="Work with playbook files.", no_args_is_help=True)
app.add_typer(playbook_app, name="playbook")
app.add_typer(db_app, name="db")
app.add_typer(webhooks_app, name="webhooks")
app.add_typer(hubspot_app, name="hubspot")
app.command("eval")(eval_command)
app.command("ingest")(ingest_command)
app.command("slack")(slack_command)

console = Console()
errors = Console(stderr=True)

PlaybookOption = Annotated[
    Path | None, typer.Option("--playbook", help="Playbook YAML file (default: the Beacon demo).")
]
PromptsOption = Annotated[
    Path | None, typer.Option("--prompts", help="Prompt folder, e.g. prompts/v1.")
]
ModelOption = Annotated[str | None, typer.Option("--model", help="'offline' or 'openai:<model>'.")]


def _settings(**overrides: Any) -> Settings:
    values = {key: value for key, value in overrides.items() if value is not None}
    try:
        return Settings(**values)
    except ValidationError as exc:
        _fail(f"invalid settings: {exc}")


def _fail(message: str, code: int = 1) -> typer.Exit:
    errors.print(f"[bold red]error:[/] {message}", markup=True, highlight=False)
    raise typer.Exit(code)


@app.command()
def chat(
    playbook: PlaybookOption = None,
    prompts: PromptsOption = None,
    model: ModelOption = None,
    show_state: Annotated[
        bool, typer.Option("--show-state", help="Print profile, score and segment after each turn.")
    ] = False,
    today: Annotated[
        str | None, typer.Option("--today", help="Conversation date (YYYY-MM-DD) for timelines.")
    ] = None,
    conversation: Annotated[
        str | None, typer.Option("--conversation", help="Resume a stored conversation by id.")
    ] = None,
    language: Annotated[
        str | None,
        typer.Option(
            "--language",
            help="Hold the chat in this language (e.g. de), like the widget's data-lang. "
            "Without it the terminal's locale (LC_ALL, LC_MESSAGES, LANG) is the first guess "
            "and the chat follows the language you write in.",
        ),
    ] = None,
) -> None:
    """Chat with the agent in the terminal. Ctrl-C or Ctrl-D ends the chat."""
    settings = _settings(playbook=playbook, prompts=prompts, model=model)
    configure_logging(settings.log_level)
    conversation_date = _parse_date(today)
    try:
        # Like the widget: product questions are answered from the shipped documents.
        note = shipped_documents_note(ingest_shipped(settings))
        if note is not None:
            console.print(f"[dim]{escape(note)}[/]", markup=True)
        with asyncio.Runner() as runner:
            engine = build_engine(settings)
            priors = _language_priors(language, engine.playbook.languages)
            runner.run(engine.store.init())
            try:
                _chat_loop(runner, engine, conversation, conversation_date, show_state, priors)
            finally:
                runner.run(engine.store.close())
    except QualifyError as exc:
        _fail(str(exc))


def _chat_loop(
    runner: asyncio.Runner,
    engine: Any,
    conversation_id: str | None,
    today: date | None,
    show_state: bool,
    priors: LanguagePriors | None = None,
) -> None:
    offered: _Offered = None
    if conversation_id:
        stored = runner.run(engine.transcript(conversation_id))
        for message in stored:
            who = "you" if message.role == "prospect" else "agent"
            console.print(f"[dim]{who}:[/] {message.text}", highlight=False, markup=True)
        last = stored[-1] if stored else None
        if last is not None and last.role == "assistant" and last.asking is not None:
            offered = _offer(last.asking, tuple(last.meta.get("quick_replies", ())))
    else:
        started, greeting = runner.run(engine.start(channel="cli", today=today, language=priors))
        conversation_id = started.id
        _say(greeting.text)
    console.print(f"[dim](conversation {conversation_id}; Ctrl-D to end)[/]", markup=True)
    while True:
        try:
            text = console.input("[bold cyan]you>[/] ")
        except (EOFError, KeyboardInterrupt):
            console.print()
            console.print("[dim]Bye.[/]", markup=True)
            return
        if not text.strip():
            continue
        text, chip = _picked(text, offered)
        if chip is not None:
            console.print(f"   [dim]→ {escape(text)}[/]", markup=True, highlight=False)
        try:
            result = runner.run(engine.turn(conversation_id, text, quick_reply=chip))
        except KeyboardInterrupt:
            console.print("\n[dim]Bye.[/]", markup=True)
            return
        except QualifyError as exc:
            errors.print(f"[yellow]{exc}[/]", markup=True, highlight=False)
            continue
        for part in result.parts or (result.reply,):
            _say(part)
        offered = None
        if result.asking is not None and result.quick_replies:
            offered = _offer(result.asking, result.quick_replies)
        if result.handoff is not None:
            console.print(
                f"[bold magenta]→ handoff due ({result.handoff.reason}) to "
                f"{result.handoff.channel}[/]",
                markup=True,
                highlight=False,
            )
        if show_state:
            console.print(render_state(result.profile, result.score, result.segment))


_Offered = tuple[str, tuple[str, ...]] | None
"""The quick replies on offer: the question's field and the chips' labels."""


def _offer(field: str, labels: tuple[str, ...]) -> _Offered:
    """Show the question's quick replies as numbered choices; typing a number picks one."""
    if not labels:
        return None
    choices = "   ".join(
        f"[bold]{number}[/]) {escape(label)}" for number, label in enumerate(labels, 1)
    )
    console.print(f"   [dim]choose:[/] {choices}", markup=True, highlight=False)
    return field, labels


def _picked(text: str, offered: _Offered) -> tuple[str, QuickReplyRef | None]:
    """The message to send for what was typed: a number on offer sends that chip (its label,
    and which chip it is); anything else is sent as typed (an exact label counts as the chip
    in the engine)."""
    if offered is None:
        return text, None
    field, labels = offered
    typed = text.strip().rstrip(").")
    if typed.isascii() and typed.isdigit() and 1 <= int(typed) <= len(labels):
        index = int(typed) - 1
        return labels[index], QuickReplyRef(field, index)
    return text, None


def _language_priors(forced: str | None, served: Sequence[str]) -> LanguagePriors:
    """The chat's language hints: ``--language`` (which must be a language the playbook
    serves) and the terminal's locale, as a browser's language is for the widget."""
    if forced is not None and primary_subtag(forced) not in served:
        _fail(f"--language {forced!r}: the playbook serves {', '.join(served)}")
    return LanguagePriors(forced=forced, browser=terminal_language())


def terminal_language() -> str | None:
    """The terminal's language from the locale variables (``de_DE.UTF-8`` gives ``de``),
    None for the C or POSIX locale."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return primary_subtag(value.split(".", 1)[0])
    return None


def _say(text: str) -> None:
    console.print(f"[bold green]agent>[/] {text}", markup=True, highlight=False)


def _parse_date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        _fail(f"--today must be a date like 2026-11-24, got {value!r}")


@app.command("score")
def score_command(
    file: Annotated[Path, typer.Argument(help="A lead profile as JSON.")],
    playbook: PlaybookOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Score one lead profile with the playbook and show every point."""
    settings = _settings(playbook=playbook)
    try:
        book = load_playbook(settings.playbook)
    except QualifyError as exc:
        _fail(str(exc))
    try:
        profile = LeadProfile.model_validate_json(file.read_bytes())
    except OSError as exc:
        _fail(f"cannot read {file}: {exc.strerror or exc}")
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc']) or '<root>'}: {error['msg']}"
            for error in exc.errors()[:5]
        )
        _fail(f"{file} is not a lead profile: {problems}")
    breakdown = score(profile, book)
    seg = segment(profile, breakdown, book)
    if as_json:
        payload = {
            "total": breakdown.total,
            "items": [_item_dict(item) for item in breakdown.items],
            "segment": seg.name,
            "band": seg.band,
            "tags": list(seg.tags),
            "channel": seg.channel,
            "disqualified_reason": seg.disqualified_reason,
        }
        console.print_json(json.dumps(payload))
    else:
        console.print(render_score(breakdown, seg))


def _item_dict(item: Any) -> dict[str, Any]:
    return {
        "rule": item.rule,
        "label": item.label,
        "fact": item.fact,
        "value": item.value,
        "points": item.points,
        "quote": item.quote,
    }


@app.command()
def rescore(
    playbook: PlaybookOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show the changes without writing them.")
    ] = False,
    on: Annotated[
        str | None,
        typer.Option(
            "--date",
            help="Apply score decay as of this date (YYYY-MM-DD; default today).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Re-score every stored lead with the current playbook and its score decay for a date;
    list those whose segment moves (they get lead.segment_changed events)."""
    settings = _settings(playbook=playbook)
    try:
        day = date.fromisoformat(on) if on else datetime.now(UTC).date()
    except ValueError:
        _fail(f"--date {on!r} is not a date; use YYYY-MM-DD, e.g. 2026-12-31")
    try:
        book = load_playbook(settings.playbook)
        subscriptions = build_subscriptions(settings, book)
    except QualifyError as exc:
        _fail(str(exc))

    async def run() -> Any:
        store = open_store(settings)
        await store.init()
        try:
            return await rescore_all(
                store, book, write=not dry_run, on=day, subscriptions=subscriptions
            )
        finally:
            await store.close()

    try:
        report = asyncio.run(run())
    except QualifyError as exc:
        _fail(str(exc))
    for change in report.moved:
        decay = f", decay {change.decay}" if change.decay else ""
        follow = f"; follow-up {change.follow_up}" if change.follow_up else ""
        console.print(
            f"{change.conversation_id}  {change.old_segment} ({change.old_score}) → "
            f"[bold]{change.new_segment}[/] ({change.new_score}{decay}){follow}",
            markup=True,
            highlight=False,
        )
    verb = "would change" if dry_run else "changed"
    events = "" if dry_run else f"; {report.events} events written"
    console.print(
        f"{report.checked} leads checked as of {day.isoformat()}; {len(report.moved)} {verb} "
        f"segment; {len(report.changes)} {verb} score or segment{events}."
    )


@playbook_app.command("check")
def playbook_check(file: Annotated[Path, typer.Argument(help="Playbook YAML file.")]) -> None:
    """Validate a playbook file and say exactly what is wrong with it."""
    try:
        book = load_playbook(file)
    except QualifyError as exc:
        _fail(str(exc))
    console.print(
        f"[green]ok[/] {file}: {book.version}, {len(book.questions)} questions, "
        f"{len(book.scoring.rules)} scoring rules, bands "
        + ", ".join(band.name for band in book.scoring.bands),
        markup=True,
        highlight=False,
    )
    for gap in team_language_gaps(book, PromptSet(default_prompts_path())):
        console.print(f"[yellow]note[/] {escape(gap)}", markup=True, highlight=False)


app.command("serve")(serve_command)


def main() -> None:
    app()
