"""The knowledge base as the engine's :class:`~agent.knowledge.Retriever`, over Chroma.

Chroma returns the chunks nearest to a question by cosine similarity of their MiniLM
embeddings; they are then re-ranked by a relevance score that also counts the question's
words found in the chunk (title and headings included), each word weighted by how rare it
is in the collection::

    score = 0.7 × cosine similarity + 0.3 × (weight of question words in the chunk
                                              / weight of all question words)

so "Do you integrate with Snowflake?" finds the warehouse section even though the small
embedding model rates the match modestly, and a question about something the documents
never mention ("are you hiring?") stays below the threshold. Passages under
``min_score`` are dropped: the agent then says it is not sure.

Chroma and the ONNX model are synchronous, so :meth:`ChromaRetriever.retrieve` runs them in
a worker thread and the event loop keeps serving other conversations.
"""

from __future__ import annotations

import asyncio
import logging
import math
import threading
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from agent.config import Settings
from agent.knowledge import Passage, content_terms
from knowledge.chunking import with_headings
from knowledge.embeddings import MiniLMEmbedding
from knowledge.store import chroma_client, find_collection, has_local_store

if TYPE_CHECKING:
    from chromadb.api.models.Collection import Collection

log = logging.getLogger(__name__)

DENSE_WEIGHT = 0.7
CANDIDATES = 30
"""Nearest chunks fetched from Chroma per question before re-ranking."""
_PAGE = 5000


@dataclass(frozen=True)
class _TermStats:
    """How many chunks each word occurs in, and each chunk's words."""

    count: int
    frequency: Counter[str]
    terms: dict[str, frozenset[str]]

    def weight(self, term: str) -> float:
        return (
            math.log(1 + self.count / self.frequency[term])
            if self.frequency[term]
            else (math.log(1 + self.count))
        )


class ChromaRetriever:
    """Top-k passages by relevance, keeping those at or above ``min_score``."""

    def __init__(
        self,
        collection: Collection,
        *,
        top_k: int = 3,
        min_score: float = 0.42,
        embedder: MiniLMEmbedding | None = None,
    ) -> None:
        self.collection = collection
        self.top_k = top_k
        self.min_score = min_score
        self.embedder = embedder or MiniLMEmbedding()
        self._stats: _TermStats | None = None
        self._lock = threading.Lock()

    def search(self, queries: Sequence[str], k: int | None = None) -> list[list[Passage]]:
        """The ``k`` most relevant passages for each query, best first, with no threshold."""
        if not queries:
            return []
        count = self.collection.count()
        if count == 0:
            return [[] for _ in queries]
        k = k or self.top_k
        stats = self._term_stats(count)
        vectors = self.embedder.embed(list(queries))
        found = self.collection.query(
            query_embeddings=vectors,
            n_results=min(max(k, CANDIDATES), count),
            include=["documents", "metadatas", "distances"],
        )
        documents = found["documents"] or []
        metadatas = found["metadatas"] or []
        distances = found["distances"] or []
        results: list[list[Passage]] = []
        for query, ids, texts, metas, dists in zip(
            queries, found["ids"], documents, metadatas, distances, strict=True
        ):
            asked = {term: stats.weight(term) for term in set(content_terms(query))}
            total = sum(asked.values())
            passages = []
            for chunk_id, text, meta, distance in zip(ids, texts, metas, dists, strict=True):
                terms = stats.terms.get(chunk_id) or frozenset(
                    content_terms(_headed(meta, text or ""))
                )
                coverage = (
                    sum(w for term, w in asked.items() if term in terms) / total if total else 0.0
                )
                score = DENSE_WEIGHT * (1.0 - float(distance)) + (1 - DENSE_WEIGHT) * coverage
                passages.append(
                    Passage(
                        title=str(meta.get("title", "")),
                        section=str(meta.get("section", "")),
                        text=text or "",
                        source=str(meta.get("source", "")),
                        score=round(score, 4),
                    )
                )
            passages.sort(key=lambda passage: -passage.score)
            results.append(passages[:k])
        return results

    async def retrieve(self, questions: Sequence[str]) -> list[list[Passage]]:
        """For each question, the passages that pass the threshold (without blocking)."""
        found = await asyncio.to_thread(self.search, list(questions), self.top_k)
        return [[p for p in passages if p.score >= self.min_score] for passages in found]

    def warm_up(self) -> None:
        """Load the embedding model and word statistics now rather than on the first question."""
        self.search(["warm up"], 1)

    def _term_stats(self, count: int) -> _TermStats:
        """Word statistics of the collection, read again when its size changes."""
        with self._lock:
            if self._stats is None or self._stats.count != count:
                terms: dict[str, frozenset[str]] = {}
                offset = 0
                while True:
                    page = self.collection.get(
                        include=["documents", "metadatas"], limit=_PAGE, offset=offset
                    )
                    texts = page["documents"] or []
                    metas = page["metadatas"] or []
                    for chunk_id, text, meta in zip(page["ids"], texts, metas, strict=True):
                        terms[chunk_id] = frozenset(content_terms(_headed(meta, text or "")))
                    if len(page["ids"]) < _PAGE:
                        break
                    offset += _PAGE
                frequency = Counter(term for words in terms.values() for term in words)
                self._stats = _TermStats(len(terms), frequency, terms)
            return self._stats


def _headed(meta: Mapping[str, Any], text: str) -> str:
    return with_headings(str(meta.get("title", "")), str(meta.get("section", "")), text)


def open_retriever(settings: Settings) -> ChromaRetriever | None:
    """The retriever the settings describe, or None when no knowledge base was ingested.

    An embedded store that does not exist yet is not created; an unreachable Chroma server
    is logged and the agent runs without a knowledge base.
    """
    if not settings.knowledge:
        return None
    if not settings.chroma_url and not has_local_store(settings.data_dir):
        return None
    try:
        client = chroma_client(data_dir=settings.data_dir, url=settings.chroma_url)
        collection = find_collection(client, settings.knowledge_collection)
    except Exception:
        log.exception("cannot open the knowledge base; product questions go unanswered")
        return None
    if collection is None:
        return None
    return ChromaRetriever(
        collection, top_k=settings.knowledge_top_k, min_score=settings.knowledge_min_score
    )
