"""The words the offline model knows, built once per playbook.

Two things come out of a playbook: the vocabulary that typos are corrected towards (the
cue words the analysers look for, the need keywords and the competitor names), and a
matcher for the need keywords. Both are cached by the playbook's digest.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process
from wordfreq import zipf_frequency

from agent.playbook import Playbook

# Cue words the analysers match on, by topic. A rare word that is a typo of one of these
# is rewritten to it before matching ("budjet" -> "budget", "decison" -> "decision").
_CUE_GROUPS = (
    "budget budgets budgeted spend spending pricing price costs afford allocated earmarked",
    "ballpark invest investment monthly annually yearly thousand million hundred",
    "dollars euros pounds rupees",
    "decision decide decides maker approve approval authority signoff final recommend",
    "recommendation committee evaluation evaluating shortlist",
    "founder cofounder owner president director manager analyst engineer developer",
    "scientist designer marketer specialist coordinator consultant architect",
    "people employees employee staff colleagues headcount workers engineers developers strong",
    "quarter quarters month months weeks year years immediately urgent urgently deadline",
    "january february march april june july august september october november december",
    "spring summer autumn winter exploring browsing researching eventually someday timeline",
    "timeframe",
    "software company startup agency ecommerce online store shopify woocommerce magento",
    "marketplace retailer retail fintech banking payments payment lending insurance",
    "healthcare hospital hospitals clinic clinics medical pharmacy patients dental biotech",
    "manufacturing logistics education nonprofit government",
    "student students thesis dissertation university college homework assignment professor",
    "coursework internship hiring resume position positions vacancies openings career",
    "competitive competitor research partnership partner pitch services outsourcing",
    "backlinks followers marketing development",
    "person human someone somebody representative sales demo schedule meeting speak",
    "email address instructions",
)
CUE_WORDS: frozenset[str] = frozenset(word for group in _CUE_GROUPS for word in group.split())

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class ScopeHit:
    """One need keyword found in a clause."""

    item: str
    in_scope: bool
    start: int
    end: int


class Vocabulary:
    """Known words and the typo corrections towards them."""

    def __init__(self, words: frozenset[str]) -> None:
        self.words = words
        self._choices = sorted(words)
        self._fixed: dict[str, str] = {}

    def correct(self, token: str) -> str:
        """``token`` (lower case) or the known word it is a typo of."""
        fixed = self._fixed.get(token)
        if fixed is None:
            fixed = self._closest(token)
            if len(self._fixed) < 50_000:
                self._fixed[token] = fixed
        return fixed

    def _closest(self, token: str) -> str:
        if len(token) < 5 or token in self.words or not token.isalpha():
            return token
        frequency = zipf_frequency(token, "en")
        if frequency >= 3.0:
            return token
        best = process.extractOne(token, self._choices, scorer=fuzz.ratio, score_cutoff=80)
        if best is None or str(best[0])[0] != token[0]:
            # Typos rarely change the first letter; proper nouns often resemble cue words.
            return token
        known = str(best[0])
        if frequency >= 2.0 and not (token.startswith(known) or float(best[1]) >= 90):
            # A word in use ("retainers") is no typo of a different one ("retailer"); an
            # inflection ("redesigning") or a common misspelling ("recomend") still is.
            return token
        return known

    def is_word(self, token: str) -> bool:
        """Whether ``token`` is English, one of ours, or a typo of one of ours."""
        return token in self.words or _english(token) or self.correct(token) != token


@lru_cache(maxsize=65536)
def _english(token: str) -> bool:
    """Whether wordfreq knows ``token`` as English (cached: it is asked about every word)."""
    return bool(zipf_frequency(token, "en") > 0)


class NeedMatcher:
    """Finds the playbook's need keywords (and inflections of them) in a clause."""

    def __init__(self, playbook: Playbook) -> None:
        entries: list[tuple[str, str, bool]] = []
        for item in playbook.need.in_scope:
            entries.extend((kw, item.name, True) for kw in (*item.keywords, item.name))
        for item in playbook.need.out_of_scope:
            entries.extend((kw, item.name, False) for kw in (*item.keywords, item.name))
        seen: dict[str, tuple[str, bool]] = {}
        for keyword, item_name, in_scope in entries:
            key = _SPACES.sub(" ", keyword.lower().strip())
            if key and key not in seen:
                seen[key] = (item_name, in_scope)
        ordered = sorted(seen, key=len, reverse=True)
        self._targets = [seen[key] for key in ordered]
        self._keys = frozenset(ordered)
        alternatives = [f"(?P<k{i}>{_keyword_pattern(key)})" for i, key in enumerate(ordered)]
        self._pattern = re.compile(r"(?<![\w/])(?:" + "|".join(alternatives) + r")(?![\w/])")

    def knows(self, keyword: str) -> bool:
        return keyword in self._keys

    def find(self, text: str) -> list[ScopeHit]:
        hits: list[ScopeHit] = []
        for match in self._pattern.finditer(text):
            group = match.lastgroup
            if group is None:
                continue
            item, in_scope = self._targets[int(group[1:])]
            hits.append(ScopeHit(item, in_scope, match.start(), match.end()))
        return hits


def _keyword_pattern(keyword: str) -> str:
    words = [re.escape(word) for word in keyword.split(" ")]
    body = r"[\s-]+".join(words)
    if keyword[-1].isalpha():
        body += r"(?:s|es|ed|d|ing)?"
    return body


@dataclass(frozen=True)
class Lexicon:
    vocabulary: Vocabulary
    needs: NeedMatcher


def _playbook_key(playbook: Playbook) -> str:
    if playbook.digest:
        return playbook.digest
    return hashlib.sha256(playbook.model_dump_json().encode()).hexdigest()


_CACHE: dict[str, Lexicon] = {}


def lexicon_for(playbook: Playbook) -> Lexicon:
    """The lexicon of ``playbook``, built on first use."""
    key = _playbook_key(playbook)
    found = _CACHE.get(key)
    if found is None:
        found = _build(playbook)
        _CACHE[key] = found
    return found


def _build(playbook: Playbook) -> Lexicon:
    words = {word for word in CUE_WORDS if len(word) >= 4}
    for scope in (*playbook.need.in_scope, *playbook.need.out_of_scope):
        for phrase in (*scope.keywords, scope.name):
            words.update(_words(phrase))
    for name in playbook.competitors:
        words.update(_words(name))
    return Lexicon(Vocabulary(frozenset(words)), NeedMatcher(playbook))


@lru_cache(maxsize=1024)
def _words(phrase: str) -> tuple[str, ...]:
    return tuple(word for word in re.findall(r"[a-z]+", phrase.lower()) if len(word) >= 4)
