"""``qualify serve``: the web server with the widget, API and dashboard."""

from __future__ import annotations

import asyncio
import os
from typing import Annotated

import typer
import uvicorn
from pydantic import ValidationError
from rich.console import Console

from agent.config import Settings
from agent.errors import QualifyError
from agent.playbook import load_playbook
from agent.runtime import open_store
from agent.triggers import build_subscriptions
from channels.cli.render import shipped_documents_note
from channels.web.app import admin_key_path
from channels.web.keys import load_or_create
from knowledge.ingest import ingest_shipped

console = Console()
WORKER_HEALTHCHECK_SECONDS = 60
"""How long a worker may take to answer the supervisor (``--workers``) before it is
replaced: long enough to start on a loaded machine, short enough to replace a hung one."""


def serve_command(
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
    log_level: Annotated[str, typer.Option(help="uvicorn log level.")] = "info",
) -> None:
    """Serve the demo page, the chat widget, the widget API and the admin dashboard."""
    if host is not None:
        os.environ["QUALIFY_HOST"] = host
    if port is not None:
        os.environ["QUALIFY_PORT"] = str(port)
    try:
        settings = Settings()
    except ValidationError as exc:
        console.print(f"[bold red]error:[/] invalid settings: {exc}", markup=True)
        raise typer.Exit(1) from exc
    try:
        # Problems with the playbook or the event destinations stop us before serving.
        build_subscriptions(settings, load_playbook(settings.playbook))
    except QualifyError as exc:
        console.print(f"[bold red]error:[/] {exc}", markup=True, highlight=False)
        raise typer.Exit(1) from exc

    async def prepare() -> None:
        store = open_store(settings)
        try:
            await store.init()
        finally:
            await store.close()

    try:
        asyncio.run(prepare())
    except (QualifyError, OSError) as exc:
        console.print(f"[bold red]error:[/] cannot open the database: {exc}", markup=True)
        raise typer.Exit(1) from exc
    note = shipped_documents_note(ingest_shipped(settings))
    if note is not None:
        console.print(note)
    # Create shared secrets once, before the workers start, so they all use the same ones.
    load_or_create(settings.secret_key, settings.data_dir / "secret_key")
    load_or_create(settings.admin_api_key, admin_key_path(settings))
    base = f"http://{settings.host}:{settings.port}"
    console.print(f"Demo page and widget: [bold]{base}/[/]", markup=True)
    console.print(
        f"Dashboard: [bold]{base}/admin[/] (admin key in {admin_key_path(settings)} "
        "unless QUALIFY_ADMIN_API_KEY is set)",
        markup=True,
    )
    if settings.api_docs:
        console.print(f"API docs: {base}/docs", markup=True)
    uvicorn.run(
        "channels.web.app:create_app_from_env",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=workers,
        log_level=log_level,
        timeout_graceful_shutdown=5,
        # A worker that has not answered the supervisor within this long is killed and
        # started again; 5 s (uvicorn's default) is too short for a worker to start on a
        # busy machine, which then restarted workers forever and never served a request.
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS,
    )
