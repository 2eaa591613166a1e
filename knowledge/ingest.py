"""Ingest a folder of markdown documents into the knowledge collection, idempotently.

Chunk ids are hashes of the chunk's document, heading path and text, so ingesting the same
folder twice adds nothing; a changed document gets new chunks for what changed and loses
the old ones, and a deleted document loses all of its chunks. The collection mirrors the
folder: what is not in it after an ingest is not in the folder. Each chunk's metadata names
its document's language (see :func:`knowledge.chunking.document_language`); a chunk stored
by an earlier version without it gets it on the next ingest.

The shipped documents (English in ``docs/``, translations in ``docs/<language>/``) are
indexed on a first start, and indexed again when a store made from an earlier version of
them meets a version with other chunks (new translations, changed text).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from knowledge.chunking import (
    MAX_CHARS,
    Chunk,
    Document,
    DocumentError,
    chunk_document,
    parse_document,
)
from knowledge.embeddings import MiniLMEmbedding, StoredMiniLMEmbedding

if TYPE_CHECKING:
    from chromadb.api.models.Collection import Collection

    from agent.config import Settings

Progress = Callable[[int, int], None]
"""Called as ``progress(chunks_done, chunks_to_embed)`` while new chunks are embedded."""

DEFAULT_DOCS = Path(__file__).resolve().parent / "docs"
"""The demo company's documents, shipped with the package: English, and a folder per
translation (``de``, ``es``, ``fr``, ``pt``)."""
SHIPPED_SITE = "https://beacon.example.com/docs/"
"""Where every shipped document links: a collection whose chunks all link there holds the
shipped documents (of some version), not documents of your own."""
SUFFIXES = (".md", ".markdown")
BATCH = 64
_PAGE = 5000


class KnowledgeError(ValueError):
    """A knowledge folder that cannot be ingested."""


@dataclass(frozen=True, slots=True)
class IngestResult:
    documents: int
    chunks: int
    added: int
    unchanged: int
    deleted: int
    seconds: float

    @property
    def chunks_per_second(self) -> float:
        return self.added / self.seconds if self.seconds > 0 else 0.0


def load_documents(path: Path) -> list[Document]:
    """The markdown documents in ``path`` (a file, or a folder searched recursively)."""
    path = Path(path)
    if path.is_file():
        files, root = [path], path.parent
    elif path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file())
        root = path
    else:
        raise KnowledgeError(f"{path} does not exist")
    documents = []
    for file in files:
        try:
            text = file.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise KnowledgeError(f"{file} is not UTF-8 text") from exc
        try:
            documents.append(parse_document(text, file.relative_to(root).as_posix()))
        except DocumentError as exc:
            raise KnowledgeError(f"{root}/{exc}") from exc
    if not documents:
        raise KnowledgeError(f"no markdown files (.md) in {path}")
    return documents


def existing_ids(collection: Collection) -> set[str]:
    """Every chunk id in the collection."""
    return set(existing_metadata(collection))


def existing_metadata(collection: Collection) -> dict[str, Mapping[str, Any]]:
    """Every chunk id in the collection, with its metadata."""
    found: dict[str, Mapping[str, Any]] = {}
    offset = 0
    while True:
        page = collection.get(include=["metadatas"], limit=_PAGE, offset=offset)
        metas = page["metadatas"] or [{} for _ in page["ids"]]
        found.update(
            (chunk_id, meta or {}) for chunk_id, meta in zip(page["ids"], metas, strict=True)
        )
        if len(page["ids"]) < _PAGE:
            return found
        offset += _PAGE


def ingest(
    collection: Collection,
    documents: Sequence[Document],
    *,
    embedder: MiniLMEmbedding | None = None,
    progress: Progress | None = None,
    batch_size: int = BATCH,
    max_chars: int = MAX_CHARS,
) -> IngestResult:
    """Make the collection hold exactly the chunks of ``documents``."""
    started = time.perf_counter()
    embedder = embedder or MiniLMEmbedding()
    chunks: dict[str, Chunk] = {}
    for document in documents:
        for chunk in chunk_document(document, max_chars):
            chunks[chunk.id] = chunk
    stored = existing_metadata(collection)
    present = set(stored)
    new = [chunk for chunk_id, chunk in chunks.items() if chunk_id not in present]
    stale = sorted(present - set(chunks))
    outdated = [
        chunk
        for chunk_id, chunk in chunks.items()
        if chunk_id in stored and dict(stored[chunk_id]) != _metadata(chunk)
    ]
    for start in range(0, len(outdated), _PAGE):
        batch = outdated[start : start + _PAGE]
        collection.update(
            ids=[chunk.id for chunk in batch], metadatas=[_metadata(chunk) for chunk in batch]
        )
    if progress is not None:
        progress(0, len(new))
    for start in range(0, len(new), batch_size):
        batch = new[start : start + batch_size]
        vectors = embedder.embed([chunk.embed_text for chunk in batch])
        collection.upsert(
            ids=[chunk.id for chunk in batch],
            embeddings=vectors,
            documents=[chunk.text for chunk in batch],
            metadatas=[_metadata(chunk) for chunk in batch],
        )
        if progress is not None:
            progress(start + len(batch), len(new))
    for start in range(0, len(stale), _PAGE):
        collection.delete(ids=stale[start : start + _PAGE])
    return IngestResult(
        documents=len(documents),
        chunks=len(chunks),
        added=len(new),
        unchanged=len(chunks) - len(new),
        deleted=len(stale),
        seconds=time.perf_counter() - started,
    )


def _metadata(chunk: Chunk) -> dict[str, Any]:
    return {
        "source": chunk.source,
        "title": chunk.title,
        "section": chunk.section,
        "url": chunk.url,
        "language": chunk.language,
    }


def ingest_shipped(settings: Settings) -> IngestResult | None:
    """On a first start, index the shipped demo documents into the embedded knowledge base,
    so product questions get answers in every channel (``serve`` and ``chat`` alike), in
    each language the documents are translated to.

    A store holding an earlier version of the shipped documents (every chunk links to
    :data:`SHIPPED_SITE`) is brought up to this version: new translations and changed
    text are indexed, removed text is dropped. Nothing happens when the knowledge base is
    off, remote (Chroma server), already holds this version, or holds documents of your
    own: ``qualify ingest PATH`` replaces the shipped documents with yours."""
    if not settings.knowledge or settings.chroma_url:
        return None
    from knowledge.store import chroma_client, create_collection

    client = chroma_client(data_dir=settings.data_dir)
    collection = create_collection(client, settings.knowledge_collection)
    documents = load_documents(DEFAULT_DOCS)
    if collection.count():
        stored = existing_metadata(collection)
        if not all(str(meta.get("url", "")).startswith(SHIPPED_SITE) for meta in stored.values()):
            return None  # your own documents
        wanted = {chunk.id: _metadata(chunk) for doc in documents for chunk in chunk_document(doc)}
        if set(wanted) == set(stored) and all(
            dict(stored[chunk_id]) == meta for chunk_id, meta in wanted.items()
        ):
            return None  # this version, already indexed
    from agent.exemplars import cache_dir

    return ingest(collection, documents, embedder=StoredMiniLMEmbedding(cache_dir()))
