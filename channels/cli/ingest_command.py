"""``qualify ingest``: load markdown documents into the knowledge base (Chroma)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, NoReturn

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from agent.config import Settings
from agent.errors import QualifyError

console = Console(highlight=False, soft_wrap=True)
errors = Console(stderr=True, highlight=False)


def _fail(message: str, code: int = 1) -> NoReturn:
    errors.print(f"[bold red]error:[/] {message}", markup=True)
    raise typer.Exit(code)


def ingest_command(
    path: Annotated[
        Path | None,
        typer.Argument(
            help="A markdown file or a folder of them (default: the shipped Beacon documents).",
            show_default=False,
        ),
    ] = None,
    collection: Annotated[
        str | None,
        typer.Option(
            "--collection", help="Chroma collection (default: QUALIFY_KNOWLEDGE_COLLECTION)."
        ),
    ] = None,
) -> None:
    """Chunk, embed and store documents so the agent can answer questions from them.

    Running it again only embeds what changed, and removes the chunks of documents that
    were changed or deleted: the collection mirrors PATH.
    """
    from knowledge.ingest import DEFAULT_DOCS, KnowledgeError, ingest, load_documents
    from knowledge.store import chroma_client, create_collection

    try:
        settings = Settings()
    except ValidationError as exc:
        _fail(f"invalid settings: {exc}", 2)
    folder = path or DEFAULT_DOCS
    name = collection or settings.knowledge_collection
    try:
        documents = load_documents(folder)
        client = chroma_client(data_dir=settings.data_dir, url=settings.chroma_url)
        target = create_collection(client, name)
    except (KnowledgeError, QualifyError) as exc:
        _fail(str(exc), 2)
    except Exception as exc:  # Chroma raises plain errors for unreachable servers
        _fail(f"cannot open the knowledge base: {exc}")

    bar = Progress(
        TextColumn("embedding"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("chunks"),
        TimeElapsedColumn(),
        console=errors,
        transient=True,
    )
    task = bar.add_task("embedding", total=None)

    def progress(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total)

    with bar:
        result = ingest(target, documents, progress=progress)
    where = settings.chroma_url or str(settings.data_dir / "chroma")
    count = f"{result.documents} document{'s' if result.documents != 1 else ''}"
    console.print(
        f"{count} from {folder} in collection {name!r} at {where}: "
        f"{result.chunks} chunks — {result.added} added, {result.unchanged} unchanged, "
        f"{result.deleted} deleted ({result.seconds:.1f} s"
        + (f", {result.chunks_per_second:.0f} chunks/s)" if result.added else ")")
    )
