"""The knowledge base as the engine's :class:`~agent.knowledge.Retriever`, over Chroma.

Hybrid retrieval: the chunks nearest to a question by cosine similarity of their MiniLM
embeddings (from Chroma) and the chunks with the best BM25 score for its words (title and
headings included, see :mod:`knowledge.lexical`) are pooled and ranked by one relevance
score::

    score = 0.8 × cosine similarity + 0.2 × BM25 relevance (0-1)

so "Do you integrate with Snowflake?" finds the warehouse section even though the small
embedding model rates the match modestly, a question in other words than the documents'
is still found by meaning, and a question about something the documents never mention
("are you hiring?") stays below the threshold. Passages under
``min_score`` are dropped: the agent then says it is not sure.

Each chunk carries its document's language. A question is searched among the passages in
the conversation's language (Chroma filters on the ``language`` metadata; BM25 has an index
per language), and among the English ones when that language has no documents or none of
its passages passes the threshold: a German prospect is answered from the German
documents, quoted in German. The question is embedded once for both searches.

Chroma and the ONNX model are synchronous, so :meth:`ChromaRetriever.retrieve` runs them in
a worker thread and the event loop keeps serving other conversations.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from agent.config import Settings
from agent.knowledge import Passage
from knowledge.chunking import DEFAULT_LANGUAGE, with_headings
from knowledge.embeddings import MiniLMEmbedding
from knowledge.lexical import LexicalIndex
from knowledge.store import chroma_client, find_collection, has_local_store

if TYPE_CHECKING:
    from chromadb.api.models.Collection import Collection

log = logging.getLogger(__name__)

_Candidate = tuple[str, Mapping[str, Any], float]
"""A chunk's text, metadata and cosine similarity to the question."""

DENSE_WEIGHT = 0.8
LEXICAL_WEIGHT = 1 - DENSE_WEIGHT
SECOND_PASSAGE_WEIGHT = 0.15
"""How much a document's second best passage adds to its strength (see by_document)."""
CANDIDATES = 30
"""Chunks taken from each side (nearest embeddings, best BM25) per question before fusion."""
_PAGE = 5000


class ChromaRetriever:
    """Top-k passages by relevance, keeping those at or above ``min_score``."""

    def __init__(
        self,
        collection: Collection,
        *,
        top_k: int = 3,
        min_score: float = 0.39,
        embedder: MiniLMEmbedding | None = None,
    ) -> None:
        self.collection = collection
        self.top_k = top_k
        self.min_score = min_score
        self.embedder = embedder or MiniLMEmbedding()
        self._lexical: dict[str, LexicalIndex] | None = None
        self._indexed = 0
        self._tagged = False
        """Whether the chunks carry their language (a store from an earlier version may not)."""
        self._lock = threading.Lock()

    def search(
        self, queries: Sequence[str], k: int | None = None, language: str | None = None
    ) -> list[list[Passage]]:
        """The ``k`` most relevant passages for each query, best first, with no threshold,
        among the passages in ``language`` (English when it has none, or is not given)."""
        if not queries:
            return []
        count = self.collection.count()
        if count == 0:
            return [[] for _ in queries]
        indexes = self._lexical_indexes(count)
        vectors = self.embedder.embed(list(queries))
        return self._search(queries, vectors, indexes, self._searched(language, indexes), k)

    def _search(
        self,
        queries: Sequence[str],
        vectors: Any,
        indexes: Mapping[str, LexicalIndex],
        language: str,
        k: int | None,
    ) -> list[list[Passage]]:
        """Hybrid search of ``queries`` (embedded as ``vectors``) among the passages in
        ``language``, one of those ``indexes`` holds."""
        lexical = indexes[language]
        tagged = self._tagged
        found = self.collection.query(
            query_embeddings=vectors,
            n_results=min(CANDIDATES, len(lexical.ids)),
            where={"language": language} if tagged else None,
            include=["documents", "metadatas", "distances"],
        )
        results: list[list[Passage]] = []
        for index, query in enumerate(queries):
            candidates = self._dense_candidates(found, index)
            words = lexical.relevance(query)
            self._add_lexical_candidates(candidates, words, vectors[index])
            passages = [
                _passage(
                    meta, text, DENSE_WEIGHT * similarity + LEXICAL_WEIGHT * words.get(key, 0.0)
                )
                for key, (text, meta, similarity) in candidates.items()
            ]
            results.append(by_document(passages)[: k or self.top_k])
        return results

    @staticmethod
    def _searched(language: str | None, indexes: Mapping[str, LexicalIndex]) -> str:
        """The language whose passages a question in ``language`` is searched among."""
        if language and language in indexes:
            return language
        return DEFAULT_LANGUAGE if DEFAULT_LANGUAGE in indexes else next(iter(indexes))

    def _answer(self, questions: Sequence[str], language: str | None) -> list[list[Passage]]:
        """The passages over the threshold for each question: in ``language``, then, for a
        question none of those answers, in English; the questions are embedded once."""
        count = self.collection.count()
        if not questions or count == 0:
            return [[] for _ in questions]
        indexes = self._lexical_indexes(count)
        vectors = self.embedder.embed(list(questions))
        searched = self._searched(language, indexes)
        found = [
            [p for p in passages if p.score >= self.min_score]
            for passages in self._search(questions, vectors, indexes, searched, self.top_k)
        ]
        fallback = self._searched(DEFAULT_LANGUAGE, indexes)
        unanswered = [index for index, passages in enumerate(found) if not passages]
        if searched == fallback or not unanswered:
            return found
        again = self._search(
            [questions[index] for index in unanswered],
            vectors[unanswered],
            indexes,
            fallback,
            self.top_k,
        )
        for index, passages in zip(unanswered, again, strict=True):
            found[index] = [p for p in passages if p.score >= self.min_score]
        return found

    @staticmethod
    def _dense_candidates(found: Mapping[str, Any], index: int) -> dict[str, _Candidate]:
        """The chunks Chroma found nearest to query ``index``, with their cosine similarity."""
        ids = found["ids"][index]
        texts = (found["documents"] or [])[index]
        metas = (found["metadatas"] or [])[index]
        distances = (found["distances"] or [])[index]
        return {
            chunk_id: (text or "", meta, 1.0 - float(distance))
            for chunk_id, text, meta, distance in zip(ids, texts, metas, distances, strict=True)
        }

    def _add_lexical_candidates(
        self, candidates: dict[str, _Candidate], words: Mapping[str, float], vector: Any
    ) -> None:
        """Add the best BM25 chunks the embeddings did not bring, with their cosine similarity."""
        best = sorted(words, key=lambda chunk_id: -words[chunk_id])[:CANDIDATES]
        missing = [chunk_id for chunk_id in best if chunk_id not in candidates]
        if not missing:
            return
        page = self.collection.get(ids=missing, include=["documents", "metadatas", "embeddings"])
        embeddings = page["embeddings"] if page["embeddings"] is not None else []
        texts = page["documents"] or []
        metas = page["metadatas"] or []
        for chunk_id, text, meta, embedding in zip(
            page["ids"], texts, metas, embeddings, strict=True
        ):
            similarity = float(np.dot(np.asarray(embedding, dtype=np.float32), vector))
            candidates[chunk_id] = (text or "", meta, similarity)

    async def retrieve(
        self, questions: Sequence[str], language: str | None = None
    ) -> list[list[Passage]]:
        """For each question, the passages that pass the threshold, in the conversation's
        ``language`` where its documents answer, else in English (without blocking)."""
        return await asyncio.to_thread(self._answer, list(questions), language)

    def warm_up(self) -> None:
        """Load the embedding model and word statistics now rather than on the first question."""
        self.search(["warm up"], 1)  # builds every language's index

    def _lexical_indexes(self, count: int) -> dict[str, LexicalIndex]:
        """BM25 over every chunk of the collection, an index per language, built again when
        the collection's size changes. Chunks stored without a language are English."""
        with self._lock:
            if self._lexical is None or self._indexed != count:
                texts: dict[str, tuple[list[str], list[str]]] = {}
                tagged = False
                offset = 0
                while True:
                    page = self.collection.get(
                        include=["documents", "metadatas"], limit=_PAGE, offset=offset
                    )
                    page_texts = page["documents"] or []
                    page_metas = page["metadatas"] or []
                    for chunk_id, text, meta in zip(
                        page["ids"], page_texts, page_metas, strict=True
                    ):
                        language = str((meta or {}).get("language") or "")
                        tagged = tagged or bool(language)
                        ids, headed = texts.setdefault(language or DEFAULT_LANGUAGE, ([], []))
                        ids.append(chunk_id)
                        headed.append(_headed(meta or {}, text or ""))
                    if len(page["ids"]) < _PAGE:
                        break
                    offset += _PAGE
                self._lexical = {
                    language: LexicalIndex(ids, headed, language)
                    for language, (ids, headed) in texts.items()
                }
                self._indexed = count
                self._tagged = tagged
            return self._lexical


def by_document(passages: Sequence[Passage]) -> list[Passage]:
    """Passages ordered by their document's strength, then by their own score.

    A document is as strong as its best passage plus ``SECOND_PASSAGE_WEIGHT`` times its
    second best: "How much does Beacon cost?" is answered from the pricing page, where
    several sections speak of prices, rather than from one paragraph of the comparison page
    that mentions costs. Each passage keeps its own score for the answer threshold.
    """
    scores: dict[str, list[float]] = {}
    for passage in passages:
        scores.setdefault(passage.source, []).append(passage.score)
    strength = {}
    for source, found in scores.items():
        found.sort(reverse=True)
        strength[source] = found[0] + (SECOND_PASSAGE_WEIGHT * found[1] if len(found) > 1 else 0.0)
    return sorted(passages, key=lambda passage: (-strength[passage.source], -passage.score))


def _headed(meta: Mapping[str, Any], text: str) -> str:
    return with_headings(str(meta.get("title", "")), str(meta.get("section", "")), text)


def _passage(meta: Mapping[str, Any], text: str, score: float) -> Passage:
    return Passage(
        title=str(meta.get("title", "")),
        section=str(meta.get("section", "")),
        text=text,
        source=str(meta.get("source", "")),
        url=str(meta.get("url", "")),
        score=round(score, 4),
    )


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
