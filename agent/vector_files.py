"""Sentence vectors kept in files, so text embedded once is not embedded again by the next
process: example sentences, the shipped documents."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

Vectors = np.ndarray[Any, np.dtype[np.float32]]


def stored_vectors(path: Path, rows: int, compute: Callable[[], Vectors]) -> Vectors:
    """The ``rows`` vectors saved at ``path``; when the file is missing, unreadable or holds
    another number of rows, ``compute()``'s, saved there for the next time (written to a
    file of its own first, so a reader never sees half of it). A folder that cannot be
    written is no error: the vectors are simply computed again next time."""
    try:
        stored: Vectors = np.load(path)
        if stored.shape[0] == rows:
            return stored.astype(np.float32)
    except (OSError, ValueError):
        pass
    vectors = compute()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp.npy")
        np.save(partial, vectors)
        partial.replace(path)
    except OSError:
        pass
    return vectors
