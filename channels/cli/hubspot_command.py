"""``qualify hubspot``: prepare a HubSpot account for the contact sync."""

from __future__ import annotations

import asyncio
from typing import NoReturn

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape

from agent.config import Settings
from agent.crm.hubspot import SetupReport, build_hubspot
from agent.destinations import DeliveryFailed

hubspot_app = typer.Typer(
    help="HubSpot: create the contact properties the lead sync writes.",
    no_args_is_help=True,
)

console = Console(highlight=False, soft_wrap=True, markup=False)
errors = Console(stderr=True, highlight=False, soft_wrap=True)

MISSING_TOKEN = (
    "QUALIFY_HUBSPOT_TOKEN is not set. Create a private app in HubSpot (Settings -> "
    "Integrations -> Private apps) with the crm.objects.contacts and crm.schemas.contacts "
    "read/write scopes, and set its access token in QUALIFY_HUBSPOT_TOKEN."
)


@hubspot_app.command("setup")
def setup() -> None:
    """Create the property group and the custom contact properties (existing ones are kept)."""
    try:
        settings = Settings()
    except ValidationError as exc:
        _fail(f"invalid settings: {exc}")
    destination = build_hubspot(settings)
    if destination is None:
        _fail(MISSING_TOKEN, code=2)

    async def run() -> SetupReport:
        try:
            return await destination.setup()
        finally:
            await destination.aclose()

    try:
        report = asyncio.run(run())
    except DeliveryFailed as exc:
        _fail(str(exc))
    console.print(f"HubSpot at {settings.hubspot_api_url}:")
    if report.group_created:
        console.print(f"  created property group {report.group}")
    else:
        console.print(f"  property group {report.group} already there")
    for name in report.created:
        console.print(f"  created {name}")
    if report.existing:
        console.print(f"  already there: {', '.join(report.existing)}")
    console.print(
        f"{len(report.created)} created, {len(report.existing)} already there. "
        f"Contacts sync on: {', '.join(settings.hubspot_events) or 'no events'}."
    )


def _fail(message: str, code: int = 1) -> NoReturn:
    errors.print(f"[bold red]error:[/] {escape(message)}", markup=True)
    raise typer.Exit(code)
