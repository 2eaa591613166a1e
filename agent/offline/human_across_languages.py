"""A request to talk to a person in another language, read by its nearest example.

The rules of :mod:`agent.offline.human` hold the usual ways of asking for a person in each
language; a prospect who writes "gibt es bei Ihnen einen Ansprechpartner, der mir das
Produkt einmal persönlich vorführen kann?" asks in words they do not hold. When the rules
found no request in a conversation held in German, Spanish, French or Portuguese, the
message's sentences are embedded with the multilingual sentence model (see
:mod:`knowledge.multilingual`) and compared with the playbook's ``requested_human``
examples: requests, and look-alikes ("I need to talk to my boss first", "please don't
call me") under ``none``.
"""

from __future__ import annotations

from typing import Any

from agent.exemplars import ClassifierCache
from agent.offline.text import Clause, sentences, span
from agent.playbook import Playbook

Groups = dict[str, dict[str, Any] | None]

_REQUESTED = "requested"
_MIN_WORDS = 4
_MAX_SENTENCES = 3
_MAX_CHARS = 300


def _with_mark(text: str, words: str) -> str:
    """``words`` with the question or exclamation mark that ends them in ``text``: a
    question is what asks for someone."""
    start = text.find(words)
    if start < 0:
        return words
    end = start + len(words)
    while end < len(text) and text[end] in " ?!？！":
        end += 1
    return text[start:end].rstrip()


def asked_for_a_person(
    text: str,
    clauses: list[Clause],
    groups: Groups,
    playbook: Playbook,
    classifiers: ClassifierCache,
    language: str,
) -> dict[str, Any] | None:
    """The ``human`` group for a request the rules did not read, or None."""
    multilingual = classifiers.multilingual
    section = playbook.exemplars.requested_human
    if language == "en" or multilingual is None or section is None or groups["human"]:
        return None
    said = [_with_mark(text, span(text, group))[:_MAX_CHARS] for group in sentences(clauses)]
    candidates = [s for s in said if len(s.split()) >= _MIN_WORDS][:_MAX_SENTENCES]
    if not candidates:
        return None
    classifier = multilingual.classifier(section)
    for words, vector in zip(candidates, multilingual.embed(candidates), strict=True):
        verdict = classifier.classify(vector)
        if verdict is not None and verdict.label == _REQUESTED:
            return {"quote": words, "requested": True}
    return None
