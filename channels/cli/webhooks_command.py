"""``qualify webhooks``: try a receiver, list deliveries, retry dead letters, run delivery."""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import time
from datetime import UTC, datetime
from typing import Annotated, Any, NoReturn, cast

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from agent.config import Settings
from agent.destinations import DeliveryFailed
from agent.errors import QualifyError
from agent.event_types import EVENT_TYPES, EventType
from agent.events import sample_event
from agent.playbook import load_playbook
from agent.runtime import configure_logging, open_store
from agent.store import DeliveryStatus
from agent.triggers import build_worker
from agent.webhooks import SIGNATURE_HEADER, WebhookDestination, encode, shown_url
from channels.slack.erasure import slack_destinations

webhooks_app = typer.Typer(
    help="Lead events to webhooks and CRMs: try a receiver, see deliveries, retry dead letters.",
    no_args_is_help=True,
)
console = Console(highlight=False, soft_wrap=True)
errors = Console(stderr=True, highlight=False, soft_wrap=True)


def _fail(message: str) -> NoReturn:
    errors.print(f"[bold red]error:[/] {message}", markup=True, highlight=False)
    raise typer.Exit(1)


def _settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        _fail(f"invalid settings: {exc}")


@webhooks_app.command("test")
def test(
    url: Annotated[str, typer.Argument(help="The receiver's URL (http or https).")],
    secret: Annotated[
        str | None,
        typer.Option(help="Signing secret (default: a new random one, printed)."),
    ] = None,
    event: Annotated[
        str, typer.Option(help=f"Event type to send: {', '.join(EVENT_TYPES)}.")
    ] = "lead.segment_changed",
    timeout: Annotated[float, typer.Option(help="Seconds to wait for the answer.")] = 10.0,
) -> None:
    """Send one signed sample event to URL and show the receiver's answer."""
    if not url.startswith(("http://", "https://")):
        _fail(f"{url!r} is not an http(s) URL")
    if event not in EVENT_TYPES:
        _fail(f"unknown event {event!r}; use one of {', '.join(EVENT_TYPES)}")
    settings = _settings()
    try:
        playbook = load_playbook(settings.playbook)
    except QualifyError as exc:
        _fail(str(exc))
    generated = secret is None
    key = secret or "whsec_" + secrets.token_urlsafe(24)
    sample = sample_event(playbook, cast(EventType, event), now=datetime.now(UTC))

    async def send() -> tuple[str, float]:
        destination = WebhookDestination("test", url, key, timeout=timeout)
        started = time.perf_counter()
        try:
            return await destination.deliver(sample), time.perf_counter() - started
        finally:
            await destination.aclose()

    console.print(f"POST {shown_url(url)}  ({event}, {len(encode(sample))} bytes, signed)")
    if generated:
        console.print(f"secret: {key}  (set the same on the receiver to check the signature)")
    try:
        note, took = asyncio.run(send())
    except DeliveryFailed as exc:
        kind = "would be retried" if exc.retryable else "would not be retried"
        _fail(f"{exc} ({kind})")
    console.print(f"[green]{note}[/] in {took * 1000:.0f} ms", markup=True)
    console.print(
        f"The receiver checks {SIGNATURE_HEADER} (HMAC-SHA256 over "
        '"<X-Qualify-Timestamp>.<body>") and uses X-Qualify-Event-Id to drop repeats.'
    )


@webhooks_app.command("list")
def list_deliveries(
    status: Annotated[
        str | None,
        typer.Option(help="Only pending, delivered, dead or cancelled deliveries."),
    ] = None,
    destination: Annotated[str | None, typer.Option(help="Only this destination.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 50,
) -> None:
    """Recent deliveries of lead events, newest first, with counts by status."""
    if status not in (None, "pending", "delivered", "dead", "cancelled"):
        _fail(f"--status {status!r}: use pending, delivered, dead or cancelled")
    wanted = cast(DeliveryStatus | None, status)
    settings = _settings()

    async def run() -> tuple[dict[str, int], list[Any]]:
        store = open_store(settings)
        try:
            await store.init()
            counts = await store.count_deliveries()
            rows = await store.list_deliveries(status=wanted, destination=destination, limit=limit)
            return counts, rows
        finally:
            await store.close()

    try:
        counts, rows = asyncio.run(run())
    except QualifyError as exc:
        _fail(str(exc))
    table = Table("delivery", "event", "lead", "destination", "status", "tries", "last")
    for row in rows:
        last = row.last_error or row.note or ""
        table.add_row(
            row.id,
            row.event_type,
            row.conversation_id[:12],
            row.destination,
            row.status,
            str(row.attempts),
            last[:60],
        )
    console.print(table)
    cancelled = f", {counts['cancelled']} cancelled" if counts.get("cancelled") else ""
    console.print(
        f"{counts['pending']} pending, {counts['delivered']} delivered, {counts['dead']} dead"
        + cancelled
    )


@webhooks_app.command("retry")
def retry(
    ids: Annotated[
        list[str] | None, typer.Argument(help="Delivery ids (from `qualify webhooks list`).")
    ] = None,
    all_dead: Annotated[bool, typer.Option("--all", help="Every dead letter.")] = False,
    destination: Annotated[str | None, typer.Option(help="Only this destination.")] = None,
) -> None:
    """Put dead letters back in the queue with a fresh set of attempts."""
    if not ids and not all_dead and destination is None:
        _fail("name delivery ids, or use --all or --destination")
    settings = _settings()

    async def run() -> int:
        store = open_store(settings)
        try:
            await store.init()
            return await store.retry_deliveries(
                datetime.now(UTC), ids=ids or None, destination=destination
            )
        finally:
            await store.close()

    try:
        count = asyncio.run(run())
    except QualifyError as exc:
        _fail(str(exc))
    console.print(f"{count} dead letter(s) queued again")


@webhooks_app.command("deliver")
def deliver(
    once: Annotated[
        bool, typer.Option("--once", help="Deliver what is due now, then exit.")
    ] = False,
) -> None:
    """Run the delivery worker on its own (`qualify serve` runs one too)."""
    settings = _settings()
    configure_logging(settings.log_level)
    try:
        playbook = load_playbook(settings.playbook)
    except QualifyError as exc:
        _fail(str(exc))

    async def run() -> int:
        store = open_store(settings)
        await store.init()
        worker = build_worker(settings, playbook, store, slack_destinations(settings))
        if worker is None or not (worker.destinations or await store.webhook_endpoints()):
            await store.close()
            _fail(
                "no webhook or CRM is configured (QUALIFY_WEBHOOKS, playbook webhooks, "
                "the dashboard's Webhooks page)"
            )
        try:
            if once:
                return await worker.run_once()
            await worker.run()
            return 0
        finally:
            await worker.aclose()
            await store.close()

    try:
        with contextlib.suppress(KeyboardInterrupt):
            attempts = asyncio.run(run())
            console.print(f"{attempts} attempt(s) made")
    except QualifyError as exc:
        _fail(str(exc))
