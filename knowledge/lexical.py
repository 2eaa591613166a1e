"""BM25 over the knowledge base's chunks: the lexical half of hybrid retrieval.

Each chunk is indexed with its document title and heading path, so a question that uses a
heading's words ("overages", "single sign-on") finds the section under it. Words are
lower-cased, stop words dropped and stemmed (Snowball, via PyStemmer) for the language of
the index (English, German, Spanish, French or Portuguese; other languages are only
lower-cased), and scored with Lucene's BM25 by `bm25s`. The retriever keeps one index per
language of the documents.

:meth:`LexicalIndex.relevance` puts BM25 on a 0-1 scale that means the same for every
question: a chunk's score divided by what a chunk of average length holding each question
word once would score, where a word no chunk contains counts as the rarest word there is. A
question about something the documents never mention ("what salary does a PM make?")
therefore stays low against every chunk, which is what lets the answer threshold say "not
sure".
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from typing import Any

import bm25s
import numpy as np
import Stemmer
from bm25s.stopwords import (
    STOPWORDS_EN,
    STOPWORDS_FRENCH,
    STOPWORDS_GERMAN,
    STOPWORDS_PORTUGUESE,
    STOPWORDS_SPANISH,
)

from agent.knowledge import STOPWORDS

# bm25s sets its own logger to DEBUG, which would print "Building index from tokens" into
# the terminal chat: its notes are for debugging, so only its warnings are shown.
logging.getLogger("bm25s").setLevel(logging.WARNING)

_STEMMERS = {
    "en": "english",
    "de": "german",
    "es": "spanish",
    "fr": "french",
    "pt": "portuguese",
}
_STOPWORDS: dict[str, list[str]] = {
    "en": sorted(STOPWORDS | set(STOPWORDS_EN)),
    "de": sorted(STOPWORDS_GERMAN),
    "es": sorted(STOPWORDS_SPANISH),
    "fr": sorted(STOPWORDS_FRENCH),
    "pt": sorted(STOPWORDS_PORTUGUESE),
}
_K1 = 1.5


def tokens(texts: Sequence[str], language: str = "en") -> list[list[str]]:
    """The stemmed content words of each text, read as ``language``."""
    name = _STEMMERS.get(language)
    found = bm25s.tokenize(
        list(texts),
        stopwords=_STOPWORDS.get(language, []),
        stemmer=Stemmer.Stemmer(name) if name else None,
        return_ids=False,
        show_progress=False,
    )
    return [list(words) for words in found]


class LexicalIndex:
    """BM25 scores of questions against a fixed list of chunks (ids and indexed texts), all
    in one ``language``."""

    def __init__(self, ids: Sequence[str], texts: Sequence[str], language: str = "en") -> None:
        self.ids = list(ids)
        self.language = language
        corpus = tokens(texts, language)
        self._bm25 = bm25s.BM25(k1=_K1)
        self._empty = not any(corpus)
        if not self._empty:
            self._bm25.index(corpus, show_progress=False)
        self._count = len(corpus)
        frequency: dict[str, int] = {}
        for words in corpus:
            for word in set(words):
                frequency[word] = frequency.get(word, 0) + 1
        self._frequency = frequency

    def idf(self, word: str) -> float:
        """Lucene's inverse document frequency; a word in no chunk gets the largest value."""
        seen = self._frequency.get(word, 0)
        return math.log(1 + (self._count - seen + 0.5) / (seen + 0.5))

    def relevance(self, question: str) -> dict[str, float]:
        """Each chunk's BM25 score for ``question`` on a 0-1 scale (chunks scoring 0 left out)."""
        words = list(dict.fromkeys(tokens([question], self.language)[0]))
        # Lucene's BM25 gives idf / (1 + k1) to a word found once in a chunk of average length.
        ideal = sum(self.idf(word) for word in words) / (1 + _K1)
        if not words or ideal <= 0 or self._empty:
            return {}
        known = [word for word in words if word in self._frequency]
        if not known:
            return {}
        scores: np.ndarray[Any, Any] = self._bm25.get_scores(known)
        return {
            self.ids[index]: min(1.0, float(scores[index]) / ideal)
            for index in np.flatnonzero(scores > 0)
        }

    def best(self, question: str, k: int) -> list[str]:
        """The ids of the ``k`` chunks with the highest BM25 score for ``question``."""
        found = self.relevance(question)
        return sorted(found, key=lambda chunk_id: -found[chunk_id])[:k]
