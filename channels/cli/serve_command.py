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
from channels.web.app import admin_key_path
from channels.web.keys import load_or_create

console = Console()


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
    if settings.knowledge and not settings.chroma_url:
        _ingest_shipped_documents(settings)
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
    console.print(f"API docs: {base}/docs", markup=True)
    uvicorn.run(
        "channels.web.app:create_app_from_env",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=workers,
        log_level=log_level,
        timeout_graceful_shutdown=5,
    )


def _ingest_shipped_documents(settings: Settings) -> None:
    """On a first start, index the demo documents so product questions get answers."""
    from knowledge.ingest import DEFAULT_DOCS, ingest, load_documents
    from knowledge.store import chroma_client, create_collection

    client = chroma_client(data_dir=settings.data_dir)
    collection = create_collection(client, settings.knowledge_collection)
    if collection.count():
        return
    result = ingest(collection, load_documents(DEFAULT_DOCS))
    console.print(
        f"Knowledge base: indexed {result.documents} documents ({result.chunks} chunks) from "
        f"{DEFAULT_DOCS}; `qualify ingest PATH` indexes your own."
    )
