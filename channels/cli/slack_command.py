"""``qualify slack --socket``: the Slack app over Socket Mode, for servers Slack cannot reach."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Annotated

import typer
from rich.console import Console

from agent.config import Settings
from agent.errors import QualifyError
from agent.runtime import build_engine, configure_logging

console = Console()


def slack_command(
    socket: Annotated[
        bool, typer.Option("--socket", help="Connect over Socket Mode (needs an app token).")
    ] = False,
) -> None:
    """Run the Slack app: handoffs, claims, live takeover and prospects in Slack.

    In HTTP mode the Slack app is part of ``qualify serve`` (at /slack/events); this command
    is for Socket Mode, where the app connects out to Slack instead.
    """
    settings = Settings()
    if not socket:
        console.print(
            "HTTP mode runs inside [bold]qualify serve[/] at /slack/events; "
            "use [bold]qualify slack --socket[/] for Socket Mode.",
            markup=True,
        )
        return
    missing = [
        name
        for name, value in (
            ("QUALIFY_SLACK_BOT_TOKEN", settings.slack_bot_token),
            ("QUALIFY_SLACK_APP_TOKEN", settings.slack_app_token),
        )
        if value is None
    ]
    if missing:
        console.print(f"[bold red]error:[/] Socket Mode needs {' and '.join(missing)}", markup=True)
        raise typer.Exit(2)
    configure_logging(settings.log_level)
    try:
        asyncio.run(_run_socket_mode(settings))
    except QualifyError as exc:
        console.print(f"[bold red]error:[/] {exc}", markup=True)
        raise typer.Exit(1) from exc
    except KeyboardInterrupt:
        pass


async def _run_socket_mode(settings: Settings) -> None:
    from slack_bolt.adapter.socket_mode.websockets import AsyncSocketModeHandler

    from channels.slack.bolt_app import build_slack_app
    from channels.slack.runtime import build_bridge, build_dispatcher

    engine = build_engine(settings)
    await engine.store.init()
    bridge = build_bridge(settings, engine)
    dispatcher = build_dispatcher(settings, engine, engine.store)
    if bridge is None or dispatcher is None or settings.slack_app_token is None:
        raise QualifyError("Slack is not configured")
    bridge.on_handoff = dispatcher.wake
    bridge.cards = dispatcher
    engine.on_handed_off_turn = dispatcher.wake
    engine.reps_live = True  # reps answer prospects from Slack threads
    posting = asyncio.create_task(dispatcher.run())
    handler = AsyncSocketModeHandler(
        build_slack_app(bridge), settings.slack_app_token.get_secret_value()
    )
    console.print("Connecting to Slack over Socket Mode. Ctrl-C stops.")
    try:
        await handler.start_async()  # type: ignore[no-untyped-call]
    finally:
        posting.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await posting
        await engine.store.close()
