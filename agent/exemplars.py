"""Categorical facts decided by example: nearest labelled sentences in MiniLM space.

A playbook lists, for each categorical field, example sentences per value (``exemplars``:
authority levels, disqualifiers, industries). :class:`ExemplarClassifier` embeds them once
with the sentence model the project ships (see :mod:`knowledge.embeddings`) and labels a
prospect's words by their ``k`` nearest examples, weighted by similarity. A verdict needs
a close enough nearest example and a clear lead over the other values, so a business
teaches the offline model new phrasings by adding sentences, not code.

The label ``none`` is special: its examples are sentences that look like a value without
being one (an agency buying for its clients is not a vendor), and a ``none`` verdict means
"no value".
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from agent.vector_files import stored_vectors

NONE = "none"
EMBEDDED_KEPT = 2048
"""How many recent calls' vectors a :class:`ClassifierCache` keeps (a few MB)."""
Vectors = np.ndarray[Any, np.dtype[np.float32]]


class Embedder(Protocol):
    """Unit-length sentence vectors, one row per text."""

    def embed(self, texts: list[str]) -> Vectors: ...


class FieldExemplars(BaseModel):
    """Example sentences per value of one field, and how sure a verdict must be."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    examples: dict[str, tuple[str, ...]] = Field(min_length=2)
    min_similarity: float = Field(default=0.5, ge=0.0, le=1.0)
    min_margin: float = Field(default=0.04, ge=0.0, le=1.0)


class Exemplars(BaseModel):
    """The playbook's ``exemplars`` section."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    authority: FieldExemplars | None = None
    budget_status: FieldExemplars | None = None
    disqualifier: FieldExemplars | None = None
    industry: FieldExemplars | None = None
    requested_human: FieldExemplars | None = None
    """Requests to talk to a person (``requested``) and look-alikes (``none``), read in
    conversations held in another language than the examples'."""


@dataclass(frozen=True)
class Verdict:
    """A value for some words, the nearest example behind it and how sure it is."""

    label: str
    similarity: float
    margin: float
    example: str


class ExemplarClassifier:
    """k nearest labelled examples, similarity-weighted, with a floor and a margin."""

    def __init__(self, exemplars: FieldExemplars, vectors: Vectors, k: int = 1) -> None:
        self.labels: list[str] = []
        self.sentences: list[str] = []
        for label, sentences in exemplars.examples.items():
            for sentence in sentences:
                self.labels.append(label)
                self.sentences.append(sentence)
        self.vectors = vectors
        self.k = k
        self.min_similarity = exemplars.min_similarity
        self.min_margin = exemplars.min_margin
        self._label_index = np.array([sorted(set(self.labels)).index(x) for x in self.labels])
        self._names = sorted(set(self.labels))

    def classify(self, vector: Vectors, kinds: Mapping[str, str] | None = None) -> Verdict | None:
        """The value of the words behind ``vector``, or None when no value is clear.

        The ``k`` nearest examples vote, weighted by similarity; the winner must have an
        example at least ``min_similarity`` close, and closer by ``min_margin`` than the
        nearest example of any other value. With ``kinds`` (value -> kind), the margin is
        taken between kinds instead: two close values of the same kind (two needs Beacon
        serves) do not cancel each other out, and the nearest value of the winning kind
        is the verdict.
        """
        similarities = self.vectors @ vector
        closest = np.full(len(self._names), -1.0)
        np.maximum.at(closest, self._label_index, similarities)
        best = self._vote(similarities) if kinds is None else int(np.argmax(closest))
        rivals = [
            i
            for i, name in enumerate(self._names)
            if i != best and (kinds is None or kinds.get(name) != kinds.get(self._names[best]))
        ]
        margin = float(closest[best] - (closest[rivals].max() if rivals else -1.0))
        similarity = float(closest[best])
        if similarity < self.min_similarity or margin < self.min_margin:
            return None
        top = max(
            (i for i in range(len(self.labels)) if self._label_index[i] == best),
            key=lambda i: similarities[i],
        )
        return Verdict(self._names[best], similarity, margin, self.sentences[top])

    def _vote(self, similarities: Vectors) -> int:
        nearest = np.argsort(-similarities)[: self.k]
        votes = np.zeros(len(self._names), dtype=np.float64)
        for index in nearest:
            votes[self._label_index[index]] += max(float(similarities[index]), 0.0)
        return int(np.argmax(votes))


def _digest(exemplars: FieldExemplars, model: str) -> str:
    payload = json.dumps({"model": model, "examples": exemplars.examples}, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:24]


def cache_dir() -> Path:
    """Where example vectors are kept between runs (``QUALIFY_CACHE_DIR`` or ~/.cache)."""
    configured = os.environ.get("QUALIFY_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "qualify"


class ClassifierCache:
    """Classifiers by field, their example vectors computed once per process and on disk."""

    def __init__(
        self, embedder: Embedder, model: str, *, multilingual: ClassifierCache | None = None
    ) -> None:
        self.embedder = embedder
        self.model = model
        self.multilingual = multilingual
        """Classifiers on a sentence model that reads every served language, for
        conversations held in another language than the examples'."""
        self._lock = threading.Lock()
        self._built: dict[str, ExemplarClassifier] = {}
        self._embedded: OrderedDict[tuple[str, ...], Vectors] = OrderedDict()

    def classifier(self, exemplars: FieldExemplars) -> ExemplarClassifier:
        key = _digest(exemplars, self.model)
        # The same examples with other thresholds share their vectors, not their classifier.
        built = f"{key}:{exemplars.min_similarity}:{exemplars.min_margin}"
        with self._lock:
            found = self._built.get(built)
            if found is None:
                found = ExemplarClassifier(exemplars, self._vectors(key, exemplars))
                self._built[built] = found
            return found

    def _vectors(self, key: str, exemplars: FieldExemplars) -> Vectors:
        sentences = [s for group in exemplars.examples.values() for s in group]
        path = cache_dir() / f"exemplars-{key}.npy"
        return stored_vectors(path, len(sentences), lambda: self.embedder.embed(sentences))

    def embed(self, texts: Sequence[str]) -> Vectors:
        """The texts' vectors. The same texts asked again (a common short answer, a chip's
        label) give the vectors the model gave them last time, without running it again:
        the key is the whole call, so batching and padding stay as they were."""
        key = tuple(texts)
        with self._lock:
            found = self._embedded.get(key)
            if found is not None:
                self._embedded.move_to_end(key)
                return found.copy()
        vectors = self.embedder.embed(list(key))
        with self._lock:
            self._embedded[key] = vectors.copy()
            while len(self._embedded) > EMBEDDED_KEPT:
                self._embedded.popitem(last=False)
        return vectors


@lru_cache(maxsize=1)
def shared_classifiers() -> ClassifierCache:
    """The process's classifiers, on the packaged all-MiniLM-L6-v2 (one thread per call),
    with those on the packaged multilingual sentence encoder for other languages."""
    from knowledge.embeddings import MODEL_NAME, MiniLMEmbedding
    from knowledge.multilingual import MULTILINGUAL_MODEL_NAME, MultilingualEmbedding

    multilingual = ClassifierCache(MultilingualEmbedding(threads=1), MULTILINGUAL_MODEL_NAME)
    return ClassifierCache(
        MiniLMEmbedding(max_length=96, threads=1), MODEL_NAME, multilingual=multilingual
    )
