"""The Chroma collection that holds the knowledge base.

By default Chroma runs embedded, persisted under ``<data dir>/chroma``; with
``QUALIFY_CHROMA_URL`` (or ``CHROMA_URL``), e.g. ``http://chroma:8000``, it is a Chroma
server. The collection uses cosine distance and the packaged MiniLM embedding function,
which is registered with Chroma so a persisted collection reopens with it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, cast
from urllib.parse import urlsplit

from agent.errors import ConfigError
from knowledge.embeddings import MiniLMEmbedding

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection
    from chromadb.api.types import Embeddable, EmbeddingFunction

DEFAULT_COLLECTION = "knowledge"
_NAME = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9._-]{1,510}[a-zA-Z0-9]$")


def persist_path(data_dir: Path) -> Path:
    """Where the embedded Chroma keeps its files."""
    return Path(data_dir) / "chroma"


def check_collection_name(name: str) -> str:
    """``name`` if Chroma accepts it as a collection name (3-512 characters), else ConfigError."""
    if not _NAME.match(name) or ".." in name:
        raise ConfigError(
            f"knowledge collection name {name!r} must be 3-512 letters, digits, '.', '_' or '-', "
            "starting and ending with a letter or digit"
        )
    return name


def chroma_client(*, data_dir: Path, url: str | None = None) -> ClientAPI:
    """A Chroma client: the server at ``url``, else the embedded one under ``data_dir``."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = ChromaSettings(anonymized_telemetry=False)
    if url:
        parts = urlsplit(url if "://" in url else f"http://{url}")
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigError(f"CHROMA_URL {url!r} must look like http://host:8000")
        ssl = parts.scheme == "https"
        port = parts.port or (443 if ssl else 8000)
        return chromadb.HttpClient(host=parts.hostname, port=port, ssl=ssl, settings=settings)
    path = persist_path(data_dir)
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=settings)


def has_local_store(data_dir: Path) -> bool:
    """Whether an embedded Chroma store exists under ``data_dir`` (nothing is created)."""
    return (persist_path(data_dir) / "chroma.sqlite3").is_file()


def create_collection(
    client: ClientAPI, name: str = DEFAULT_COLLECTION, embedder: MiniLMEmbedding | None = None
) -> Collection:
    """The collection ``name``, created (cosine space) when it does not exist yet."""
    return client.get_or_create_collection(
        check_collection_name(name),
        embedding_function=_as_chroma(embedder or MiniLMEmbedding()),
        configuration={"hnsw": {"space": "cosine"}},
    )


def find_collection(
    client: ClientAPI, name: str = DEFAULT_COLLECTION, embedder: MiniLMEmbedding | None = None
) -> Collection | None:
    """The collection ``name``, or None when it has not been created (nothing ingested)."""
    from chromadb.errors import NotFoundError

    try:
        return client.get_collection(
            check_collection_name(name),
            embedding_function=_as_chroma(embedder or MiniLMEmbedding()),
        )
    except (NotFoundError, ValueError):
        return None


def _as_chroma(embedder: MiniLMEmbedding) -> EmbeddingFunction[Embeddable]:
    # Chroma types collections for text and images; this function embeds text only.
    return cast("EmbeddingFunction[Embeddable]", embedder)
